package jp.kominkan.cloud.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;

/**
 * Starts a real cloud instance on a free port, the way {@link jp.kominkan.cloud.Main} does, on a
 * given database, seeded with the demo town and a second town (桜川町) served on
 * {@value #OTHER_HOST}.
 */
public final class TestCloud {

    /** Host name of the second municipality. */
    public static final String OTHER_HOST = "sakuragawa.localhost";
    /** Code of the second municipality. */
    public static final String OTHER_CODE = "999992";

    /** One keys folder for the test JVM, as instances of one deployment share theirs. */
    public static final Path KEYS = tempKeys();

    private TestCloud() {
    }

    /**
     * @param jdbc  the database
     * @param clock the clock
     * @param seed  whether to seed (false for a second instance on the same database)
     * @return the running cloud
     */
    public static Cloud start(TestDatabases.Jdbc jdbc, Clock clock, boolean seed) {
        return start(jdbc, clock, seed, Map.of());
    }

    /**
     * @param jdbc  the database
     * @param clock the clock
     * @param seed  whether to seed
     * @param extra more settings (identity providers, mail server…)
     * @return the running cloud
     */
    public static Cloud start(TestDatabases.Jdbc jdbc, Clock clock, boolean seed, Map<String, String> extra) {
        Config config = config(jdbc, extra);
        return Cloud.start(config, clock, (database, services) -> {
            if (seed) {
                DemoData demo = new DemoData(database.client(), services.accounts(), services.staff(), clock,
                        services.enrollments().shards().ids());
                demo.seedIfEmpty();
                demo.seed(OTHER_CODE, "桜川町", "さくらがわまち", "茨城県", "桜川町", List.of(OTHER_HOST));
            }
        });
    }

    /**
     * Settings that send the cloud's mail to a test SMTP server and drain the outbox quickly.
     *
     * @param smtp  the GreenMail server
     * @param extra more settings
     * @return the settings, for {@link #start(TestDatabases.Jdbc, Clock, boolean, Map)}
     */
    public static Map<String, String> mailingTo(com.icegreen.greenmail.util.GreenMail smtp, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("kominkan.mail.host", "127.0.0.1");
        settings.put("kominkan.mail.port", Integer.toString(smtp.getSmtp().getPort()));
        settings.put("kominkan.mail.from", "yoyaku@city.yamabuki.example.lg.jp");
        settings.put("kominkan.mail.outbox.interval", "PT0.2S");
        return settings;
    }

    /** @return a TCP port free right now, for a server whose URL must be configured before it starts */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempKeys() {
        try {
            return Files.createTempDirectory("kominkan-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param jdbc  the database
     * @param extra more settings
     * @return the config a test cloud runs with
     */
    public static Config config(TestDatabases.Jdbc jdbc, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("db.source", "jdbc");
        settings.put("db.connection.url", jdbc.url());
        settings.put("db.connection.username", jdbc.user());
        settings.put("db.connection.password", jdbc.password());
        settings.put("db.connection.maximumPoolSize", "16");
        settings.put("kominkan.default-municipality", DemoData.CODE);
        settings.put("kominkan.hold-sweep-interval", "PT1H");
        settings.put("kominkan.keys-dir", KEYS.toString());
        // The tests talk plain HTTP to 127.0.0.1, where the JDK's cookie jar keeps Secure cookies back; a test of the
        // __Host- cookies turns this on (SecureCookiesIT).
        settings.put("kominkan.secure-cookie", "false");
        settings.putAll(extra);
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(settings), ConfigSources.classpath("application.yaml"))
                .build();
    }
}
