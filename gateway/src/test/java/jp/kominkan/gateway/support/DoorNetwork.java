package jp.kominkan.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.pki.BrokerFiles;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.enroll.Enrollment;

/**
 * The door network as production runs it, on loopback: a cloud (demo town, H2) whose CA wrote the
 * broker's certificate, CRL and ACL, a Mosquitto broker with TLS that requires client
 * certificates, and gateways enrolled through the real flow (staff token → {@link Enrollment} →
 * {@code POST /api/v1/enroll}). Nothing here hands a gateway a certificate behind the cloud's back.
 */
public final class DoorNetwork implements AutoCloseable {

    private final TestDatabases.Jdbc jdbc;
    private final Path brokerDir;
    private final int port;
    private final Map<String, String> extra;
    private Mosquitto broker;
    private Cloud cloud;

    private DoorNetwork(TestDatabases.Jdbc jdbc, Path brokerDir, int port, Map<String, String> extra) {
        this.jdbc = jdbc;
        this.brokerDir = brokerDir;
        this.port = port;
        this.extra = extra;
    }

    /**
     * @param extra more cloud settings
     * @return a running cloud and broker, the demo town seeded
     */
    public static DoorNetwork start(Map<String, String> extra) {
        try {
            DoorNetwork network = new DoorNetwork(TestDatabases.fresh(TestDatabases.Kind.H2),
                    Files.createTempDirectory("kominkan-broker"), Mosquitto.freePort(), Map.copyOf(extra));
            network.cloud = network.startCloud(true);
            return network;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a cloud instance on this network's database; the first one also writes the broker's
     * files and starts the broker.
     *
     * @param seed whether to seed the demo town
     * @return the instance
     */
    public Cloud startCloud(boolean seed) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("kominkan.mqtt.broker", "ssl://127.0.0.1:" + port);
        settings.put("kominkan.mqtt.broker-files", brokerDir.toString());
        settings.put("kominkan.mqtt.broker-pid-file", brokerDir.resolve("broker.pid").toString());
        return Cloud.start(TestCloud.config(jdbc, settings), Clock.systemUTC(), (database, services) -> {
            if (seed) {
                new DemoData(database.client(), services.accounts(), services.staff(), Clock.systemUTC()).seedIfEmpty();
            }
            if (broker == null) {
                new BrokerFiles(services.ca(), services.certificates(), Clock.systemUTC())
                        .writeAll(brokerDir, List.of("127.0.0.1", "localhost"));
                broker = Mosquitto.startTls(port, brokerDir);
            }
        });
    }

    /** @return the cloud */
    public Cloud cloud() {
        return cloud;
    }

    /**
     * Replaces the running cloud instance (after a test closed it).
     *
     * @param seed whether to seed
     * @return the new instance
     */
    public Cloud restartCloud(boolean seed) {
        cloud = startCloud(seed);
        return cloud;
    }

    /** @return the broker */
    public Mosquitto broker() {
        return broker;
    }

    /** @return the broker's folder (CA, CRL, ACL) */
    public Path brokerDir() {
        return brokerDir;
    }

    /** @return an API client for the cloud */
    public Api api() {
        return new Api(cloud.port());
    }

    /** @return a staff session of the demo town's main administrator */
    public String staff() {
        return api().staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    /**
     * @param gatewayId a registered gateway
     * @return a fresh enrollment token for it
     */
    public String enrollmentToken(String gatewayId) {
        Api.Response response = api().post("/api/v1/staff/gateways/" + gatewayId + "/enrollment", null).token(staff()).send();
        if (response.status() != 201) {
            throw new IllegalStateException("enrollment token: " + response.status() + " " + response.body());
        }
        return response.json().get("token").asText();
    }

    /**
     * Enrolls a gateway the way an installer does, into {@code dir}.
     *
     * @param gatewayId the gateway
     * @param dir       its folder
     * @return its TLS files
     */
    public SiteProfile.Tls enroll(String gatewayId, Path dir) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new Enrollment(new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC())
                .enroll(new Enrollment.Options(URI.create("http://127.0.0.1:" + cloud.port()), enrollmentToken(gatewayId),
                        dir, Optional.empty(), true));
        return new SiteProfile.Tls(dir.resolve("ca.pem"), dir.resolve("gateway.pem"), dir.resolve("gateway.key"));
    }

    /**
     * @param gatewayId the gateway
     * @param tls       its enrolled files
     * @param storage   its storage folder
     * @param doors     its doors
     * @return its site profile, for this network's broker
     */
    public SiteProfile profile(String gatewayId, SiteProfile.Tls tls, Path storage, List<SiteProfile.Door> doors) {
        Map<String, byte[]> trusted = new HashMap<>();
        cloud.services().keys().publicKeys().forEach((id, key) -> trusted.put(id, key.getEncoded()));
        return new SiteProfile(gatewayId, DemoData.CODE, URI.create(broker.uri()), storage, trusted, doors,
                Optional.of(tls));
    }

    @Override
    public void close() {
        if (cloud != null) {
            cloud.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
