package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * Takes equipment for a reservation, in its transaction, the way room slots are taken: one
 * {@code equipment_slot} row per piece and 15-minute slot, whose primary key lets only one booking hold a
 * piece at a time, and whose foreign key to {@code equipment_unit} means no booking can take a piece
 * that does not exist. Java only chooses which free pieces to try; the database decides.
 */
final class EquipmentSlots {

    private static final String FREE_UNITS = """
            select u.unit_no from equipment_unit u
             where u.equipment_id = ?
               and not exists (select 1 from equipment_slot s where s.equipment_id = u.equipment_id
                                 and s.unit_no = u.unit_no and s.slot_start >= ? and s.slot_start < ?)
             order by u.unit_no""";
    /**
     * Pieces held by unpaid holds whose deadline has passed (as of the taking booking's own time, its
     * {@code created_at}) are free, as their room slots are: such a hold can no longer be confirmed, and the
     * sweep expires it later. Without this a lapsed hold kept its equipment until the sweep ran.
     */
    private static final String RELEASE_OVERDUE = """
            delete from equipment_slot
             where equipment_id = ? and slot_start >= ? and slot_start < ?
               and reservation_id in (select o.id from reservation o
                                       where o.status = 'held' and o.hold_expires_at is not null
                                         and o.hold_expires_at <= (select t.created_at from reservation t where t.id = ?))""";
    private static final String INSERT = "insert into equipment_slot (equipment_id, unit_no, slot_start, reservation_id) values ";
    static final String FREE = "delete from equipment_slot where reservation_id = ?";

    /** Another booking took a piece between our read and our insert: try again with a fresh read. */
    static final class Collision extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Collision(Throwable cause) {
            super("equipment taken concurrently", cause, false, false);
        }
    }

    private EquipmentSlots() {
    }

    /**
     * @param tx            the reservation's transaction
     * @param reservationId the reservation
     * @param range         its slots
     * @param wanted        equipment id → how many, with the names for a refusal
     * @throws Problem      409 when fewer are free than asked for
     * @throws Collision    when a concurrent booking won a piece (the caller retries)
     */
    static void take(DbTransaction tx, UUID reservationId, SlotRange range, Map<Long, Wanted> wanted) {
        for (Map.Entry<Long, Wanted> entry : wanted.entrySet()) {
            long equipmentId = entry.getKey();
            int qty = entry.getValue().qty();
            tx.delete(RELEASE_OVERDUE, equipmentId, Sql.at(range.start()), Sql.at(range.end()), reservationId);
            List<Integer> free = Sql.list(tx.query(FREE_UNITS, equipmentId, Sql.at(range.start()), Sql.at(range.end())),
                    row -> Sql.integer(row, "unit_no"));
            if (free.size() < qty) {
                throw Problem.conflict("equipment-unavailable",
                        "Only " + free.size() + " of " + entry.getValue().name() + " are free at that time.",
                        entry.getValue().name() + " はその時間に " + free.size() + " 台しか空いていません。数量か時間を変えてください。");
            }
            List<Instant> starts = range.slotStarts();
            List<Object> params = new ArrayList<>(starts.size() * qty * 4);
            for (int unit : free.subList(0, qty)) {
                for (Instant start : starts) {
                    params.add(equipmentId);
                    params.add(unit);
                    params.add(Sql.at(start));
                    params.add(reservationId);
                }
            }
            try {
                tx.insert(INSERT + String.join(", ", Collections.nCopies(starts.size() * qty, "(?, ?, ?, ?)")),
                        params.toArray());
            } catch (RuntimeException e) {
                if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION || SqlFailure.of(e) == SqlFailure.TRANSIENT) {
                    throw new Collision(e);
                }
                throw e;
            }
            tx.insert("insert into reservation_equipment (reservation_id, equipment_id, quantity) values (?, ?, ?)",
                    reservationId, equipmentId, qty);
        }
    }

    /**
     * @param name what it is called, for a refusal
     * @param qty  how many
     */
    record Wanted(String name, int qty) {
    }
}
