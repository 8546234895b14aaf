package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
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
 * @param accessCode    the booking code, only to its resident while confirmed and not over
 * @param doors         the doors the code opens, alongside {@code accessCode}
 */
public record ReservationView(UUID id, String status, long roomId, String start, String end, String purpose,
                              int attendees, int amount, String currency, String holdExpiresAt, String createdAt,
                              String accessCode, List<DoorView> doors, Fee fee) {

    /**
     * @param r    the reservation
     * @param zone the facility's zone
     * @param now  now, for the status as it stands
     * @return the view
     */
    public static ReservationView of(Reservation r, ZoneId zone, Instant now) {
        return of(r, zone, now, Optional.empty());
    }

    /**
     * @param r      the reservation
     * @param zone   the facility's zone
     * @param now    now
     * @param access its code and doors, where the caller may see them
     * @return the view
     */
    public static ReservationView of(Reservation r, ZoneId zone, Instant now, Optional<BookingService.Access> access) {
        ReservationStatus status = r.statusAt(now);
        return new ReservationView(r.id(), status.wire(), r.roomId(), IsoTimes.format(r.range().start(), zone),
                IsoTimes.format(r.range().end(), zone), r.purpose(), r.attendees(), r.amount(), "JPY",
                status == ReservationStatus.HELD ? IsoTimes.format(r.holdDeadline().orElseThrow(), zone) : null,
                IsoTimes.format(r.createdAt(), zone), access.map(a -> a.code().digits()).orElse(null),
                access.map(a -> a.doors().stream().map(d -> new DoorView(d.id(), d.name())).toList()).orElse(null),
                null);
    }

    /**
     * @param quote the fee as it was frozen when booked (or after a 減免 decision)
     * @return this view with its itemised fee
     */
    public ReservationView withFee(jp.kominkan.cloud.fee.Quote quote) {
        return new ReservationView(id, status, roomId, start, end, purpose, attendees, amount, currency, holdExpiresAt,
                createdAt, accessCode, doors, new Fee(quote.lines().stream().map(l -> new QuoteHttpService.Line(
                        l.kind().name().toLowerCase(java.util.Locale.ROOT), l.code(), l.labelJa(), l.labelEn(), l.yen()))
                        .toList(), quote.total(), quote.scheduleSource()));
    }

    /**
     * A booking's itemised fee, as frozen on it.
     *
     * @param lines  itemised
     * @param total  yen
     * @param source the schedule it followed
     */
    public record Fee(List<QuoteHttpService.Line> lines, long total, String source) {
    }

    /**
     * A door the code opens.
     *
     * @param id   door id
     * @param name its name
     */
    public record DoorView(String id, String name) {
    }
}
