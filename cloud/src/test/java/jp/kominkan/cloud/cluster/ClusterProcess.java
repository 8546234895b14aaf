package jp.kominkan.cloud.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The cluster {@code cluster/cluster.sh} runs on this machine (docs/deploy.md): started and stopped through the
 * script, its ports read from {@code <data>/cluster.env}, its database nodes reached directly for checks, and its
 * processes killed by the PIDs the script and PostgreSQL recorded.
 */
final class ClusterProcess implements AutoCloseable {

    private final Path repo;
    private final Path data;
    private final Map<String, String> env;

    private ClusterProcess(Path repo, Path data, Map<String, String> env) {
        this.repo = repo;
        this.data = data;
        this.env = env;
    }

    /**
     * @param repo the repository (where cluster/cluster.sh is)
     * @param data the cluster's data folder (made fresh)
     * @param base its base port
     * @return the running cluster
     * @throws Exception when it does not come up
     */
    static ClusterProcess start(Path repo, Path data, int base) throws Exception {
        run(repo, List.of("bash", "cluster/cluster.sh", "stop", "--data", data.toString()), 120);
        run(repo, List.of("rm", "-rf", data.toString()), 60);
        try {
            run(repo, List.of("bash", "cluster/cluster.sh", "start", "--data", data.toString(), "--base-port",
                    Integer.toString(base)), 400);
        } catch (Exception e) {
            // Whatever did start is stopped, so a failed start leaves nothing running.
            run(repo, List.of("bash", "cluster/cluster.sh", "stop", "--data", data.toString()), 120);
            throw e;
        }
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("cluster.env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new ClusterProcess(repo, data, env);
    }

    private static void run(Path repo, List<String> command, int seconds) throws Exception {
        Path log = Files.createTempFile("cluster", ".log");
        Process process = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + seconds + " s: " + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + Files.readString(log));
        }
    }

    /** @return the web front, http://127.0.0.1:PORT */
    String web() {
        return env.get("KOMINKAN_WEB");
    }

    /** @return the cloud instances' own ports */
    int[] cloudPorts() {
        return Arrays.stream(env.get("KOMINKAN_CLOUD_PORTS").split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** @return the nodes' PostgreSQL ports, node 1 first */
    int[] nodePorts() {
        return Arrays.stream(env.get("KOMINKAN_PG_PORTS").split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private int[] restPorts() {
        return Arrays.stream(env.get("KOMINKAN_PATRONI_REST").split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** @return a connection as the superuser through HAProxy (to the leader) */
    Connection leaderConnection() throws SQLException {
        return connect(Integer.parseInt(env.get("KOMINKAN_DB_PORT")));
    }

    /**
     * @param node 1, 2 or 3
     * @return a connection to that node itself
     */
    Connection nodeConnection(int node) throws SQLException {
        return connect(nodePorts()[node - 1]);
    }

    private Connection connect(int port) throws SQLException {
        String password;
        try {
            password = Files.readString(data.resolve("secrets").resolve("postgres")).strip();
        } catch (IOException e) {
            throw new SQLException("no superuser password in " + data, e);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/kominkan?connectTimeout=2",
                "postgres", password);
    }

    /** @return the leading node (1–3), if one leads now (Patroni's REST answers 200 on /primary there) */
    Optional<Integer> leader() {
        int[] rest = restPorts();
        for (int i = 0; i < rest.length; i++) {
            try {
                var connection = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + rest[i]
                        + "/primary").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(1000);
                if (connection.getResponseCode() == 200) {
                    return Optional.of(i + 1);
                }
            } catch (IOException e) {
                // not this one
            }
        }
        return Optional.empty();
    }

    /**
     * kill -9 a node's postmaster (its Patroni stays).
     *
     * @param node 1–3
     * @throws Exception when there is no such process
     */
    void killPostgres(int node) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("pg").resolve("pg" + node)
                .resolve("postmaster.pid")).getFirst().strip());
        kill(pid);
    }

    /**
     * kill -9 a whole node: its Patroni and its postmaster, as when the machine dies.
     *
     * @param node 1–3
     * @throws Exception when there is no such process
     */
    void killNode(int node) throws Exception {
        kill(Long.parseLong(Files.readString(data.resolve("pids").resolve("patroni" + node + ".pid")).strip()));
        killPostgres(node);
    }

    /**
     * kill -9 a cloud instance.
     *
     * @param instance 1–N
     * @throws Exception when there is no such process
     */
    void killCloud(int instance) throws Exception {
        kill(Long.parseLong(Files.readString(data.resolve("pids").resolve("cloud" + instance + ".pid")).strip()));
    }

    private static void kill(long pid) {
        ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid)).destroyForcibly();
    }

    @Override
    public void close() throws Exception {
        run(repo, List.of("bash", "cluster/cluster.sh", "stop", "--data", data.toString()), 120);
    }
}
