package jp.kominkan.gateway.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.site.coap.CoapSite;

/**
 * A child process for {@link SiteLinkBench}: a whole gateway — the unit's JVM flags, mock GPIO, no
 * cloud broker to reach — whose site link serves the bench's CoAP keypads and QR readers on loopback,
 * on a grant store the parent filled. The gateway runs in its own JVM so that its heap is its own and
 * the clients' work is not counted in it. Prints {@code ready <port> <grants>}; answers {@code heap}
 * on its input with its heap after a full GC, its resident set and its site-link counters; exits
 * when its input closes (so it never outlives the bench).
 */
public final class SiteLinkProbe {

    /** Where the parent lists the devices: {@code door keypad|qr id secret} per line. */
    static final String DEVICES = "bench-devices.txt";

    private SiteLinkProbe() {
    }

    /**
     * @param args storage folder (with grants.log and {@value #DEVICES}), key id, public key hex, door key hex
     * @throws Exception when it cannot run
     */
    public static void main(String[] args) throws Exception {
        Path storage = Path.of(args[0]);
        byte[] doorKey = HexFormat.of().parseHex(args[3]);
        Map<String, List<SiteProfile.Keypad>> keypads = new LinkedHashMap<>();
        Map<String, List<SiteProfile.QrReader>> readers = new LinkedHashMap<>();
        for (String line : Files.readAllLines(storage.resolve(DEVICES))) {
            String[] f = line.split(" ");
            SiteProfile.Device device = new SiteProfile.Device(f[2], new SiteProfile.Credential.Secret(
                    f[3].getBytes(StandardCharsets.US_ASCII), storage.resolve(DEVICES)));
            keypads.computeIfAbsent(f[0], d -> new ArrayList<>());
            readers.computeIfAbsent(f[0], d -> new ArrayList<>());
            if (f[1].equals("qr")) {
                readers.get(f[0]).add(new SiteProfile.QrReader.Coap(device));
            } else {
                keypads.get(f[0]).add(new SiteProfile.Keypad.Coap(device));
            }
        }
        List<SiteProfile.Door> doors = new ArrayList<>();
        int pin = 2;
        for (String door : keypads.keySet()) {
            doors.add(new SiteProfile.Door(door, "bench", doorKey, new SiteProfile.Lock.GpioRelay(pin++, Duration.ofSeconds(3)),
                    Optional.empty(), keypads.get(door), readers.get(door)));
        }
        // Port 9 has no broker: the cloud link keeps retrying, as in a building whose uplink is down.
        SiteProfile profile = new SiteProfile("bench-site", "999991", URI.create("tcp://127.0.0.1:9"), storage,
                Map.of(args[1], HexFormat.of().parseHex(args[2])), doors, Optional.empty(),
                new SiteProfile.SiteLink(new SiteProfile.CoapListener("127.0.0.1", 0), SiteProfile.SiteLink.DEFAULT.mqtt()));
        try (Gateway gateway = Gateway.start(profile, Gateway.mockPlatform(), Clock.systemUTC())) {
            CoapSite coap = gateway.site().coap().orElseThrow();
            System.out.println("ready " + coap.port() + " " + gateway.grants().size());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("heap")) {
                    System.gc();
                    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                            .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ? kB").replaceAll("\\s+", " ");
                    String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                            .map(gc -> gc.getName() + " " + gc.getCollectionCount() + "x " + gc.getCollectionTime() + " ms")
                            .collect(java.util.stream.Collectors.joining(", "));
                    System.out.printf("heap used %.1f MiB (after a full GC), committed %.1f MiB, max %.0f MiB; %s; GCs so far: "
                                    + "%s; %d decided, %d refused, %d failed handshakes, %d events undelivered%n",
                            heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0, heap.getMax() / 1048576.0, rss, gcs,
                            coap.decided(), coap.rejected(), coap.handshakeFailures(), gateway.journal().undeliveredCount());
                }
            }
        }
        System.exit(0);
    }
}
