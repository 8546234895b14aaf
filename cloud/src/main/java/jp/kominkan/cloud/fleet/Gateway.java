package jp.kominkan.cloud.fleet;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A building's gateway and how far it has followed its grant stream.
 *
 * @param id         gateway id
 * @param facilityId the building
 * @param name       name
 * @param streamHead number of the last stream entry written
 * @param lastAck    highest number the gateway has acknowledged as durably applied
 * @param lastSeen   when it was last heard from
 */
public record Gateway(String id, long facilityId, String name, long streamHead, long lastAck, Optional<Instant> lastSeen) {

    /** Checks the fields are present. */
    public Gateway {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }

    /** @return entries written but not yet acknowledged */
    public long lag() {
        return streamHead - lastAck;
    }
}
