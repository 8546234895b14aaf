package jp.kominkan.gateway.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.support.DoorNetwork;
import jp.kominkan.gateway.support.Waits;

/**
 * Event → board update, end to end: a door contact on Pi4J's mock pin changes; the gateway journals
 * the event and sends it over mutual TLS to the city's Mosquitto; the cloud stores it, folds the
 * door's state, and pushes it to the board's server-sent events, read here by an HTTP client as a
 * browser would. Measured from the pin change to the {@code data:} line carrying the door's new
 * contact state. Run by hand: {@code ./kominkan bench door-events [--events N]}.
 */
public final class DoorEventLatencyBench {

    private static final String GATEWAY = DemoData.CODE + "-gw-ekimae";
    private static final String STUDY = DemoData.CODE + "-door-study";

    private DoorEventLatencyBench() {
    }

    /**
     * @param args {@code --events N} (default 300)
     * @throws Exception when the network cannot be set up
     */
    public static void main(String[] args) throws Exception {
        int events = args.length == 2 && args[0].equals("--events") ? Integer.parseInt(args[1]) : 300;
        try (DoorNetwork network = DoorNetwork.start(Map.of())) {
            SiteProfile.Tls tls = network.enroll(GATEWAY, Files.createTempDirectory("kominkan-bench-enrolled"));
            Path storage = Files.createTempDirectory("kominkan-bench-gateway");
            SiteProfile profile = network.profile(GATEWAY, tls, storage, List.of(new SiteProfile.Door(STUDY, "自習室 入口",
                    network.cloud().services().keys().doorKey(STUDY), new SiteProfile.Lock.GpioRelay(17, Duration.ofMillis(800)),
                    Optional.of(new SiteProfile.Sensor(27, Duration.ofMillis(1), Duration.ofMinutes(30))), List.of(),
                    List.of())));
            try (Gateway gateway = Gateway.start(profile, Gateway.mockPlatform(), Clock.systemUTC())) {
                Waits.until("gateway connected", Duration.ofSeconds(15), gateway.link()::isConnected);
                String token = network.api().staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                HttpResponse<java.io.InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + network.cloud().port() + "/api/v1/staff/doors/stream"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
                Thread.ofVirtual().start(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            if (line.startsWith("data:") && line.contains("\"id\":\"" + STUDY + "\"")) {
                                lines.add(line);
                            }
                        }
                    } catch (java.io.IOException done) {
                        // the bench is over
                    }
                });
                MockDigitalInput contact = (MockDigitalInput) gateway.pi4j().registry().get(STUDY + "-contact",
                        DigitalInput.class);
                long[] micros = new long[events];
                for (int i = 0; i < events + 20; i++) {
                    boolean open = i % 2 == 0;
                    lines.clear();
                    long start = System.nanoTime();
                    contact.mockState(open ? DigitalState.HIGH : DigitalState.LOW);
                    String want = "\"contact\":\"" + (open ? "open" : "closed") + "\"";
                    while (true) {
                        String line = lines.poll(10, TimeUnit.SECONDS);
                        if (line == null) {
                            throw new IllegalStateException("No board update within 10 s for event " + i);
                        }
                        if (line.contains(want)) {
                            break;
                        }
                    }
                    if (i >= 20) {   // the first twenty warm the JIT and the connection pools
                        micros[i - 20] = (System.nanoTime() - start) / 1000;
                    }
                }
                stream.body().close();
                Arrays.sort(micros);
                System.out.printf("Door event → board update (pin change → gateway journal → MQTT over TLS → cloud store"
                        + " and state → server-sent event), %d events one at a time, H2 cloud, this machine (%d cores):%n",
                        events, Runtime.getRuntime().availableProcessors());
                System.out.printf("  p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", micros[events / 2] / 1000.0,
                        micros[events * 9 / 10] / 1000.0, micros[Math.min(events - 1, events * 99 / 100)] / 1000.0,
                        micros[events - 1] / 1000.0);
            }
        }
    }
}
