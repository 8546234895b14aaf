package jp.kominkan.cloud.booking;

import java.time.Instant;
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

    private ReservationWrites() {
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
