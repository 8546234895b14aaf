package jp.kominkan.cloud.payment;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Money going back for a cancelled reservation (還付): through the provider, or paid out in cash at
 * the counter by a clerk.
 *
 * @param id            the refund
 * @param reservationId the reservation
 * @param paymentId     the payment it gives back from
 * @param amount        yen
 * @param status        pending until the provider or the clerk has paid it
 * @param providerRef   the provider's refund id
 * @param ratePercent   the share of the fee given back, from the refund schedule
 * @param reason        why the reservation was cancelled (the schedule's reason)
 * @param createdAt     when decided
 * @param completedAt   when paid
 */
public record Refund(UUID id, UUID reservationId, UUID paymentId, long amount, Status status,
                     Optional<String> providerRef, int ratePercent, String reason, Instant createdAt,
                     Optional<Instant> completedAt) {

    /** Checks the fields. */
    public Refund {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(providerRef, "providerRef");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(completedAt, "completedAt");
        if (amount <= 0 || ratePercent < 0 || ratePercent > 100) {
            throw new IllegalArgumentException("A refund is of a positive amount at a rate of 0-100 %");
        }
    }

    /** Where a refund is. */
    public enum Status {
        /** Decided, not yet paid. */
        PENDING,
        /** Paid back. */
        SUCCEEDED,
        /** The provider could not pay it; staff handle it at the counter. */
        FAILED;

        /** @return the stored name */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * @param wire a stored name
         * @return the status
         */
        public static Status of(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
