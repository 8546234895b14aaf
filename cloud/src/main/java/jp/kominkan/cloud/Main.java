package jp.kominkan.cloud;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import io.helidon.logging.common.LogConfig;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.demo.DemoDoorNetwork;
import jp.kominkan.cloud.demo.DemoLottery;

/**
 * Starts the cloud: {@code demo} runs the embedded default (H2 in a data folder, demo data),
 * {@code serve} runs with the configuration given (PostgreSQL in production).
 */
public final class Main {

    private Main() {
    }

    /**
     * @param args {@code demo [--port N] [--mqtt-port N] [--sandbox-port N] [--smtp-port N] [--mail-web-port N]
     *             [--data DIR]} or {@code serve [--config FILE]}
     * @throws InterruptedException when interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        LogConfig.configureRuntime();
        if (args.length > 0 && args[0].equals("lottery")) {
            System.exit(LotteryCommand.run(args, System.out, System.err));
            return;
        }
        if (args.length > 0 && (args[0].equals("pki") || args[0].equals("admin"))) {
            java.util.Optional<String> file = java.util.Optional.empty();
            for (int i = 1; i + 1 < args.length; i++) {
                if (args[i].equals("--config")) {
                    file = java.util.Optional.of(args[i + 1]);
                }
            }
            Config config = config(new Arguments(false, java.util.Optional.empty(), 8883, "data", file, 8089, 3025,
                    8025, 8090, 8091));
            System.exit(args[0].equals("pki") ? PkiCommand.run(args, config) : AdminCommand.run(args, config));
            return;
        }
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: kominkan-cloud demo [--port N] [--mqtt-port N] [--sandbox-port N]"
                    + " [--smtp-port N] [--mail-web-port N] [--data DIR]");
            System.err.println("       kominkan-cloud serve [--config FILE]");
            System.err.println("       kominkan-cloud pki broker|revoke … (see docs/broker.md)");
            System.err.println("       kominkan-cloud admin create-municipality|create-administrator … (see README)");
            System.err.println("       kominkan-cloud lottery verify audit.json (see docs/lottery.md)");
            System.exit(2);
            return;
        }
        Config config = config(arguments);
        Clock clock = Clock.systemUTC();
        // serve seeds the demo municipality too when told (kominkan.seed.demo; ./kominkan cluster's first instance).
        boolean seed = arguments.demo() || config.get("kominkan.seed.demo").asBoolean().orElse(false);
        Cloud cloud = Cloud.start(config, clock, (database, services) -> {
            if (seed) {
                DemoData demo = new DemoData(database.client(), services.accounts(), services.staff(), clock,
                        services.enrollments().shards().ids());
                demo.seedIfEmpty();
                demo.seedCaretaker(services.municipalities().byCode(DemoData.CODE).orElseThrow());
                DemoLottery.seedIfNone(database.client(), services.lottery(),
                        services.municipalities().byCode(DemoData.CODE).orElseThrow(), clock);
            }
        });
        if (arguments.demo()) {
            Path data = Path.of(arguments.data()).toAbsolutePath();
            DemoDoorNetwork.prepare(cloud, data, clock);
            printWelcome(System.out, cloud.port(), arguments.mqttPort(), arguments.mailWebPort(), data);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cloud.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /**
     * The configuration: command-line choices first, then environment variables
     * ({@code DB_CONNECTION_URL} sets {@code db.connection.url}), then the file given, then the
     * built-in defaults.
     */
    static Config config(Arguments arguments) {
        Map<String, String> overrides = new HashMap<>();
        arguments.port().ifPresent(port -> overrides.put("server.port", port));
        if (arguments.demo()) {
            Path data = Path.of(arguments.data()).toAbsolutePath();
            try {
                Files.createDirectories(data);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Cannot create the data folder " + data + ": " + e.getMessage(), e);
            }
            // WRITE_DELAY=0: a committed booking survives kill -9 (see ../shared/DEPENDENCIES.md).
            overrides.put("db.connection.url", "jdbc:h2:file:" + data.resolve("kominkan")
                    + ";DATABASE_TO_LOWER=TRUE;QUERY_CACHE_SIZE=256;WRITE_DELAY=0;LOCK_TIMEOUT=10000");
            overrides.put("kominkan.default-municipality", DemoData.CODE);
            overrides.put("kominkan.keys-dir", data.resolve("keys").toString());
            // Plain http://localhost: cookies without Secure, under their unprefixed names (docs/security.md).
            overrides.put("kominkan.secure-cookie", "false");
            // The demo's Mosquitto (started by ./kominkan demo from the files in <data>/broker): TLS, client certificates.
            overrides.put("kominkan.mqtt.broker", "ssl://127.0.0.1:" + arguments.mqttPort());
            overrides.put("kominkan.mqtt.broker-files", data.resolve("broker").toString());
            overrides.put("kominkan.mqtt.broker-pid-file", data.resolve("broker").resolve("broker.pid").toString());
            // The xID sandbox that ./kominkan demo starts beside the cloud (xid-sandbox module).
            String sandbox = "kominkan.identity.providers.0.";
            overrides.put(sandbox + "municipality", DemoData.CODE);
            overrides.put(sandbox + "id", "xid");
            overrides.put(sandbox + "label", "xID（サンドボックス）");
            overrides.put(sandbox + "profile", "xid");
            overrides.put(sandbox + "issuer", "http://localhost:" + arguments.sandboxPort() + "/xid");
            overrides.put(sandbox + "client-id", "kominkan-demo");
            overrides.put(sandbox + "client-secret", "sandbox-only-secret");
            overrides.put(sandbox + "redirect-uri", "http://localhost:" + arguments.port().orElse("8080")
                    + "/auth/xid/callback");
            // xID's Userdata API in the sandbox, and the demo municipality's key pair for its sealed fields, which
            // ./kominkan demo makes once in <data>/xid-box.keys before starting the sandbox (docs/identity.md).
            overrides.put(sandbox + "scopes.0", "openid");
            overrides.put(sandbox + "scopes.1", "verification");
            overrides.put(sandbox + "userdata-api", "http://localhost:" + arguments.sandboxPort() + "/v4");
            demoBoxKeys(data.resolve("xid-box.keys")).forEach((key, value) -> overrides.put(sandbox + key, value));
            // The デジタル認証アプリ sandbox (xid-sandbox module, AgencySandbox) that ./kominkan demo starts beside the
            // cloud; private_key_jwt with the demo's key, made once in <data>/agency-client.jwk (docs/identity.md).
            Path agencyKey = data.resolve("agency-client.jwk");
            if (Files.exists(agencyKey)) {
                String agency = "kominkan.identity.providers.1.";
                overrides.put(agency + "municipality", DemoData.CODE);
                overrides.put(agency + "id", "mynaapp");
                overrides.put(agency + "label", "デジタル認証アプリ（サンドボックス）");
                overrides.put(agency + "profile", "digital-agency");
                overrides.put(agency + "issuer", "http://localhost:" + arguments.agencyPort() + "/api/realms/main");
                overrides.put(agency + "client-id", "KominkanDemo");
                overrides.put(agency + "client-jwk-file", agencyKey.toString());
                overrides.put(agency + "redirect-uri", "http://localhost:" + arguments.port().orElse("8080")
                        + "/auth/mynaapp/callback");
            }
            // GreenMail, which ./kominkan demo also starts: a real SMTP server that keeps what it is sent.
            overrides.put("kominkan.mail.host", "127.0.0.1");
            overrides.put("kominkan.mail.port", Integer.toString(arguments.smtpPort()));
            overrides.put("kominkan.mail.from", "no-reply@kominkan.example");
            // The payment sandbox (payment-sandbox module), which ./kominkan demo starts: Stripe's protocol, locally.
            overrides.put("kominkan.payment.stripe.api-base", "http://127.0.0.1:" + arguments.paymentPort());
            overrides.put("kominkan.payment.stripe.api-key", "sk_test_kominkan_sandbox");
            overrides.put("kominkan.payment.stripe.webhook-secret-file",
                    Path.of(arguments.data(), "payment-sandbox.secret").toString());
        }
        List<Supplier<? extends ConfigSource>> sources = new ArrayList<>();
        sources.add(ConfigSources.create(overrides));
        sources.add(ConfigSources.environmentVariables());
        sources.add(ConfigSources.systemProperties());
        arguments.configFile().ifPresent(file -> sources.add(ConfigSources.file(file)));
        sources.add(ConfigSources.classpath("application.yaml"));
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(sources)
                .build();
    }

