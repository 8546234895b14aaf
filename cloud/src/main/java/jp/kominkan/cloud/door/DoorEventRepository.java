package jp.kominkan.cloud.door;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.shared.event.DoorEvent;

/**
 * Door events, stored once per id: a resent event hits the primary key and is counted as a
 * duplicate, not stored again.
 */
public final class DoorEventRepository {

    private static final String INSERT = """
            insert into door_event (id, door_id, gateway_id, event_type, occurred_at, grant_id, reason, received_at,
                                    reservation_id)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String GRANT_RESERVATION = "select reservation_id from access_grant where id = ? and door_id = ?";
    /** Bookings of the door's room near the event; the margin is the room's (grants open that early). */
    private static final String ROOM_BOOKINGS = """
            select r.id, r.starts_at, r.ends_at, m.grant_margin_minutes from door d
              join room m on m.id = d.room_id
              join reservation r on r.room_id = m.id
             where d.id = ? and r.status = 'confirmed' and r.starts_at <= ? and r.ends_at >= ?""";
    private static final String DOOR_GATEWAY = "select gateway_id from door where id = ?";
    private static final String DOOR_IN_MUNICIPALITY = """
            select r.facility_id from door d join room r on r.id = d.room_id where d.id = ? and r.municipality_id = ?""";
    private static final String BY_DOOR = """
            select id, door_id, event_type, occurred_at, grant_id, reason from door_event
             where door_id = ? order by occurred_at desc, received_at desc limit ?""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public DoorEventRepository(DbClient db) {
        this.db = db;
    }

    /**
     * @param doorId a door
     * @return the gateway that drives it
     */
    public Optional<String> gatewayOf(String doorId) {
        return db.execute().get(DOOR_GATEWAY, doorId).map(row -> Sql.text(row, "gateway_id"));
    }

    /**
     * @param doorId         a door
     * @param municipalityId a municipality
     * @return whether the door is the municipality's
     */
    public Optional<Long> facilityOf(String doorId, long municipalityId) {
        return db.execute().get(DOOR_IN_MUNICIPALITY, doorId, municipalityId)
                .map(row -> Sql.longValue(row, "facility_id"));
    }

    /**
     * The booking an event belongs to: the booking of the grant that opened the door (none for a shelter
     * code's grant), else, for an event without a grant of this door, the
     * confirmed booking of the door's room whose time, widened by the room's grant margin, holds the
     * event — the one under way rather than the next when two are that close (entered 10:02 for the
     * 10:00 booking, left 11:31 after it ended at 11:30).
     *
     * @param event an event
     * @return the booking, if any
     */
    public Optional<UUID> reservationOf(DoorEvent event) {
        if (event.grantId().isPresent()) {
            Optional<io.helidon.dbclient.DbRow> grant = db.execute().get(GRANT_RESERVATION, event.grantId().get(),
                    event.doorId());
            if (grant.isPresent()) {
                // A shelter code's grant belongs to no booking: its use is never put on a neighbour's booking.
                return Sql.value(grant.get(), "reservation_id").map(v -> UUID.fromString(v.toString()));
            }
        }
        Instant at = event.at();
        record Near(UUID id, Instant start, Instant end, long margin) {
        }
        List<Near> near = Sql.list(db.execute().query(ROOM_BOOKINGS, event.doorId(), Sql.at(at.plus(Duration.ofHours(3))),
                Sql.at(at.minus(Duration.ofHours(3)))), row -> new Near(Sql.uuid(row, "id"), Sql.instant(row, "starts_at"),
                Sql.instant(row, "ends_at"), Sql.integer(row, "grant_margin_minutes")));
        return near.stream()
                .filter(n -> !at.isBefore(n.start().minusSeconds(60 * n.margin())) && at.isBefore(n.end().plusSeconds(60 * n.margin())))
                .min(Comparator.comparing((Near n) -> !at.isBefore(n.start()) && at.isBefore(n.end()) ? 0 : 1)
                        .thenComparing(n -> Duration.between(n.start(), at).abs()))
                .map(Near::id);
    }

    /**
     * Stores an event unless it is there already.
     *
     * @param event       the event
     * @param gatewayId   the gateway that sent it
     * @param reservation the booking it belongs to ({@link #reservationOf})
     * @param now         now
     * @return true when stored now, false for a duplicate
     */
    public boolean storeOnce(DoorEvent event, String gatewayId, Optional<UUID> reservation, Instant now) {
        try {
            db.execute().insert(INSERT, event.id(), event.doorId(), gatewayId, event.type().wire(), Sql.at(event.at()),
                    event.grantId().orElse(null), event.reason().orElse(null), Sql.at(now), reservation.orElse(null));
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param eventId an event the caretakers' desk has handled
     * @param at      when
     */
    public void processed(UUID eventId, Instant at) {
        db.execute().dml("update door_event set processed_at = ? where id = ? and processed_at is null", Sql.at(at), eventId);
    }

    /**
     * @param receivedBefore stored before then (so an event being handled right now is left alone)
     * @param limit          most
     * @return stored events the desk has not handled, oldest first, with their gateway and booking
     */
    public List<Unprocessed> unprocessed(Instant receivedBefore, int limit) {
        return Sql.list(db.execute().query("""
                select id, door_id, gateway_id, event_type, occurred_at, grant_id, reason, reservation_id from door_event
                 where processed_at is null and received_at < ? order by received_at limit ?""", Sql.at(receivedBefore),
                limit), row -> new Unprocessed(Sql.text(row, "gateway_id"), map(row),
                Sql.value(row, "reservation_id").map(v -> UUID.fromString(v.toString()))));
    }

    /**
     * A stored event still to be handled.
     *
     * @param gatewayId   the gateway that sent it
     * @param event       the event
     * @param reservation its booking
     */
    public record Unprocessed(String gatewayId, DoorEvent event, Optional<UUID> reservation) {
    }

    /**
     * @param reservationId a reservation
     * @return the door events that belong to it, oldest first (entered 10:02, left 11:31, …)
     */
    public List<DoorEvent> forReservation(UUID reservationId) {
        return Sql.list(db.execute().query("""
                select id, door_id, event_type, occurred_at, grant_id, reason from door_event
                 where reservation_id = ? order by occurred_at limit 200""", reservationId), DoorEventRepository::map);
    }

    /**
     * @param doorId a door
     * @param limit  most events
     * @return its events, newest first
     */
    public List<DoorEvent> newestFirst(String doorId, int limit) {
        return Sql.list(db.execute().query(BY_DOOR, doorId, limit), DoorEventRepository::map);
    }

    private static DoorEvent map(io.helidon.dbclient.DbRow row) {
        return new DoorEvent(Sql.uuid(row, "id"), Sql.text(row, "door_id"), DoorEvent.Type.of(Sql.text(row, "event_type")),
                Sql.instant(row, "occurred_at"), Sql.value(row, "grant_id").map(v -> UUID.fromString(v.toString())),
                Sql.value(row, "reason").map(Object::toString));
    }
}
