package jp.kominkan.gateway.site.mqtt;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.kominkan.gateway.door.Lock;
import jp.kominkan.gateway.site.DeviceInput;
import jp.kominkan.gateway.site.LockReports;
import jp.kominkan.gateway.site.UnlockCommand;
import jp.kominkan.gateway.site.UnlockCounters;
import jp.kominkan.shared.wire.InboundQueue;
import jp.kominkan.shared.wire.RejectionLog;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The gateway on its own broker (Paho, MQTT v5, as user {@code gateway}): Wi-Fi keypads and QR
 * readers publish on {@code site/v1/<device>/up/keypad} and {@code …/up/qr} and hear the decision
 * on {@code site/v1/<device>/down/result}; Wi-Fi locks take {@link UnlockCommand}s on
 * {@code site/v1/<lock>/down/unlock} and report on {@code site/v1/<lock>/up/state} (their last
 * will says {@code {"state":"offline"}}). The broker's ACL makes the {@code <device>} level the
 * publisher's own PSK identity, so the topic names the device as surely as its key does.
 * Nothing here crosses the internet; the cloud link is a different client on a different broker.
 */
public final class LocalDeviceLink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalDeviceLink.class.getName());
    private static final Pattern UP = Pattern.compile("site/v1/([A-Za-z0-9._-]{1,100})/up/([a-z]+)");

    private final LocalBroker broker;
    private final DeviceInput input;
    private final LockReports reports;
    private final UnlockCounters counters;
    private final Map<String, byte[]> lockSecrets;
    private final Clock clock;
    private final MqttClient client;
    private final MqttConnectionOptions options = new MqttConnectionOptions();
    private final InboundQueue inbound = new InboundQueue("site-inbound", 256L * 1024, LOG);
    private final RejectionLog rejections;
    private final AtomicLong rejected = new AtomicLong();
    private final ScheduledExecutorService connector;

    /**
     * @param broker      the local broker
     * @param input       where keypads' and QR readers' messages go
     * @param reports     where locks' reports go
     * @param counters    the locks' unlock counters
     * @param lockSecrets each Wi-Fi lock's secret (keys its commands' MAC), by device id
     * @param clock       the clock
     */
    public LocalDeviceLink(LocalBroker broker, DeviceInput input, LockReports reports, UnlockCounters counters,
                           Map<String, byte[]> lockSecrets, Clock clock) {
        this.broker = broker;
        this.input = input;
        this.reports = reports;
        this.counters = counters;
        this.lockSecrets = Map.copyOf(lockSecrets);
        this.clock = clock;
        this.rejections = new RejectionLog(LOG, clock);
        try {
            this.client = new MqttClient("tcp://127.0.0.1:" + broker.gatewayPort(),
                    "kominkan-gateway-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException("Cannot create the site broker client", e);
        }
        this.connector = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("site-mqtt").daemon().factory());
    }

    /** Connects, and keeps reconnecting, in the background. */
    public void start() {
        options.setUserName(LocalBroker.GATEWAY_USER);
        options.setPassword(new String(broker.gatewayPassword()).getBytes(StandardCharsets.US_ASCII));
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 5);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(20);
        client.setCallback(new Callback());
        connector.execute(() -> {
            int attempts = 0;
            while (!client.isConnected() && !connector.isShutdown()) {
                try {
                    client.connect(options);
                } catch (MqttException e) {
                    // Said once clearly after 10 s: a site link that never connects must not be silent.
                    LOG.log(++attempts == 20 ? Level.WARNING : Level.DEBUG, "Site broker not reachable"
                            + (attempts >= 20 ? " for 10 s" : " yet") + ": " + e.getMessage());
                    try {
                        Thread.sleep(Duration.ofMillis(500));
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        });
    }

    /** @return whether connected to the local broker */
    public boolean isConnected() {
        return client.isConnected();
    }

    /** @return bad device messages dropped since start */
    public long rejected() {
        return rejected.get();
    }

    /**
     * @param lockId a Wi-Fi lock on the local broker
     * @return what releases it (it reports its own state)
     */
    public Lock lock(String lockId) {
        byte[] secret = lockSecrets.get(lockId);
        if (secret == null) {
            throw new IllegalArgumentException("No Wi-Fi lock " + lockId);
        }
        return Lock.reportingItsState(length -> {
            UnlockCommand command = new UnlockCommand(lockId, counters.next(lockId),
                    clock.instant().plus(UnlockCommand.LIFETIME), length);
            // Expires on the broker too: never delivered later to a lock that was away.
            publish("site/v1/" + lockId + "/down/unlock", command.encode(secret), UnlockCommand.LIFETIME);
        });
    }

    private void publish(String topic, byte[] payload) {
        publish(topic, payload, Duration.ofMinutes(1));
    }

    private void publish(String topic, byte[] payload, Duration expiry) {
        try {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            MqttProperties properties = new MqttProperties();
            properties.setMessageExpiryInterval(expiry.toSeconds());
            message.setProperties(properties);
            client.publish(topic, message);
        } catch (MqttException e) {
            LOG.log(Level.WARNING, "Could not publish on the site broker (" + topic + "): " + e.getMessage());
        }
    }

    private void handle(String topic, byte[] payload) {
        Matcher m = UP.matcher(topic);
        if (!m.matches()) {
            reject(topic, payload.length, "not a device topic");
            return;
        }
        String device = m.group(1);
        switch (m.group(2)) {
            case "keypad" -> answer(device, topic, payload.length, input.keypad(device, payload));
            case "qr" -> answer(device, topic, payload.length, input.qr(device, payload));
            case "state" -> {
                try {
                    reports.report(device, payload);
                } catch (IllegalArgumentException e) {
                    reject(topic, payload.length, e.getMessage());
                }
            }
            default -> reject(topic, payload.length, "not a topic the gateway reads");
        }
    }

    private void answer(String device, String topic, int bytes, DeviceInput.Outcome outcome) {
        switch (outcome) {
            case DeviceInput.Outcome.Decided d -> publish("site/v1/" + device + "/down/result",
                    DeviceInput.json(d.decision()).getBytes(StandardCharsets.US_ASCII));
            case DeviceInput.Outcome.Refused r -> {
                reject(topic, bytes, r.message());
                publish("site/v1/" + device + "/down/result",
                        ("{\"error\":\"" + r.refusal().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "\"}")
                                .getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private void reject(String topic, int bytes, String reason) {
        rejected.incrementAndGet();
        rejections.rejected(topic, bytes, reason);
    }

    @Override
    public void close() {
        connector.shutdownNow();
        inbound.close();
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.log(Level.DEBUG, "Site MQTT close: " + e.getMessage());
        }
    }

    /** Paho's callbacks; never blocks, never throws. */
    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            try {
                client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                    new org.eclipse.paho.mqttv5.common.MqttSubscription("site/v1/+/up/#", 1)});
                LOG.log(Level.INFO, "Connected to the site broker " + serverUri);
            } catch (MqttException e) {
                // Connected but deaf helps nobody: drop the connection, and the reconnect subscribes again.
                LOG.log(Level.WARNING, "Cannot subscribe on the site broker; reconnecting: " + e.getMessage());
                connector.execute(() -> {
                    try {
                        client.disconnectForcibly(0, 1000, false);
                    } catch (MqttException ignored) {
                        // the automatic reconnect takes over
                    }
                });
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload();
            if (message.isRetained()) {
                // The broker keeps nothing (retain_available false); a retained message is never a fresh one.
                reject(topic, payload.length, "retained");
                return;
            }
            inbound.submit(payload.length, () -> {
                try {
                    handle(topic, payload);
                } catch (RuntimeException e) {
                    reject(topic, payload.length, "could not be handled: " + e.getMessage());
                }
            });
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.log(Level.WARNING, "Disconnected from the site broker; reconnecting");
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.log(Level.WARNING, "Site MQTT error: " + exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

}
