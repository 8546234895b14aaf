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

/**
 * A real Mosquitto broker (Debian's package, installed by {@code ./kominkan test}) on a free port,
 * configured not to drop queued messages and to keep nothing on disk: Kominkan never relies on
 * the broker to store anything.
 */
public final class Mosquitto implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final int port;
    private final Path config;
    private Process process;

    private Mosquitto(int port, Path config) {
        this.port = port;
        this.config = config;
    }

    /**
     * @return a running broker
     */
    public static Mosquitto start() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("Mosquitto is not installed at " + BINARY
                    + "; run the tests with ./kominkan test, which installs it");
        }
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
            Mosquitto broker = new Mosquitto(port, config);
            broker.restart();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the broker URI */
    public String uri() {
        return "tcp://127.0.0.1:" + port;
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
        try {
            Process pub = new ProcessBuilder("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", String.valueOf(port),
                    "-q", "1", "-t", topic, "-m", payload).redirectErrorStream(true).start();
            String output = new String(pub.getInputStream().readAllBytes());
            if (pub.waitFor() != 0) {
                throw new IllegalStateException("mosquitto_pub failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
