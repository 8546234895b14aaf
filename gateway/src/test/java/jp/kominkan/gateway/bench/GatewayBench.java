package jp.kominkan.gateway.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.access.AccessDecision;
import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.gateway.support.DoorNetwork;
import jp.kominkan.shared.stream.CloudSignature;
import jp.kominkan.shared.tls.MutualTls;
import jp.kominkan.shared.topic.Topic;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantKeys;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.slot.Slots;
import jp.kominkan.shared.stream.StreamEntry;
import jp.kominkan.shared.stream.StreamMessage;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * {@code ./kominkan bench gateway}: code check at 10,000 stored grants, keypad to relay in
 * process, the site link ({@link SiteLinkBench}: door passes, CoAP codes over DTLS from one and from
 * 50 devices), sync of 10,000 grants over a real broker, cancel-to-denied delay through the real
 * cloud, and the gateway's resident memory with 10,000 grants. Prints each workload with its figures.
 * {@code bench gateway site} runs only the site link, {@code rss} only the memory probe, and
 * {@code --hold} starts a gateway with CoAP devices and keeps it up for outside clients.
 */
public final class GatewayBench {

    private static final int GRANTS = 10_000;
    private static final int DOORS = 20;
    /** The JVM flags of gateway/deploy/kominkan-gateway.service: a small heap and a lean JIT for a Pi. */
    static final List<String> UNIT_FLAGS = List.of("-Xms8m", "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=16m", "-XX:MaxMetaspaceSize=64m", "-Xss512k", "-XX:CICompilerCount=1",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20");

    private GatewayBench() {
    }

    /**
     * @param args none for everything; {@code site}, {@code rss} or {@code --hold} (see above)
     * @throws Exception when the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        System.out.printf("Kominkan gateway benchmark — %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
        String keyId = GrantKeys.keyId(key.generatePublicKey());
        GrantSigner signer = new GrantSigner(key, keyId);
        GrantVerifier verifier = new GrantVerifier(Map.of(keyId, key.generatePublicKey()));
        byte[] doorKey = new byte[32];
        new SecureRandom().nextBytes(doorKey);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> codes = new ArrayList<>(GRANTS);
        List<byte[]> signed = new ArrayList<>(GRANTS);
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < GRANTS; i++) {
            String door = "door-" + (i % DOORS);
            String code = BookingCode.random(random).digits();
            codes.add(code);
            AccessGrant grant = new AccessGrant(UUID.randomUUID(), "999991", door, UUID.randomUUID(),
                    now.minusSeconds(600), now.plusSeconds(86_400), CodeVerifier.of(doorKey, door, code), now, keyId);
            signed.add(signer.sign(grant));
        }

        Path dir = Files.createTempDirectory("kominkan-gw-bench");
        List<String> options = List.of(args);
        boolean rssOnly = options.contains("rss");
        boolean siteOnly = options.contains("site");
        boolean hold = options.contains("--hold");
        SiteLinkBench site = new SiteLinkBench(dir.resolve("grants.log"), keyId, key.generatePublicKey(), doorKey, codes,
                signed, verifier, DOORS);
        try (GrantStore store = GrantStore.open(dir.resolve("grants.log"), verifier)) {
            store.replaceWith(GRANTS, signed, java.time.Instant.now());
            if (!siteOnly && !hold) {
                codeCheck(store, doorKey, codes);
                keypadToRelay(store, doorKey, codes, dir);
            }
            if (!rssOnly && !hold) {
                site.qrVerify(store);
            }
        }
        if (hold) {
            site.hold();
            System.exit(0);
        }
        if (!rssOnly) {
            site.coap();
        }
        if (siteOnly) {
            System.exit(0);
        }
        try (DoorNetwork network = DoorNetwork.start(Map.of("kominkan.mqtt.poll-interval", "PT0.05S"))) {
            System.out.println("door network: Mosquitto with TLS 1.3, client certificates (EC P-256), CRL and ACL; "
                    + "cloud on H2; every message signed (cloud: Ed25519, gateway: ES256) and verified");
            List<SiteProfile.Tls> enrolled = enrollment(network, dir.resolve("enrolled"));
            if (!rssOnly) {
                sync(network, enrolled.getFirst(), signer, signed, verifier, dir.resolve("sync"));
            }
            rss(network, enrolled.get(1), dir.resolve("grants.log"), keyId, key, doorKey);
            if (!rssOnly) {
                cancelToDenied(network);
            }
        }
        System.exit(0);
    }

    /** Registers and enrolls gateways through the real flow: staff API, token, key, CSR, certificate, files. */
    private static List<SiteProfile.Tls> enrollment(DoorNetwork network, Path dir) {
        Api api = network.api();
        String staff = network.staff();
        long facility = network.cloud().database().client().execute()
                .get("select facility_id from gateway where id = ?", DemoData.CODE + "-gw-ekimae")
                .map(r -> Sql.longValue(r, "facility_id")).orElseThrow();
        int rounds = 20;
        long[] nanos = new long[rounds];
        List<SiteProfile.Tls> enrolled = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            String id = DemoData.CODE + "-gw-bench-" + i;
            api.post("/api/v1/staff/gateways", "{\"id\":\"" + id + "\",\"facilityId\":" + facility
                    + ",\"name\":\"bench " + i + "\"}").token(staff).send();
            long t0 = System.nanoTime();
            enrolled.add(network.enroll(id, dir.resolve(id)));
            nanos[i] = System.nanoTime() - t0;
        }
        System.out.printf("%-36s %d gateways: token issued, key made, dry run, CSR, certificate, files synced; "
                + "p50 %.0f ms  p99 %.0f ms%n", "enrollment", rounds, pct(nanos, 50), pct(nanos, 99));
        return enrolled;
    }

