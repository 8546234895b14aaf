package jp.kominkan.gateway.site;

import static jp.kominkan.gateway.support.SiteNetwork.GATEWAY;
import static jp.kominkan.gateway.support.SiteNetwork.GROUP;
import static jp.kominkan.gateway.support.SiteNetwork.STUDY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.site.coap.CoapSite;
import jp.kominkan.gateway.support.CoapLockSimulator;
import jp.kominkan.gateway.support.DoorNetwork;
import jp.kominkan.gateway.support.Mosquitto;
import jp.kominkan.gateway.support.ShiftableClock;
import jp.kominkan.gateway.support.SiteClients;
import jp.kominkan.gateway.support.SiteNetwork;
import jp.kominkan.gateway.support.Waits;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.pass.DoorPass;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The site link over CoAP, against real parts: Debian's libcoap client ({@code coap-client-openssl})
 * as the keypad and the QR reader, a Californium lock (DTLS PSK, observable state), the cloud and
 * its TLS broker as production runs them. The building's devices reach the gateway only; the
 * cloud's broker can stop and the doors keep working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoapSiteLinkIT {

    static final String KEYPAD = "kp-study";
    static final String KEYPAD_SECRET = "kp-study-secret-4f2a9c";
    static final String READER = "qr-study";
    static final String READER_SECRET = "qr-study-secret-77b1e0";
    static final String GROUP_KEYPAD = "kp-group";
    static final String GROUP_KEYPAD_SECRET = "kp-group-secret-a81c55";
    static final String LOCK = "lock-group";
    static final String LOCK_SECRET = "lock-group-secret-3d9e42";

    DoorNetwork network;
    SiteNetwork site;
    CoapLockSimulator lock;
    Gateway gateway;
    final ShiftableClock gatewayClock = new ShiftableClock();
    Instant doorTime;
    int serial;

    @BeforeAll
    void start() throws Exception {
        network = DoorNetwork.start(Map.of());
        site = new SiteNetwork(network);
        SiteProfile.Tls tls = network.enroll(GATEWAY, Files.createTempDirectory("enrolled"));
        lock = new CoapLockSimulator(LOCK, LOCK_SECRET.getBytes(StandardCharsets.US_ASCII), Clock.systemUTC());
        var keys = network.cloud().services().keys();
        SiteProfile profile = network.profile(GATEWAY, tls, Files.createTempDirectory("gw"), List.of(
                new SiteProfile.Door(STUDY, "自習室 入口", keys.doorKey(STUDY),
                        new SiteProfile.Lock.GpioRelay(17, Duration.ofMillis(300)), Optional.empty(),
                        List.of(new SiteProfile.Keypad.Coap(SiteNetwork.device(KEYPAD, KEYPAD_SECRET))),
                        List.of(new SiteProfile.QrReader.Coap(SiteNetwork.device(READER, READER_SECRET)))),
                new SiteProfile.Door(GROUP, "グループ学習室 入口", keys.doorKey(GROUP),
                        new SiteProfile.Lock.Coap(SiteNetwork.device(LOCK, LOCK_SECRET), lock.uri(), Duration.ofSeconds(2)),
                        Optional.empty(),
                        List.of(new SiteProfile.Keypad.Coap(SiteNetwork.device(GROUP_KEYPAD, GROUP_KEYPAD_SECRET))),
                        List.of())));
        profile = profile.withSiteLink(new SiteProfile.SiteLink(new SiteProfile.CoapListener("127.0.0.1", 0),
                SiteProfile.SiteLink.DEFAULT.mqtt()));
        // Tomorrow 10:00 in Tokyo: both rooms are open (the group room 9:00-20:00); each booking takes the next half hour.
        doorTime = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Tokyo")).plusDays(1).atTime(10, 0)
                .atZone(java.time.ZoneId.of("Asia/Tokyo")).toInstant();
        gateway = Gateway.start(profile, Gateway.mockPlatform(), gatewayClock);
        Waits.until("gateway connected", Duration.ofSeconds(15), gateway.link()::isConnected);
        Waits.until("first snapshot applied", Duration.ofSeconds(15), () -> gateway.grants().started());
        gatewayClock.shiftTo(doorTime.plusSeconds(60));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (lock != null) {
            lock.close();
        }
        network.close();
    }

    CoapSite coap() {
        return gateway.site().coap().orElseThrow();
    }

    /** @return the start of a half hour no other booking of this class uses */
    Instant nextSlot() {
        return doorTime.plus(Duration.ofMinutes(30L * serial++));
    }

    /** A booking for the next free half hour, synced to the gateway, whose clock then stands in it. */
    JsonNode bookSynced(String door) {
        Instant start = nextSlot();
        JsonNode booking = bookSynced(door, start);
        gatewayClock.shiftTo(start.plusSeconds(60));
        return booking;
    }

    JsonNode bookSynced(String door, Instant start) {
        JsonNode booking = site.book(door, start, Duration.ofMinutes(30));
        String code = booking.get("accessCode").asText();
        byte[] key = network.cloud().services().keys().doorKey(door);
        Waits.until("grant on the gateway", Duration.ofSeconds(10),
                () -> !gateway.grants().find(door, CodeVerifier.of(key, door, code)).isEmpty());
        return booking;
    }

    Mosquitto.Result type(String identity, String secret, String code) {
        return SiteClients.coapPost(coap().port(), identity, secret, "keypad", "{\"code\":\"" + code + "\"}");
    }

    String pass(JsonNode booking, String door, Instant at) {
        UUID grant = site.grantId(booking, door);
        return DoorPass.issue(site.signedGrant(grant), grant, door, network.cloud().services().keys().doorKey(door),
                new BookingCode(booking.get("accessCode").asText()), at).text();
    }

    @Test
    void aCodeTypedWithDebiansLibcoapClientOpensTheDoorAndAWrongOneIsDenied() {
        JsonNode booking = bookSynced(STUDY);
        int pulses = gateway.relay(STUDY).pulses();
        Mosquitto.Result typed = type(KEYPAD, KEYPAD_SECRET, booking.get("accessCode").asText());
        assertThat(typed.output()).as(typed.output()).contains("{\"decision\":\"granted\"}");
        Waits.until("relay pulse", Duration.ofSeconds(5), () -> gateway.relay(STUDY).pulses() == pulses + 1);
        UUID grant = site.grantId(booking, STUDY);
        Waits.forValue("unlocked in the cloud", Duration.ofSeconds(10),
                () -> site.event(STUDY, "unlocked", "grantId", grant.toString()).orElse(null));

        Mosquitto.Result wrong = type(KEYPAD, KEYPAD_SECRET, "00000009");
        assertThat(wrong.output()).contains("4.03").contains("unknown-code");
        assertThat(gateway.relay(STUDY).pulses()).isEqualTo(pulses + 1);
    }

    @Test
    void aWrongPskAnUnknownIdentityAndALocksIdentityGetNoAnswerAndAreCounted() {
        JsonNode booking = bookSynced(STUDY);
        String code = booking.get("accessCode").asText();
        int pulses = gateway.relay(STUDY).pulses();
        long failures = coap().handshakeFailures();
        for (Mosquitto.Result refused : List.of(type(KEYPAD, "not-the-keypad-secret-0", code),
                type("stranger", KEYPAD_SECRET, code), type(LOCK, LOCK_SECRET, code))) {
            assertThat(refused.output()).as(refused.output()).contains("cannot send CoAP pdu").doesNotContain("decision");
        }
        Waits.until("three failed handshakes counted", Duration.ofSeconds(40), () -> coap().handshakeFailures() >= failures + 3);
        assertThat(gateway.relay(STUDY).pulses()).isEqualTo(pulses);
        assertThat(type(KEYPAD, KEYPAD_SECRET, code).output()).as("the keypad itself still works").contains("granted");
    }

    @Test
    void badAndOversizedMessagesGet400Or413OrAreRefusedForTheWrongDeviceAndChangeNothing() {
        int pulses = gateway.relay(STUDY).pulses();
        long rejected = coap().rejected();
        long denied = site.count(STUDY, "denied");
        int port = coap().port();
        assertThat(SiteClients.coapPost(port, KEYPAD, KEYPAD_SECRET, "keypad", "not json at all").output()).contains("4.00");
        assertThat(SiteClients.coapPost(port, KEYPAD, KEYPAD_SECRET, "keypad", "{\"kode\":1}").output()).contains("4.00");
        assertThat(SiteClients.coapPost(port, KEYPAD, KEYPAD_SECRET, "keypad", "{\"code\":\"" + "1".repeat(300) + "\"}")
                .output()).contains("4.13");
        assertThat(SiteClients.coapPost(port, KEYPAD, KEYPAD_SECRET, "keypad", "x".repeat(3000)).output()).contains("4.13");
        assertThat(SiteClients.coapPost(port, READER, READER_SECRET, "keypad", "{\"code\":\"12345678\"}").output())
                .as("a QR reader cannot type codes").contains("4.01");
        assertThat(SiteClients.coapPost(port, KEYPAD, KEYPAD_SECRET, "qr", "KMK1:AAAA").output())
                .as("a keypad cannot show passes").contains("4.01");
        assertThat(SiteClients.coapPost(port, KEYPAD, KEYPAD_SECRET, "unlock", "{}").output()).contains("4.04");
        Waits.until("seven refusals counted", Duration.ofSeconds(5), () -> coap().rejected() >= rejected + 7);
        assertThat(gateway.relay(STUDY).pulses()).isEqualTo(pulses);
        assertThat(site.count(STUDY, "denied")).as("nothing reached the door").isEqualTo(denied);
    }

    @Test
    void aQrPassOpensItsDoorWithoutItsGrantSyncedAndIsDeniedWithTheReasonOtherwise() {
        Instant start = nextSlot();
        JsonNode booking = bookSynced(STUDY, start);
        JsonNode group = bookSynced(GROUP, start);
        gatewayClock.shiftTo(start.plusSeconds(60));
        int pulses = gateway.relay(STUDY).pulses();
        int port = coap().port();
        Mosquitto.Result shown = SiteClients.coapPost(port, READER, READER_SECRET, "qr", pass(booking, STUDY, gatewayClock.instant()));
        assertThat(shown.output()).contains("granted");
        Waits.until("relay pulse", Duration.ofSeconds(5), () -> gateway.relay(STUDY).pulses() == pulses + 1);
        assertThat(SiteClients.coapPost(port, READER, READER_SECRET, "qr", pass(group, GROUP, gatewayClock.instant()))
                .output()).contains("4.03").contains("other-door");
        assertThat(SiteClients.coapPost(port, READER, READER_SECRET, "qr",
                pass(booking, STUDY, gatewayClock.instant().minus(Duration.ofMinutes(10)))).output()).contains("stale-pass");
        assertThat(SiteClients.coapPost(port, READER, READER_SECRET, "qr", "KMK1:" + "A".repeat(200)).output())
                .contains("4.03").contains("bad-pass");
        assertThat(gateway.relay(STUDY).pulses()).isEqualTo(pulses + 1);
    }

    @Test
    void aCoapLockOpensForAFreshCommandOnlyAndReportsItsStateBatteryAndTamper() throws Exception {
        Waits.forValue("the lock's first state", Duration.ofSeconds(15),
                () -> site.event(GROUP, "lock-state", "reason", "locked").orElse(null));
        JsonNode booking = bookSynced(GROUP);
        int unlocks = lock.unlocks();
        assertThat(type(GROUP_KEYPAD, GROUP_KEYPAD_SECRET, booking.get("accessCode").asText()).output()).contains("granted");
        Waits.until("the lock obeyed", Duration.ofSeconds(5), () -> lock.unlocks() == unlocks + 1);
        Waits.forValue("unlocked state reported", Duration.ofSeconds(10),
                () -> site.event(GROUP, "lock-state", "reason", "unlocked").orElse(null));

        // Someone who captured the command (and even holds the lock's PSK) plays it back: refused.
        byte[] captured = lock.received().getLast();
        assertThat(postToLock(captured)).isEqualTo(ResponseCode.FORBIDDEN);
        String forged = new String(captured, StandardCharsets.US_ASCII).replaceFirst("\"ms\":\\d+", "\"ms\":60000")
                .replaceFirst("\"counter\":(\\d+)", "\"counter\":9$1");
        assertThat(postToLock(forged.getBytes(StandardCharsets.US_ASCII))).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(lock.refused()).containsSubsequence("replayed", "bad-mac");
        assertThat(lock.unlocks()).isEqualTo(unlocks + 1);

        lock.setBattery(15);
        Waits.forValue("battery-low event", Duration.ofSeconds(10),
                () -> site.event(GROUP, "battery-low", "reason", "battery=15").orElse(null));
        lock.tamper();
        Waits.forValue("tamper event", Duration.ofSeconds(10), () -> site.event(GROUP, "tamper", "reason", "lock").orElse(null));
        lock.setState("jammed");
        Waits.forValue("jammed", Duration.ofSeconds(10), () -> site.event(GROUP, "lock-state", "reason", "jammed").orElse(null));
        lock.setState("locked");
    }

    @Test
    void withTheCloudsBrokerDownCodesPassesAndLocksStillWorkAndEveryEventArrivesOnceLater() {
        Instant start = nextSlot();
        JsonNode synced = bookSynced(STUDY, start);
        JsonNode groupSynced = bookSynced(GROUP, start);
        gatewayClock.shiftTo(start.plusSeconds(60));
        Waits.until("nothing left to deliver", Duration.ofSeconds(15), () -> gateway.journal().undeliveredCount() == 0);
        network.broker().kill();
        Waits.until("gateway offline", Duration.ofSeconds(10), () -> !gateway.link().isConnected());
        // Booked while the building is offline: the grant cannot reach the gateway, but its pass opens the door.
        Instant later = nextSlot();
        JsonNode offline = site.book(STUDY, later, Duration.ofMinutes(30));
        int pulses = gateway.relay(STUDY).pulses();
        int unlocks = lock.unlocks();
        assertThat(type(KEYPAD, KEYPAD_SECRET, synced.get("accessCode").asText()).output()).contains("granted");
        assertThat(type(GROUP_KEYPAD, GROUP_KEYPAD_SECRET, groupSynced.get("accessCode").asText()).output()).contains("granted");
        gatewayClock.shiftTo(later.plusSeconds(60));
        assertThat(type(KEYPAD, KEYPAD_SECRET, offline.get("accessCode").asText()).output())
                .as("its grant never arrived").contains("unknown-code");
        assertThat(SiteClients.coapPost(coap().port(), READER, READER_SECRET, "qr",
                pass(offline, STUDY, gatewayClock.instant())).output()).contains("granted");
        Waits.until("two pulses and the lock", Duration.ofSeconds(10),
                () -> gateway.relay(STUDY).pulses() == pulses + 2 && lock.unlocks() == unlocks + 1);
        List<UUID> journalled = gateway.journal().undelivered(100).stream().map(e -> e.id()).toList();
        assertThat(journalled).hasSizeGreaterThanOrEqualTo(4);

        network.broker().restart();
        Waits.until("all delivered after the broker returned", Duration.ofSeconds(30),
                () -> gateway.journal().undeliveredCount() == 0);
        for (UUID id : journalled) {
            long stored = network.cloud().database().client().execute()
                    .get("select count(*) as n from door_event where id = ?", id).map(row -> Sql.longValue(row, "n")).orElseThrow();
            assertThat(stored).as("event " + id + " stored exactly once").isEqualTo(1);
        }
        UUID offlineGrant = site.grantId(offline, STUDY);
        assertThat(site.event(STUDY, "unlocked", "grantId", offlineGrant.toString())).as("the pass's unlock reached the cloud")
                .isPresent();
    }

    /** Posts to the lock simulator as someone holding the lock's PSK would. */
    ResponseCode postToLock(byte[] body) throws Exception {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        DTLSConnector connector = new DTLSConnector(DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(LOCK, LOCK_SECRET.getBytes(StandardCharsets.US_ASCII))).build());
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
        CoapClient client = new CoapClient(lock.uri().resolve("/unlock"));
        client.setEndpoint(endpoint);
        client.setTimeout(5000L);
        try {
            CoapResponse response = client.post(body, MediaTypeRegistry.APPLICATION_JSON);
            assertThat(response).as("the lock answered").isNotNull();
            return response.getCode();
        } finally {
            client.shutdown();
            endpoint.destroy();
        }
    }

    private static final class Sql {
        static long longValue(io.helidon.dbclient.DbRow row, String column) {
            return jp.kominkan.cloud.db.Sql.longValue(row, column);
        }
    }
}
