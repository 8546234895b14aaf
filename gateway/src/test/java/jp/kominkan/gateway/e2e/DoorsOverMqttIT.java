package jp.kominkan.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.support.ClientCertificate;
import jp.kominkan.gateway.support.DoorNetwork;
import jp.kominkan.gateway.support.Mosquitto;
import jp.kominkan.gateway.support.MqttLockSimulator;
import jp.kominkan.gateway.support.ShiftableClock;
import jp.kominkan.gateway.support.SiteClients;
import jp.kominkan.gateway.support.SiteNetwork;
import jp.kominkan.gateway.support.Waits;
import jp.kominkan.shared.slot.Slots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole story over real Mosquitto brokers: the gateway is enrolled through the real flow and
 * talks to the cloud's broker over mutual TLS; a resident books the 24-hour study room, reads the
 * code, and types it on the door's Wi-Fi keypad — which logs in to the gateway's own broker (the
 * site link) with its own password, never to the cloud's; the gateway (Pi4J mock pins) decides
 * alone, pulses the strike, answers the keypad and journals the event; the cloud stores it once.
 * Then cancel, and the code stops. A Wi-Fi lock on the same local broker obeys fresh commands only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoorsOverMqttIT {

    static final String GATEWAY = DemoData.CODE + "-gw-ekimae";
    static final String DOOR = DemoData.CODE + "-door-study";
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    Path storage;
    DoorNetwork network;
    Mosquitto broker;
    Cloud cloud;
    SiteProfile.Tls tls;
    static final String KEYPAD = "wkp-study";
    static final String KEYPAD_PASSWORD = "wkp-study-password-8e1f";
    static final String LOCK = "wlock-group";
    static final String LOCK_PASSWORD = "wlock-group-password-c07d";
    static final String GROUP_KEYPAD = "wkp-group";
    static final String GROUP_KEYPAD_PASSWORD = "wkp-group-password-5a2b";
    MqttLockSimulator lock;
    SiteNetwork site;
    Api api;
    String resident;
    String staff;
    Gateway gateway;
    final ShiftableClock gatewayClock = new ShiftableClock();
    Instant bookingStart;

    @BeforeAll
    void start() throws Exception {
        storage = java.nio.file.Files.createTempDirectory("kominkan-gateway");
        network = DoorNetwork.start(Map.of());
        broker = network.broker();
        cloud = network.cloud();
        api = network.api();
        site = new SiteNetwork(network);
        tls = network.enroll(GATEWAY, java.nio.file.Files.createTempDirectory("kominkan-enrolled"));
        resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        staff = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        // The gateway's clock stands inside the bookings' windows: a minute after the first booking starts.
        bookingStart = Slots.ceil(Instant.now()).plus(Duration.ofHours(2));
        gateway = Gateway.start(profile(), Gateway.mockPlatform(), gatewayClock);
        lock = new MqttLockSimulator(localPort(), LOCK, LOCK_PASSWORD.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Clock.systemUTC());
        Waits.until("gateway on its own broker", Duration.ofSeconds(10), () -> gateway.site().mqtt().orElseThrow().isConnected());
        assertThat(gateway.relay(DOOR).isEnergised()).as("relay de-energised at boot").isFalse();
        assertThat(gateway.relay(DOOR).pulses()).isZero();
        Waits.until("gateway connected", Duration.ofSeconds(15), gateway.link()::isConnected);
        // A new gateway starts from a fresh snapshot, made on the real time; then its clock moves to the booking.
        Waits.until("first snapshot applied", Duration.ofSeconds(15), () -> gateway.grants().started());
        gatewayClock.shiftTo(bookingStart.plusSeconds(60));
    }

    SiteProfile profile() {
        byte[] studyKey = doorKey(DOOR);
        byte[] groupKey = doorKey(DemoData.CODE + "-door-group");
        return network.profile(GATEWAY, tls, storage, List.of(
                new SiteProfile.Door(DOOR, "自習室 入口", studyKey, new SiteProfile.Lock.GpioRelay(17, Duration.ofMillis(800)),
                        Optional.of(new SiteProfile.Sensor(27, Duration.ofMillis(5), Duration.ofSeconds(30))),
                        List.of(new SiteProfile.Keypad.LocalMqtt(SiteNetwork.device(KEYPAD, KEYPAD_PASSWORD))), List.of()),
                new SiteProfile.Door(DemoData.CODE + "-door-group", "グループ学習室 入口", groupKey,
                        new SiteProfile.Lock.LocalMqtt(SiteNetwork.device(LOCK, LOCK_PASSWORD), Duration.ofSeconds(5)),
                        Optional.empty(),
                        List.of(new SiteProfile.Keypad.LocalMqtt(SiteNetwork.device(GROUP_KEYPAD, GROUP_KEYPAD_PASSWORD))),
                        List.of()))).withSiteLink(new SiteProfile.SiteLink(SiteProfile.SiteLink.DEFAULT.coap(),
                new SiteProfile.LocalBroker("127.0.0.1", 0, Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto_passwd"))));
    }

    static byte[] key(String secret) {
        return secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    int localPort() {
        return gateway.site().broker().orElseThrow().port();
    }

    void type(String code) {
        Mosquitto.Result result = SiteClients.localPublish(localPort(), KEYPAD, key(KEYPAD_PASSWORD), "site/v1/" + KEYPAD + "/up/keypad",
                "{\"code\":\"" + code + "\"}");
        assertThat(result.output()).as("keypad publish").doesNotContain("failed").doesNotContain("rror");
    }

    byte[] doorKey(String door) {
        return cloud.services().keys().doorKey(door);
    }

    @AfterAll
    void stop() {
        if (lock != null) {
            lock.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (network != null) {
            network.close();
        }
    }

    JsonNode book(Instant start, Duration length) {
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        String body = "{\"roomId\":" + studyRoom() + ",\"start\":\"" + iso.format(ZonedDateTime.ofInstant(start, TOKYO))
                + "\",\"end\":\"" + iso.format(ZonedDateTime.ofInstant(start.plus(length), TOKYO))
                + "\",\"purpose\":\"自習\",\"attendees\":1}";
        Api.Response response = api.post("/api/v1/reservations", body).token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    long studyRoom() {
        return cloud.database().client().execute().get("select room_id from door where id = ?", DOOR)
                .map(row -> Sql.longValue(row, "room_id")).orElseThrow();
    }

    @Test
    void anEventForADoorTheGatewayDoesNotDriveIsRejectedNotStored() throws Exception {
        UUID id = UUID.randomUUID();
        byte[] forged = new jp.kominkan.shared.event.EventMessage.Events(List.of(new jp.kominkan.shared.event.DoorEvent(
                id, DemoData.CODE + "-door-hall", jp.kominkan.shared.event.DoorEvent.Type.UNLOCKED, Instant.now(),
                Optional.empty(), Optional.empty()))).encode();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("event", ".cbor");
        // Signed with the gateway's own key: a compromised gateway still cannot report for another building's door.
        java.nio.file.Files.write(file, jp.kominkan.shared.stream.GatewaySignature.sign(
                jp.kominkan.shared.tls.MutualTls.privateKey(tls.key()),
                jp.kominkan.shared.topic.Topic.events(GATEWAY), forged));
        long before = cloud.bridge().orElseThrow().rejected();
        var asGateway = new ClientCertificate(GATEWAY, tls.certificate(), tls.key(), tls.ca());
        Mosquitto.Result pub = broker.publishFile(Optional.of(asGateway), "kominkan/v1/gw/" + GATEWAY + "/events", file);
        assertThat(pub.exit()).as(pub.output()).isZero();
        assertThat(pub.output()).doesNotContain("failed");
        Waits.until("rejection counted", Duration.ofSeconds(10), () -> cloud.bridge().orElseThrow().rejected() > before);
        assertThat(cloud.database().client().execute().get("select id from door_event where id = ?", id)).isEmpty();
    }

    @Test
    void aWifiLockObeysFreshCommandsOnlyAndItsStateAndDisappearanceAreReported() throws Exception {
        String group = DemoData.CODE + "-door-group";
        JsonNode booking = bookGroup();
        String code = booking.get("accessCode").asText();
        byte[] key = doorKey(group);
        Waits.until("grant on the gateway", Duration.ofSeconds(10),
                () -> !gateway.grants().find(group, jp.kominkan.shared.grant.CodeVerifier.of(key, group, code)).isEmpty());
        Process answer = SiteClients.localSubscribe(localPort(), GROUP_KEYPAD, key(GROUP_KEYPAD_PASSWORD),
                "site/v1/" + GROUP_KEYPAD + "/down/result", 10, 1);
        String heard = null;
        for (int i = 0; i < 20 && heard == null; i++) {
            // Typed again until the keypad's own subscription is in place (the first may go before it).
            SiteClients.localPublish(localPort(), GROUP_KEYPAD, key(GROUP_KEYPAD_PASSWORD), "site/v1/" + GROUP_KEYPAD + "/up/keypad",
                    "{\"code\":\"" + code + "\"}");
            if (answer.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                heard = new String(answer.getInputStream().readAllBytes());
            }
        }
        assertThat(heard).as("the keypad hears the decision on its own topic").contains("granted");
        Waits.until("the lock obeyed", Duration.ofSeconds(5), () -> lock.unlocks() >= 1);
        int obeyed = lock.unlocks();

        // A captured command played back, even with the gateway's own login, is refused by the lock.
        byte[] captured = lock.received().getLast();
        String gatewayPassword = new String(gateway.site().broker().orElseThrow().gatewayPassword());
        assertThat(SiteClients.passwordPublish(gateway.site().broker().orElseThrow().gatewayPort(), "gateway", gatewayPassword,
                "site/v1/" + LOCK + "/down/unlock",
                new String(captured, java.nio.charset.StandardCharsets.US_ASCII)).exit()).isZero();
        Waits.until("replay refused", Duration.ofSeconds(5), () -> lock.refused().contains("replayed"));
        // And a keypad cannot command the lock at all: the broker's ACL refuses it.
        assertThat(SiteClients.localPublish(localPort(), GROUP_KEYPAD, key(GROUP_KEYPAD_PASSWORD), "site/v1/" + LOCK + "/down/unlock",
                new String(captured, java.nio.charset.StandardCharsets.US_ASCII)).output()).contains("Not authorized");
        assertThat(lock.unlocks()).isEqualTo(obeyed);

        lock.report("jammed");
        Waits.forValue("jammed reported", Duration.ofSeconds(10), () -> site.event(group, "lock-state", "reason", "jammed").orElse(null));
        lock.vanish();
        Waits.forValue("lock-offline from its last will", Duration.ofSeconds(15),
                () -> site.event(group, "lock-offline", "type", "lock-offline").orElse(null));
        lock = new MqttLockSimulator(localPort(), LOCK, LOCK_PASSWORD.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Clock.systemUTC());
        Waits.forValue("lock-online again", Duration.ofSeconds(10),
                () -> site.event(group, "lock-online", "type", "lock-online").orElse(null));
    }

    @Test
    void devicesOnTheLocalBrokerAreWhoTheirPasswordSaysAndNoMore() {
        int port = localPort();
        Mosquitto.Result plain = SiteClients.localPublish(port, null, null, "site/v1/" + KEYPAD + "/up/keypad", "{}");
        assertThat(plain.exit()).as("plain MQTT, no key: " + plain.output()).isNotZero();
        Mosquitto.Result wrongKey = SiteClients.localPublish(port, KEYPAD, key("wrong-key-000000000000"), "site/v1/" + KEYPAD + "/up/keypad", "{}");
        assertThat(wrongKey.exit()).as("wrong key: " + wrongKey.output()).isNotZero();
        assertThat(SiteClients.localPublish(port, KEYPAD, key(KEYPAD_PASSWORD), "site/v1/" + GROUP_KEYPAD + "/up/keypad",
                "{\"code\":\"12345678\"}").output()).as("as another keypad").contains("Not authorized");
        Mosquitto.Result asGateway = SiteClients.localPublish(port, "gateway", key(KEYPAD_PASSWORD), "site/v1/" + KEYPAD + "/up/keypad", "{}");
        assertThat(asGateway.exit()).as("the gateway's name with a device's key: " + asGateway.output()).isNotZero();
        Mosquitto.Result onLoopback = SiteClients.passwordPublish(gateway.site().broker().orElseThrow().gatewayPort(), KEYPAD,
                KEYPAD_PASSWORD, "site/v1/" + KEYPAD + "/up/keypad", "{}");
        assertThat(onLoopback.output()).as("a device on the gateway's own listener").containsIgnoringCase("not authorized");
        // The keypad's key is worth nothing on the cloud's broker, which takes client certificates only.
        Mosquitto.Result onCloud = SiteClients.localPublish(broker.port(), KEYPAD, key(KEYPAD_PASSWORD), "kominkan/v1/gw/" + GATEWAY + "/ack", "x");
        assertThat(onCloud.exit()).as(onCloud.output()).isNotZero();
        long rejected = gateway.site().mqtt().orElseThrow().rejected();
        SiteClients.localPublish(port, KEYPAD, key(KEYPAD_PASSWORD), "site/v1/" + KEYPAD + "/up/keypad", "{\"code\":\"" + "9".repeat(400) + "\"}");
        SiteClients.localPublish(port, KEYPAD, key(KEYPAD_PASSWORD), "site/v1/" + KEYPAD + "/up/state", "{\"state\":\"locked\"}");
        Waits.until("oversized keypad message and a keypad posing as a lock counted", Duration.ofSeconds(5),
                () -> gateway.site().mqtt().orElseThrow().rejected() >= rejected + 2);
        Mosquitto.Result huge = SiteClients.localPublish(port, KEYPAD, key(KEYPAD_PASSWORD), "site/v1/" + KEYPAD + "/up/keypad", "x".repeat(5000));
        assertThat(huge.output() + huge.exit()).as("over the broker's packet limit").doesNotContain("granted");
        assertThat(gateway.site().broker().orElseThrow().isRunning()).isTrue();
    }

    JsonNode bookGroup() {
        java.time.ZoneId tokyo = java.time.ZoneId.of("Asia/Tokyo");
        Instant start = bookingStart.atZone(tokyo).toLocalDate().plusDays(1).atTime(11, 0).atZone(tokyo).toInstant();
        JsonNode booking = site.book(DemoData.CODE + "-door-group", start, Duration.ofHours(1));
        gatewayClock.shiftTo(start.plusSeconds(60));
        return booking;
    }

    @Test
    void aBookedCodeOpensTheDoorOfflineDecidedAndTheCloudSeesItOnce() {
        gatewayClock.shiftTo(bookingStart.plusSeconds(60));
        JsonNode booking = book(bookingStart, Duration.ofHours(1));
        String code = booking.get("accessCode").asText();
        String reservation = booking.get("id").asText();
        UUID grantId = cloud.database().client().execute()
                .get("select id from access_grant where reservation_id = ? and door_id = ?", UUID.fromString(reservation), DOOR)
                .map(row -> Sql.uuid(row, "id")).orElseThrow();
        Waits.until("grant on the gateway", Duration.ofSeconds(10),
                () -> !gateway.grants().find(DOOR, jp.kominkan.shared.grant.CodeVerifier.of(doorKey(DOOR), DOOR, code)).isEmpty());

        int pulsesBefore = gateway.relay(DOOR).pulses();
        type(code);
        Waits.until("relay pulse", Duration.ofSeconds(10), () -> gateway.relay(DOOR).pulses() == pulsesBefore + 1);
        Waits.until("relay released again", Duration.ofSeconds(5), () -> !gateway.relay(DOOR).isEnergised());
        JsonNode unlocked = Waits.forValue("unlocked event in the cloud", Duration.ofSeconds(10),
                () -> site.event(DOOR, "unlocked", "grantId", grantId.toString()).orElse(null));
        assertThat(unlocked.toString()).doesNotContain(code);
        Waits.until("journal emptied by the receipt", Duration.ofSeconds(10),
                () -> gateway.journal().undeliveredCount() == 0);

        // Wrong codes are denied and reported; a malformed keypad message is dropped, not fatal.
        type("00000001");
        Waits.forValue("denied event", Duration.ofSeconds(10), () -> site.event(DOOR, "denied", "reason", "unknown-code").orElse(null));
        long rejectedBefore = gateway.site().mqtt().orElseThrow().rejected();
        SiteClients.localPublish(localPort(), KEYPAD, key(KEYPAD_PASSWORD), "site/v1/" + KEYPAD + "/up/keypad", "not json at all");
        Waits.until("bad keypad message counted", Duration.ofSeconds(5),
                () -> gateway.site().mqtt().orElseThrow().rejected() >= rejectedBefore + 1);

        // Cancel: the revocation reaches the door within 2 seconds and the code stops working.
        Instant cancelled = Instant.now();
        assertThat(api.post("/api/v1/reservations/" + reservation + "/cancel", null).token(resident).send().status())
                .isEqualTo(200);
        Duration revokedIn = Waits.until("revocation on the gateway", Duration.ofSeconds(5),
                () -> gateway.grants().isRevoked(grantId));
        assertThat(revokedIn).isLessThan(Duration.ofSeconds(2));
        type(code);
        Waits.forValue("denied as revoked", Duration.ofSeconds(10), () -> site.event(DOOR, "denied", "reason", "revoked").orElse(null));
        assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(gateway.relay(DOOR).pulses()).isEqualTo(pulsesBefore + 1);

        // Each event is stored once, although the gateway may have sent some twice.
        List<String> ids = site.events(DOOR).stream().map(e -> e.get("id").asText()).toList();
        assertThat(ids).doesNotHaveDuplicates();
        JsonNode gateways = api.get("/api/v1/staff/gateways").token(staff).send().json().get("gateways");
        JsonNode ekimae = java.util.stream.StreamSupport.stream(gateways.spliterator(), false)
                .filter(g -> g.get("id").asText().equals(GATEWAY)).findFirst().orElseThrow();
        assertThat(ekimae.get("lastAck").asLong()).isEqualTo(ekimae.get("streamHead").asLong());
        assertThat(ekimae.get("lastSeenAt").isNull()).isFalse();
    }
}
