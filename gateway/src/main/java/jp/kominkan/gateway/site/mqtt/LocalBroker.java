package jp.kominkan.gateway.site.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.site.OwnerOnlyFiles;
import jp.kominkan.shared.wire.LogText;

/**
 * The building's own MQTT broker: Debian's Mosquitto, run by the gateway as its child from files
 * it writes into {@code storage/site-broker/} (owner-only) on every start. Devices connect over
 * TLS-PSK only (each its own identity and key; the identity is its user name), so nothing they
 * send — codes, passes, commands — can be read or forged on the building's Wi-Fi; an ACL lets each
 * publish only under {@code site/v1/<its name>/up/} and read only {@code site/v1/<its name>/down/};
 * no anonymous access, nothing kept on disk. The gateway itself connects on a second listener on
 * loopback, with a fresh random password each start (hashed by {@code mosquitto_passwd}). A broker
 * that dies is started again.
 */
public final class LocalBroker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());
    /** The gateway's own user on the local broker (no device may be called this). */
    public static final String GATEWAY_USER = "gateway";
    /** Larger MQTT packets are refused by the broker (a keypad message is 19 bytes, a door pass ~360). */
    public static final int MAX_PACKET = 2048;
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final SiteProfile.LocalBroker settings;
    private final Path dir;
    private final int port;
    private final int gatewayPort;
    private final String gatewayPassword;
    private final ScheduledExecutorService watchdog;
    private Process process;
    private volatile boolean closed;

    private LocalBroker(SiteProfile.LocalBroker settings, Path dir, int port, int gatewayPort, String gatewayPassword) {
        this.settings = settings;
        this.dir = dir;
        this.port = port;
        this.gatewayPort = gatewayPort;
        this.gatewayPassword = gatewayPassword;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("site-broker").daemon().factory());
    }

    /**
     * Writes the broker's files and starts it.
     *
     * @param settings  where it listens, and where Mosquitto is
     * @param storage   the gateway's storage folder
     * @param keys      each device's pre-shared key, by device id
     * @return the running broker
     */
    public static LocalBroker start(SiteProfile.LocalBroker settings, Path storage, Map<String, byte[]> keys) {
        if (keys.containsKey(GATEWAY_USER)) {
            throw new IllegalArgumentException("No device may be called " + GATEWAY_USER);
        }
        Path dir = storage.resolve("site-broker");
        int port = settings.port() != 0 ? settings.port() : freePort();
        LocalBroker broker = new LocalBroker(settings, dir, port, freePort(), secret(32));
        broker.writeFiles(keys, 16 + 4 * keys.size());
        broker.launch();
        broker.watchdog.scheduleWithFixedDelay(broker::restartIfDead, 5, 5, TimeUnit.SECONDS);
        return broker;
    }

    /** @return the port devices connect to (TLS-PSK) */
    public int port() {
        return port;
    }

    /** @return the loopback port the gateway itself connects to */
    public int gatewayPort() {
        return gatewayPort;
    }

    /** @return where devices connect (loopback when it listens on every interface) */
    public String host() {
        return settings.bind().equals("0.0.0.0") || settings.bind().equals("::") ? "127.0.0.1" : settings.bind();
    }

    /** @return the gateway's password for this run */
    public char[] gatewayPassword() {
        return gatewayPassword.toCharArray();
    }

    private void writeFiles(Map<String, byte[]> keys, int maxConnections) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            ownerOnly(dir, "rwx------");
            Path passwd = dir.resolve("passwd");
            write(passwd, GATEWAY_USER + ":" + gatewayPassword + "\n");
            StringBuilder psk = new StringBuilder();
            keys.forEach((device, key) -> psk.append(device).append(':').append(java.util.HexFormat.of().formatHex(key))
                    .append('\n'));
            write(dir.resolve("psk"), psk.toString());
            // Hash in place: the password never appears on a command line (ps) or stays in clear on disk.
            Process hash = new ProcessBuilder(settings.mosquittoPasswd().toString(), "-U", passwd.toString())
                    .redirectErrorStream(true).start();
            String output = new String(hash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!hash.waitFor(30, TimeUnit.SECONDS) || hash.exitValue() != 0) {
                Files.deleteIfExists(passwd);
                throw new IllegalStateException("mosquitto_passwd failed: " + output.strip());
            }
            write(dir.resolve("acl"), """
                    # Written by the gateway at start; edits are lost. Each device only under its own name.
                    user %s
                    topic readwrite site/v1/#
                    pattern write site/v1/%%u/up/#
                    pattern read site/v1/%%u/down/#
                    """.formatted(GATEWAY_USER));
            write(dir.resolve("mosquitto.conf"), """
                    # Written by the gateway at start (docs/gateway.md, "Site link"); edits are lost.
                    user %s
                    per_listener_settings false
                    allow_anonymous false
                    persistence false
                    password_file %s
                    psk_file %s
                    acl_file %s
                    max_packet_size %d
                    max_queued_messages 1000
                    # Nothing is kept for later subscribers: a retained code would be replayed at every reconnect.
                    retain_available false
                    # Errors and warnings only: a stream of failed logins must not fill the SD card.
                    log_dest file %s
                    log_type error
                    log_type warning
                    # Listener options go after their listener: Mosquitto 2 opens a default listener on
                    # port 1883 of every interface for one written before the first.
                    # The gateway itself, on loopback only, with its password.
                    listener %d 127.0.0.1
                    max_connections 4
                    # The building's devices: TLS-PSK only, the PSK identity is the user name. (Client ids are
                    # the devices' own: use_username_as_clientid here would allow one connection per device.)
                    listener %d %s
                    psk_hint kominkan-site
                    use_identity_as_username true
                    max_connections %d
                    """.formatted(System.getProperty("user.name"), passwd, dir.resolve("psk"), dir.resolve("acl"),
                    MAX_PACKET, dir.resolve("broker.log"), gatewayPort, port, settings.bind(), maxConnections));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the site broker's files in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while hashing the site broker's passwords", e);
        }
    }

    /**
     * A broker left running by an earlier gateway process (killed with -9, a crash) holds the port:
     * it is found by its pid file and stopped, so the gateway always starts its own.
     */
    private void stopLeftover() {
        Path pidFile = dir.resolve("broker.pid");
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
            String conf = dir.resolve("mosquitto.conf").toString();
            java.util.Optional<ProcessHandle> old = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("mosquitto")).orElse(false))
                    .filter(p -> p.info().arguments().map(a -> java.util.Arrays.asList(a).contains(conf)).orElse(false));
            if (old.isPresent()) {
                LOG.log(Level.WARNING, "Stopping the site broker an earlier run left behind (pid " + pid + ")");
                old.get().destroy();
                try {
                    old.get().onExit().get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    old.get().destroyForcibly();
                    old.get().onExit().get(5, TimeUnit.SECONDS);
                }
            }
        } catch (IOException | NumberFormatException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, "Could not check for a site broker left behind: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void launch() {
        stopLeftover();
        try {
            process = new ProcessBuilder(settings.mosquitto().toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.out").toFile()))
                    .start();
            write(dir.resolve("broker.pid"), process.pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + settings.mosquitto(), e);
        }
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The site broker exited at once (" + lastLogLine() + ")");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", gatewayPort), 200);
                LOG.log(Level.INFO, "Site broker (Mosquitto, pid " + process.pid() + ") listening on " + settings.bind()
                        + ":" + port);
                return;
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(50));
            }
        }
        process.destroy();
        throw new IllegalStateException("The site broker did not open port " + port + " (" + lastLogLine() + ")");
    }

    private void restartIfDead() {
        try {
            if (!closed && process != null && !process.isAlive()) {
                LOG.log(Level.WARNING, "The site broker stopped (exit " + process.exitValue() + ", " + lastLogLine()
                        + "); starting it again");
                launch();
            }
        } catch (Throwable e) {
            // Never let the watchdog's schedule die: it tries again in 5 s.
            LOG.log(Level.WARNING, "Could not restart the site broker: " + LogText.safe(String.valueOf(e.getMessage())));
        }
    }

    /** The last line of the broker's log, read from its last 4 KiB only, sanitised. */
    private String lastLogLine() {
        for (String name : List.of("broker.log", "broker.out")) {
            try (java.nio.channels.FileChannel log = java.nio.channels.FileChannel.open(dir.resolve(name))) {
                long size = log.size();
                java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate((int) Math.min(4096, size));
                log.read(tail, size - tail.capacity());
                String[] lines = new String(tail.array(), StandardCharsets.UTF_8).strip().split("\n");
                if (lines.length > 0 && !lines[lines.length - 1].isBlank()) {
                    return LogText.safe(lines[lines.length - 1]);
                }
            } catch (IOException ignored) {
                // try the other
            }
        }
        return "no log";
    }

    /** Stops the broker. */
    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        synchronized (this) {
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** @return whether the broker process is running */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    private static void write(Path file, String text) throws IOException {
        OwnerOnlyFiles.replace(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private static String secret(int length) {
        SecureRandom random = new SecureRandom();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
