package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;

/**
 * What happens to the money when a reservation is cancelled: the ledger's entries, the cancellation fee
 * (取消料) and the refunds (還付) the facility's schedule gives, decided in the cancellation's
 * transaction and paid out after it commits. Implemented by {@code payment.Refunds}.
 */
public interface CancellationMoney {

    /** Who or what cancelled, as refund schedules tell them apart. */
    enum Cause {
        /** The resident, for their own convenience (自己都合). */
        USER,
        /** The resident, for a reason the facility accepts (正当な理由). */
        USER_WITH_CAUSE,
        /** Weather, disaster, another cause nobody answers for (不可抗力). */
        FORCE_MAJEURE,
        /** The city or facility (施設都合・公益上の理由). */
        CITY
    }

    /**
     * Decides the refund and writes it, in the cancellation's transaction.
     *
     * @param tx            the transaction
     * @param reservation   the reservation being cancelled
     * @param cause         why
     * @param now           when
     * @return the cancellation fee kept, yen
     */
    long onCancel(DbTransaction tx, Reservation reservation, Cause cause, Instant now);

    /**
     * Pays the refunds decided, through the provider, once the cancellation has committed.
     *
     * @param reservationId the reservation
     */
    void afterCancel(UUID reservationId);

    /**
     * What cancelling now would give back, for the resident to see before deciding; nothing moves.
     *
     * @param reservation the reservation
     * @param cause       why
     * @param now         when
     * @return the refund it would get, when anything was paid
     */
    default java.util.Optional<Preview> preview(Reservation reservation, Cause cause, Instant now) {
        return java.util.Optional.empty();
    }

    /**
     * What a cancellation would do to the money.
     *
     * @param paid    yen paid so far
     * @param refund  yen given back
     * @param fee     yen kept (取消料)
     * @param percent the share given back
     * @param ruleJa  the rule that decided it
     */
    record Preview(long paid, long refund, long fee, int percent, String ruleJa) {
    }

    /** No money moves: for tests of booking alone. */
    CancellationMoney NONE = new CancellationMoney() {
        @Override
        public long onCancel(DbTransaction tx, Reservation reservation, Cause cause, Instant now) {
            jp.kominkan.cloud.ledger.Ledger.dueTo(tx, reservation.id(), 0,
                    jp.kominkan.cloud.ledger.LedgerEntry.Kind.CANCELLATION, "取消", now);
            return 0;
        }

        @Override
        public void afterCancel(UUID reservationId) {
        }
    };
}
