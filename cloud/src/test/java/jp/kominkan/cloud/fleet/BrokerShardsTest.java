package jp.kominkan.cloud.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

/** Reading {@code kominkan.mqtt}: one broker or shards, and a setting at fault named with its entry. */
class BrokerShardsTest {

    static BrokerShards read(Map<String, String> settings) {
        return BrokerShards.fromConfig(Config.just(ConfigSources.create(settings)));
    }

    static Map<String, String> twoShards() {
        Map<String, String> settings = new HashMap<>();
        settings.put("shards.0.id", "north");
        settings.put("shards.0.broker", "ssl://10.0.0.5:8883");
        settings.put("shards.0.gateway-broker", "ssl://mqtt-north.city.example:8883");
        settings.put("shards.0.broker-files", "/etc/mosquitto/north");
        settings.put("shards.1.id", "south");
        settings.put("shards.1.broker", "ssl://mqtt-south.city.example:8883");
        return settings;
    }

    @Test
    void oneBrokerIsTheShardDefaultAndNoBrokerStillTellsGatewaysWhereToGo() {
        BrokerShards one = read(Map.of("broker", "ssl://mqtt.city.example:8883", "broker-files", "/etc/mosquitto/k",
                "broker-pid-file", "/run/mosquitto.pid"));
        assertThat(one.all()).containsExactly(new BrokerShards.Shard(BrokerShards.DEFAULT,
                Optional.of("ssl://mqtt.city.example:8883"), "ssl://mqtt.city.example:8883",
                Optional.of(Path.of("/etc/mosquitto/k")), Optional.of(Path.of("/run/mosquitto.pid"))));

        BrokerShards none = read(Map.of());
        assertThat(none.ids()).containsExactly(BrokerShards.DEFAULT);
        assertThat(none.all().getFirst().broker()).isEmpty();
        assertThat(none.all().getFirst().gatewayBroker()).isEqualTo("ssl://localhost:8883");
    }

    @Test
    void shardsAreReadInOrderEachWithItsOwnBrokerAndFiles() {
        BrokerShards shards = read(twoShards());
        assertThat(shards.ids()).containsExactly("north", "south");
        assertThat(shards.find("north").orElseThrow().gatewayBroker()).isEqualTo("ssl://mqtt-north.city.example:8883");
        assertThat(shards.find("north").orElseThrow().brokerFiles()).contains(Path.of("/etc/mosquitto/north"));
        assertThat(shards.find("south").orElseThrow().gatewayBroker()).isEqualTo("ssl://mqtt-south.city.example:8883");
        assertThat(shards.find("south").orElseThrow().brokerFiles()).isEmpty();
        assertThat(shards.find("east")).isEmpty();
    }

    @Test
    void theLeastUsedShardIsChosenAndTheFirstOnATie() {
        BrokerShards shards = read(twoShards());
        assertThat(shards.leastUsed(Map.of())).isEqualTo("north");
        assertThat(shards.leastUsed(Map.of("north", 3L, "south", 3L))).isEqualTo("north");
        assertThat(shards.leastUsed(Map.of("north", 3L, "south", 2L))).isEqualTo("south");
        // Gateways on a shard no longer configured do not count for any.
        assertThat(shards.leastUsed(Map.of("north", 1L, "retired", 0L))).isEqualTo("south");
    }

    @Test
    void aBadSettingIsNamedWithItsEntry() {
        Map<String, String> twice = twoShards();
        twice.put("shards.1.id", "north");
        assertThatThrownBy(() -> read(twice)).hasMessageContaining("'north' is used twice");

        Map<String, String> badId = twoShards();
        badId.put("shards.1.id", "South/1");
        assertThatThrownBy(() -> read(badId)).hasMessageStartingWith("kominkan.mqtt.shards[1].id:");

        Map<String, String> noBroker = twoShards();
        noBroker.remove("shards.1.broker");
        assertThatThrownBy(() -> read(noBroker)).hasMessage("kominkan.mqtt.shards[1].broker: missing");

        Map<String, String> badUri = twoShards();
        badUri.put("shards.0.gateway-broker", "https://mqtt.city.example");
        assertThatThrownBy(() -> read(badUri)).hasMessageStartingWith("kominkan.mqtt.shards[0].gateway-broker:");

        Map<String, String> both = twoShards();
        both.put("broker", "ssl://mqtt.city.example:8883");
        assertThatThrownBy(() -> read(both)).hasMessageContaining("either broker (one broker) or shards");

        assertThatThrownBy(() -> read(Map.of("broker", "mqtt.city.example"))).hasMessageStartingWith("kominkan.mqtt.broker:");
    }
}
