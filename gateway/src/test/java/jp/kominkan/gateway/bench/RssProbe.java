package jp.kominkan.gateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;

/**
 * A child process for {@link GatewayBench}: starts a whole gateway (mock GPIO, broker link) on a
 * grant store the parent filled, and prints its resident set size once it is connected.
 */
public final class RssProbe {

    private RssProbe() {
    }

    /**
     * @param args storage folder, broker URI, key id, public key hex, door id, door key hex, gateway id,
     *             CA file, certificate file, key file
     * @throws Exception when it cannot run
     */
    public static void main(String[] args) throws Exception {
        SiteProfile profile = new SiteProfile(args[6], "999991", java.net.URI.create(args[1]), Path.of(args[0]),
                Map.of(args[2], HexFormat.of().parseHex(args[3])), List.of(new SiteProfile.Door(args[4], "bench",
                HexFormat.of().parseHex(args[5]), new SiteProfile.Lock.GpioRelay(17, Duration.ofSeconds(3)),
                Optional.empty(), new SiteProfile.Keypad.Wiegand(5, 6))),
                Optional.of(new SiteProfile.Tls(Path.of(args[7]), Path.of(args[8]), Path.of(args[9]))));
        try (Gateway gateway = Gateway.start(profile, Gateway.mockPlatform(), Clock.systemUTC())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!gateway.link().isConnected() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            System.gc();
            String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ? kB");
            System.out.println(gateway.grants().size() + " " + rss.replaceAll("\\s+", " "));
        }
        System.exit(0);
    }
}
