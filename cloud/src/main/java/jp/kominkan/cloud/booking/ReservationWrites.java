package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.grant.GrantBatch;
import jp.kominkan.cloud.grant.GrantStreamWrites;

/**
 * Reservation changes made in a transaction of their caller: confirm when paid, free what a reservation takes, and
 * let an unpaid hold lapse — each written once, for the resident's, the staff's and the sweeper's paths alike.
 */
final class ReservationWrites {

    private static final String CONFIRM = """
            update reservation set status = 'confirmed', confirmed_at = ?, payment_method = ?
             where id = ? and status = 'held' and hold_expires_at > ?""";

    private static final String INSERT = """
            insert into reservation (id, municipality_id, room_id, account_id, status, starts_at, ends_at, purpose,
                                     attendees, amount, hold_expires_at, idempotency_key, request_hash, created_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_SLOTS = "insert into room_slot (room_id, slot_start, reservation_id, hold_expires_at) values ";

    private ReservationWrites() {
    }

    /** Inserts the reservation row; a unique violation means the account used the idempotency key before. */
    static void insert(DbTransaction tx, Reservation r, String idempotencyKey, String requestHash) {
        tx.insert(INSERT, r.id(), r.municipalityId(), r.roomId(), r.accountId(), r.status().wire(),
                Sql.at(r.range().start()), Sql.at(r.range().end()), r.purpose(), r.attendees(), r.amount(),
                r.holdDeadline().map(Sql::at).orElse(null), idempotencyKey, requestHash, Sql.at(r.createdAt()));
    }

    /**
     * Takes the reservation's room slots in one multi-row insert: one round trip, and the whole run is taken or
     * none of it (a unique violation means another taker has one of them).
     */
    static void takeSlots(DbTransaction tx, Reservation r) {
        List<Instant> starts = r.range().slotStarts();
        Object deadline = r.holdDeadline().map(Sql::at).orElse(null);
        List<Object> params = new ArrayList<>(starts.size() * 4);
        for (Instant start : starts) {
            params.add(r.roomId());
            params.add(Sql.at(start));
            params.add(r.id());
            params.add(deadline);
        }
        tx.insert(INSERT_SLOTS + String.join(", ", Collections.nCopies(starts.size(), "(?, ?, ?, ?)")),
                params.toArray());
    }

    static boolean confirmPaid(DbTransaction tx, UUID id, String method, Optional<GrantBatch> grants, Instant now) {
        if (tx.update(CONFIRM, Sql.at(now), method, id, Sql.at(now)) == 0) {
            return false;
        }
        tx.update("update room_slot set hold_expires_at = null where reservation_id = ?", id);
        grants.ifPresent(batch -> GrantStreamWrites.issue(tx, id, batch, now));
        return true;
    }

    /** Frees what a reservation takes: its room slots and its pieces of equipment. */
    static void release(DbTransaction tx, UUID id) {
        tx.delete("delete from room_slot where reservation_id = ?", id);
        tx.delete(EquipmentSlots.FREE, id);
    }

    /**
     * After a held reservation was marked expired: frees it, and what was due on it falls to nothing.
     *
     * @param note why it lapsed, for the ledger
     */
    static void lapsed(DbTransaction tx, UUID id, String note, Instant now) {
        release(tx, id);
        jp.kominkan.cloud.ledger.Ledger.dueTo(tx, id, 0, jp.kominkan.cloud.ledger.LedgerEntry.Kind.CANCELLATION, note, now);
    }
}
