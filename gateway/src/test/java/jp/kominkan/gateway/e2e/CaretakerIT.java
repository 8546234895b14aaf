package jp.kominkan.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.support.DoorNetwork;
import jp.kominkan.gateway.support.Mosquitto;
import jp.kominkan.gateway.support.SiteClients;
import jp.kominkan.gateway.support.SiteNetwork;
import jp.kominkan.gateway.support.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The caretakers' desk end to end, as production runs it on loopback: an enrolled gateway on Pi4J's mock
 * pins and its own site broker (a Wi-Fi lock on it), the city's Mosquitto with mutual TLS, the cloud on
 * H2. A door forced on its contact pin, held open, a lock reporting a low battery and tampering, each
 * reach the cloud's board as their alarm, once; a remote unlock travels the signed grant stream and
 * energises the strike; a shelter code (避難所) opens the door while the cloud's broker is down and its
 * use is an alarm and a log entry once the gateway is back; a gateway gone silent raises gateway-offline
 * and a remote unlock is then refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaretakerIT {

    static final String GATEWAY = DemoData.CODE + "-gw-ekimae";
    static final String STUDY = DemoData.CODE + "-door-study";
    static final String GROUP = DemoData.CODE + "-door-group";
    static final String KEYPAD = "wkp-study";
    static final String KEYPAD_PASSWORD = "wkp-study-password-8e1f";
    static final String LOCK = "wlock-group";
    static final String LOCK_PASSWORD = "wlock-group-password-c07d";
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    DoorNetwork network;
    Cloud cloud;
    Api api;
    Gateway gateway;
    Path storage;
    SiteProfile.Tls tls;
    String staff;

    @BeforeAll
    void start() throws Exception {
        storage = Files.createTempDirectory("kominkan-caretaker-gateway");
        network = DoorNetwork.start(Map.of("kominkan.doors.offline-after", "PT4S", "kominkan.doors.sweep-interval", "PT0.5S"));
        cloud = network.cloud();
        api = network.api();
        tls = network.enroll(GATEWAY, Files.createTempDirectory("kominkan-caretaker-enrolled"));
        staff = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        gateway = Gateway.start(profile(), Gateway.mockPlatform(), Clock.systemUTC());
        Waits.until("gateway connected", Duration.ofSeconds(15), gateway.link()::isConnected);
        Waits.until("first snapshot applied", Duration.ofSeconds(15), () -> gateway.grants().started());
        Waits.until("gateway on its own broker", Duration.ofSeconds(10), () -> gateway.site().mqtt().orElseThrow().isConnected());
        Waits.until("the board sees the gateway", Duration.ofSeconds(10), () -> door(STUDY).get("gateway").get("online").asBoolean());
    }

    SiteProfile profile() {
        return network.profile(GATEWAY, tls, storage, List.of(
                new SiteProfile.Door(STUDY, "自習室 入口", cloud.services().keys().doorKey(STUDY),
                        new SiteProfile.Lock.GpioRelay(17, Duration.ofMillis(800)),
                        Optional.of(new SiteProfile.Sensor(27, Duration.ofMillis(5), Duration.ofSeconds(2))),
                        List.of(new SiteProfile.Keypad.LocalMqtt(SiteNetwork.device(KEYPAD, KEYPAD_PASSWORD))), List.of()),
                new SiteProfile.Door(GROUP, "グループ学習室 入口", cloud.services().keys().doorKey(GROUP),
                        new SiteProfile.Lock.LocalMqtt(SiteNetwork.device(LOCK, LOCK_PASSWORD), Duration.ofSeconds(5)),
                        Optional.empty(), List.of(), List.of()))).withSiteLink(new SiteProfile.SiteLink(
                SiteProfile.SiteLink.DEFAULT.coap(), new SiteProfile.LocalBroker("127.0.0.1", 0,
                Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto_passwd"))));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void aDoorForcedOnItsContactPinAndHeldOpenIsOnTheBoardAsItsAlarmsOnce() {
        contact(true);
        Waits.until("forced-open on the board", Duration.ofSeconds(15), () -> "forced-open".equals(door(STUDY).get("status").asText()));
        Waits.until("held open past 2 s", Duration.ofSeconds(15), () -> door(STUDY).get("ajar").asBoolean());
        assertThat(alarms("held-open", STUDY)).hasSize(1);
        contact(false);
        Waits.until("closed on the board", Duration.ofSeconds(15), () -> "closed".equals(door(STUDY).get("contact").asText()));
        Waits.until("held-open cleared by the closing", Duration.ofSeconds(15),
                () -> "cleared".equals(alarms("held-open", STUDY).getFirst().get("state").asText()));
        contact(true);
        contact(false);
        Waits.until("the second forcing counted", Duration.ofSeconds(15),
                () -> alarms("forced-open", STUDY).getFirst().get("occurrences").asInt() == 2);
        assertThat(alarms("forced-open", STUDY)).as("one alarm, however often").hasSize(1);
    }

    @Test
    @Order(2)
    void aLockReportingALowBatteryAndTamperingRaisesBothOnce() {
        int port = gateway.site().broker().orElseThrow().port();
        for (int i = 0; i < 2; i++) {
            Mosquitto.Result sent = SiteClients.localPublish(port, LOCK, LOCK_PASSWORD.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    "site/v1/" + LOCK + "/up/state", "{\"state\":\"locked\",\"battery\":12,\"tamper\":true}");
            assertThat(sent.output()).doesNotContain("rror");
        }
        Waits.until("battery on the board", Duration.ofSeconds(15), () -> door(GROUP).path("battery").asInt(-1) == 12);
        Waits.until("battery-low and tamper alarms", Duration.ofSeconds(15),
                () -> alarms("battery-low", GROUP).size() == 1 && alarms("tamper", GROUP).size() == 1);
        assertThat(door(GROUP).get("status").asText()).isEqualTo("tamper");
        assertThat(alarms("tamper", GROUP).getFirst().get("occurrences").asInt()).as("reported twice, changed once").isEqualTo(1);
    }

    @Test
    @Order(3)
    void aRemoteUnlockTravelsTheSignedStreamAndEnergisesTheStrike() {
        int pulses = gateway.relay(STUDY).pulses();
        Api.Response sent = api.post("/api/v1/staff/doors/" + STUDY + "/unlock",
                "{\"reason\":\"鍵を忘れた利用者のため\",\"minutes\":1}").token(staff).send();
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        Waits.until("strike energised", Duration.ofSeconds(15), () -> gateway.relay(STUDY).pulses() > pulses);
        assertThat(gateway.relay(STUDY).isEnergised()).isTrue();
        Waits.until("the cloud hears it was carried out", Duration.ofSeconds(15), () -> cloud.database().client().execute()
                .get("select opened_at from remote_unlock where id = ?", java.util.UUID.fromString(sent.json().get("id").asText()))
                .flatMap(row -> Sql.value(row, "opened_at")).isPresent());
        Waits.until("unlocked on the board", Duration.ofSeconds(15), () -> "unlocked".equals(door(STUDY).get("status").asText()));
        assertThat(door(STUDY).get("remoteUntil").isNull()).isFalse();
    }

    @Test
    @Order(4)
    void aShelterCodeOpensTheDoorWhileTheCloudIsUnreachableAndItsUseIsAnAlarmOnceBack() throws Exception {
        long library = Sql.longValue(cloud.database().client().execute().get("select r.facility_id from door d"
                + " join room r on r.id = d.room_id where d.id = ?", STUDY).orElseThrow(), "facility_id");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Api.Response issued = api.post("/api/v1/staff/shelter-codes", "{\"facilityId\":" + library
                + ",\"holder\":\"駅前町内会 自主防災組織\",\"validFrom\":\"" + now.atZone(TOKYO).toOffsetDateTime()
                + "\",\"validUntil\":\"" + now.plus(Duration.ofDays(30)).atZone(TOKYO).toOffsetDateTime() + "\"}")
                .token(staff).send();
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String code = issued.json().get("code").asText();
        long head = Sql.longValue(cloud.database().client().execute().get("select stream_head from gateway where id = ?",
                GATEWAY).orElseThrow(), "stream_head");
        Waits.until("the shelter grants synced", Duration.ofSeconds(15), () -> gateway.grants().durableSeq() >= head);
        network.broker().kill();
        Waits.until("the gateway sees the cloud's broker gone", Duration.ofSeconds(30), () -> !gateway.link().isConnected());
        int pulses = gateway.relay(STUDY).pulses();
        Mosquitto.Result typed = SiteClients.localPublish(gateway.site().broker().orElseThrow().port(), KEYPAD,
                KEYPAD_PASSWORD.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "site/v1/" + KEYPAD + "/up/keypad",
                "{\"code\":\"" + code + "\"}");
        assertThat(typed.output()).doesNotContain("rror");
        Waits.until("the shelter code opened the door offline", Duration.ofSeconds(15),
                () -> gateway.relay(STUDY).pulses() > pulses);
        network.broker().restart();
        Waits.until("shelter-code-used on the board", Duration.ofSeconds(30), () -> alarms("shelter-code-used", STUDY).size() == 1);
        assertThat(alarms("shelter-code-used", STUDY).getFirst().get("detail").asText()).isEqualTo("駅前町内会 自主防災組織");
        assertThat(Sql.longValue(cloud.database().client().execute().get("select count(*) as n from staff_operation"
                + " where action = 'shelter-code.use' and target_id = ?", issued.json().get("id").asText()).orElseThrow(), "n"))
                .isEqualTo(1);
    }

    @Test
    @Order(5)
    void aGatewayGoneSilentIsOfflineOnTheBoardAndARemoteUnlockIsRefused() {
        Waits.until("reconnected", Duration.ofSeconds(30), gateway.link()::isConnected);
        // The city's broker was down a moment ago (the shelter code): that silence may have raised one, cleared
        // once the gateway is heard again.
        Waits.until("heard again after the broker's restart", Duration.ofSeconds(20), () -> openGatewayAlarms().isEmpty()
                && door(STUDY).get("gateway").get("online").asBoolean());
        long before = gatewayAlarms("gateway-offline").size();
        gateway.close();
        gateway = null;
        Waits.until("gateway-offline raised", Duration.ofSeconds(20), () -> openGatewayAlarms().size() == 1);
        assertThat(door(STUDY).get("status").asText()).isEqualTo("offline");
        Api.Response refused = api.post("/api/v1/staff/doors/" + STUDY + "/unlock",
                "{\"reason\":\"鍵を忘れた利用者のため\",\"minutes\":1}").token(staff).send();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("通信できない");
        assertThat(openGatewayAlarms()).as("raised once while it stays silent").hasSize(1);
        assertThat(gatewayAlarms("gateway-offline")).hasSize((int) before + 1);
    }

    List<JsonNode> openGatewayAlarms() {
        return gatewayAlarms("gateway-offline").stream().filter(a -> "open".equals(a.get("state").asText())).toList();
    }

    void contact(boolean open) {
        MockDigitalInput pin = (MockDigitalInput) gateway.pi4j().registry().get(STUDY + "-contact", DigitalInput.class);
        pin.mockState(open ? DigitalState.HIGH : DigitalState.LOW);
        Waits.until("contact change journalled", Duration.ofSeconds(5),
                () -> gateway.door(STUDY).state().contact().wire().equals(open ? "open" : "closed"));
    }

    JsonNode door(String id) {
        Api.Response door = api.get("/api/v1/staff/doors/" + id).token(staff).send();
        assertThat(door.status()).as(door.body()).isEqualTo(200);
        return door.json();
    }

    List<JsonNode> alarms(String kind, String doorId) {
        return alarmsWhere(kind, "doorId", doorId);
    }

    List<JsonNode> gatewayAlarms(String kind) {
        return alarmsWhere(kind, "gatewayId", GATEWAY);
    }

    private List<JsonNode> alarmsWhere(String kind, String field, String value) {
        List<JsonNode> found = new ArrayList<>();
        api.get("/api/v1/staff/alarms").token(staff).send().json().get("alarms").forEach(a -> {
            if (a.get("kind").asText().equals(kind) && value.equals(a.path(field).asText())) {
                found.add(a);
            }
        });
        return found;
    }
}
