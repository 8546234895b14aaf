package jp.kominkan.cloud.operations;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which operation log entries to read.
 *
 * @param from       from this moment
 * @param until      before this moment
 * @param staffId    by this member of staff
 * @param target     about this record id, or this kind of record
 * @param facilities only entries about these facilities (a scoped reader); empty: all
 * @param limit      at most this many
 */
public record OperationFilter(Optional<Instant> from, Optional<Instant> until, Optional<UUID> staffId,
                              Optional<String> target, Optional<Set<Long>> facilities, int limit) {

    /** Checks the fields are present. */
    public OperationFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(staffId, "staffId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(facilities, "facilities");
        facilities = facilities.map(Set::copyOf);
    }

    /** @return every entry, up to the most one query returns */
    public static OperationFilter all() {
        return new OperationFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), OperationLog.MAX_ROWS);
    }
}
