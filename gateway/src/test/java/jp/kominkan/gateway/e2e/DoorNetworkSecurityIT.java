package jp.kominkan.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.pki.CertificateAuthority;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.support.ClientCertificate;
import jp.kominkan.gateway.support.DoorNetwork;
import jp.kominkan.gateway.support.Mosquitto;
import jp.kominkan.gateway.support.ShiftableClock;
import jp.kominkan.gateway.support.Waits;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantKeys;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.slot.Slots;
import jp.kominkan.shared.stream.CloudSignature;
import jp.kominkan.shared.stream.GatewaySignature;
import jp.kominkan.shared.stream.StreamEntry;
import jp.kominkan.shared.stream.StreamMessage;
import jp.kominkan.shared.tls.MutualTls;
import jp.kominkan.shared.tls.Pem;
import jp.kominkan.shared.topic.Topic;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The attacks of the door-network issue, tried over a real Mosquitto broker with TLS and real
 * certificates: strangers, a gateway reaching for another's topics, a forged ack, a forged stream
 * from someone who holds a broker credential but not the cloud's signing key, a device's traffic
 * on the cloud's broker, and a decommissioned gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoorNetworkSecurityIT {

    static final String EKIMAE = DemoData.CODE + "-gw-ekimae";
    static final String CHUO = DemoData.CODE + "-gw-chuo";
    static final String STUDY = DemoData.CODE + "-door-study";
    static final String HALL = DemoData.CODE + "-door-hall";
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    DoorNetwork network;
    Mosquitto broker;
    SiteProfile.Tls ekimaeTls;
    SiteProfile.Tls chuoTls;
    ClientCertificate asEkimae;
    ClientCertificate asChuo;
    ClientCertificate asCloud;
    Gateway gateway;
    final ShiftableClock gatewayClock = new ShiftableClock();
    /** The gateway's clock stands a minute into this quarter hour, a day ahead: a booking then opens the door. */
    Instant doorTime;
    Api api;
    String resident;
    int serial;

    @BeforeAll
    void start() throws Exception {
        network = DoorNetwork.start(Map.of());
        broker = network.broker();
        api = network.api();
        resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        ekimaeTls = network.enroll(EKIMAE, Files.createTempDirectory("enrolled-ekimae"));
        chuoTls = network.enroll(CHUO, Files.createTempDirectory("enrolled-chuo"));
        asEkimae = files(EKIMAE, ekimaeTls);
        asChuo = files(CHUO, chuoTls);
        Path ca = TestCloud.KEYS.resolve("ca");
        asCloud = new ClientCertificate("kominkan-cloud", ca.resolve("cloud-mqtt.pem"), ca.resolve("cloud-mqtt.key"),
                ca.resolve("ca.pem"));
        doorTime = Slots.ceil(Instant.now()).plus(Duration.ofDays(1));
        gateway = Gateway.start(network.profile(EKIMAE, ekimaeTls, Files.createTempDirectory("gw-ekimae"), List.of(
                new SiteProfile.Door(STUDY, "自習室 入口", network.cloud().services().keys().doorKey(STUDY),
                        new SiteProfile.Lock.GpioRelay(17, Duration.ofMillis(300)), Optional.empty(),
                        new SiteProfile.Keypad.Wiegand(5, 6)))), Gateway.mockPlatform(), gatewayClock);
        Waits.until("gateway connected over TLS", Duration.ofSeconds(15), gateway.link()::isConnected);
        Waits.until("first snapshot applied", Duration.ofSeconds(15), () -> gateway.grants().started());
        gatewayClock.shiftTo(doorTime.plusSeconds(60));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        network.close();
    }

    @Test
    void strangersAreRefusedByTheBroker() throws Exception {
        Path message = Files.writeString(Files.createTempFile("msg", ".txt"), "{\"code\":\"12345678\"}");
        Mosquitto.Result anonymous = broker.publishFile(Optional.empty(), Topic.ack(EKIMAE).name(), message);
        assertThat(anonymous.exit()).as("no certificate: " + anonymous.output()).isNotZero();

        // A certificate for the right name from another CA.
        CertificateAuthority rogue = CertificateAuthority.openOrCreate(Files.createTempDirectory("rogue-ca"), "Rogue CA",
                Clock.systemUTC());
        KeyPair key = CertificateAuthority.newKeyPair();
        Path dir = Files.createTempDirectory("rogue");
        Files.writeString(dir.resolve("gw.pem"), Pem.encode(rogue.issueClient(EKIMAE, key.getPublic(), Duration.ofDays(1))));
        Files.writeString(dir.resolve("gw.key"), Pem.encode(key.getPrivate()));
        var forged = new ClientCertificate(EKIMAE, dir.resolve("gw.pem"), dir.resolve("gw.key"), asCloud.ca());
        Mosquitto.Result wrongCa = broker.publishFile(Optional.of(forged), Topic.ack(EKIMAE).name(), message);
        assertThat(wrongCa.exit()).as("wrong CA: " + wrongCa.output()).isNotZero();

        // Plain MQTT to the TLS port.
        Process plain = new ProcessBuilder("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "-t", "x", "-m", "x").redirectErrorStream(true).start();
        assertThat(plain.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(plain.exitValue()).isNotZero();
    }

    @Test
    void aGatewayTalksToNoBrokerButTheCitys() throws Exception {
        // A spoofed cloud: a broker with a good-looking certificate from another CA, on this machine.
        Path dir = Files.createTempDirectory("spoofed-broker");
        CertificateAuthority rogue = CertificateAuthority.openOrCreate(dir.resolve("ca"), "Kominkan door network CA",
                Clock.systemUTC());
        KeyPair key = CertificateAuthority.newKeyPair();
        Files.writeString(dir.resolve("broker.pem"), Pem.encode(rogue.issueServer(List.of("127.0.0.1", "localhost"),
                key.getPublic(), Duration.ofDays(1))));
        Files.writeString(dir.resolve("broker.key"), Pem.encode(key.getPrivate()));
        Files.writeString(dir.resolve("ca.pem"), Files.readString(ekimaeTls.ca()));
        Files.writeString(dir.resolve("crl.pem"), Pem.encode("X509 CRL", rogue.crl(Map.of(), Duration.ofDays(1)).getEncoded()));
        Files.writeString(dir.resolve("acl"), "pattern readwrite kominkan/#\n");
        int port = Mosquitto.freePort();
        try (Mosquitto spoofed = Mosquitto.startTls(port, dir)) {
            SiteProfile profile = network.profile(EKIMAE, ekimaeTls, Files.createTempDirectory("gw-spoofed"), List.of());
            SiteProfile toSpoofed = new SiteProfile(profile.gatewayId(), profile.municipalityCode(),
                    java.net.URI.create(spoofed.uri()), profile.storage(), profile.trustedKeys(), profile.doors(), profile.tls());
            try (Gateway fooled = Gateway.start(toSpoofed, Gateway.mockPlatform(), Clock.systemUTC())) {
                Waits.until("two refused handshakes", Duration.ofSeconds(15), () -> fooled.link().connectFailures() >= 2);
                assertThat(fooled.link().isConnected()).isFalse();
            }
        }
    }

    @Test
    void aGatewayCanNeitherPublishNorReadOnAnotherGatewaysTopics() throws Exception {
        Instant chuoSeenBefore = lastSeen(CHUO);
        Mosquitto.Result ack = broker.publishAs(asEkimae, Topic.ack(CHUO).name(), "x");
        assertThat(ack.output()).as("publish on another gateway's ack").contains("Not authorized");
        Mosquitto.Result events = broker.publishAs(asEkimae, Topic.events(CHUO).name(), "x");
        assertThat(events.output()).contains("Not authorized");
        // Nor can a gateway write its own stream: only the cloud may.
        Mosquitto.Result ownStream = broker.publishAs(asEkimae, Topic.grants(EKIMAE).name(), "x");
        assertThat(ownStream.output()).contains("Not authorized");
        assertThat(lastSeen(CHUO)).isEqualTo(chuoSeenBefore);

        // Listening to everything as chuo while the cloud streams to both gateways: chuo hears only its own.
        Process listener = new ProcessBuilder(List.of("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "--cafile", asChuo.ca().toString(), "--cert", asChuo.certificate().toString(),
                "--key", asChuo.key().toString(), "-v", "-t", "#", "-W", "6")).redirectErrorStream(true).start();
        // The cloud sends an unacknowledged stream again every 3 s (chuo runs no gateway here), so the
        // 6-second window hears chuo's stream whenever the subscription comes up.
        book(room(STUDY), 1);
        // The hall is a paid room: its booking is held until staff confirm the cash payment, then granted.
        String held = bookHall().get("id").asText();
        assertThat(api.post("/api/v1/staff/reservations/" + held + "/confirm", null).token(network.staff()).send().status())
                .isEqualTo(200);
        String heard = new String(listener.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        listener.waitFor();
        assertThat(heard).contains("kominkan/v1/gw/" + CHUO + "/grants");
        assertThat(heard).doesNotContain("gw/" + EKIMAE).doesNotContain("/site/");
    }

    @Test
    void theCloudsBrokerCarriesNothingOfTheBuildingsDevices() throws Exception {
        // The building's devices talk to the gateway's site link only: no site topic is open to anyone here.
        for (ClientCertificate who : List.of(asEkimae, asChuo, asCloud)) {
            Mosquitto.Result typed = broker.publishAs(who, "kominkan/v1/site/" + STUDY + "/keypad", "{\"code\":\"12345678\"}");
            assertThat(typed.output()).as(who.name() + " publishing a keypad message").contains("Not authorized");
            Mosquitto.Result local = broker.publishAs(who, "site/v1/" + STUDY + ".keypad/up/keypad", "{\"code\":\"12345678\"}");
            assertThat(local.output()).as(who.name() + " on a site-link topic").contains("Not authorized");
        }
        String acl = Files.readString(network.brokerDir().resolve("acl"));
        assertThat(acl).doesNotContain("site").doesNotContain("keypad").doesNotContain("lock.");
    }

    @Test
    void theCloudIgnoresAnAckBeyondTheHeadAndKeepsStreaming() throws Exception {
        // A compromised gateway, with its own key: an ack far beyond the head.
        long rejected = network.cloud().bridge().orElseThrow().rejected();
        Path beyond = Files.write(Files.createTempFile("ack", ".cbor"), GatewaySignature.sign(
                MutualTls.privateKey(ekimaeTls.key()), Topic.ack(EKIMAE), new StreamMessage.Ack(1L << 53, false).encode()));
        assertThat(broker.publishFile(Optional.of(asEkimae), Topic.ack(EKIMAE).name(), beyond).output())
                .doesNotContain("failed");
        Waits.until("forged ack counted", Duration.ofSeconds(10),
                () -> network.cloud().bridge().orElseThrow().rejected() > rejected);
        assertThat(lastAck(EKIMAE)).isLessThanOrEqualTo(head(EKIMAE));
        // Someone on the broker speaking for ekimae without its key (unsigned, or signed by another gateway).
        book(room(STUDY), 2);
        Waits.until("a new entry not yet acknowledged or acknowledged by the real gateway", Duration.ofSeconds(10),
                () -> head(EKIMAE) > 0);
        long seen = network.cloud().bridge().orElseThrow().rejected();
        for (byte[] forged : List.of(new StreamMessage.Ack(head(EKIMAE), false).encode(), GatewaySignature.sign(
                MutualTls.privateKey(chuoTls.key()), Topic.ack(EKIMAE), new StreamMessage.Ack(head(EKIMAE), false).encode()))) {
            Path file = Files.write(Files.createTempFile("ack", ".cbor"), forged);
            assertThat(broker.publishFile(Optional.of(asEkimae), Topic.ack(EKIMAE).name(), file).output())
                    .doesNotContain("failed");
        }
        Waits.until("both refused", Duration.ofSeconds(10), () -> network.cloud().bridge().orElseThrow().rejected() >= seen + 2);

        // The stream goes on: a new booking reaches the door, and its cancellation too.
        JsonNode booking = book(room(STUDY), 3);
        String code = booking.get("accessCode").asText();
        byte[] doorKey = network.cloud().services().keys().doorKey(STUDY);
        Waits.until("grant on the gateway", Duration.ofSeconds(10),
                () -> !gateway.grants().find(STUDY, CodeVerifier.of(doorKey, STUDY, code)).isEmpty());
        UUID grant = gateway.grants().find(STUDY, CodeVerifier.of(doorKey, STUDY, code)).getFirst().grantId();
        assertThat(api.post("/api/v1/reservations/" + booking.get("id").asText() + "/cancel", null).token(resident).send()
                .status()).isEqualTo(200);
        Duration revoked = Waits.until("revocation on the gateway", Duration.ofSeconds(5), () -> gateway.grants().isRevoked(grant));
        assertThat(revoked).isLessThan(Duration.ofSeconds(2));
        Waits.until("acknowledged to the head", Duration.ofSeconds(10), () -> lastAck(EKIMAE) == head(EKIMAE));
    }

    @Test
    void aStreamForgedByAnyoneWithoutTheCloudsKeyIsRefusedByTheGateway() throws Exception {
        JsonNode booking = book(room(STUDY), doorTime, Duration.ofHours(1));
        String code = booking.get("accessCode").asText();
        byte[] doorKey = network.cloud().services().keys().doorKey(STUDY);
        Waits.until("grant on the gateway", Duration.ofSeconds(10),
                () -> !gateway.grants().find(STUDY, CodeVerifier.of(doorKey, STUDY, code)).isEmpty());
        UUID grant = gateway.grants().find(STUDY, CodeVerifier.of(doorKey, STUDY, code)).getFirst().grantId();
        long seq = gateway.grants().durableSeq();
        long rejected = gateway.link().rejected();
        Topic stream = Topic.grants(EKIMAE);
        Ed25519PrivateKeyParameters stranger = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        GrantSigner impostor = new GrantSigner(stranger, GrantKeys.keyId(stranger.generatePublicKey()));
        byte[] revoke = new StreamMessage.Entries(List.of(new StreamEntry(seq + 1, StreamEntry.Kind.REVOKE,
                jp.kominkan.shared.wire.UuidBytes.of(grant)))).encode();
        byte[] wipe = new StreamMessage.Snapshot(1L << 53, Instant.now().getEpochSecond(), List.of()).encode();
        // Published with the cloud's own broker credential: the broker lets it through; only the signature is missing.
        for (byte[] forged : List.of(revoke, wipe, CloudSignature.sign(impostor, stream, wipe),
                CloudSignature.sign(network.cloud().services().keys().signer(), Topic.grants(CHUO), revoke))) {
            Path file = Files.write(Files.createTempFile("forged", ".cbor"), forged);
            assertThat(broker.publishFile(Optional.of(asCloud), stream.name(), file).output()).doesNotContain("failed");
        }
        Waits.until("all four refused", Duration.ofSeconds(10), () -> gateway.link().rejected() >= rejected + 4);
        assertThat(gateway.grants().isRevoked(grant)).isFalse();
        assertThat(gateway.grants().durableSeq()).isGreaterThanOrEqualTo(seq).isLessThan(1L << 53);
        int pulses = gateway.relay(STUDY).pulses();
        assertThat(gateway.door(STUDY).codeEntered(code)).as("the door still opens for the valid booking")
                .isInstanceOf(jp.kominkan.gateway.access.AccessDecision.Granted.class);
        Waits.until("relay pulsed", Duration.ofSeconds(10), () -> gateway.relay(STUDY).pulses() == pulses + 1);
    }

    @Test
    void aDecommissionedGatewayIsRefusedByTheBrokerAndIgnoredByTheCloud() throws Exception {
        String id = DemoData.CODE + "-gw-retired";
        long facility = network.cloud().database().client().execute().get("select facility_id from gateway where id = ?",
                EKIMAE).map(r -> Sql.longValue(r, "facility_id")).orElseThrow();
        String staff = network.staff();
        assertThat(api.post("/api/v1/staff/gateways", "{\"id\":\"" + id + "\",\"facilityId\":" + facility
                + ",\"name\":\"古いゲートウェイ\"}").token(staff).send().status()).isEqualTo(201);
        SiteProfile.Tls tls = network.enroll(id, Files.createTempDirectory("enrolled-retired"));
        ClientCertificate retired = files(id, tls);
        // A connection opened before decommissioning: the broker keeps it (Mosquitto re-reads its CRL
        // only for new connections), so the cloud must ignore what comes on it.
        MqttClient old = new MqttClient(broker.uri(), "retired-old", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(MutualTls.fromFiles(tls.key(), tls.certificate(), tls.ca()).getSocketFactory());
        old.connect(options);

        assertThat(api.post("/api/v1/staff/gateways/" + id + "/decommission", null).token(staff).send().status())
                .isEqualTo(200);
        assertThat(Files.readString(network.brokerDir().resolve("acl"))).doesNotContain("user " + id);
        // The cloud wrote the CRL and told the broker to reload it: the certificate no longer connects.
        Waits.until("revoked certificate refused", Duration.ofSeconds(10),
                () -> broker.publishAs(retired, Topic.ack(id).name(), "x").exit() != 0);
        long rejected = network.cloud().bridge().orElseThrow().rejected();
        Instant seen = lastSeen(id);
        old.publish(Topic.ack(id).name(), new MqttMessage(new StreamMessage.Ack(0, true).encode()));
        Waits.until("the old connection's hello refused", Duration.ofSeconds(10),
                () -> network.cloud().bridge().orElseThrow().rejected() > rejected);
        assertThat(lastSeen(id)).isEqualTo(seen);
        old.disconnect();
        old.close();
    }

    /** A quarter hour of the 24-hour study room, some hours ahead, a different one each time. */
    @Test
    void aGatewayThatBootedWithItsClockBehindGetsItsSnapshotOnceTheClockIsRight() throws Exception {
        // A Pi has no real-time clock: before NTP it may think it is ten minutes ago. The cloud's
        // snapshot then looks as if it came from the future and is refused; the empty gateway takes
        // no entries meanwhile, and keeps asking until the snapshot is one it can take.
        ShiftableClock behind = new ShiftableClock();
        behind.shiftTo(Instant.now().minus(Duration.ofMinutes(10)));
        try (Gateway booting = Gateway.start(network.profile(CHUO, chuoTls, Files.createTempDirectory("gw-chuo"), List.of()),
                Gateway.mockPlatform(), behind)) {
            Waits.until("the future snapshot refused", Duration.ofSeconds(15), () -> booting.link().rejected() >= 1);
            assertThat(booting.grants().started()).isFalse();
            behind.shiftTo(Instant.now());   // NTP has set the clock
            Duration took = Waits.until("snapshot taken on asking again", Duration.ofSeconds(45),
                    () -> booting.grants().started());
            assertThat(took).isLessThan(Duration.ofSeconds(40));
        }
    }

    JsonNode book(long room, int hoursAhead) {
        return book(room, Slots.ceil(Instant.now()).plus(Duration.ofHours(hoursAhead))
                .plus(Slots.LENGTH.multipliedBy(++serial)), Slots.LENGTH);
    }

    /** The hall (open 9–21, closed on Mondays): a quarter hour at 10:00 on the next day it is open. */
    JsonNode bookHall() {
        java.time.LocalDate day = java.time.LocalDate.now(TOKYO).plusDays(2);
        while (day.getDayOfWeek() == java.time.DayOfWeek.MONDAY) {
            day = day.plusDays(1);
        }
        return book(room(HALL), day.atTime(10, 0).atZone(TOKYO).toInstant(), Slots.LENGTH);
    }

    JsonNode book(long room, Instant start, Duration length) {
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        String body = "{\"roomId\":" + room + ",\"start\":\"" + iso.format(ZonedDateTime.ofInstant(start, TOKYO))
                + "\",\"end\":\"" + iso.format(ZonedDateTime.ofInstant(start.plus(length), TOKYO))
                + "\",\"purpose\":\"自習\",\"attendees\":1}";
        Api.Response response = api.post("/api/v1/reservations", body).token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(response.status()).as(response.body()).isIn(200, 201);
        return response.json();
    }

    long room(String door) {
        return network.cloud().database().client().execute().get("select room_id from door where id = ?", door)
                .map(r -> Sql.longValue(r, "room_id")).orElseThrow();
    }

    long head(String gatewayId) {
        return value("stream_head", gatewayId);
    }

    long lastAck(String gatewayId) {
        return value("last_ack", gatewayId);
    }

    Instant lastSeen(String gatewayId) {
        return network.cloud().database().client().execute().get("select last_seen_at from gateway where id = ?", gatewayId)
                .flatMap(r -> Sql.optionalInstant(r, "last_seen_at")).orElse(Instant.EPOCH);
    }

    long value(String column, String gatewayId) {
        return network.cloud().database().client().execute().get("select " + column + " from gateway where id = ?", gatewayId)
                .map(r -> Sql.longValue(r, column)).orElseThrow();
    }

    static ClientCertificate files(String name, SiteProfile.Tls tls) {
        return new ClientCertificate(name, tls.certificate(), tls.key(), tls.ca());
    }
}
