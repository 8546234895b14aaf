package jp.kominkan.cloud.support;

import java.util.ArrayList;
import java.util.List;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;

/**
 * The money ledger's invariant, checked against the database after a scenario (issue 12, "balances per
 * reservation always add up"): for every reservation, what the ledger says is due is its fee while it is
 * held or confirmed and its cancellation fee (or nothing) once it is cancelled or lapsed; what the ledger
 * says was paid is the succeeded payments less the succeeded refunds of the payment tables, never
 * negative; a confirmed reservation owes nothing either way; and every succeeded payment and refund is in
 * the ledger exactly once, with its amount, and nothing else is.
 */
public final class LedgerInvariant {

    private static final String BALANCES = """
            select r.id, r.status, r.amount, r.cancellation_fee,
                   (select coalesce(sum(case when l.kind = 'charge' then l.amount
                                             when l.kind in ('reduction', 'cancellation') then -l.amount else 0 end), 0)
                      from ledger_entry l where l.reservation_id = r.id) as due,
                   (select coalesce(sum(case when l.kind = 'payment' then l.amount
                                             when l.kind = 'refund' then -l.amount else 0 end), 0)
                      from ledger_entry l where l.reservation_id = r.id) as paid,
                   (select coalesce(sum(p.amount), 0) from payment p
                     where p.reservation_id = r.id and p.status = 'succeeded') as payments,
                   (select coalesce(sum(f.amount), 0) from refund f
                     where f.reservation_id = r.id and f.status = 'succeeded') as refunds
              from reservation r""";
    private static final String PAYMENTS_NOT_ONCE = """
            select p.id from payment p
             where (case when p.status = 'succeeded' then 1 else 0 end)
                   <> (select count(*) from ledger_entry l where l.payment_id = p.id)
                or (case when p.status = 'succeeded' then 1 else 0 end)
                   <> (select count(*) from ledger_entry l where l.payment_id = p.id and l.kind = 'payment'
                          and l.amount = p.amount and l.reservation_id = p.reservation_id)""";
    private static final String REFUNDS_NOT_ONCE = """
            select f.id from refund f
             where (case when f.status = 'succeeded' then 1 else 0 end)
                   <> (select count(*) from ledger_entry l where l.refund_id = f.id)
                or (case when f.status = 'succeeded' then 1 else 0 end)
                   <> (select count(*) from ledger_entry l where l.refund_id = f.id and l.kind = 'refund'
                          and l.amount = f.amount and l.reservation_id = f.reservation_id)""";
    private static final String REFUNDS_OVER_PAYMENT = """
            select p.id from payment p
             where p.amount < (select coalesce(sum(f.amount), 0) from refund f
                                where f.payment_id = p.id and f.status in ('pending', 'succeeded'))""";

    private LedgerInvariant() {
    }

    /**
     * @param db the database
     * @throws AssertionError naming every reservation, payment or refund for which it does not hold
     */
    public static void check(DbClient db) {
        List<String> broken = new ArrayList<>();
        Sql.list(db.execute().query(BALANCES), row -> row).forEach(row -> {
            String id = Sql.text(row, "id");
            String status = Sql.text(row, "status");
            long amount = Sql.longValue(row, "amount");
            long fee = Sql.value(row, "cancellation_fee").map(v -> ((Number) v).longValue()).orElse(0L);
            long due = Sql.longValue(row, "due");
            long paid = Sql.longValue(row, "paid");
            long moved = Sql.longValue(row, "payments") - Sql.longValue(row, "refunds");
            long expectedDue = status.equals("held") || status.equals("confirmed") ? amount : fee;
            if (due != expectedDue) {
                broken.add(id + " (" + status + "): ledger due " + due + " ≠ " + expectedDue);
            }
            if (paid != moved) {
                broken.add(id + " (" + status + "): ledger paid " + paid + " ≠ payments − refunds " + moved);
            }
            if (paid < 0) {
                broken.add(id + " (" + status + "): ledger paid " + paid + " < 0");
            }
            if (status.equals("confirmed") && due != paid) {
                broken.add(id + " (confirmed): due " + due + " ≠ paid " + paid);
            }
        });
        Sql.list(db.execute().query(PAYMENTS_NOT_ONCE), row -> Sql.text(row, "id"))
                .forEach(id -> broken.add("payment " + id + ": in the ledger ≠ succeeded"));
        Sql.list(db.execute().query(REFUNDS_NOT_ONCE), row -> Sql.text(row, "id"))
                .forEach(id -> broken.add("refund " + id + ": in the ledger ≠ succeeded"));
        Sql.list(db.execute().query(REFUNDS_OVER_PAYMENT), row -> Sql.text(row, "id"))
                .forEach(id -> broken.add("payment " + id + ": refunds exceed it"));
        if (!broken.isEmpty()) {
            throw new AssertionError("The money ledger does not add up:\n  " + String.join("\n  ", broken));
        }
    }
}
