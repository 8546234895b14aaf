package jp.kominkan.cloud.operations;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One entry of the staff operation log (操作ログ), as stored.
 *
 * @param municipalityId the municipality
 * @param seq            its number in the municipality's chain, from 1, without gaps
 * @param occurredAt     when
 * @param staffId        who (empty for the command line)
 * @param role           their role then
 * @param action         what, e.g. {@code reservation.cancel}
 * @param targetType     the kind of record, e.g. {@code reservation}
 * @param targetId       which record
 * @param facilityId     the facility it concerns, if any
 * @param before         the record before (JSON), if it existed
 * @param after          the record after (JSON), if it exists
 * @param source         the address the request came from
 * @param prevHash       the previous entry's hash (64 zeros for the first)
 * @param hash           this entry's hash
 */
public record Operation(long municipalityId, long seq, Instant occurredAt, Optional<UUID> staffId, String role,
                        String action, String targetType, String targetId, Optional<Long> facilityId,
                        Optional<String> before, Optional<String> after, String source, String prevHash, String hash) {

    /** Checks the fields are present. */
    public Operation {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetId, "targetId");
    }
}
