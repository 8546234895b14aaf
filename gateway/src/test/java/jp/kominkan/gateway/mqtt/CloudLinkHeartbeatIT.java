package jp.kominkan.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Grants;
import jp.kominkan.gateway.door.RemoteUnlocks;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.gateway.support.Mosquitto;
import jp.kominkan.gateway.support.Waits;
import jp.kominkan.shared.stream.StreamMessage;
import jp.kominkan.shared.topic.Topic;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat over a real broker: while connected, the gateway sends an ordinary ack of where it
 * stands again and again (the cloud notes every ack's time and marks a silent gateway offline), never a
 * hello that would make the cloud resend.
 */
class CloudLinkHeartbeatIT {

    private static final String GATEWAY = "999991-gw-heartbeat";

    @Test
    void aConnectedGatewayKeepsAckingWhereItStandsWithoutAskingForAnything() throws Exception {
        assertThat(CloudLink.HEARTBEAT).isEqualTo(Duration.ofSeconds(15));
        Path dir = Files.createTempDirectory("heartbeat");
        List<StreamMessage> acks = new CopyOnWriteArrayList<>();
        try (Mosquitto broker = Mosquitto.start();
             GrantStore grants = GrantStore.open(dir.resolve("grants.log"), Grants.VERIFIER);
             EventJournal journal = EventJournal.open(dir)) {
            grants.replaceWith(3, List.of(), Instant.now());
            MqttClient cloud = new MqttClient(broker.uri(), "heartbeat-cloud", new MemoryPersistence());
            cloud.connect();
            // Paho 1.2.5's subscribe(topic, qos, listener) recurses into itself: subscribe with a listener array.
            cloud.subscribe(new MqttSubscription[] {new MqttSubscription(Topic.ack(GATEWAY).name(), 1)},
                    new IMqttMessageListener[] {(topic, message) -> acks.add(StreamMessage.decode(message.getPayload()))});
            try (CloudLink link = new CloudLink(broker.uri(), Optional.empty(), GATEWAY, grants, journal, Grants.VERIFIER,
                    RemoteUnlocks.none(), Clock.systemUTC())) {
                link.heartbeatEvery(Duration.ofMillis(200));
                link.start();
                Waits.until("the hello and three heartbeats", Duration.ofSeconds(10), () -> acks.size() >= 4);
                // One hello on connecting (a heartbeat may go just before it); every other ack asks for nothing.
                StreamMessage.Ack hello = new StreamMessage.Ack(3, true, StreamMessage.Ack.FEATURES);
                assertThat(acks).filteredOn(ack -> ack.equals(hello)).hasSize(1);
                assertThat(acks).filteredOn(ack -> !ack.equals(hello)).hasSizeGreaterThanOrEqualTo(3)
                        .allSatisfy(ack -> assertThat(ack).isEqualTo(new StreamMessage.Ack(3, false, StreamMessage.Ack.FEATURES)));
            }
            cloud.disconnect();
            cloud.close();
        }
    }
}
