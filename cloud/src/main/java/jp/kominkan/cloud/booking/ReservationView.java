package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

import jp.kominkan.cloud.web.IsoTimes;

/**
 * A reservation as the API shows it, with times in the facility's local offset (+09:00).
 *
 * @param id            reservation id
 * @param status        held, confirmed, cancelled or expired
 * @param roomId        the room
 * @param start         first slot
 * @param end           end of the last slot
 * @param purpose       purpose of use
 * @param attendees     people
 * @param amount        fee in yen
 * @param currency      always JPY
 * @param holdExpiresAt while held: the payment deadline
 * @param createdAt     when it was made
 */
public record ReservationView(UUID id, String status, long roomId, String start, String end, String purpose,
                              int attendees, int amount, String currency, String holdExpiresAt, String createdAt) {

    /**
     * @param r    the reservation
     * @param zone the facility's zone
     * @param now  now, for the status as it stands
     * @return the view
     */
    public static ReservationView of(Reservation r, ZoneId zone, Instant now) {
        ReservationStatus status = r.statusAt(now);
        return new ReservationView(r.id(), status.wire(), r.roomId(), format(r.range().start(), zone),
                format(r.range().end(), zone), r.purpose(), r.attendees(), r.amount(), "JPY",
                status == ReservationStatus.HELD ? format(r.holdDeadline().orElseThrow(), zone) : null,
                format(r.createdAt(), zone));
    }

    static String format(Instant instant, ZoneId zone) {
        return IsoTimes.format(instant, zone);
    }
}
