package jp.kominkan.gateway.support;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jp.kominkan.gateway.site.UnlockCommand;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * A Wi-Fi smart lock on the gateway's own broker, as a lock maker would build one: it logs in with
 * its own password, takes commands on {@code site/v1/<id>/down/unlock} and obeys only those it can
 * {@linkplain UnlockCommand#check check}, reports {@code {"state":…}} on {@code …/up/state}, and
 * its last will says it went offline.
 */
public final class MqttLockSimulator implements AutoCloseable {

    private final String id;
    private final byte[] secret;
    private final Clock clock;
    private final MqttClient client;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private volatile long lastCounter;
    private volatile int unlocks;

    /**
     * @param port   the local broker's port
     * @param id     the lock's device id (its user name)
     * @param secret its secret (it logs in with {@link UnlockCommand#brokerPassword})
     * @param clock  its clock
     * @throws MqttException when it cannot log in
     */
    public MqttLockSimulator(int port, String id, byte[] secret, Clock clock) throws MqttException {
        this.id = id;
        this.secret = secret.clone();
        this.clock = clock;
        client = new MqttClient("tcp://127.0.0.1:" + port, "lock-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(id);
        options.setPassword(UnlockCommand.brokerPassword(secret));   // its login is derived from its secret
        MqttMessage will = new MqttMessage("{\"state\":\"offline\"}".getBytes(StandardCharsets.US_ASCII));
        will.setQos(1);
        options.setWill("site/v1/" + id + "/up/state", will);
        // Paho 1.2.5's subscribe(topic, qos, listener) recurses forever: take messages through the callback.
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                unlock(message.getPayload());
            }

            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
            }
        });
        client.connect(options);
        client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
            new org.eclipse.paho.mqttv5.common.MqttSubscription("site/v1/" + id + "/down/unlock", 1)});
        report("locked");
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
     * @throws MqttException when it cannot
     */
    public void report(String state) throws MqttException {
        MqttMessage message = new MqttMessage(("{\"state\":\"" + state + "\",\"battery\":80}").getBytes(StandardCharsets.US_ASCII));
        message.setQos(1);
        client.publish("site/v1/" + id + "/up/state", message);
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

    /** Drops off the network without a goodbye: the broker publishes its last will. */
    public void vanish() {
        try {
            client.disconnectForcibly(0, 0, false);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close(true);
        } catch (MqttException e) {
            // closing
        }
    }
}
