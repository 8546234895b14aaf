package jp.kominkan.cloud.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One line of the money ledger (会計台帳): what became due or was paid for a reservation, never changed
 * or removed once written.
 *
 * @param id            the entry's number, increasing
 * @param reservationId the reservation it belongs to
 * @param kind          which way the money moves
 * @param amount        whole yen, positive
 * @param paymentId     the payment, for a {@link Kind#PAYMENT}
 * @param refundId      the refund, for a {@link Kind#REFUND}
 * @param providerRef   the provider's reference (a PaymentIntent or refund id), when online
 * @param clerkId       the member of staff who handled the cash, when at the counter
 * @param note          what it is, in Japanese, for the statement
 * @param createdAt     when
 */
public record LedgerEntry(long id, UUID reservationId, Kind kind, long amount, Optional<UUID> paymentId,
                          Optional<UUID> refundId, Optional<String> providerRef, Optional<UUID> clerkId, String note,
                          Instant createdAt) {

    /** Checks the entry is whole. */
    public LedgerEntry {
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(refundId, "refundId");
        Objects.requireNonNull(providerRef, "providerRef");
        Objects.requireNonNull(clerkId, "clerkId");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(createdAt, "createdAt");
        if (amount <= 0) {
            throw new IllegalArgumentException("A ledger amount is positive; the kind gives its direction");
        }
        if ((kind == Kind.PAYMENT) != paymentId.isPresent() || (kind == Kind.REFUND) != refundId.isPresent()) {
            throw new IllegalArgumentException("A payment entry names its payment, a refund entry its refund");
        }
    }

    /** Which way an entry moves money. */
    public enum Kind {
        /** The fee became due (使用料): adds to what is due. */
        CHARGE("charge", 1, 0),
        /** 減免: takes from what is due. */
        REDUCTION("reduction", -1, 0),
        /** Cancelled or expired: what is due falls to the cancellation fee (取消料), often 0. */
        CANCELLATION("cancellation", -1, 0),
        /** Money received: adds to what was paid. */
        PAYMENT("payment", 0, 1),
        /** Money given back (還付): takes from what was paid. */
        REFUND("refund", 0, -1);

        private final String wire;
        private final int due;
        private final int paid;

        Kind(String wire, int due, int paid) {
            this.wire = wire;
            this.due = due;
            this.paid = paid;
        }

        /** @return the stored name */
        public String wire() {
            return wire;
        }

        /** @return +1, −1 or 0: how an entry of this kind changes what is due */
        public int dueSign() {
            return due;
        }

        /** @return +1, −1 or 0: how an entry of this kind changes what was paid */
        public int paidSign() {
            return paid;
        }

        /**
         * @param wire a stored name
         * @return the kind
         */
        public static Kind of(String wire) {
            for (Kind kind : values()) {
                if (kind.wire.equals(wire)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("Unknown ledger kind " + wire);
        }
    }
}
