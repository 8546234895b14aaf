package jp.kominkan.cloud.fleet;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A building's gateway and how far it has followed its grant stream.
 *
 * @param id             gateway id
 * @param municipalityId its municipality
 * @param facilityId     the building
 * @param name           name
 * @param streamHead     number of the last stream entry written
 * @param lastAck        highest number the gateway has acknowledged as durably applied
 * @param lastSeen       when it was last heard from
 * @param decommissioned when it was taken out of service: its certificates are revoked, its messages refused
 * @param brokerShard    the MQTT broker shard it is on ({@link BrokerShards})
 */
public record Gateway(String id, long municipalityId, long facilityId, String name, long streamHead, long lastAck,
                      Optional<Instant> lastSeen, Optional<Instant> decommissioned, String brokerShard) {

    /** Checks the fields are present. */
    public Gateway {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(decommissioned, "decommissioned");
        Objects.requireNonNull(brokerShard, "brokerShard");
    }

    /** @return entries written but not yet acknowledged */
    public long lag() {
        return streamHead - lastAck;
    }

    /** @return whether it is still in service */
    public boolean inService() {
        return decommissioned.isEmpty();
    }
}
