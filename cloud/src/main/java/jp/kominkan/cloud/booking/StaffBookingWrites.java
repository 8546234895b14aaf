package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.grant.GrantBatch;
import jp.kominkan.cloud.grant.GrantStreamWrites;
import jp.kominkan.shared.slot.SlotRange;

/**
 * What staff do to a reservation, as SQL in the caller's transaction (so that the operation log and
 * the mail outbox go with it): cancel, move, record a cash payment with a receipt number.
 */
final class StaffBookingWrites {

    private static final String CANCEL = """
            update reservation set status = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = ?
             where id = ? and status in ('held', 'confirmed')""";
    private static final String FREE_SLOTS = "delete from room_slot where reservation_id = ?";
    private static final String INSERT_SLOTS = "insert into room_slot (room_id, slot_start, reservation_id, hold_expires_at) values ";
    private static final String MOVE = """
            update reservation set room_id = ?, starts_at = ?, ends_at = ?, amount = ?, moved_at = ?
             where id = ? and status in ('held', 'confirmed')""";
    private static final String CONFIRM = """
            update reservation set status = 'confirmed', confirmed_at = ?, payment_method = 'cash', amount_received = ?,
                                   receipt_number = ?
             where id = ? and status = 'held' and hold_expires_at > ?""";
    private static final String CONFIRM_SLOTS = "update room_slot set hold_expires_at = null where reservation_id = ?";

    private StaffBookingWrites() {
    }

    static boolean cancel(DbTransaction tx, UUID id, UUID staffId, String reason, Instant now) {
        if (tx.update(CANCEL, Sql.at(now), staffId, reason, id) == 0) {
            return false;
        }
        ReservationWrites.release(tx, id);
        GrantStreamWrites.revokeAll(tx, id, now);
        return true;
    }

    /**
     * Moves a reservation: frees its slots and takes the new ones. A unique violation on the new
     * slots leaves the transaction to be rolled back by the caller, so nothing changes.
     */
    static boolean move(DbTransaction tx, UUID id, long roomId, SlotRange range, int amount,
                        Optional<Instant> holdDeadline, Optional<GrantBatch> grants, Instant now) {
        if (tx.update(MOVE, roomId, Sql.at(range.start()), Sql.at(range.end()), amount, Sql.at(now), id) == 0) {
            return false;
        }
        tx.delete(FREE_SLOTS, id);
        List<Instant> starts = range.slotStarts();
        List<Object> params = new ArrayList<>(starts.size() * 4);
        Object deadline = holdDeadline.map(Sql::at).orElse(null);
        for (Instant start : starts) {
            params.add(roomId);
            params.add(Sql.at(start));
            params.add(id);
            params.add(deadline);
        }
        tx.insert(INSERT_SLOTS + String.join(", ", Collections.nCopies(starts.size(), "(?, ?, ?, ?)")), params.toArray());
        GrantStreamWrites.revokeAll(tx, id, now);
        grants.ifPresent(batch -> GrantStreamWrites.issue(tx, id, batch, now));
        return true;
    }

    /**
     * What a stored booking said about its use, to price it again when it moves.
     *
     * @param db the database
     * @param id the reservation
     * @return its fee options (no 減免: a booking with one is not moved)
     */
    static BookingRequest.FeeOptions storedOptions(io.helidon.dbclient.DbClient db, UUID id) {
        io.helidon.dbclient.DbRow row = db.execute().get("""
                select purpose_admission_yen, purpose_commercial, purpose_mainly_non_resident, group_id
                  from reservation where id = ?""", id).orElseThrow();
        java.util.Map<String, Integer> equipment = new java.util.TreeMap<>();
        db.execute().query("select e.code, re.quantity from reservation_equipment re join equipment e"
                + " on e.id = re.equipment_id where re.reservation_id = ?", id)
                .forEach(r -> equipment.put(Sql.text(r, "code"), Sql.integer(r, "quantity")));
        return new BookingRequest.FeeOptions(Sql.longValue(row, "purpose_admission_yen"),
                Boolean.TRUE.equals(Sql.value(row, "purpose_commercial").orElse(false)),
                Boolean.TRUE.equals(Sql.value(row, "purpose_mainly_non_resident").orElse(false)), equipment,
                Sql.value(row, "group_id").map(v -> ((Number) v).longValue()), Optional.empty(), "");
    }

    /**
     * Moves a reservation's equipment with it: the same counts for the new slots, or a 409 when they
     * are not free then.
     */
    static void moveEquipment(DbTransaction tx, UUID id, SlotRange range) {
        java.util.Map<Long, EquipmentSlots.Wanted> wanted = new java.util.LinkedHashMap<>();
        tx.query("select re.equipment_id, re.quantity, e.name from reservation_equipment re"
                        + " join equipment e on e.id = re.equipment_id where re.reservation_id = ?", id)
                .forEach(row -> wanted.put(Sql.longValue(row, "equipment_id"),
                        new EquipmentSlots.Wanted(Sql.text(row, "name"), Sql.integer(row, "quantity"))));
        if (wanted.isEmpty()) {
            return;
        }
        tx.delete(EquipmentSlots.FREE, id);
        tx.delete("delete from reservation_equipment where reservation_id = ?", id);
        try {
            EquipmentSlots.take(tx, id, range, wanted);
        } catch (EquipmentSlots.Collision e) {
            throw jp.kominkan.cloud.web.Problem.conflict("equipment-unavailable",
                    "The equipment of this booking is taken at the new time.", "変更後の時間には附属設備が空いていません。");
        }
    }

    /** Makes the year's receipt counter when it is missing (payment.ReceiptNumbers). */
    static void ensureReceiptCounter(io.helidon.dbclient.DbClient db, long municipalityId, int year) {
        jp.kominkan.cloud.payment.ReceiptNumbers.ensure(db, municipalityId, year);
    }

    static Optional<String> confirmCash(DbTransaction tx, long municipalityId, ZoneId zone, UUID id, int received,
                                        Optional<GrantBatch> grants, Instant now) {
        String receipt = nextReceipt(tx, municipalityId, now.atZone(zone).getYear());
        if (tx.update(CONFIRM, Sql.at(now), received, receipt, id, Sql.at(now)) == 0) {
            return Optional.empty();
        }
        tx.update(CONFIRM_SLOTS, id);
        grants.ifPresent(batch -> GrantStreamWrites.issue(tx, id, batch, now));
        return Optional.of(receipt);
    }

    private static String nextReceipt(DbTransaction tx, long municipalityId, int year) {
        return jp.kominkan.cloud.payment.ReceiptNumbers.next(tx, municipalityId, year);
    }
}
