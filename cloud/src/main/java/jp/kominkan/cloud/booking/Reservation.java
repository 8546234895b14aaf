package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.shared.slot.SlotRange;

/**
 * A booking of one room for a run of 15-minute slots (予約).
 *
 * @param id             reservation id
 * @param municipalityId owner
 * @param roomId         the room
 * @param accountId      who booked it
 * @param status         where it is in its life
 * @param range          the slots it takes
 * @param purpose        what the room is used for (利用目的)
 * @param attendees      how many people come
 * @param amount         the fee in yen
 * @param holdDeadline   while held: when it expires unless paid or approved
 * @param createdAt      when it was made
 */
public record Reservation(UUID id, long municipalityId, long roomId, UUID accountId, ReservationStatus status,
                          SlotRange range, String purpose, int attendees, int amount,
                          Optional<Instant> holdDeadline, Instant createdAt) {

    /** Checks the fields are present and consistent. */
    public Reservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(holdDeadline, "holdDeadline");
        Objects.requireNonNull(createdAt, "createdAt");
        if (status == ReservationStatus.HELD && holdDeadline.isEmpty()) {
            throw new IllegalArgumentException("A held reservation needs a deadline");
        }
    }

    /**
     * The status as it stands now: a hold past its deadline is expired even before the sweeper
     * has written so.
     *
     * @param now now
     * @return the status
     */
    public ReservationStatus statusAt(Instant now) {
        if (status == ReservationStatus.HELD && !holdDeadline.orElseThrow().isAfter(now)) {
            return ReservationStatus.EXPIRED;
        }
        return status;
    }
}
