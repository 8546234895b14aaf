package jp.kominkan.cloud.payment;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.booking.CancellationMoney;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.fee.RefundDecision;
import jp.kominkan.cloud.fee.RefundSchedule;
import jp.kominkan.cloud.fee.RefundSchedules;
import jp.kominkan.cloud.ledger.Balance;
import jp.kominkan.cloud.ledger.Ledger;
import jp.kominkan.cloud.ledger.LedgerEntry;

/**
 * Cancellation fees and refunds (取消料・還付): in the cancellation's transaction the facility's refund
 * schedule decides the share given back, the ledger's due falls to the fee kept, and a pending refund is
 * written per payment; after the commit, online refunds go to the provider (with our own idempotency
 * key, so a retry refunds once) and cash refunds wait for a clerk to pay them out at the counter.
 */
public final class Refunds implements CancellationMoney {

    private static final System.Logger LOG = System.getLogger(Refunds.class.getName());

    /**
     * The schedule of a facility that has none of its own: the example and a common municipal
     * rule: everything back 7 days or more before the use date, half from 3 days, then nothing; everything
     * when the city cancels or for force majeure.
     */
    public static final String DEFAULT_SCHEDULE = """
            {"source": "Kominkan の標準（施設の還付規則が未設定）",
             "rules": {"USER": [{"min-days-before": 7, "percent": 100}, {"min-days-before": 3, "percent": 50}],
                       "FORCE_MAJEURE": [{"percent": 100}], "CITY": [{"percent": 100}]}}""";

    private final DbClient db;
    private final PaymentRepository payments;
    private final Optional<OnlineProvider> online;
    private final Clock clock;

    /**
     * @param db       the database
     * @param payments payments and refunds
     * @param online   the online provider, when one is configured
     * @param clock    the clock
     */
    public Refunds(DbClient db, PaymentRepository payments, Optional<OnlineProvider> online, Clock clock) {
        this.db = db;
        this.payments = payments;
        this.online = online;
        this.clock = clock;
    }

    @Override
    public long onCancel(DbTransaction tx, Reservation reservation, Cause cause, Instant now) {
        Balance balance = Ledger.balance(tx, reservation.id());
        List<Refund> earlier = PaymentRepository.refunds(tx, reservation.id());
        // Money already on its way back (a late payment's refund, pending at the provider) is not paid any more.
        long pendingBack = earlier.stream().filter(f -> f.status() == Refund.Status.PENDING).mapToLong(Refund::amount).sum();
        long paid = balance.paid() - pendingBack;
        if (paid <= 0) {
            Ledger.dueTo(tx, reservation.id(), 0, LedgerEntry.Kind.CANCELLATION, "取消（未払いのため取消料なし）", now);
            return 0;
        }
        RefundDecision decision = decide(tx, reservation, paid, cause, now);
        Ledger.dueTo(tx, reservation.id(), decision.cancellationFeeYen(), LedgerEntry.Kind.CANCELLATION,
                "取消（" + decision.ruleJa() + "、還付 " + decision.percent() + "%、取消料 " + decision.cancellationFeeYen()
                        + "円）", now);
        long left = decision.refundYen();
        List<Payment> payments = new ArrayList<>(PaymentRepository.payments(tx, reservation.id()).stream()
                .filter(p -> p.status() == Payment.Status.SUCCEEDED).toList());
        payments.sort(Comparator.comparing(Payment::createdAt).reversed());
        for (Payment payment : payments) {
            if (left <= 0) {
                break;
            }
            // What is left of this payment after refunds already decided on it.
            long remaining = payment.amount() - earlier.stream().filter(f -> f.paymentId().equals(payment.id())
                    && f.status() != Refund.Status.FAILED).mapToLong(Refund::amount).sum();
            long amount = Math.min(left, remaining);
            if (amount <= 0) {
                continue;
            }
            insertRefund(tx, reservation, payment, amount, decision.percent(), cause.name(), now);
            left -= amount;
        }
        return decision.cancellationFeeYen();
    }

    /**
     * Gives back money of one payment, decided in the payment's own transaction: all of it when it came after
     * its booking lapsed or was cancelled, the surplus when it paid more than is owed now. Paid out by
     * {@link #afterCancel} once the transaction commits.
     *
     * @param tx          the payment's transaction
     * @param reservation the reservation
     * @param payment     the payment
     * @param amount      yen to give back
     * @param reason      LATE_PAYMENT or OVERPAID
     * @param now         when
     */
    public void refundInTransaction(DbTransaction tx, Reservation reservation, Payment payment, long amount,
                                    String reason, Instant now) {
        insertRefund(tx, reservation, payment, amount, (int) (amount * 100 / payment.amount()), reason, now);
    }

    private static void insertRefund(DbTransaction tx, Reservation reservation, Payment payment, long amount,
                                     int percent, String reason, Instant now) {
        UUID id = UUID.randomUUID();
        PaymentRepository.insert(tx, new Refund(id, reservation.id(), payment.id(), amount, Refund.Status.PENDING,
                Optional.empty(), percent, reason, now, Optional.empty()),
                "reservation/" + reservation.id() + "/refund/" + id, reservation.municipalityId(), Optional.empty());
    }

