package jp.kominkan.cloud.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;

/**
 * The money ledger (会計台帳): the only writer of {@code ledger_entry}, and only by appending, in the
 * transaction of the change it records (a booking, a payment, a refund), so that money and state
 * never disagree. There is no update or delete here; docs/money.md gives the database grants that
 * make it so for the production role too.
 */
public final class Ledger {

    private static final String INSERT = """
            insert into ledger_entry (municipality_id, reservation_id, kind, amount, payment_id, refund_id, provider_ref,
                                      clerk_id, note, created_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String COLUMNS = """
            id, reservation_id, kind, amount, payment_id, refund_id, provider_ref, clerk_id, note, created_at""";
    private static final String BY_RESERVATION = "select " + COLUMNS
            + " from ledger_entry where municipality_id = ? and reservation_id = ? order by id";
    private static final String SUMS = """
            select kind, sum(amount) as total from ledger_entry where reservation_id = ? group by kind""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public Ledger(DbClient db) {
        this.db = db;
    }

    /**
     * An entry to append.
     *
     * @param municipalityId the owner
     * @param reservationId  the reservation
     * @param kind           which way
     * @param amount         yen, positive
     * @param paymentId      for a payment
     * @param refundId       for a refund
     * @param providerRef    the provider's reference
     * @param clerkId        the clerk
     * @param note           what it is
     */
    public record NewEntry(long municipalityId, UUID reservationId, LedgerEntry.Kind kind, long amount,
                           Optional<UUID> paymentId, Optional<UUID> refundId, Optional<String> providerRef,
                           Optional<UUID> clerkId, String note) {

        /**
         * @param municipalityId owner
         * @param reservationId  reservation
         * @param kind           charge, reduction or cancellation
         * @param amount         yen
         * @param note           what
         * @return an entry that changes what is due
         */
        public static NewEntry due(long municipalityId, UUID reservationId, LedgerEntry.Kind kind, long amount,
                                   String note) {
            return new NewEntry(municipalityId, reservationId, kind, amount, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), note);
        }
    }

    /**
     * Appends an entry in the caller's transaction. An amount of 0 writes nothing (a free room has no charge).
     *
     * @param tx    the transaction of the change it records
     * @param entry the entry
     * @param now   when
     */
    public static void append(DbTransaction tx, NewEntry entry, Instant now) {
        if (entry.amount() == 0) {
            return;
        }
        // Checked by the record's rules before anything is written.
        new LedgerEntry(0, entry.reservationId(), entry.kind(), entry.amount(), entry.paymentId(), entry.refundId(),
                entry.providerRef(), entry.clerkId(), entry.note(), now);
        tx.insert(INSERT, entry.municipalityId(), entry.reservationId(), entry.kind().wire(), entry.amount(),
                entry.paymentId().orElse(null), entry.refundId().orElse(null), entry.providerRef().orElse(null),
                entry.clerkId().orElse(null), entry.note(), Sql.at(now));
    }

    /**
     * Brings what is due on a reservation to a new figure with one entry: a cancellation (取消・失効) or a
     * reduction (減免) when it falls, a charge when it rises; nothing when it is already there.
     *
     * @param tx            the transaction of the change
     * @param reservationId the reservation
     * @param target        what is due from now on, yen
     * @param falling       the kind for a fall: {@link LedgerEntry.Kind#CANCELLATION} or {@link LedgerEntry.Kind#REDUCTION}
     * @param note          what it is
     * @param now           when
     */
    public static void dueTo(DbTransaction tx, UUID reservationId, long target, LedgerEntry.Kind falling, String note,
                             Instant now) {
        long municipalityId = Sql.longValue(tx.get("select municipality_id from reservation where id = ?",
                reservationId).orElseThrow(), "municipality_id");
        long due = balance(tx, reservationId).due();
        if (due > target) {
            append(tx, NewEntry.due(municipalityId, reservationId, falling, due - target, note), now);
        } else if (due < target) {
            append(tx, NewEntry.due(municipalityId, reservationId, LedgerEntry.Kind.CHARGE, target - due, note), now);
        }
    }

    /**
     * @param tx            a transaction
     * @param reservationId the reservation
     * @return its balance as the transaction sees it
     */
    public static Balance balance(DbTransaction tx, UUID reservationId) {
        return sum(Sql.list(tx.query(SUMS, reservationId), row -> row));
    }

    /**
     * @param reservationId the reservation
     * @return its balance
     */
    public Balance balance(UUID reservationId) {
        return sum(Sql.list(db.execute().query(SUMS, reservationId), row -> row));
    }

    /**
     * @param municipalityId the owner
     * @param reservationId  the reservation
     * @return its entries, oldest first
     */
    public List<LedgerEntry> entries(long municipalityId, UUID reservationId) {
        return Sql.list(db.execute().query(BY_RESERVATION, municipalityId, reservationId), Ledger::map);
    }

    private static Balance sum(List<DbRow> rows) {
        Map<LedgerEntry.Kind, Long> totals = rows.stream().collect(Collectors.toMap(
                row -> LedgerEntry.Kind.of(Sql.text(row, "kind")), row -> Sql.longValue(row, "total")));
        Balance balance = Balance.ZERO;
        for (Map.Entry<LedgerEntry.Kind, Long> total : totals.entrySet()) {
            balance = balance.with(total.getKey(), total.getValue());
        }
        return balance;
    }

    private static LedgerEntry map(DbRow row) {
        return new LedgerEntry(Sql.longValue(row, "id"), Sql.uuid(row, "reservation_id"),
                LedgerEntry.Kind.of(Sql.text(row, "kind")), Sql.longValue(row, "amount"),
                Sql.value(row, "payment_id").map(v -> UUID.fromString(v.toString())),
                Sql.value(row, "refund_id").map(v -> UUID.fromString(v.toString())),
                Sql.optionalText(row, "provider_ref"),
                Sql.value(row, "clerk_id").map(v -> UUID.fromString(v.toString())),
                Sql.text(row, "note"), Sql.instant(row, "created_at"));
    }
}
