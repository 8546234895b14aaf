package jp.kominkan.gateway.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import jp.kominkan.gateway.access.AccessDecision;
import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.pass.DoorPass;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.SessionId;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * The site-link part of {@code ./kominkan bench gateway}: door passes checked in process, then codes
 * and passes posted over CoAP with DTLS 1.2 PSK to a whole gateway in its own JVM
 * ({@link SiteLinkProbe}, the unit's flags) — on an established session, after an abbreviated
 * handshake each time, from a new endpoint (full handshake) each time, and from 50 devices at once.
 * The clients are Californium in the bench's JVM, on the same cores. Only valid codes are timed
 * one device at a time: five wrong codes would lock the door's keypad ({@link Lockout}), so the 50
 * devices send one wrong code each, at most three per door. {@code --hold} keeps the gateway up for
 * an outside client such as {@code coap-client-openssl}.
 */
final class SiteLinkBench {

    private static final int DEVICES = 50;
    private static final int CODES_PER_DEVICE = 40;
    private static final String SOLO = "kp-solo";
    private static final String READER = "qr-solo";

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private final Path ledger;
    private final String keyId;
    private final Ed25519PublicKeyParameters publicKey;
    private final byte[] doorKey;
    private final List<String> codes;
    private final List<byte[]> signed;
    private final GrantVerifier verifier;
    private final int doors;
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, String> doorOf = new HashMap<>();

    /**
     * @param ledger    the filled grant store's file, copied for the gateway
     * @param keyId     the cloud key's id
     * @param publicKey the cloud's public key
     * @param doorKey   every door's key
     * @param codes     grant {@code i}'s code, on door {@code i % doors}
     * @param signed    grant {@code i}, signed
     * @param verifier  checks grant signatures
     * @param doors     how many doors
     */
    SiteLinkBench(Path ledger, String keyId, Ed25519PublicKeyParameters publicKey, byte[] doorKey, List<String> codes,
                  List<byte[]> signed, GrantVerifier verifier, int doors) {
        this.ledger = ledger;
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.doorKey = doorKey;
        this.codes = codes;
        this.signed = signed;
        this.verifier = verifier;
        this.doors = doors;
        SecureRandom random = new SecureRandom();
        for (String id : devices()) {
            byte[] secret = new byte[16];
            random.nextBytes(secret);
            secrets.put(id, HexFormat.of().formatHex(secret));
            doorOf.put(id, id.startsWith("kp-") && !id.equals(SOLO) ? "door-" + (Integer.parseInt(id.substring(3)) % doors)
                    : "door-0");
        }
    }

    private static List<String> devices() {
        List<String> ids = new ArrayList<>(List.of(SOLO, READER));
        for (int i = 0; i < DEVICES; i++) {
            ids.add("kp-%02d".formatted(i));
        }
        return ids;
    }

    /** Door passes decided in process, as {@code DoorAccess.decidePass} does for a reader's scan. */
    void qrVerify(GrantStore store) {
        Map<String, byte[]> keys = new HashMap<>();
        for (int d = 0; d < doors; d++) {
            keys.put("door-" + d, doorKey);
        }
        DoorAccess access = new DoorAccess(store, keys, new Lockout(), Clock.systemUTC());
        int rounds = 5000;
        List<String> passes = passes(0, 1, rounds);
        for (int i = 0; i < rounds; i++) {
            access.decidePass("door-" + (i % doors), passes.get(i));   // warm-up: passes are not used up
        }
        long[] nanos = new long[rounds];
        int granted = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            AccessDecision decision = access.decidePass("door-" + (i % doors), passes.get(i));
            nanos[i] = System.nanoTime() - t0;
            granted += decision instanceof AccessDecision.Granted ? 1 : 0;
        }
        System.out.printf("%-36s %d valid passes (%d chars; Base45, CBOR, Ed25519 grant signature, AES-GCM sealed code, "
                        + "revocation, window) after as many warm-up: p50 %.3f ms  p99 %.3f ms  max %.3f ms  (%d granted)%n",
                "QR pass verify, in process", rounds, passes.getFirst().length(), pct(nanos, 50), pct(nanos, 99),
                pct(nanos, 100), granted);
    }

    /** The gateway in its own JVM; codes and passes over CoAP from one device, then from 50 at once. */
    void coap() throws Exception {
        try (GatewayProcess gateway = startGateway()) {
            System.out.printf("site link: whole gateway in its own JVM (unit's flags: -Xmx48m, serial GC, C1; mock GPIO, "
                    + "cloud broker unreachable), %s grants, %d doors, %d CoAP devices with their own PSK, DTLS 1.2 "
                    + "on loopback; clients: Californium in the bench JVM, same cores; "
                    + "every decision journalled and fsynced before the answer%n", gateway.grants, doors, secrets.size());
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", gateway.port);
            System.out.printf("%-36s %s%n", "gateway before", gateway.ask("heap"));
            oneDevice(address);
            manyDevices(address);
            System.out.printf("%-36s %s%n", "gateway after the site link", gateway.ask("heap"));
        }
    }

    /** Starts the gateway and keeps it up until the bench is stopped, for clients outside the JVM. */
    void hold() throws Exception {
        GatewayProcess gateway = startGateway();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close));
        Path list = gateway.storage.resolve("codes.txt");
        List<String> door0 = door0Codes();
        Files.write(list, door0);
        System.out.printf("holding: coaps://127.0.0.1:%d/keypad  identity %s  key %s  (%s grants; %d valid codes for its "
                        + "door, one a line, in %s); stop with Ctrl-C%n", gateway.port, SOLO, secrets.get(SOLO),
                gateway.grants, door0.size(), list);
        gateway.process.waitFor();
    }

    private void oneDevice(InetSocketAddress address) {
        List<String> door0 = door0Codes();
        try (Client solo = new Client(SOLO, secrets.get(SOLO), address, List.of())) {
            long t0 = System.nanoTime();
            expect(solo.post("keypad", code(door0.getFirst())), ResponseCode.CHANGED);
            double first = (System.nanoTime() - t0) / 1e6;
            int warmUp = 500;
            int rounds = 2000;
            for (int i = 0; i < warmUp; i++) {
                expect(solo.post("keypad", code(door0.get(i % door0.size()))), ResponseCode.CHANGED);
            }
            long[] nanos = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                nanos[i] = solo.timed("keypad", code(door0.get(i % door0.size())), ResponseCode.CHANGED);
            }
            System.out.printf("%-36s one keypad (%s): first valid code with the full PSK handshake (cold client) %.1f ms; "
                            + "then %d valid codes after %d warm-up: p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d granted)%n",
                    "CoAP code → decision, session", solo.connector.getSessionByAddress(address).getCipherSuite(), first,
                    rounds, warmUp, pct(nanos, 50), pct(nanos, 99), pct(nanos, 100), granted(nanos));

            SessionId session = solo.connector.getSessionByAddress(address).getSessionIdentifier();
            int resumed = 0;
            long[] again = new long[200];
            for (int i = 0; i < again.length; i++) {
                solo.connector.forceResumeSessionFor(address);
                again[i] = solo.timed("keypad", code(door0.get(i % door0.size())), ResponseCode.CHANGED);
                resumed += session.equals(solo.connector.getSessionByAddress(address).getSessionIdentifier()) ? 1 : 0;
            }
            System.out.printf("%-36s %d valid codes, each sent after an abbreviated handshake resuming the session "
                            + "(same session id: %d): p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d granted)%n",
                    "CoAP code, session resumed each", again.length, resumed, pct(again, 50), pct(again, 99), pct(again, 100),
                    granted(again));
        }
        // Scandium's choice (ECDHE_PSK: an ephemeral key exchange each time), then RFC 7925's suite for small devices.
        for (List<CipherSuite> suites : List.of(List.<CipherSuite>of(), List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8))) {
            long[] fresh = new long[100];
            String suite = "?";
            for (int i = 0; i < fresh.length; i++) {
                try (Client client = new Client(SOLO, secrets.get(SOLO), address, suites)) {
                    fresh[i] = client.timed("keypad", code(door0.get(i)), ResponseCode.CHANGED);
                    suite = fresh[i] < 0 ? suite : client.connector.getSessionByAddress(address).getCipherSuite().name();
                }
            }
            System.out.printf("%-36s %d valid codes, each from a new endpoint (new port) with a full handshake "
                            + "(cookie exchange included; %s): p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d granted)%n",
                    "CoAP code, new endpoint each", fresh.length, suite, pct(fresh, 50), pct(fresh, 99), pct(fresh, 100),
                    granted(fresh));
        }
        try (Client reader = new Client(READER, secrets.get(READER), address, List.of())) {
            List<String> passes = passes(0, doors, 200);
            expect(reader.post("qr", passes.getLast()), ResponseCode.CHANGED);
            long[] nanos = new long[passes.size()];
            for (int i = 0; i < nanos.length; i++) {
                nanos[i] = reader.timed("qr", passes.get(i), ResponseCode.CHANGED);
            }
            System.out.printf("%-36s one QR reader, %d valid passes on its session: p50 %.2f ms  p99 %.2f ms  max %.2f ms  "
                    + "(%d granted)%n", "CoAP QR pass → decision", nanos.length, pct(nanos, 50), pct(nanos, 99),
                    pct(nanos, 100), granted(nanos));
        }
    }

    private void manyDevices(InetSocketAddress address) throws InterruptedException {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String id = "kp-%02d".formatted(i);
            clients.add(new Client(id, secrets.get(id), address, List.of()));
        }
        int perDoor = codes.size() / doors;
        long[] handshaken = new long[DEVICES];
        long[] firsts = new long[DEVICES];
        long[] nanos = new long[DEVICES * (CODES_PER_DEVICE - 1)];
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger denied = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < DEVICES; c++) {
            int device = c;
            int door = device % doors;
            threads.add(Thread.ofPlatform().start(() -> {
                Client client = clients.get(device);
                SecureRandom random = new SecureRandom();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int j = 0; j < CODES_PER_DEVICE; j++) {
                    boolean wrong = j == CODES_PER_DEVICE / 2;
                    String code = wrong ? BookingCode.random(random).digits()
                            : codes.get(door + doors * ((device * CODES_PER_DEVICE + j) % perDoor));
                    long t = client.timed("keypad", code(code), wrong ? ResponseCode.FORBIDDEN : ResponseCode.CHANGED);
                    failures.addAndGet(t < 0 ? 1 : 0);
                    denied.addAndGet(wrong && t >= 0 ? 1 : 0);
                    if (j == 0) {
                        firsts[device] = t;
                        handshaken[device] = System.nanoTime();
                    } else {
                        nanos[device * (CODES_PER_DEVICE - 1) + j - 1] = t;
                    }
                }
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double handshakes = (Arrays.stream(handshaken).max().orElseThrow() - start) / 1e9;
        clients.forEach(Client::close);
        int decisions = DEVICES * CODES_PER_DEVICE;
        System.out.printf("%-36s %d keypads (own PSK each) on %d doors, all started together; each: handshake, then %d "
                        + "codes (1 wrong, denied: %d); %d handshakes with their first code done in %.0f ms (%.0f/s); "
                        + "%d decisions in %.2f s (%.0f/s); after the handshake p50 %.2f ms  p99 %.2f ms  max %.2f ms; "
                        + "first code with its handshake p50 %.0f ms  max %.0f ms; failures %d%n",
                "50 CoAP devices at once", DEVICES, doors, CODES_PER_DEVICE, denied.get(), DEVICES, handshakes * 1000,
                DEVICES / handshakes, decisions, seconds, decisions / seconds, pct(nanos, 50), pct(nanos, 99),
                pct(nanos, 100), pct(firsts, 50), pct(firsts, 100), failures.get());
    }

    /** @return the codes of the grants on door-0, the solo keypad's door */
    private List<String> door0Codes() {
        List<String> door0 = new ArrayList<>();
        for (int i = 0; i < codes.size(); i += doors) {
            door0.add(codes.get(i));
        }
        return door0;
    }

    /** @return passes made now for grants {@code from}, {@code from + step}, … */
    private List<String> passes(int from, int step, int count) {
        Instant now = Instant.now();
        List<String> texts = new ArrayList<>(count);
        for (int i = from; texts.size() < count; i += step) {
            if (!(verifier.verify(signed.get(i)) instanceof GrantVerifier.Verification.Verified verified)) {
                throw new IllegalStateException("grant " + i + " does not verify");
            }
            texts.add(DoorPass.issue(signed.get(i), verified.grant().grantId(), verified.grant().doorId(), doorKey,
                    new BookingCode(codes.get(i)), now).text());
        }
        return texts;
    }

    private static String code(String digits) {
        return "{\"code\":\"" + digits + "\"}";
    }

    private static void expect(CoapResponse response, ResponseCode code) {
        if (response == null || response.getCode() != code) {
            throw new IllegalStateException("expected " + code + ", got "
                    + (response == null ? "no answer" : response.getCode() + " " + response.getResponseText()));
        }
    }

    private static int granted(long[] nanos) {
        return (int) Arrays.stream(nanos).filter(t -> t >= 0).count();
    }

    /** @return the p-th percentile of the answered requests (a missing or wrong answer is -1, counted apart) */
    private static double pct(long[] nanos, int p) {
        long[] sorted = Arrays.stream(nanos).filter(t -> t >= 0).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private GatewayProcess startGateway() throws IOException {
        Path storage = Files.createTempDirectory("kominkan-gw-site");
        Files.copy(ledger, storage.resolve("grants.log"));
        List<String> lines = new ArrayList<>();
        secrets.forEach((id, secret) -> lines.add(doorOf.get(id) + " " + (id.equals(READER) ? "qr" : "keypad") + " " + id
                + " " + secret));
        Path list = Files.createFile(storage.resolve(SiteLinkProbe.DEVICES),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(list, lines);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(GatewayBench.UNIT_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SiteLinkProbe.class.getName(),
                storage.toString(), keyId, HexFormat.of().formatHex(publicKey.getEncoded()), HexFormat.of().formatHex(doorKey)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(storage.resolve("gateway.log").toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String ready = out.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            process.destroy();
            throw new IllegalStateException("the gateway did not start; see " + storage.resolve("gateway.log"));
        }
        String[] parts = ready.split(" ");
        return new GatewayProcess(process, out, new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII),
                storage, Integer.parseInt(parts[1]), parts[2]);
    }

    /** The gateway's JVM: its port, and a line to ask it things on. */
    private record GatewayProcess(Process process, BufferedReader out, PrintStream in, Path storage, int port, String grants)
            implements AutoCloseable {
        String ask(String question) throws IOException {
            in.println(question);
            return out.readLine();
        }

        @Override
        public void close() {
            in.close();   // the probe exits when its input closes
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One device: its own DTLS connector with its PSK, endpoint and CoAP client, used from one thread. */
    private static final class Client implements AutoCloseable {
        private final DTLSConnector connector;
        private final CoapEndpoint endpoint;
        private final CoapClient coap;
        private final String base;

        /** @param suites the cipher suites to offer; none for Scandium's defaults */
        Client(String identity, String secret, InetSocketAddress gateway, List<CipherSuite> suites) {
            Configuration config = Configuration.createStandardWithoutFile();
            config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
            // Light clients: 50 of them share the gateway's two cores.
            config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
            config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
            config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
            if (!suites.isEmpty()) {
                config.set(DtlsConfig.DTLS_CIPHER_SUITES, suites);
            }
            this.connector = new DTLSConnector(DtlsConnectorConfig.builder(config)
                    .setAddress(new InetSocketAddress("127.0.0.1", 0))
                    .setAdvancedPskStore(new AdvancedSinglePskStore(identity, secret.getBytes(StandardCharsets.US_ASCII)))
                    .build());
            this.endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
            try {
                endpoint.start();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            this.base = "coaps://" + gateway.getHostString() + ":" + gateway.getPort() + "/";
            this.coap = new CoapClient(base);
            coap.setEndpoint(endpoint);
            coap.setTimeout(10_000L);
        }

        CoapResponse post(String path, String body) {
            coap.setURI(base + path);
            try {
                return coap.post(body, path.equals("qr") ? MediaTypeRegistry.TEXT_PLAIN : MediaTypeRegistry.APPLICATION_JSON);
            } catch (ConnectorException | IOException e) {
                return null;
            }
        }

        /** @return request to answer in nanoseconds, or -1 when the answer is missing or not {@code code} */
        long timed(String path, String body, ResponseCode code) {
            long t0 = System.nanoTime();
            CoapResponse response = post(path, body);
            long t = System.nanoTime() - t0;
            return response != null && response.getCode() == code ? t : -1;
        }

        @Override
        public void close() {
            coap.shutdown();
            endpoint.destroy();
        }
    }
}
