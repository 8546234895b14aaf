package jp.kominkan.cloud.payment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * Payments, refunds and handled webhook events in SQL that runs on H2 and PostgreSQL alike; the only
 * writer of {@code payment}, {@code refund} and {@code payment_event}. State changes are conditional
 * updates (pending → succeeded), so a webhook and a browser's return handled at once move money once.
 */
public final class PaymentRepository {

    private static final String PAYMENT_COLUMNS = """
            id, municipality_id, reservation_id, provider, method, amount, status, provider_ref, idempotency_key,
            clerk_id, received_yen, change_yen, receipt_number, voucher_expires_at, created_at, completed_at""";
    private static final String INSERT_PAYMENT = "insert into payment (" + PAYMENT_COLUMNS
            + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String PAYMENT_BY_ID = "select " + PAYMENT_COLUMNS + " from payment where id = ?";
    private static final String PAYMENT_BY_REF = "select " + PAYMENT_COLUMNS + " from payment where provider_ref = ?";
    private static final String PAYMENT_BY_KEY = "select " + PAYMENT_COLUMNS + " from payment where idempotency_key = ?";
    private static final String PAYMENTS_OF = "select " + PAYMENT_COLUMNS
            + " from payment where reservation_id = ? order by created_at, id";
    private static final String COMPLETE = """
            update payment set status = ?, completed_at = ? where id = ? and status = 'pending'""";
    private static final String SET_REF = "update payment set provider_ref = ?, voucher_expires_at = ? where id = ?";
    private static final String REFUND_COLUMNS = """
            id, municipality_id, reservation_id, payment_id, amount, status, provider_ref, idempotency_key, rate_percent,
            reason, clerk_id, created_at, completed_at""";
    private static final String INSERT_REFUND = "insert into refund (" + REFUND_COLUMNS
            + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String REFUNDS_OF = "select " + REFUND_COLUMNS
            + " from refund where reservation_id = ? order by created_at, id";
    private static final String REFUND_BY_REF = "select " + REFUND_COLUMNS + " from refund where provider_ref = ?";
    private static final String REFUND_BY_ID = "select " + REFUND_COLUMNS + " from refund where id = ?";
    private static final String COMPLETE_REFUND = """
            update refund set status = ?, completed_at = ?, clerk_id = coalesce(?, clerk_id)
             where id = ? and status = 'pending'""";
    private static final String SET_REFUND_REF = "update refund set provider_ref = ? where id = ?";
    private static final String EVENT = "insert into payment_event (event_id, event_type, received_at) values (?, ?, ?)";

    private final DbClient db;

    /**
     * @param db the database
     */
    public PaymentRepository(DbClient db) {
        this.db = db;
    }

    /**
     * @param tx      the transaction
     * @param payment a new payment
     */
    public static void insert(DbTransaction tx, Payment payment) {
        tx.insert(INSERT_PAYMENT, payment.id(), payment.municipalityId(), payment.reservationId(),
                payment.provider().wire(), payment.method().wire(), payment.amount(), payment.status().wire(),
                payment.providerRef().orElse(null), payment.idempotencyKey(), payment.clerkId().orElse(null),
                payment.receivedYen().orElse(null), payment.changeYen().orElse(null),
                payment.receiptNumber().orElse(null), payment.voucherExpiresAt().map(Sql::at).orElse(null),
                Sql.at(payment.createdAt()), payment.completedAt().map(Sql::at).orElse(null));
    }

