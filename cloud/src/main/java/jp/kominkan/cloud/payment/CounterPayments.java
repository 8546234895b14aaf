package jp.kominkan.cloud.payment;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.ledger.Balance;
import jp.kominkan.cloud.ledger.Ledger;
import jp.kominkan.cloud.ledger.LedgerEntry;

/**
 * The counter provider (窓口): cash received by a clerk, with the change given and a receipt number, and
 * cash refunds paid out by a clerk. Money is written in the transaction of the reservation's change, so
 * a confirmed booking and its payment are never apart.
 */
public final class CounterPayments {

    private CounterPayments() {
    }

    /**
     * Records cash received for what is owed on a reservation.
     *
     * @param tx             the confirmation's transaction
     * @param municipalityId owner
     * @param reservationId  the reservation
     * @param received       cash handed over, yen (at least what is owed)
     * @param receipt        the receipt number given
     * @param clerkId        who took it
     * @param now            when
     * @return the payment, when anything was owed
     */
    public static Optional<Payment> record(DbTransaction tx, long municipalityId, UUID reservationId, long received,
                                           String receipt, UUID clerkId, Instant now) {
        Balance balance = Ledger.balance(tx, reservationId);
        long owed = balance.owed();
        if (owed <= 0) {
            return Optional.empty();
        }
        if (received < owed) {
            throw new IllegalArgumentException("cash received is less than owed");
        }
        Payment payment = new Payment(UUID.randomUUID(), municipalityId, reservationId, Payment.Provider.COUNTER,
                Payment.Method.CASH, owed, Payment.Status.SUCCEEDED, Optional.empty(),
                "reservation/" + reservationId + "/cash/" + receipt, Optional.of(clerkId), Optional.of(received),
                Optional.of(received - owed), Optional.of(receipt), Optional.empty(), now, Optional.of(now));
        PaymentRepository.insert(tx, payment);
        Ledger.append(tx, new Ledger.NewEntry(municipalityId, reservationId, LedgerEntry.Kind.PAYMENT, owed,
                Optional.of(payment.id()), Optional.empty(), Optional.empty(), Optional.of(clerkId),
                "窓口で現金受領（領収書 " + receipt + "）"), now);
        return Optional.of(payment);
    }
}
