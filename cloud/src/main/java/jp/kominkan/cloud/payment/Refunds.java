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
        if (balance.paid() <= 0) {
            Ledger.dueTo(tx, reservation.id(), 0, LedgerEntry.Kind.CANCELLATION, "取消（未払いのため取消料なし）", now);
            return 0;
        }
        ZoneId zone = ZoneId.of(Sql.text(tx.get("select m.zone_id from municipality m where m.id = ?",
                reservation.municipalityId()).orElseThrow(), "zone_id"));
        RefundDecision decision = schedule(tx, reservation.roomId()).decide(balance.paid(),
                reservation.range().start().atZone(zone).toLocalDate(), now.atZone(zone).toLocalDate(),
                RefundSchedule.Reason.valueOf(cause.name()));
        Ledger.dueTo(tx, reservation.id(), decision.cancellationFeeYen(), LedgerEntry.Kind.CANCELLATION,
                "取消（" + decision.ruleJa() + "、還付 " + decision.percent() + "%、取消料 " + decision.cancellationFeeYen()
                        + "円）", now);
        long left = decision.refundYen();
        List<Payment> paid = new ArrayList<>(PaymentRepository.payments(tx, reservation.id()).stream()
                .filter(p -> p.status() == Payment.Status.SUCCEEDED).toList());
        paid.sort(Comparator.comparing(Payment::createdAt).reversed());
        for (Payment payment : paid) {
            if (left <= 0) {
                break;
            }
            long amount = Math.min(left, payment.amount());
            UUID id = UUID.randomUUID();
            PaymentRepository.insert(tx, new Refund(id, reservation.id(), payment.id(), amount, Refund.Status.PENDING,
                    Optional.empty(), decision.percent(), cause.name(), now, Optional.empty()),
                    "reservation/" + reservation.id() + "/refund/" + id, reservation.municipalityId(), Optional.empty());
            left -= amount;
        }
        return decision.cancellationFeeYen();
    }

    @Override
    public Optional<Preview> preview(Reservation reservation, Cause cause, Instant now) {
        long paid = new Ledger(db).balance(reservation.id()).paid();
        if (paid <= 0) {
            return Optional.empty();
        }
        return Optional.of(Sql.inTransaction(db, tx -> {
            ZoneId zone = ZoneId.of(Sql.text(tx.get("select m.zone_id from municipality m where m.id = ?",
                    reservation.municipalityId()).orElseThrow(), "zone_id"));
            RefundDecision decision = schedule(tx, reservation.roomId()).decide(paid,
                    reservation.range().start().atZone(zone).toLocalDate(), now.atZone(zone).toLocalDate(),
                    RefundSchedule.Reason.valueOf(cause.name()));
            return new Preview(paid, decision.refundYen(), decision.cancellationFeeYen(), decision.percent(),
                    decision.ruleJa());
        }));
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
     * Gives back a whole payment that arrived after its reservation had lapsed or been cancelled.
     *
     * @param reservation the reservation
     * @param payment     the payment that came too late
     * @param now         when
     */
    public void refundLate(Reservation reservation, Payment payment, Instant now) {
        UUID id = UUID.randomUUID();
        Sql.inTransaction(db, tx -> {
            PaymentRepository.insert(tx, new Refund(id, reservation.id(), payment.id(), payment.amount(),
                    Refund.Status.PENDING, Optional.empty(), 100, "LATE_PAYMENT", now, Optional.empty()),
                    "reservation/" + reservation.id() + "/refund/" + id, reservation.municipalityId(), Optional.empty());
            return null;
        });
        afterCancel(reservation.id());
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
        if (!"succeeded".equals(status) && !"failed".equals(status)) {
            return false;
        }
        Refund refund = payments.refund(refundId).orElseThrow();
        Payment payment = payments.payment(refund.paymentId()).orElseThrow();
        Instant now = clock.instant();
        return Sql.inTransaction(db, tx -> {
            Refund.Status to = "succeeded".equals(status) ? Refund.Status.SUCCEEDED : Refund.Status.FAILED;
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