    private static void codeCheck(GrantStore store, byte[] doorKey, List<String> codes) {
        Map<String, byte[]> keys = new HashMap<>();
        for (int d = 0; d < DOORS; d++) {
            keys.put("door-" + d, doorKey);
        }
        DoorAccess access = new DoorAccess(store, keys, new Lockout(), Clock.systemUTC());
        int rounds = 100_000;
        long[] nanos = new long[rounds];
        int granted = 0;
        for (int i = 0; i < rounds + 20_000; i++) {
            int g = i % GRANTS;
            long t0 = System.nanoTime();
            AccessDecision decision = access.decide("door-" + (g % DOORS), codes.get(g));
            long t = System.nanoTime() - t0;
            if (i >= 20_000) {
                nanos[i - 20_000] = t;
                granted += decision instanceof AccessDecision.Granted ? 1 : 0;
            }
        }
        System.out.printf("%-36s %d checks of valid codes among %d grants on %d doors: p50 %.3f ms  p99 %.3f ms  (%d granted)%n",
                "code check", rounds, GRANTS, DOORS, pct(nanos, 50), pct(nanos, 99), granted);
    }

    private static void keypadToRelay(GrantStore store, byte[] doorKey, List<String> codes, Path dir) {
        try (EventJournal journal = EventJournal.open(dir)) {
            long[] released = new long[1];
            DoorController door = new DoorController("door-0", new DoorAccess(store, Map.of("door-0", doorKey), new Lockout(),
                    Clock.systemUTC()), length -> released[0] = System.nanoTime(), Duration.ofSeconds(3),
                    Duration.ofMinutes(5), journal, event -> { }, Clock.systemUTC());
            int rounds = 2000;
            long[] nanos = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                String code = codes.get((i * DOORS) % GRANTS);   // grants on door-0
                long t0 = System.nanoTime();
                door.codeEntered(code);
                nanos[i] = released[0] - t0;
            }
            door.close();
            System.out.printf("%-36s %d codes typed → strike released: p50 %.3f ms  p99 %.3f ms (event journalled after)%n",
                    "keypad to relay, in process", rounds, pct(nanos, 50), pct(nanos, 99));
        }
    }

    private static void sync(DoorNetwork network, SiteProfile.Tls tls, GrantSigner signer, List<byte[]> signed,
                             GrantVerifier verifier, Path dir) throws Exception {
        Files.createDirectories(dir);
        String gatewayId = DemoData.CODE + "-gw-bench-0";
        try (GrantStore store = GrantStore.open(dir.resolve("grants.log"), verifier);
             EventJournal journal = EventJournal.open(dir)) {
            var link = new jp.kominkan.gateway.mqtt.CloudLink(network.broker().uri(), Optional.of(tls), gatewayId, store,
                    journal, verifier, jp.kominkan.gateway.door.RemoteUnlocks.none(), Clock.systemUTC());
            link.start();
            while (!link.isConnected()) {
                Thread.onSpinWait();
            }
            // The publisher holds the cloud's own MQTT certificate and signs as the cloud does.
            Path ca = TestCloud.KEYS.resolve("ca");
            MqttClient cloud = new MqttClient(network.broker().uri(), "bench-cloud", new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(MutualTls.fromFiles(ca.resolve("cloud-mqtt.key"), ca.resolve("cloud-mqtt.pem"),
                    ca.resolve("ca.pem")).getSocketFactory());
            cloud.connect(options);
            Topic topic = Topic.grants(gatewayId);
            long t0 = System.nanoTime();
            // A new gateway starts from a (here empty) snapshot, then takes the stream.
            MqttMessage base = new MqttMessage(CloudSignature.sign(signer, topic,
                    new StreamMessage.Snapshot(0, Instant.now().getEpochSecond(), List.of()).encode()));
            base.setQos(1);
            cloud.publish(topic.name(), base);
            for (int from = 0; from < signed.size(); from += 500) {
                List<StreamEntry> batch = new ArrayList<>();
                for (int i = from; i < Math.min(signed.size(), from + 500); i++) {
                    batch.add(new StreamEntry(i + 1, StreamEntry.Kind.ISSUE, signed.get(i)));
                }
                MqttMessage message = new MqttMessage(CloudSignature.sign(signer, topic,
                        new StreamMessage.Entries(batch).encode()));
                message.setQos(1);
                cloud.publish(topic.name(), message);
            }
            while (store.durableSeq() < signed.size()) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%-36s %d signed grants, 500 per signed message, over mutual TLS, verified twice "
                    + "(message, grant), written and fsynced: %.2f s%n", "sync of 10,000 grants", signed.size(), seconds);
            cloud.disconnect();
            cloud.close();
            link.close();
        }
    }

    private static void rss(DoorNetwork network, SiteProfile.Tls tls, Path ledger, String keyId,
                            Ed25519PrivateKeyParameters key, byte[] doorKey) throws Exception {
        Path storage = Files.createTempDirectory("kominkan-gw-rss");
        Files.copy(ledger, storage.resolve("grants.log"));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(UNIT_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RssProbe.class.getName(), storage.toString(),
                network.broker().uri(), keyId, HexFormat.of().formatHex(key.generatePublicKey().getEncoded()), "door-0",
                HexFormat.of().formatHex(doorKey), DemoData.CODE + "-gw-bench-1", tls.ca().toString(),
                tls.certificate().toString(), tls.key().toString()));
        ProcessBuilder probe = new ProcessBuilder(command);
        // As the systemd unit: few malloc arenas (the JVM's threads would each get one).
        probe.environment().put("MALLOC_ARENA_MAX", "2");
        Process child = probe.redirectErrorStream(false).start();
        String out = new String(child.getInputStream().readAllBytes()).strip();
        child.waitFor();
        System.out.printf("%-36s whole gateway process (unit's flags: -Xms8m -Xmx48m, serial GC, C1; mock GPIO, connected): %s%n",
                "gateway RSS, TLS, 10,000 grants", out.isEmpty() ? "probe failed" : out.replaceFirst("^(\\d+) ", "$1 grants, "));
    }

    private static void cancelToDenied(DoorNetwork network) throws Exception {
        Cloud cloud = network.cloud();
        String door = DemoData.CODE + "-door-study";
        String gatewayId = DemoData.CODE + "-gw-ekimae";
        SiteProfile.Tls tls = network.enroll(gatewayId, Files.createTempDirectory("kominkan-gw-enrolled"));
        byte[] doorKey = cloud.services().keys().doorKey(door);
        long room = cloud.database().client().execute().get("select room_id from door where id = ?", door)
                .map(r -> Sql.longValue(r, "room_id")).orElseThrow();
        Path storage = Files.createTempDirectory("kominkan-gw-cancel");
        SiteProfile profile = network.profile(gatewayId, tls, storage, List.of(new SiteProfile.Door(door, "study", doorKey,
                new SiteProfile.Lock.GpioRelay(17, Duration.ofSeconds(1)), Optional.empty(), new SiteProfile.Keypad.Wiegand(5, 6))));
        Api api = new Api(cloud.port());
        String token = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        int rounds = 100;
        long[] nanos = new long[rounds];
        try (Gateway gateway = Gateway.start(profile, Gateway.mockPlatform(), Clock.systemUTC())) {
            while (!gateway.link().isConnected()) {
                Thread.sleep(10);
            }
            Instant origin = Slots.ceil(Instant.now()).plus(Duration.ofDays(1));
            DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
            for (int i = 0; i < rounds; i++) {
                Instant start = origin.plus(Slots.LENGTH.multipliedBy(i));
                String body = "{\"roomId\":" + room + ",\"start\":\"" + iso.format(ZonedDateTime.ofInstant(start, ZoneId.of("Asia/Tokyo")))
                        + "\",\"end\":\"" + iso.format(ZonedDateTime.ofInstant(start.plus(Slots.LENGTH), ZoneId.of("Asia/Tokyo")))
                        + "\",\"purpose\":\"b\",\"attendees\":1}";
                String id = api.post("/api/v1/reservations", body).token(token)
                        .header("Idempotency-Key", UUID.randomUUID().toString()).send().json().get("id").asText();
                UUID grant = cloud.database().client().execute().get("select id from access_grant where reservation_id = ?",
                        UUID.fromString(id)).map(r -> Sql.uuid(r, "id")).orElseThrow();
                while (gateway.grants().find(door, storedVerifier(cloud, id)).isEmpty()) {
                    Thread.sleep(2);
                }
                long t0 = System.nanoTime();
                api.post("/api/v1/reservations/" + id + "/cancel", null).token(token).send();
                while (!gateway.grants().isRevoked(grant)) {
                    Thread.sleep(1);
                }
                nanos[i] = System.nanoTime() - t0;
            }
        }
        System.out.printf("%-36s %d bookings cancelled over HTTP → signed revocation applied on the gateway over TLS: "
                + "p50 %.0f ms  p99 %.0f ms%n", "cancel to denied", rounds, pct(nanos, 50), pct(nanos, 99));
    }

    private static CodeVerifier storedVerifier(Cloud cloud, String reservationId) {
        String hex = cloud.database().client().execute().get("select code_verifier from access_grant where reservation_id = ?",
                UUID.fromString(reservationId)).map(r -> Sql.text(r, "code_verifier")).orElseThrow();
        return new CodeVerifier(HexFormat.of().parseHex(hex.strip()));
    }

    private static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