    /** The demo's xID box keys, from the file ./kominkan demo made; none (xID facts from the ID token) without it. */
    private static Map<String, String> demoBoxKeys(Path file) {
        if (!Files.exists(file)) {
            return Map.of("userdata-api", "");
        }
        try {
            Map<String, String> keys = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("public=")) {
                    keys.put("box-public-key", line.substring(7).strip());
                } else if (line.startsWith("secret=")) {
                    keys.put("box-secret-key", line.substring(7).strip());
                }
            }
            return keys;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void printWelcome(PrintStream out, int port, int mqttPort, int mailWebPort, Path data) {
        out.println();
        out.println("  Kominkan demo is running — 山吹市 (a fictional town)");
        out.println("  Pages:      http://localhost:" + port + "/   (resident pages, Japanese; English from the menu)");
        out.println("  API:        http://localhost:" + port + "/api/v1/facilities");
        out.println("  API docs:   http://localhost:" + port + "/openapi");
        out.println("  Health:     http://localhost:" + port + "/observe/health");
        out.println("  Resident:   " + DemoData.RESIDENT_EMAIL + " / " + DemoData.RESIDENT_PASSWORD);
        out.println("  Staff:      " + DemoData.ADMIN_EMAIL + " / " + DemoData.ADMIN_PASSWORD
                + "  (http://localhost:" + port + "/staff/login)");
        out.println("  Caretaker:  " + DemoData.CARETAKER_EMAIL + " / " + DemoData.CARETAKER_PASSWORD
                + "  (駅前学習センター; the live door board: http://localhost:" + port + "/staff/doors)");
        out.println("  xID:        新規登録 → 「同意して xID で登録する」 on http://localhost:" + port + "/register");
        out.println("              (the xID sandbox offers demo people; see README \"Identity with xID\")");
        out.println("  Agency:     http://localhost:" + port + "/auth/mynaapp/login?purpose=register&return=/mypage"
                + "  (the デジタル認証アプリ sandbox; docs/identity.md)");
        out.println("  MQTT:       ssl://127.0.0.1:" + mqttPort + " (mutual TLS, the cloud and gateways only; certificates in "
                + data.resolve("broker") + ")");
        out.println("              the doors' keypads and locks talk to their gateway (docs/gateway.md, \"Site link\")");
        out.println("  Mail:       GreenMail keeps every message sent; nothing leaves this machine (docs/mail.md).");
        out.println("              who got mail:   curl http://localhost:" + mailWebPort + "/api/user");
        out.println("              their messages: curl http://localhost:" + mailWebPort
                + "/api/user/ADDRESS/messages/");
        out.println("  Stop with Ctrl-C.");
        out.println();
        out.flush();
    }