    /**
     * Stores a new pending payment in its own transaction.
     *
     * @param payment the payment
     * @return false when a payment with its idempotency key exists already
     */
    public boolean insert(Payment payment) {
        try {
            Sql.inTransaction(db, tx -> {
                insert(tx, payment);
                return null;
            });
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param id         the payment
     * @param ref        the provider's id
     * @param voucherEnd a konbini voucher's deadline
     */
    public void providerRef(UUID id, String ref, Optional<Instant> voucherEnd) {
        db.execute().update(SET_REF, ref, voucherEnd.map(Sql::at).orElse(null), id);
    }

    /**
     * Moves a pending payment to its final state, once.
     *
     * @param tx     the transaction
     * @param id     the payment
     * @param status succeeded, failed or canceled
     * @param now    when
     * @return false when it was not pending any more (another handler won)
     */
    public static boolean complete(DbTransaction tx, UUID id, Payment.Status status, Instant now) {
        return tx.update(COMPLETE, status.wire(), Sql.at(now), id) == 1;
    }

    /**
     * @param tx      the payment's transaction
     * @param id      the payment
     * @param receipt its receipt number
     */
    public static void receipt(DbTransaction tx, UUID id, String receipt) {
        tx.update("update payment set receipt_number = ? where id = ?", receipt, id);
    }

    /**
     * @param id the payment
     * @return it
     */
    public Optional<Payment> payment(UUID id) {
        return db.execute().get(PAYMENT_BY_ID, id).map(PaymentRepository::payment);
    }

    /**
     * @param ref a provider's PaymentIntent id
     * @return our payment for it
     */
    public Optional<Payment> byProviderRef(String ref) {
        return db.execute().get(PAYMENT_BY_REF, ref).map(PaymentRepository::payment);
    }

    /**
     * @param key an idempotency key
     * @return the payment made with it
     */
    public Optional<Payment> byKey(String key) {
        return db.execute().get(PAYMENT_BY_KEY, key).map(PaymentRepository::payment);
    }

    /**
     * @param reservationId the reservation
     * @return its payments, oldest first
     */
    public List<Payment> payments(UUID reservationId) {
        return Sql.list(db.execute().query(PAYMENTS_OF, reservationId), PaymentRepository::payment);
    }

    /**
     * @param tx            a transaction
     * @param reservationId the reservation
     * @return its payments as the transaction sees them
     */
    public static List<Payment> payments(DbTransaction tx, UUID reservationId) {
        return Sql.list(tx.query(PAYMENTS_OF, reservationId), PaymentRepository::payment);
    }

    /**
     * @param tx       the transaction
     * @param refund   a new refund
     * @param key      its idempotency key
     * @param municipalityId owner
     * @param clerkId  the clerk, at the counter
     */
    public static void insert(DbTransaction tx, Refund refund, String key, long municipalityId, Optional<UUID> clerkId) {
        tx.insert(INSERT_REFUND, refund.id(), municipalityId, refund.reservationId(), refund.paymentId(),
                refund.amount(), refund.status().wire(), refund.providerRef().orElse(null), key, refund.ratePercent(),
                refund.reason(), clerkId.orElse(null), Sql.at(refund.createdAt()),
                refund.completedAt().map(Sql::at).orElse(null));
    }

    /**
     * @param tx      the transaction
     * @param id      the refund
     * @param status  succeeded or failed
     * @param clerkId who paid it out, at the counter
     * @param now     when
     * @return false when it was not pending any more
     */
    public static boolean completeRefund(DbTransaction tx, UUID id, Refund.Status status, Optional<UUID> clerkId,
                                         Instant now) {
        return tx.update(COMPLETE_REFUND, status.wire(), Sql.at(now), clerkId.orElse(null), id) == 1;
    }

    /**
     * @param id  the refund
     * @param ref the provider's refund id
     */
    public void refundRef(UUID id, String ref) {
        db.execute().update(SET_REFUND_REF, ref, id);
    }

    /**
     * @param reservationId the reservation
     * @return its refunds
     */
    public List<Refund> refunds(UUID reservationId) {
        return Sql.list(db.execute().query(REFUNDS_OF, reservationId), PaymentRepository::refund);
    }

    /**
     * @param tx            a transaction
     * @param reservationId the reservation
     * @return its refunds as the transaction sees them
     */
    public static List<Refund> refunds(DbTransaction tx, UUID reservationId) {
        return Sql.list(tx.query(REFUNDS_OF, reservationId), PaymentRepository::refund);
    }

    /**
     * @param ref the provider's refund id
     * @return our refund
     */
    public Optional<Refund> refundByRef(String ref) {
        return db.execute().get(REFUND_BY_REF, ref).map(PaymentRepository::refund);
    }

    /**
     * @param id the refund
     * @return it
     */
    public Optional<Refund> refund(UUID id) {
        return db.execute().get(REFUND_BY_ID, id).map(PaymentRepository::refund);
    }

    /**
     * Remembers a webhook event once it has been applied (applying it again would change nothing: every change
     * is a conditional update from {@code pending}). On its own, outside any transaction: a second delivery of the
     * same event racing this one (two instances, a provider retry) loses on the key, and on PostgreSQL a failed
     * insert inside a transaction would leave it unable to commit.
     *
     * @param db      the database
     * @param eventId the provider's event id
     * @param type    its type
     * @param now     when
     * @return false when it was remembered before (a replay or a retry)
     */
    public static boolean firstTime(DbClient db, String eventId, String type, Instant now) {
        try {
            db.execute().insert(EVENT, eventId, type, Sql.at(now));
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    private static Optional<UUID> optionalUuid(DbRow row, String column) {
        return Sql.value(row, column).map(v -> v instanceof UUID u ? u : UUID.fromString(v.toString()));
    }

    private static Optional<Long> optionalLong(DbRow row, String column) {
        return Sql.value(row, column).map(v -> ((Number) v).longValue());
    }

    private static Payment payment(DbRow row) {
        return new Payment(Sql.uuid(row, "id"), Sql.longValue(row, "municipality_id"), Sql.uuid(row, "reservation_id"),
                Payment.Provider.valueOf(Sql.text(row, "provider").toUpperCase(java.util.Locale.ROOT)),
                Payment.Method.of(Sql.text(row, "method")).orElseThrow(), Sql.longValue(row, "amount"),
                Payment.Status.of(Sql.text(row, "status")), Sql.optionalText(row, "provider_ref"),
                Sql.text(row, "idempotency_key"), optionalUuid(row, "clerk_id"), optionalLong(row, "received_yen"),
                optionalLong(row, "change_yen"), Sql.optionalText(row, "receipt_number"),
                Sql.optionalInstant(row, "voucher_expires_at"), Sql.instant(row, "created_at"),
                Sql.optionalInstant(row, "completed_at"));
    }

    private static Refund refund(DbRow row) {
        return new Refund(Sql.uuid(row, "id"), Sql.uuid(row, "reservation_id"), Sql.uuid(row, "payment_id"),
                Sql.longValue(row, "amount"), Refund.Status.of(Sql.text(row, "status")),
                Sql.optionalText(row, "provider_ref"), Sql.integer(row, "rate_percent"), Sql.text(row, "reason"),
                Sql.instant(row, "created_at"), Sql.optionalInstant(row, "completed_at"));
    }
}
