package jp.kominkan.cloud.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Gateways on broker shards (docs/deploy.md): staff put a gateway on a shard, or leave it to the one
 * with the fewest; enrollment tells the gateway its shard's broker; a shard that is not configured is
 * a clear error that changes nothing. (Streaming per shard, with real brokers: the gateway module's
 * BrokerShardsIT.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrokerShardEnrollmentSuite {

    static final String NORTH_BROKER = "ssl://mqtt-north.city.example:8883";
    static final String SOUTH_BROKER = "ssl://mqtt-south.city.example:8883";

    Cloud cloud;
    Api api;
    String main;
    long ekimae;
    int serial;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        Map<String, String> settings = new HashMap<>();
        // Brokers that are not there: the bridges keep retrying, which this suite does not need.
        settings.put("kominkan.mqtt.shards.0.id", "north");
        settings.put("kominkan.mqtt.shards.0.broker", "tcp://127.0.0.1:9");
        settings.put("kominkan.mqtt.shards.0.gateway-broker", NORTH_BROKER);
        settings.put("kominkan.mqtt.shards.1.id", "south");
        settings.put("kominkan.mqtt.shards.1.broker", "tcp://127.0.0.1:9");
        settings.put("kominkan.mqtt.shards.1.gateway-broker", SOUTH_BROKER);
        cloud = TestCloud.start(TestDatabases.fresh(kind()), new MutableClock(Instant.now()), true, settings);
        api = new Api(cloud.port());
        main = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        ekimae = cloud.database().client().execute().get("select facility_id from gateway where id = ?",
                DemoData.CODE + "-gw-ekimae").map(r -> Sql.longValue(r, "facility_id")).orElseThrow();
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    @Test
    void theDemoGatewaysAreSpreadOverTheShardsAndEachOfTheCloudsBridgesServesOne() {
        assertThat(shardOf(DemoData.CODE + "-gw-ekimae")).isEqualTo("north");
        assertThat(shardOf(DemoData.CODE + "-gw-chuo")).isEqualTo("south");
        assertThat(cloud.bridges()).extracting(GatewayBridge::shard).containsExactly("north", "south");
    }

    @Test
    void aGatewayGoesOnTheShardStaffNameOrOnTheOneWithTheFewest() {
        String named = id();
        Api.Response created = register(named, "\"south\"");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("brokerShard").asText()).isEqualTo("south");
        assertThat(shardOf(named)).isEqualTo("south");

        for (int i = 0; i < 3; i++) {
            Map<String, Long> before = cloud.services().enrollments().shards().ids().stream()
                    .collect(java.util.stream.Collectors.toMap(s -> s, this::inService));
            String expected = before.get("north") <= before.get("south") ? "north" : "south";
            String chosen = id();
            Api.Response auto = register(chosen, null);
            assertThat(auto.status()).as(auto.body()).isEqualTo(201);
            assertThat(auto.json().get("brokerShard").asText()).as("after %s", before).isEqualTo(expected);
        }
        Api.Response list = api.get("/api/v1/staff/gateways").token(main).send();
        assertThat(list.json().get("gateways").findValuesAsText("brokerShard")).contains("north", "south");
    }

    @Test
    void aShardThatIsNotConfiguredIsRefusedAndNothingIsRegistered() {
        for (String shard : new String[] {"\"east\"", "\"../north\"", "\"north; drop table gateway\"",
                "\"" + "n".repeat(5000) + "\"", "42"}) {
            String id = id();
            Api.Response refused = register(id, shard);
            assertThat(refused.status()).as(shard + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("brokerShard").doesNotContain("nnnnnnnn").doesNotContain("drop table");
            assertThat(cloud.database().client().execute().get("select id from gateway where id = ?", id)).isEmpty();
        }
    }

    @Test
    void enrollmentTellsTheGatewayItsShardsBroker() throws Exception {
        String id = id();
        assertThat(register(id, "\"south\"").status()).isEqualTo(201);
        Api.Response enrolled = api.post("/api/v1/enroll", EnrollmentSuite.body(token(id),
                Csrs.request(id, Csrs.key()))).send();
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(200);
        assertThat(enrolled.json().get("broker").asText()).isEqualTo(SOUTH_BROKER);
        assertThat(enrolled.json().get("siteProfile").asText()).contains(SOUTH_BROKER).doesNotContain(NORTH_BROKER);
    }

    @Test
    void aGatewayOnAShardNoLongerConfiguredIsNotEnrolledAndItsTokenStaysUsable() throws Exception {
        String id = id();
        assertThat(register(id, "\"north\"").status()).isEqualTo(201);
        String token = token(id);
        // The configuration lost the gateway's shard (renamed or removed by an operator).
        cloud.database().client().execute().update("update gateway set broker_shard = 'retired' where id = ?", id);
        Api.Response refused = api.post("/api/v1/enroll", EnrollmentSuite.body(token, Csrs.request(id, Csrs.key()))).send();
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("type").asText()).endsWith("broker-shard-not-configured");
        assertThat(refused.json().get("detail").asText()).contains("retired");
        assertThat(count("select count(*) as n from issued_certificate where gateway_id = ?", id)).isZero();
        assertThat(count("select count(*) as n from gateway_enrollment where gateway_id = ? and used_at is null", id))
                .isEqualTo(1);

        cloud.database().client().execute().update("update gateway set broker_shard = 'north' where id = ?", id);
        Api.Response enrolled = api.post("/api/v1/enroll", EnrollmentSuite.body(token, Csrs.request(id, Csrs.key()))).send();
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(200);
        assertThat(enrolled.json().get("broker").asText()).isEqualTo(NORTH_BROKER);
    }

    Api.Response register(String id, String shard) {
        String body = "{\"id\":\"" + id + "\",\"facilityId\":" + ekimae + ",\"name\":\"シャード試験\""
                + (shard == null ? "" : ",\"brokerShard\":" + shard) + "}";
        return api.post("/api/v1/staff/gateways", body).token(main).send();
    }

    String token(String id) {
        Api.Response issued = api.post("/api/v1/staff/gateways/" + id + "/enrollment", null).token(main).send();
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json().get("token").asText();
    }

    String id() {
        return DemoData.CODE + "-gw-shard-" + (++serial);
    }

    String shardOf(String gatewayId) {
        return cloud.database().client().execute().get("select broker_shard from gateway where id = ?", gatewayId)
                .map(r -> Sql.text(r, "broker_shard")).orElseThrow();
    }

    long inService(String shard) {
        return count("select count(*) as n from gateway where broker_shard = ? and decommissioned_at is null", shard);
    }

    long count(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).map(r -> Sql.longValue(r, "n")).orElseThrow();
    }
}
