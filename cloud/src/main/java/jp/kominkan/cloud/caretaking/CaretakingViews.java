package jp.kominkan.cloud.caretaking;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import jp.kominkan.cloud.alarm.Alarm;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.shared.door.DoorState;

/**
 * The door board and alarms as JSON ({@code GET /api/v1/staff/doors}, {@code GET /api/v1/staff/alarms}, and
 * the board's server-sent events). Bookings appear by id and time only: a caretaker needs to know a
 * room is in use, not by whom.
 */
public final class CaretakingViews {

    private CaretakingViews() {
    }

    /**
     * One door.
     *
     * @param id            door id
     * @param name          door name
     * @param roomId        room
     * @param room          room name
     * @param facilityId    facility
     * @param facility      facility name
     * @param status        the one word ({@link DoorState.Status#wire()})
     * @param statusLabel   the word in Japanese
     * @param lock          locked / unlocked / jammed / unknown
     * @param contact       open / closed / unknown
     * @param ajar          open too long
     * @param forced        forced open, not closed since
     * @param tamper        tampering reported
     * @param lockOnline    false while a smart lock does not answer
     * @param battery       battery level, or null
     * @param lockedOut     whether the keypad refuses codes now
     * @param remoteUntil   until when a remote unlock holds it, or null
     * @param lastEvent     the last event's type, or null
     * @param lastEventAt   its time, or null
     * @param lastReservationId the booking the last event belongs to, or null
     * @param gateway       its gateway
     * @param current       the booking under way in its room, or null
     * @param next          the room's next booking, or null
     */
    public record DoorView(String id, String name, long roomId, String room, long facilityId, String facility, String status,
                           String statusLabel, String lock, String contact, boolean ajar, boolean forced, boolean tamper,
                           boolean lockOnline, Integer battery, boolean lockedOut, String remoteUntil, String lastEvent,
                           String lastEventAt, String lastReservationId, GatewayView gateway, BookingView current,
                           BookingView next) {

        static DoorView of(DoorBoard.BoardDoor d, ZoneId zone) {
            DoorState s = d.state();
            DoorBoard.Row p = d.place();
            return new DoorView(p.doorId(), p.name(), p.roomId(), p.roomName(), p.facilityId(), p.facilityName(),
                    d.status().wire(), d.status().japanese(), s.lock().wire(), s.contact().wire(), s.ajar(), s.forced(),
                    s.tamper(), s.lockOnline(), s.battery().orElse(null), d.lockedOut(), time(s.remoteUntil(), zone),
                    s.lastType().map(t -> t.wire()).orElse(null), time(s.lastAt(), zone),
                    s.lastReservation().map(Object::toString).orElse(null),
                    new GatewayView(p.gatewayId(), p.gatewayName(), d.online(), time(p.lastSeen(), zone)),
                    d.current().map(b -> BookingView.of(b, zone)).orElse(null),
                    d.next().map(b -> BookingView.of(b, zone)).orElse(null));
        }
    }

    /**
     * A door's gateway.
     *
     * @param id       its id
     * @param name     its name
     * @param online   heard from recently
     * @param lastSeen last heard from, or null
     */
    public record GatewayView(String id, String name, boolean online, String lastSeen) {
    }

    /**
     * A booking of a door's room.
     *
     * @param reservationId the booking
     * @param start         start
     * @param end           end
     */
    public record BookingView(String reservationId, String start, String end) {

        static BookingView of(DoorBoard.Booking b, ZoneId zone) {
            return new BookingView(b.id().toString(), IsoTimes.format(b.start(), zone), IsoTimes.format(b.end(), zone));
        }
    }

    /**
     * One alarm.
     *
     * @param id             its id
     * @param kind           what
     * @param label          what, in Japanese
     * @param facilityId     the facility
     * @param doorId         the door, or null
     * @param gatewayId      the gateway, or null
     * @param reservationId  the booking, or null
     * @param detail         a detail, or null
     * @param raisedAt       first occurrence
     * @param lastAt         latest occurrence
     * @param occurrences    how many
     * @param state          open / acknowledged / cleared
     * @param escalatedAt    when mailed, or null
     * @param acknowledgedAt when acknowledged, or null
     * @param acknowledgedBy by whom (staff id), or null
     * @param note           their note, or null
     * @param clearedAt      when it cleared by itself, or null
     */
    public record AlarmView(String id, String kind, String label, long facilityId, String doorId, String gatewayId,
                            String reservationId, String detail, String raisedAt, String lastAt, int occurrences,
                            String state, String escalatedAt, String acknowledgedAt, String acknowledgedBy, String note,
                            String clearedAt) {

        static AlarmView of(Alarm a, ZoneId zone) {
            String state = a.acknowledgedAt().isPresent() ? "acknowledged" : a.clearedAt().isPresent() ? "cleared" : "open";
            return new AlarmView(a.id().toString(), a.kind().wire(), a.kind().japanese(), a.facilityId(),
                    a.doorId().orElse(null), a.gatewayId().orElse(null), a.reservationId().map(Object::toString).orElse(null),
                    a.detail().orElse(null), IsoTimes.format(a.raisedAt(), zone), IsoTimes.format(a.lastAt(), zone),
                    a.occurrences(), state, time(a.escalatedAt(), zone), time(a.acknowledgedAt(), zone),
                    a.acknowledgedBy().map(Object::toString).orElse(null), a.note().orElse(null), time(a.clearedAt(), zone));
        }
    }

    /**
     * A remote unlock sent.
     *
     * @param id        the order
     * @param doorId    the door
     * @param until     when it locks again
     * @param reason    why
     * @param streamSeq its number in the gateway's stream
     */
    public record UnlockView(String id, String doorId, String until, String reason, long streamSeq) {
    }

    static String time(Optional<Instant> at, ZoneId zone) {
        return at.map(i -> IsoTimes.format(i, zone)).orElse(null);
    }
}
