package jp.kominkan.cloud.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./kominkan bench failover [--check]}: on the cluster of {@code cluster/cluster.sh} (started fresh here),
 * 200 clients book through HAProxy and both cloud instances while the leader's postgres is killed (kill -9), then
 * again while the new leader's whole node is killed (Patroni and postgres), then while one cloud instance is killed.
 * Prints, for each: acknowledged, lost, double-held, time to the first successful write after the kill, what the
 * clients saw; and whether the surviving nodes hold the same reservations. With {@code --check} (the test command)
 * it exits 1 when a booking was lost, a slot held twice, a client saw an answer other than 200, 201, 409 (the shared
 * cells) or 503 with Retry-After, the nodes differ, or writes did not come back within 20 s.
 */
public final class FailoverBench {

    private FailoverBench() {
    }

    /**
     * @param args {@code [--check] [--clients N] [--seconds N] [--data DIR] [--base-port N]}
     * @throws Exception when the drill cannot run
     */
    public static void main(String[] args) throws Exception {
        boolean check = false;
        int clients = 200;
        int seconds = 30;
        Path data = Path.of("/var/tmp/kominkan-failover");
        int base = 7600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--check" -> check = true;
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--base-port" -> base = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("Kominkan failover drill — %d cores, Java %s; 3 Patroni nodes (synchronous_mode_strict),"
                        + " HAProxy, 2 cloud instances, all on this machine%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        System.out.printf("Workload: %d clients booking one-hour cells (every tenth wanted twice), %d s each,"
                + " the kill after 8 s; a 503 or a broken connection is sent again with the same Idempotency-Key%n",
                clients, seconds);
        long started = System.nanoTime();
        List<String> failures = new ArrayList<>();
        try (ClusterProcess cluster = ClusterProcess.start(Path.of("").toAbsolutePath(), data, base)) {
            System.out.printf("cluster up in %.1f s (leader node %d)%n", (System.nanoTime() - started) / 1e9,
                    cluster.leader().orElse(0));
            FailoverDrill drill = FailoverDrill.prepare(cluster, 40, 20);
            Duration total = Duration.ofSeconds(seconds);
            Duration killAfter = Duration.ofSeconds(8);

            int first = cluster.leader().orElseThrow();
            FailoverDrill.Figures postgres = drill.run(clients, total, killAfter, () -> cluster.killPostgres(first));
            report("kill -9 postgres on the leader (node " + first + ")", postgres, failures);
            compare(cluster, drill, first, failures);

            int second = waitForLeader(cluster, first);
            FailoverDrill.Figures node = drill.run(clients, total, killAfter, () -> cluster.killNode(second));
            report("kill -9 the whole leader node (node " + second + ": Patroni and postgres)", node, failures);
            compare(cluster, drill, second, failures);

            FailoverDrill.Figures instance = drill.run(clients, total, killAfter, () -> cluster.killCloud(1));
            report("kill -9 cloud instance 1", instance, failures);
        }
        if (failures.isEmpty()) {
            System.out.println("every acknowledged booking kept, no slot held twice, no answer but 200/201/409/503");
        } else {
            failures.forEach(f -> System.out.println("FAILED: " + f));
        }
        System.exit(check && !failures.isEmpty() ? 1 : 0);
    }

    private static void report(String what, FailoverDrill.Figures figures, List<String> failures) {
        System.out.printf("%-72s%n  %s%n", what, figures);
        if (figures.lost() > 0) {
            failures.add(what + ": " + figures.lost() + " acknowledged bookings lost");
        }
        if (figures.doubleHeld() > 0) {
            failures.add(what + ": " + figures.doubleHeld() + " slots held twice");
        }
        figures.statuses().forEach((status, count) -> {
            if (status != 200 && status != 201 && status != 409 && status != 503) {
                failures.add(what + ": clients saw " + count + " × " + status);
            }
        });
        if (figures.withoutRetryAfter() > 0) {
            failures.add(what + ": " + figures.withoutRetryAfter() + " × 503 without Retry-After");
        }
        if (figures.acknowledged() == 0) {
            failures.add(what + ": nothing was acknowledged");
        }
        if (figures.firstWrite().isNegative() || figures.firstWrite().compareTo(Duration.ofSeconds(20)) > 0) {
            failures.add(what + ": writes came back after " + figures.firstWrite() + " (want within 20 s)");
        }
    }

    /** The two nodes still up hold the same reservations, once the standby has caught up. */
    private static void compare(ClusterProcess cluster, FailoverDrill drill, int killed, List<String> failures)
            throws InterruptedException {
        List<Integer> alive = new ArrayList<>(List.of(1, 2, 3));
        alive.remove(Integer.valueOf(killed));
        String a = "";
        String b = "?";
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            try {
                a = drill.digest(alive.get(0));
                b = drill.digest(alive.get(1));
                if (a.equals(b)) {
                    break;
                }
            } catch (java.sql.SQLException e) {
                b = "unreadable: " + e.getMessage();
            }
            Thread.sleep(500);
        }
        System.out.printf("  nodes %d and %d: %s%n", alive.get(0), alive.get(1),
                a.equals(b) ? "identical (" + a.substring(0, a.indexOf(':')) + " reservations)" : a + " ≠ " + b);
        if (!a.equals(b)) {
            failures.add("nodes " + alive + " differ after killing node " + killed);
        }
    }

    /** After a kill, the next leader (not the killed node), once there is one. */
    private static int waitForLeader(ClusterProcess cluster, int killed) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            var leader = cluster.leader();
            if (leader.isPresent() && leader.get() != killed) {
                return leader.get();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no new leader within 60 s");
    }
}
