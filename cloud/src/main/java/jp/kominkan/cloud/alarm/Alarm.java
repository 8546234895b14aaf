package jp.kominkan.cloud.alarm;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One alarm and what became of it.
 *
 * @param id             its id
 * @param municipalityId the municipality
 * @param facilityId     the facility
 * @param kind           what it is about
 * @param dedupeKey      repeated occurrences with this key while it is open count on this alarm
 * @param doorId         the door, if about one
 * @param gatewayId      the gateway, if about one
 * @param reservationId  the booking it belongs to, if any
 * @param detail         a short detail (a battery level, a holder's name)
 * @param raisedAt       first occurrence
 * @param lastAt         latest occurrence
 * @param occurrences    how many times it occurred while open
 * @param escalatedAt    when caretakers were mailed about it
 * @param acknowledgedAt when someone took it on
 * @param acknowledgedBy who
 * @param note           their note
 * @param clearedAt      when its condition went away by itself (the gateway came back)
 */
public record Alarm(UUID id, long municipalityId, long facilityId, AlarmKind kind, String dedupeKey,
                    Optional<String> doorId, Optional<String> gatewayId, Optional<UUID> reservationId,
                    Optional<String> detail, Instant raisedAt, Instant lastAt, int occurrences,
                    Optional<Instant> escalatedAt, Optional<Instant> acknowledgedAt, Optional<UUID> acknowledgedBy,
                    Optional<String> note, Optional<Instant> clearedAt) {

    /** Checks the fields are present. */
    public Alarm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(raisedAt, "raisedAt");
        Objects.requireNonNull(lastAt, "lastAt");
    }

    /** @return whether it still wants someone: neither acknowledged nor cleared */
    public boolean open() {
        return acknowledgedAt.isEmpty() && clearedAt.isEmpty();
    }

    /**
     * Something that should raise an alarm (or count on the open one with its key).
     *
     * @param municipalityId the municipality
     * @param facilityId     the facility
     * @param kind           what
     * @param dedupeKey      its dedupe key
     * @param doorId         the door, or null
     * @param gatewayId      the gateway, or null
     * @param reservationId  the booking, or null
     * @param eventId        the door event that raised it, or null
     * @param detail         a detail, or null
     * @param at             when it occurred
     */
    public record Raise(long municipalityId, long facilityId, AlarmKind kind, String dedupeKey, String doorId,
                        String gatewayId, UUID reservationId, UUID eventId, String detail, Instant at) {

        /** Checks the fields. */
        public Raise {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(dedupeKey, "dedupeKey");
            Objects.requireNonNull(at, "at");
            if (dedupeKey.length() > 200 || (detail != null && detail.length() > 200)) {
                throw new IllegalArgumentException("dedupe key and detail are at most 200 characters");
            }
        }
    }
}
