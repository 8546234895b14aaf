package jp.kominkan.cloud.payment;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A payment for a reservation (支払): at the counter in cash, or online through the payment provider by
 * card or at a convenience store (コンビニ決済). Only a succeeded payment moves money into the ledger.
 *
 * @param id               the payment
 * @param municipalityId   the owner
 * @param reservationId    what it pays for
 * @param provider         who handles the money
 * @param method           how the resident pays
 * @param amount           yen asked for
 * @param status           where it is
 * @param providerRef      the provider's id (a PaymentIntent), when online
 * @param idempotencyKey   our key for the provider and for a repeated request
 * @param clerkId          the clerk who took the cash
 * @param receivedYen      cash handed over
 * @param changeYen        change given
 * @param receiptNumber    the receipt number (領収書番号), once paid
 * @param voucherExpiresAt a konbini voucher's deadline
 * @param createdAt        when it started
 * @param completedAt      when it succeeded, failed or was cancelled
 */
public record Payment(UUID id, long municipalityId, UUID reservationId, Provider provider, Method method, long amount,
                      Status status, Optional<String> providerRef, String idempotencyKey, Optional<UUID> clerkId,
                      Optional<Long> receivedYen, Optional<Long> changeYen, Optional<String> receiptNumber,
                      Optional<Instant> voucherExpiresAt, Instant createdAt, Optional<Instant> completedAt) {

    /** Checks the fields. */
    public Payment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(providerRef, "providerRef");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(clerkId, "clerkId");
        Objects.requireNonNull(receivedYen, "receivedYen");
        Objects.requireNonNull(changeYen, "changeYen");
        Objects.requireNonNull(receiptNumber, "receiptNumber");
        Objects.requireNonNull(voucherExpiresAt, "voucherExpiresAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(completedAt, "completedAt");
        if (amount <= 0) {
            throw new IllegalArgumentException("A payment is of a positive amount");
        }
    }

    /** Who handles the money. */
    public enum Provider {
        /** The facility's counter (窓口). */
        COUNTER,
        /** The online payment provider (Stripe's protocol). */
        STRIPE;

        /** @return the stored name */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How the resident pays. */
    public enum Method {
        /** 現金. */
        CASH("現金", "cash"),
        /** クレジットカード. */
        CARD("クレジットカード", "card"),
        /** コンビニ払い. */
        KONBINI("コンビニ払い", "convenience store");

        private final String ja;
        private final String en;

        Method(String ja, String en) {
            this.ja = ja;
            this.en = en;
        }

        /** @return the stored name */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** @return the Japanese name */
        public String ja() {
            return ja;
        }

        /** @return the English name */
        public String en() {
            return en;
        }

        /**
         * @param wire a stored or requested name
         * @return the method
         */
        public static Optional<Method> of(String wire) {
            for (Method m : values()) {
                if (m.wire().equals(wire)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /** Where a payment is. */
    public enum Status {
        /** Waiting for the customer or the provider. */
        PENDING,
        /** Money received. */
        SUCCEEDED,
        /** Refused (a declined card). */
        FAILED,
        /** Given up (a konbini voucher that expired unpaid, a superseded attempt). */
        CANCELED;

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
