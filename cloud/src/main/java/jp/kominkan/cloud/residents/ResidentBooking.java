package jp.kominkan.cloud.residents;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.shared.slot.SlotRange;

/**
 * One of a resident's bookings as their page lists it.
 *
 * @param id           the reservation
 * @param facilityId   its facility
 * @param facilityName the facility's name
 * @param roomName     the room's name
 * @param range        when
 * @param status       the stored status
 * @param holdDeadline the payment deadline while held
 * @param amount       the fee, yen
 */
public record ResidentBooking(UUID id, long facilityId, String facilityName, String roomName, SlotRange range,
                              ReservationStatus status, Optional<Instant> holdDeadline, int amount) {

    /** Checks the fields are present. */
    public ResidentBooking {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(facilityName, "facilityName");
        Objects.requireNonNull(roomName, "roomName");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(holdDeadline, "holdDeadline");
    }

    /** @return the number people read out: the first eight characters of the id, upper-case */
    public String number() {
        return id.toString().substring(0, 8).toUpperCase(Locale.ROOT);
    }

    /**
     * @param now now
     * @return the status as it stands (a hold past its deadline has expired)
     */
    public ReservationStatus statusAt(Instant now) {
        return status == ReservationStatus.HELD && holdDeadline.map(d -> !d.isAfter(now)).orElse(false)
                ? ReservationStatus.EXPIRED : status;
    }

    /**
     * @param now now
     * @return whether it is still to come and holds its slots: what a suspension leaves staff to decide on
     */
    public boolean upcomingAt(Instant now) {
        ReservationStatus current = statusAt(now);
        return (current == ReservationStatus.HELD || current == ReservationStatus.CONFIRMED) && range.end().isAfter(now);
    }
}
