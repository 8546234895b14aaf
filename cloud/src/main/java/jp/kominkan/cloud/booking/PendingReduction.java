package jp.kominkan.cloud.booking;

import java.util.UUID;

import io.helidon.dbclient.DbExecute;

/**
 * Whether a fee reduction (減免) application on a booking waits for staff review. Until it is decided the booking
 * cannot be paid, at the counter or online: the fee may change, and money taken first would have to be refunded.
 * The reduction feature owns its table and answers; the booking feature only asks, in the payment's transaction.
 */
@FunctionalInterface
public interface PendingReduction {

    /**
     * @param exec          the caller's transaction
     * @param reservationId a booking
     * @return whether an application on it is pending
     */
    boolean on(DbExecute exec, UUID reservationId);
}
