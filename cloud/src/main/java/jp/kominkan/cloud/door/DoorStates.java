package jp.kominkan.cloud.door;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.shared.door.DoorState;
import jp.kominkan.shared.event.DoorEvent;

/**
 * Each door's state ({@code door_state}, owned here), folded from its events by the same state
 * machine the gateway runs ({@link DoorState}): the board reads one row per door instead of
 * replaying events. The row is locked while an event is folded in, so two events of one door never
 * lose each other's change.
 */
public final class DoorStates {

    private static final String COLUMNS = """
            door_id, lock_state, contact_state, ajar, forced, tamper, lock_online, battery, locked_out_until, remote_until,
            last_event_type, last_event_at, last_reservation_id""";
    private static final String LOCK_ROW = "select " + COLUMNS + " from door_state where door_id = ? for update";
    private static final String INSERT = """
            insert into door_state (lock_state, contact_state, ajar, forced, tamper, lock_online, battery, locked_out_until,
                                    remote_until, last_event_type, last_event_at, last_reservation_id, last_event_id,
                                    updated_at, door_id)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String UPDATE = """
            update door_state set lock_state = ?, contact_state = ?, ajar = ?, forced = ?, tamper = ?, lock_online = ?,
                   battery = ?, locked_out_until = ?, remote_until = ?, last_event_type = ?, last_event_at = ?,
                   last_reservation_id = ?, last_event_id = ?, updated_at = ?
             where door_id = ?""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public DoorStates(DbClient db) {
        this.db = db;
    }

    /**
     * Folds an event into its door's state.
     *
     * @param event       the event, just stored
     * @param reservation the booking it belongs to
     * @param now         now
     * @return the states before and after
     */
    public Change apply(DoorEvent event, Optional<UUID> reservation, Instant now) {
        return Sql.inTransaction(db, tx -> {
            Optional<DoorState> row = tx.get(LOCK_ROW, event.doorId()).map(DoorStates::map);
            DoorState before = row.orElse(DoorState.UNKNOWN);
            DoorState after = before.after(event, reservation);
            if (after != before) {
                write(tx, row.isPresent() ? UPDATE : INSERT, event, after, now);
            }
            return new Change(before, after);
        });
    }

    private static void write(DbTransaction tx, String sql, DoorEvent event, DoorState s, Instant now) {
        tx.dml(sql, s.lock().wire(), s.contact().wire(), s.ajar(), s.forced(), s.tamper(), s.lockOnline(),
                s.battery().orElse(null), s.lockedOutUntil().map(Sql::at).orElse(null),
                s.remoteUntil().map(Sql::at).orElse(null), s.lastType().map(DoorEvent.Type::wire).orElse(null),
                s.lastAt().map(Sql::at).orElse(null), s.lastReservation().orElse(null), event.id(), Sql.at(now),
                event.doorId());
    }

    /**
     * @param doorIds doors
     * @return the state of each that has one (a door nothing was heard of has none: {@link DoorState#UNKNOWN})
     */
    public Map<String, DoorState> of(Collection<String> doorIds) {
        Map<String, DoorState> states = new HashMap<>();
        for (List<String> batch : Sql.batches(List.copyOf(doorIds), 500)) {
            Sql.list(db.execute().query("select " + COLUMNS + " from door_state where door_id in (" + Sql.marks(batch.size())
                    + ")", batch.toArray()), row -> Map.entry(Sql.text(row, "door_id"), map(row)))
                    .forEach(e -> states.put(e.getKey(), e.getValue()));
        }
        return states;
    }

    /**
     * @param doorId a door
     * @return its state
     */
    public DoorState of(String doorId) {
        return of(List.of(doorId)).getOrDefault(doorId, DoorState.UNKNOWN);
    }

    static DoorState map(DbRow row) {
        return new DoorState(lock(Sql.text(row, "lock_state")), contact(Sql.text(row, "contact_state")),
                bool(row, "ajar"), bool(row, "forced"), bool(row, "tamper"), bool(row, "lock_online"),
                Sql.value(row, "battery").map(v -> ((Number) v).intValue()),
                Sql.optionalInstant(row, "locked_out_until"), Sql.optionalInstant(row, "remote_until"),
                Sql.optionalText(row, "last_event_type").map(DoorEvent.Type::of), Sql.optionalInstant(row, "last_event_at"),
                Sql.value(row, "last_reservation_id").map(v -> UUID.fromString(v.toString())));
    }

    private static boolean bool(DbRow row, String column) {
        return Sql.value(row, column).map(v -> (Boolean) v).orElse(false);
    }

    private static DoorState.Lock lock(String wire) {
        for (DoorState.Lock lock : DoorState.Lock.values()) {
            if (lock.wire().equals(wire)) {
                return lock;
            }
        }
        return DoorState.Lock.UNKNOWN;
    }

    private static DoorState.Contact contact(String wire) {
        for (DoorState.Contact contact : DoorState.Contact.values()) {
            if (contact.wire().equals(wire)) {
                return contact;
            }
        }
        return DoorState.Contact.UNKNOWN;
    }

    /**
     * A door's state before and after an event.
     *
     * @param before before
     * @param after  after
     */
    public record Change(DoorState before, DoorState after) {
    }
}
