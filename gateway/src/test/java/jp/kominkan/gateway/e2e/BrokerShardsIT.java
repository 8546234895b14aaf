package jp.kominkan.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.fleet.GatewayBridge;
import jp.kominkan.cloud.pki.BrokerFiles;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.firmware.profile.SiteProfileParser;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.enroll.Enrollment;
import jp.kominkan.gateway.support.LedgerCheck;
import jp.kominkan.gateway.support.Mosquitto;
import jp.kominkan.gateway.support.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Brokers in shards (docs/deploy.md), on two real Mosquitto brokers with mutual TLS: the demo's two
 * gateways are enrolled onto different shards and each told its own broker; one shard's broker is
 * killed and restarted in the middle of a stream, and only that shard's gateway and bridge notice,
 * while the other's stream goes on; both streams end gap-free. A gateway heard on the other shard's
 * broker is not believed there.
 */
class BrokerShardsIT {

    static final String EKIMAE = DemoData.CODE + "-gw-ekimae";
    static final String CHUO = DemoData.CODE + "-gw-chuo";
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    final Map<String, Mosquitto> brokers = new HashMap<>();
    final Map<String, Path> storage = new HashMap<>();
    Cloud cloud;
    Api api;
    String staff;
    Gateway ekimae;
    Gateway chuo;

    @BeforeEach
    void start() throws Exception {
        TestDatabases.Jdbc jdbc = TestDatabases.fresh(TestDatabases.Kind.H2);
        Map<String, Path> dirs = Map.of("a", Files.createTempDirectory("kominkan-shard-a"),
                "b", Files.createTempDirectory("kominkan-shard-b"));
        Map<String, Integer> ports = Map.of("a", Mosquitto.freePort(), "b", Mosquitto.freePort());
        Map<String, String> settings = new HashMap<>();
        List<String> shards = List.of("a", "b");
        for (int i = 0; i < shards.size(); i++) {
            String shard = shards.get(i);
            String prefix = "kominkan.mqtt.shards." + i + ".";
            settings.put(prefix + "id", shard);
            settings.put(prefix + "broker", "ssl://127.0.0.1:" + ports.get(shard));
            settings.put(prefix + "broker-files", dirs.get(shard).toString());
            settings.put(prefix + "broker-pid-file", dirs.get(shard).resolve("broker.pid").toString());
        }
        cloud = Cloud.start(TestCloud.config(jdbc, settings), Clock.systemUTC(), (database, services) -> {
            new DemoData(database.client(), services.accounts(), services.staff(), Clock.systemUTC(),
                    services.enrollments().shards().ids()).seedIfEmpty();
            // Each shard's broker gets the same CA, CRL and ACL, in its own folder, with its own certificate.
            for (String shard : shards) {
                new BrokerFiles(services.ca(), services.certificates(), Clock.systemUTC())
                        .writeAll(dirs.get(shard), List.of("127.0.0.1", "localhost"));
                brokers.put(shard, Mosquitto.startTls(ports.get(shard), dirs.get(shard)));
            }
        });
        api = new Api(cloud.port());
        staff = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        ekimae = enrollAndStart(EKIMAE, brokers.get("a"));
        chuo = enrollAndStart(CHUO, brokers.get("b"));
    }

    @AfterEach
    void stop() {
        for (Gateway gateway : new Gateway[] {ekimae, chuo}) {
            if (gateway != null) {
                gateway.close();
            }
        }
        if (cloud != null) {
            cloud.close();
        }
        brokers.values().forEach(Mosquitto::close);
    }

    @Test
    void aShardsBrokerRestartingTouchesOnlyItsGatewaysAndBothStreamsEndGapFree() throws Exception {
        issueShelterCodes(5);
        waitApplied(ekimae, EKIMAE);
        waitApplied(chuo, CHUO);
        GatewayBridge bridgeA = bridge("a");
        GatewayBridge bridgeB = bridge("b");
        long ekimaeConnections = ekimae.link().connections();
        long chuoConnections = chuo.link().connections();
        long bridgeAConnections = bridgeA.connections();
        long bridgeBConnections = bridgeB.connections();

        brokers.get("b").kill();
        Waits.until("shard b's gateway sees its broker gone", Duration.ofSeconds(60), () -> !chuo.link().isConnected());
        issueShelterCodes(10);
        // Shard a goes on while b is down: its gateway gets every new entry; b's wait in the outbox.
        waitApplied(ekimae, EKIMAE);
        assertThat(chuo.grants().durableSeq()).isLessThan(head(CHUO));

        brokers.get("b").restart();
        waitApplied(chuo, CHUO);
        issueShelterCodes(5);
        waitApplied(ekimae, EKIMAE);
        waitApplied(chuo, CHUO);

        assertThat(ekimae.link().connections()).as("shard a's gateway never reconnected").isEqualTo(ekimaeConnections);
        assertThat(bridgeA.connections()).as("the cloud's bridge to shard a never reconnected")
                .isEqualTo(bridgeAConnections);
        assertThat(chuo.link().connections()).as("shard b's gateway reconnected once").isEqualTo(chuoConnections + 1);
        assertThat(bridgeB.connections()).as("the cloud's bridge to shard b reconnected").isGreaterThan(bridgeBConnections);
        // 20 codes: two doors in 駅前学習センター, one in 中央公民館.
        assertThat(head(EKIMAE)).isEqualTo(40);
        assertThat(head(CHUO)).isEqualTo(20);
        LedgerCheck.assertEachEntryOnce(storage.get(EKIMAE), head(EKIMAE));
        LedgerCheck.assertEachEntryOnce(storage.get(CHUO), head(CHUO));
    }

