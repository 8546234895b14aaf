package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.grant.GrantBatch;
import jp.kominkan.cloud.grant.GrantStreamWrites;

/**
 * Reservation changes made in another feature's transaction (a payment's): confirm when paid.
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
}