    /** The facility's rule for this cancellation; equipment fees refunded in full where the schedule says so. */
    private static RefundDecision decide(DbTransaction tx, Reservation reservation, long paid, Cause cause, Instant now) {
        ZoneId zone = ZoneId.of(Sql.text(tx.get("select m.zone_id from municipality m where m.id = ?",
                reservation.municipalityId()).orElseThrow(), "zone_id"));
        long equipment = tx.get("select fee_quote from reservation where id = ?", reservation.id())
                .flatMap(row -> Sql.optionalText(row, "fee_quote"))
                .map(json -> jp.kominkan.cloud.fee.Quotes.fromJson(json).lines().stream()
                        .filter(l -> l.kind() == jp.kominkan.cloud.fee.QuoteLine.Kind.EQUIPMENT)
                        .mapToLong(jp.kominkan.cloud.fee.QuoteLine::yen).sum())
                .orElse(0L);
        return schedule(tx, reservation.roomId()).decide(paid, Math.min(equipment, paid),
                reservation.range().start().atZone(zone).toLocalDate(), now.atZone(zone).toLocalDate(),
                RefundSchedule.Reason.valueOf(cause.name()));
    }

    @Override
    public Optional<Preview> preview(Reservation reservation, Cause cause, Instant now) {
        return Sql.inTransaction(db, tx -> {
            long pendingBack = PaymentRepository.refunds(tx, reservation.id()).stream()
                    .filter(f -> f.status() == Refund.Status.PENDING).mapToLong(Refund::amount).sum();
            long paid = Ledger.balance(tx, reservation.id()).paid() - pendingBack;
            if (paid <= 0) {
                return Optional.<Preview>empty();
            }
            RefundDecision decision = decide(tx, reservation, paid, cause, now);
            return Optional.of(new Preview(paid, decision.refundYen(), decision.cancellationFeeYen(), decision.percent(),
                    decision.ruleJa()));
        });
    }

    @Override
    public void afterCancel(UUID reservationId) {
        for (Refund refund : payments.refunds(reservationId)) {
            if (refund.status() != Refund.Status.PENDING || refund.providerRef().isPresent()) {
                continue;
            }
            Payment payment = payments.payment(refund.paymentId()).orElseThrow();
            if (payment.provider() != Payment.Provider.STRIPE || online.isEmpty()) {
                continue; // cash: a clerk pays it out at the counter
            }
            try {
                OnlineProvider.ProviderRefund result = online.get().refund(payment.providerRef().orElseThrow(),
                        refund.amount(), "reservation/" + reservationId + "/refund/" + refund.id());
                payments.refundRef(refund.id(), result.id());
                apply(refund.id(), result.status(), Optional.empty());
            } catch (OnlineProvider.ProviderFailure e) {
                // Left pending without a provider reference: retried by the next sweep (retryPending).
                LOG.log(Level.WARNING, "Refund " + refund.id() + " not yet sent to the provider: " + e.getMessage());
            }
        }
    }

    /**
     * Sends refunds the provider has not acknowledged yet (after a provider outage); called on a timer.
     *
     * @return how many reservations were looked at
     */
    public int retryPending() {
        List<UUID> reservations = Sql.list(db.execute().query("""
                select distinct f.reservation_id from refund f join payment p on p.id = f.payment_id
                 where f.status = 'pending' and f.provider_ref is null and p.provider = 'stripe'"""),
                row -> Sql.uuid(row, "reservation_id"));
        reservations.forEach(this::afterCancel);
        return reservations.size();
    }

    /**
     * Records a refund's outcome once: the ledger's refund entry goes with the status change.
     *
     * @param refundId the refund
     * @param status   the provider's word (succeeded, pending, failed) or ours
     * @param clerk    the clerk who paid cash out
     * @return true when this call completed it
     */
    public boolean apply(UUID refundId, String status, Optional<UUID> clerk) {
        return apply(refundId, status, clerk, tx -> { });
    }

    /**
     * Like {@link #apply(UUID, String, Optional)}, with more work in the same transaction (the clerk's
     * operation log entry), done only when this call completed the refund.
     *
     * @param refundId the refund
     * @param status   succeeded or failed
     * @param clerk    the clerk who paid cash out
     * @param also     more work before the commit
     * @return true when this call completed it
     */
    public boolean apply(UUID refundId, String status, Optional<UUID> clerk,
                         java.util.function.Consumer<DbTransaction> also) {
        if ("canceled".equals(status)) {
            status = "failed"; // Stripe gives up a refund it could not pay: staff pay it at the counter
        }
        if (!"succeeded".equals(status) && !"failed".equals(status)) {
            return false;
        }
        String outcome = status;
        Refund refund = payments.refund(refundId).orElseThrow();
        Payment payment = payments.payment(refund.paymentId()).orElseThrow();
        Instant now = clock.instant();
        return Sql.inTransaction(db, tx -> {
            Refund.Status to = "succeeded".equals(outcome) ? Refund.Status.SUCCEEDED : Refund.Status.FAILED;
            if (!PaymentRepository.completeRefund(tx, refundId, to, clerk, now)) {
                return false;
            }
            if (to == Refund.Status.SUCCEEDED) {
                Ledger.append(tx, new Ledger.NewEntry(payment.municipalityId(), refund.reservationId(),
                        LedgerEntry.Kind.REFUND, refund.amount(), Optional.empty(), Optional.of(refundId),
                        refund.providerRef(), clerk, clerk.isPresent() ? "還付（窓口で現金）" : "還付（" + payment.method().ja() + "）"),
                        now);
            }
            also.accept(tx);
            return true;
        });
    }

    private static RefundSchedule schedule(DbTransaction tx, long roomId) {
        Optional<String> document = tx.get("""
                select f.refund_schedule from facility f join room r on r.facility_id = f.id where r.id = ?""", roomId)
                .flatMap(row -> Sql.optionalText(row, "refund_schedule"));
        return RefundSchedules.parse(document.orElse(DEFAULT_SCHEDULE));
    }
}
