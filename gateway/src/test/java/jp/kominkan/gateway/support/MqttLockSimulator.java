package jp.kominkan.gateway.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jp.kominkan.gateway.site.UnlockCommand;

/**
 * A Wi-Fi smart lock on the gateway's own broker, made of Mosquitto's stock clients as a small
 * device would be: {@code mosquitto_sub} over TLS-PSK with its own identity and key listens on
 * {@code site/v1/<id>/down/unlock} (its last will says it went offline), each command is
 * {@linkplain UnlockCommand#check checked} and obeyed or refused, and {@code mosquitto_pub}
 * reports its state on {@code …/up/state}.
 */
public final class MqttLockSimulator implements AutoCloseable {

    private final int port;
    private final String id;
    private final byte[] secret;
    private final Clock clock;
    private final Process listener;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private volatile long lastCounter;
    private volatile int unlocks;

    /**
     * @param port   the local broker's device port
     * @param id     the lock's device id (its PSK identity)
     * @param secret its secret (its PSK)
     * @param clock  its clock
     */
    public MqttLockSimulator(int port, String id, byte[] secret, Clock clock) {
        this.port = port;
        this.id = id;
        this.secret = secret.clone();
        this.clock = clock;
        try {
            listener = new ProcessBuilder(List.of("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                    String.valueOf(port), "-q", "1", "--psk", SiteClients.hex(secret), "--psk-identity", id,
                    "--will-topic", "site/v1/" + id + "/up/state", "--will-payload", "{\"state\":\"offline\"}",
                    "--will-qos", "1", "-t", "site/v1/" + id + "/down/unlock")).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(this::read, "mqtt-lock-" + id);
        reader.setDaemon(true);
        reader.start();
        Waits.until("lock " + id + " subscribed", java.time.Duration.ofSeconds(10), () -> {
            // Its first state report goes through only once it is connected; then it is listening too.
            return report("locked").output().isEmpty();
        });
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                unlock(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private synchronized void unlock(byte[] body) {
        received.add(body);
        switch (UnlockCommand.check(body, id, secret, lastCounter, clock.instant())) {
            case UnlockCommand.Checked.Obey obey -> {
                lastCounter = obey.command().counter();
                unlocks++;
            }
            case UnlockCommand.Checked.Refused r -> refused.add(r.reason());
        }
    }

    /**
     * Reports a state.
     *
     * @param state locked, unlocked or jammed
     * @return what mosquitto_pub said
     */
    public Mosquitto.Result report(String state) {
        return SiteClients.localPublish(port, id, secret, "site/v1/" + id + "/up/state",
                "{\"state\":\"" + state + "\",\"battery\":80}");
    }

    /** @return commands obeyed */
    public int unlocks() {
        return unlocks;
    }

    /** @return every command received */
    public List<byte[]> received() {
        return List.copyOf(received);
    }

    /** @return why commands were refused */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    /** Drops off the network without a goodbye (SIGKILL): the broker publishes its last will. */
    public void vanish() {
        listener.destroyForcibly();
    }

    @Override
    public void close() {
        listener.destroy();
    }
}