    /**
     * The command line.
     *
     * @param demo       demo mode
     * @param port       the HTTP port, if given
     * @param mqttPort   the demo broker's port
     * @param data       the data folder (demo)
     * @param configFile the config file (serve)
     * @param sandboxPort the demo xID sandbox's port
     * @param smtpPort    the demo mail server's (GreenMail's) SMTP port
     * @param mailWebPort the port of GreenMail's web API, where the demo's mail is read
     * @param paymentPort the demo payment sandbox's port
     * @param agencyPort  the demo デジタル認証アプリ sandbox's port
     */
    record Arguments(boolean demo, java.util.Optional<String> port, int mqttPort, String data,
                     java.util.Optional<String> configFile, int sandboxPort, int smtpPort, int mailWebPort,
                     int paymentPort, int agencyPort) {

        static Arguments parse(String[] args) {
            if (args.length == 0 || !(args[0].equals("demo") || args[0].equals("serve"))) {
                throw new IllegalArgumentException("Say what to run: demo or serve.");
            }
            boolean demo = args[0].equals("demo");
            String port = null;
            int mqttPort = 8883;
            String data = "data";
            String configFile = null;
            int sandboxPort = 8089;
            int smtpPort = 3025;
            int mailWebPort = 8025;
            int paymentPort = 8090;
            int agencyPort = 8091;
            for (int i = 1; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value.");
                }
                String value = args[++i];
                switch (flag) {
                    case "--port" -> port = port(value, flag);
                    case "--mqtt-port" -> mqttPort = Integer.parseInt(port(value, flag));
                    case "--data" -> data = value;
                    case "--config" -> configFile = value;
                    case "--sandbox-port" -> sandboxPort = Integer.parseInt(port(value, flag));
                    case "--smtp-port" -> smtpPort = Integer.parseInt(port(value, flag));
                    case "--mail-web-port" -> mailWebPort = Integer.parseInt(port(value, flag));
                    case "--payment-port" -> paymentPort = Integer.parseInt(port(value, flag));
                    case "--agency-port" -> agencyPort = Integer.parseInt(port(value, flag));
                    default -> throw new IllegalArgumentException("Unknown option " + flag + ".");
                }
            }
            return new Arguments(demo, java.util.Optional.ofNullable(port), mqttPort, data,
                    java.util.Optional.ofNullable(configFile), sandboxPort, smtpPort, mailWebPort, paymentPort,
                    agencyPort);
        }

        private static String port(String value, String flag) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65535) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(flag + " must be a port number from 0 to 65535, not '" + value + "'.");
        }
    }
}
