package jp.kominkan.cloud.fleet;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * The MQTT brokers gateways are spread over (docs/deploy.md, "Brokers in shards"). Each gateway
 * belongs to one shard ({@code gateway.broker_shard}); its site profile names that shard's broker,
 * and the cloud runs one bridge per shard, so a shard's broker restarting touches only its gateways.
 *
 * <p>Configured as {@code kominkan.mqtt.shards: [{id, broker, gateway-broker, broker-files,
 * broker-pid-file}, …]}. Without {@code shards}, {@code kominkan.mqtt.broker} and its settings are the
 * one shard {@value #DEFAULT}, which is also what every gateway registered before shards belongs to.
 *
 * @param all the shards, in the order configured (the first breaks a tie when choosing one)
 */
public record BrokerShards(List<Shard> all) {

    /** The shard of a one-broker setup, and of gateways registered before shards. */
    public static final String DEFAULT = "default";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final String FALLBACK_GATEWAY_BROKER = "ssl://localhost:8883";

    /** Checks there is at least one shard and no id twice. */
    public BrokerShards {
        all = List.copyOf(all);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("kominkan.mqtt.shards: name at least one shard");
        }
        Set<String> ids = new HashSet<>();
        for (Shard shard : all) {
            if (!ids.add(shard.id())) {
                throw new IllegalArgumentException("kominkan.mqtt.shards: the id '" + shard.id() + "' is used twice");
            }
        }
    }

    /**
     * One broker and the gateways on it.
     *
     * @param id            a short name: a-z, 0-9 and -, 1 to 32 characters
     * @param broker        the broker the cloud connects to; empty: none yet (grants wait in the outbox)
     * @param gatewayBroker the broker URI written into its gateways' site profiles
     * @param brokerFiles   the folder where the cloud rewrites the broker's CRL and ACL, when it is on this machine
     * @param brokerPidFile the broker's pid file, to have it reload them (SIGHUP)
     */
    public record Shard(String id, Optional<String> broker, String gatewayBroker, Optional<Path> brokerFiles,
                        Optional<Path> brokerPidFile) {

        /** Checks the id and the URIs. */
        public Shard {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException("id: a shard id is 1 to 32 of a-z 0-9 and -, starting with a letter"
                        + " or digit (got '" + id + "')");
            }
            broker.ifPresent(uri -> requireBroker("broker", uri));
            requireBroker("gateway-broker", gatewayBroker);
        }

        private static void requireBroker(String field, String uri) {
            URI parsed;
            try {
                parsed = URI.create(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": not a URI: " + uri, e);
            }
            if (!"ssl".equals(parsed.getScheme()) && !"tcp".equals(parsed.getScheme()) || parsed.getHost() == null
                    || parsed.getPort() < 1) {
                throw new IllegalArgumentException(field + ": write ssl://host:port (tcp:// only on loopback tests),"
                        + " got " + uri);
            }
        }
    }

    /**
     * @param mqtt the {@code kominkan.mqtt} node
     * @return the shards it configures
     * @throws IllegalArgumentException naming the entry and the setting at fault
     */
    public static BrokerShards fromConfig(Config mqtt) {
        List<Config> entries = mqtt.get("shards").asNodeList().orElse(List.of());
        if (entries.isEmpty()) {
            Optional<String> broker = mqtt.get("broker").asString().asOptional();
            try {
                return new BrokerShards(List.of(new Shard(DEFAULT, broker,
                        mqtt.get("gateway-broker").asString().asOptional().or(() -> broker).orElse(FALLBACK_GATEWAY_BROKER),
                        path(mqtt, "broker-files"), path(mqtt, "broker-pid-file"))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kominkan.mqtt." + e.getMessage(), e);
            }
        }
        if (mqtt.get("broker").exists()) {
            throw new IllegalArgumentException("kominkan.mqtt: set either broker (one broker) or shards, not both");
        }
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            try {
                String broker = entry.get("broker").asString().asOptional()
                        .orElseThrow(() -> new IllegalArgumentException("broker: missing"));
                shards.add(new Shard(entry.get("id").asString().orElse(null), Optional.of(broker),
                        entry.get("gateway-broker").asString().orElse(broker), path(entry, "broker-files"),
                        path(entry, "broker-pid-file")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kominkan.mqtt.shards[" + i + "]." + e.getMessage(), e);
            }
        }
        return new BrokerShards(shards);
    }

    /**
     * @param id a shard id
     * @return the shard, when configured
     */
    public Optional<Shard> find(String id) {
        return all.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** @return the shard ids, in the order configured */
    public List<String> ids() {
        return all.stream().map(Shard::id).toList();
    }

    /**
     * @param gatewaysPerShard gateways in service on each shard
     * @return the shard with the fewest, the first configured on a tie
     */
    public String leastUsed(Map<String, Long> gatewaysPerShard) {
        Shard best = all.getFirst();
        for (Shard shard : all) {
            if (gatewaysPerShard.getOrDefault(shard.id(), 0L) < gatewaysPerShard.getOrDefault(best.id(), 0L)) {
                best = shard;
            }
        }
        return best.id();
    }

    private static Optional<Path> path(Config node, String key) {
        return node.get(key).asString().asOptional().map(Path::of);
    }
}