    @Test
    void aGatewayHeardOnAnotherShardsBrokerIsNotBelievedThereAndGetsNothing() throws Exception {
        issueShelterCodes(3);
        waitApplied(ekimae, EKIMAE);
        GatewayBridge bridgeB = bridge("b");
        long rejectedBefore = bridgeB.rejected();
        // 駅前's own certificate (the CA and ACL are the same on every shard), pointed at shard b's broker.
        SiteProfile.Tls tls = new SiteProfile.Tls(storage.get(EKIMAE).resolveSibling("enrolled-" + EKIMAE).resolve("ca.pem"),
                storage.get(EKIMAE).resolveSibling("enrolled-" + EKIMAE).resolve("gateway.pem"),
                storage.get(EKIMAE).resolveSibling("enrolled-" + EKIMAE).resolve("gateway.key"));
        Path elsewhere = Files.createTempDirectory("kominkan-wrong-shard");
        try (Gateway astray = Gateway.start(profile(EKIMAE, URI.create(brokers.get("b").uri()), tls, elsewhere),
                Gateway.mockPlatform(), Clock.systemUTC())) {
            Waits.until("shard b's bridge refuses its hello", Duration.ofSeconds(15),
                    () -> bridgeB.rejected() > rejectedBefore);
            assertThat(astray.link().isConnected()).isTrue();
            assertThat(astray.grants().durableSeq()).as("no snapshot or entries from shard b").isZero();
        }
        // Its own shard still streams to it.
        issueShelterCodes(1);
        waitApplied(ekimae, EKIMAE);
    }

    /** Enrolls as an installer does, checks the site profile names the shard's broker, and starts the gateway. */
    Gateway enrollAndStart(String gatewayId, Mosquitto shardBroker) throws Exception {
        Api.Response token = api.post("/api/v1/staff/gateways/" + gatewayId + "/enrollment", null).token(staff).send();
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        Path dir = Files.createTempDirectory("kominkan-shards").resolve("enrolled-" + gatewayId);
        Files.createDirectories(dir);
        Path written = new Enrollment(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Clock.systemUTC()).enroll(new Enrollment.Options(URI.create("http://127.0.0.1:" + cloud.port()),
                token.json().get("token").asText(), dir, Optional.empty(), true));
        SiteProfile enrolled = ((SiteProfileParser.Result.Valid) SiteProfileParser.parse(Files.readString(written), dir))
                .profile();
        assertThat(enrolled.broker()).as("the broker in %s's site profile", gatewayId).isEqualTo(URI.create(shardBroker.uri()));
        Path gatewayStorage = dir.resolveSibling("storage-" + gatewayId);
        Files.createDirectories(gatewayStorage);
        storage.put(gatewayId, gatewayStorage);
        Gateway gateway = Gateway.start(profile(gatewayId, enrolled.broker(), enrolled.tls().orElseThrow(), gatewayStorage),
                Gateway.mockPlatform(), Clock.systemUTC());
        Waits.until(gatewayId + " connected", Duration.ofSeconds(15), gateway.link()::isConnected);
        return gateway;
    }

    SiteProfile profile(String gatewayId, URI broker, SiteProfile.Tls tls, Path gatewayStorage) {
        Map<String, byte[]> trusted = new HashMap<>();
        cloud.services().keys().publicKeys().forEach((id, key) -> trusted.put(id, key.getEncoded()));
        return new SiteProfile(gatewayId, DemoData.CODE, broker, gatewayStorage, trusted, List.of(), Optional.of(tls));
    }

    /** Issues shelter codes (避難所) for both buildings: one stream entry per door. */
    void issueShelterCodes(int each) {
        Instant from = Instant.now();
        for (String gatewayId : List.of(EKIMAE, CHUO)) {
            long facility = cloud.database().client().execute().get("select facility_id from gateway where id = ?", gatewayId)
                    .map(row -> Sql.longValue(row, "facility_id")).orElseThrow();
            for (int i = 0; i < each; i++) {
                String body = "{\"facilityId\":" + facility + ",\"holder\":\"自主防災会 " + i + "\",\"validFrom\":\""
                        + from.atZone(TOKYO).toOffsetDateTime() + "\",\"validUntil\":\""
                        + from.plus(Duration.ofDays(7)).atZone(TOKYO).toOffsetDateTime() + "\"}";
                Api.Response issued = api.post("/api/v1/staff/shelter-codes", body).token(staff).send();
                assertThat(issued.status()).as(issued.body()).isEqualTo(201);
            }
        }
    }

    void waitApplied(Gateway gateway, String gatewayId) {
        Waits.until(gatewayId + " applied its stream", Duration.ofSeconds(60),
                () -> gateway.grants().durableSeq() == head(gatewayId) && lastAck(gatewayId) == head(gatewayId));
    }

    GatewayBridge bridge(String shard) {
        return cloud.bridges().stream().filter(b -> b.shard().equals(shard)).findFirst().orElseThrow();
    }

    long head(String gatewayId) {
        return column(gatewayId, "stream_head");
    }

    long lastAck(String gatewayId) {
        return column(gatewayId, "last_ack");
    }

    long column(String gatewayId, String column) {
        return cloud.database().client().execute().get("select " + column + " from gateway where id = ?", gatewayId)
                .map(row -> Sql.longValue(row, column)).orElseThrow();
    }
}
