package jp.kominkan.cloud.cluster;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ./kominkan bench booking cluster}: bookings per second on the cluster of {@code cluster/cluster.sh} (three
 * Patroni nodes in synchronous strict mode, HAProxy, two cloud instances), measured from outside the JVMs with Debian's
 * wrk running bench/wrk-booking.lua: through HAProxy's web front (both instances), then at one instance directly.
 * Every request books a distinct one-hour cell with its own Idempotency-Key, so every answer should be 201.
 */
public final class ClusterBookingBench {

    private ClusterBookingBench() {
    }

    /**
     * @param args {@code [--seconds N] [--connections N] [--data DIR] [--base-port N]}
     * @throws Exception when the bench cannot run
     */
    public static void main(String[] args) throws Exception {
        int seconds = 20;
        int connections = 32;
        Path data = Path.of("/var/tmp/kominkan-cluster-bench");
        int base = 7700;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--base-port" -> base = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("Kominkan booking benchmark, cluster mode — %d cores, Java %s; 3 Patroni nodes"
                        + " (synchronous_mode_strict), HAProxy, 2 cloud instances, wrk, all on this machine%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        try (ClusterProcess cluster = ClusterProcess.start(Path.of("").toAbsolutePath(), data, base)) {
            FailoverDrill drill = FailoverDrill.prepare(cluster, 40, 20);
            Map<String, String> env = Map.of(
                    "KOMINKAN_ROOMS", Arrays.stream(drill.rooms()).mapToObj(Long::toString)
                            .collect(Collectors.joining(",")),
                    "KOMINKAN_TOKENS", String.join(",", drill.tokens()),
                    "KOMINKAN_ORIGIN", Long.toString(drill.origin().toEpochSecond()),
                    "KOMINKAN_WRK_THREADS", "2");
            // Warm both instances (JIT) first; the figures are of the runs after.
            wrk("warm-up through HAProxy (not a figure)", cluster.web(), env, "2000", 10, connections);
            wrk("through HAProxy, both instances", cluster.web(), env, "0", seconds, connections);
            // Later cells, so the second run books what the first did not.
            wrk("one instance directly", "http://127.0.0.1:" + cluster.cloudPorts()[0], env, "1000", seconds,
                    connections);
        }
        System.exit(0);
    }

    private static void wrk(String what, String target, Map<String, String> env, String offsetHours, int seconds,
                            int connections) throws Exception {
        ProcessBuilder wrk = new ProcessBuilder(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
                "--latency", "-s", "bench/wrk-booking.lua", target)).redirectErrorStream(true);
        wrk.environment().putAll(env);
        wrk.environment().put("KOMINKAN_OFFSET_HOURS", offsetHours);
        Process process = wrk.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor();
        System.out.printf("%n%s (wrk -t2 -c%d -d%ds):%n%s", what, connections, seconds, out);
    }
}
