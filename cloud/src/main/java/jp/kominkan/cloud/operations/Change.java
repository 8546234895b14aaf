package jp.kominkan.cloud.operations;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a staff write changed, for the operation log: the action, the record, and its state before
 * and after as flat maps (written as JSON with sorted keys). Residents' personal data go in only as
 * references (an account id), never as names or contacts.
 *
 * @param action     e.g. {@code facility.update}
 * @param targetType e.g. {@code facility}
 * @param targetId   e.g. the facility's id
 * @param facilityId the facility it concerns, if any (what a facility administrator may read)
 * @param before     the state before; empty for a creation
 * @param after      the state after; empty for a removal
 */
public record Change(String action, String targetType, String targetId, Optional<Long> facilityId,
                     Optional<Map<String, ?>> before, Optional<Map<String, ?>> after) {

    /** Checks the fields are present. */
    public Change {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(facilityId, "facilityId");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    /**
     * @param action     the action
     * @param targetType the kind of record
     * @param targetId   which
     * @param facilityId the facility, or null
     * @param before     before, or null
     * @param after      after, or null
     * @return the change
     */
    public static Change of(String action, String targetType, Object targetId, Long facilityId,
                            Map<String, ?> before, Map<String, ?> after) {
        return new Change(action, targetType, String.valueOf(targetId), Optional.ofNullable(facilityId),
                Optional.ofNullable(before), Optional.ofNullable(after));
    }
}
