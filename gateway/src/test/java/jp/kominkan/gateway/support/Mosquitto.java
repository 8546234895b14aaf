package jp.kominkan.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;


/**
 * A real Mosquitto broker (Debian's package, installed by {@code ./kominkan test}) on a free port,
 * configured not to drop queued messages and to keep nothing on disk: Kominkan never relies on
 * the broker to store anything. {@link #startTls} runs it as production does: TLS only, a client
 * certificate required and its CN the user name, no anonymous clients, the CRL and ACL the cloud
 * writes (docs/broker.md).
 */
public final class Mosquitto implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final int port;
    private final Path config;
    private final Optional<Path> tlsDir;
    private Process process;

    private Mosquitto(int port, Path config, Optional<Path> tlsDir) {
        this.port = port;
        this.config = config;
        this.tlsDir = tlsDir;
    }

    /** @return a free port on loopback, for a broker to be started on later */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a broker as production runs it, from the files the cloud wrote to {@code dir}
     * ({@code ca.pem}, {@code broker.pem}, {@code broker.key}, {@code crl.pem}, {@code acl});
     * its pid goes to {@code dir/broker.pid}, where the cloud finds it to make it reload.
     *
     * @param port the port
     * @param dir  the broker's folder
     * @return the running broker
     */
    public static Mosquitto startTls(int port, Path dir) {
        requireBinary();
        try {
            Path config = dir.resolve("mosquitto.conf");
            Files.writeString(config, """
                    # Tests run as root: stay root so the owner-only key stays readable (production: see docs/broker.md).
                    user root
                    per_listener_settings false
                    persistence false
                    max_queued_messages 0
                    max_inflight_messages 0
                    log_dest stderr
                    log_type error
                    allow_anonymous false
                    acl_file %2$s/acl
                    listener %1$d 127.0.0.1
                    cafile %2$s/ca.pem
                    certfile %2$s/broker.pem
                    keyfile %2$s/broker.key
                    crlfile %2$s/crl.pem
                    require_certificate true
                    use_identity_as_username true
                    """.formatted(port, dir.toAbsolutePath()));
            Mosquitto broker = new Mosquitto(port, config, Optional.of(dir));
            broker.restart();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireBinary() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("Mosquitto is not installed at " + BINARY
                    + "; run the tests with ./kominkan test, which installs it");
        }
    }

    /**
     * @return a running broker
     */
    public static Mosquitto start() {
        requireBinary();
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path config = Files.createTempFile("mosquitto", ".conf");
            Files.writeString(config, """
                    listener %d 127.0.0.1
                    allow_anonymous true
                    persistence false
                    max_queued_messages 0
                    max_inflight_messages 0
                    log_dest stderr
                    log_type error
                    """.formatted(port));
            Mosquitto broker = new Mosquitto(port, config, Optional.empty());
            broker.restart();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the broker URI */
    public String uri() {
        return (tlsDir.isPresent() ? "ssl://" : "tcp://") + "127.0.0.1:" + port;
    }

    /** Makes the broker read its CRL and ACL again (SIGHUP), as the cloud does after a change. */
    public void reload() {
        run(List.of("kill", "-HUP", String.valueOf(process.pid())));
    }

    /** @return its port */
    public int port() {
        return port;
    }

    /** Stops the broker (SIGKILL: everything it held in memory is gone). */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts (again) and waits until it accepts connections. */
    public void restart() {
        kill();
        try {
            process = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (tlsDir.isPresent()) {
                Files.writeString(tlsDir.get().resolve("broker.pid"), String.valueOf(process.pid()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start mosquitto", e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Waits.pause();
            }
        }
        throw new IllegalStateException("mosquitto did not start on port " + port);
    }

    /**
     * Publishes with the stock client, as an installer or a Wi-Fi keypad would.
     *
     * @param topic   topic
     * @param payload message
     */
    public void publish(String topic, String payload) {
        Result result = mosquittoPub(Optional.empty(), List.of("-t", topic, "-m", payload));
        if (result.exit() != 0 || result.output().contains("failed")) {
            throw new IllegalStateException("mosquitto_pub failed: " + result.output());
        }
    }

    /**
     * Publishes with the stock client as a device holding a certificate.
     *
     * @param device  the device's files
     * @param topic   topic
     * @param payload message
     * @return what mosquitto_pub said: its exit code and output (a refused publish says "failed")
     */
    public Result publishAs(ClientCertificate device, String topic, String payload) {
        return mosquittoPub(Optional.of(device), List.of("-t", topic, "-m", payload));
    }

    /**
     * Publishes a file's bytes with the stock client.
     *
     * @param device as whom, or anonymously
     * @param topic  topic
     * @param file   the message
     * @return what mosquitto_pub said
     */
    public Result publishFile(Optional<ClientCertificate> device, String topic, Path file) {
        return mosquittoPub(device, List.of("-t", topic, "-f", file.toString()));
    }

    /**
     * Subscribes with the stock client for a while and returns what arrived.
     *
     * @param device  as whom
     * @param filter  topic filter
     * @param seconds how long to listen
     * @return the topics and messages received, one per line ({@code -v})
     */
    public Result subscribeAs(ClientCertificate device, String filter, int seconds) {
        List<String> args = new ArrayList<>(List.of("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-q", "1", "-v", "-W", String.valueOf(seconds), "-t", filter));
        addTls(Optional.of(device), args);
        return run(args);
    }

    private Result mosquittoPub(Optional<ClientCertificate> device, List<String> rest) {
        List<String> args = new ArrayList<>(List.of("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-q", "1"));
        addTls(device, args);
        args.addAll(rest);
        return run(args);
    }

    private void addTls(Optional<ClientCertificate> device, List<String> args) {
        if (tlsDir.isEmpty()) {
            return;
        }
        args.addAll(List.of("--cafile", tlsDir.get().resolve("ca.pem").toString()));
        device.ifPresent(d -> args.addAll(List.of("--cert", d.certificate().toString(), "--key", d.key().toString())));
    }

    /**
     * @param args a stock client's command line
     * @return its exit code and output
     */
    static Result run(List<String> args) {
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            return new Result(p.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a stock client said.
     *
     * @param exit   its exit code
     * @param output what it printed
     */
    public record Result(int exit, String output) {
    }

    @Override
    public void close() {
        kill();
    }
}
