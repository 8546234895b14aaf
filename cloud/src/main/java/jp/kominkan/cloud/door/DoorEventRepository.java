package jp.kominkan.cloud.door;

import java.time.Instant;
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
            insert into door_event (id, door_id, gateway_id, event_type, occurred_at, grant_id, reason, received_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";
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
     * Stores an event unless it is there already.
     *
     * @param event     the event
     * @param gatewayId the gateway that sent it
     * @param now       now
     * @return true when stored now, false for a duplicate
     */
    public boolean storeOnce(DoorEvent event, String gatewayId, Instant now) {
        try {
            db.execute().insert(INSERT, event.id(), event.doorId(), gatewayId, event.type().wire(), Sql.at(event.at()),
                    event.grantId().orElse(null), event.reason().orElse(null), Sql.at(now));
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param reservationId a reservation
     * @return the door events of its grants, oldest first (entered 10:02, …)
     */
    public List<DoorEvent> forReservation(java.util.UUID reservationId) {
        return Sql.list(db.execute().query("""
                select e.id, e.door_id, e.event_type, e.occurred_at, e.grant_id, e.reason from door_event e
                  join access_grant g on g.id = e.grant_id where g.reservation_id = ? order by e.occurred_at limit 200""",
                reservationId), DoorEventRepository::map);
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
