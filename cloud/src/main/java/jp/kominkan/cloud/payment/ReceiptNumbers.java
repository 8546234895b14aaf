package jp.kominkan.cloud.payment;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * Receipt numbers (領収書番号), e.g. R2026-000042: one series per municipality and year for every payment,
 * at the counter or online, without gaps or repeats — the year's counter row is made first (in its own
 * statement, so two first payments of a year do not collide) and then locked while a number is taken in
 * the payment's transaction. The only writer of {@code receipt_counter}.
 */
public final class ReceiptNumbers {

    private static final String COUNTER = "select last_number from receipt_counter where municipality_id = ? and receipt_year = ? for update";

    private ReceiptNumbers() {
    }

    /**
     * Makes the year's counter when it is missing; a second instance doing the same at once is harmless.
     *
     * @param db             the database
     * @param municipalityId the municipality
     * @param year           the year in its zone
     */
    public static void ensure(DbClient db, long municipalityId, int year) {
        if (db.execute().get("select 1 as x from receipt_counter where municipality_id = ? and receipt_year = ?",
                municipalityId, year).isPresent()) {
            return;
        }
        try {
            db.execute().insert("insert into receipt_counter (municipality_id, receipt_year, last_number) values (?, ?, 0)",
                    municipalityId, year);
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) != SqlFailure.UNIQUE_VIOLATION) {
                throw e;
            }
        }
    }

    /**
     * @param tx             the payment's transaction
     * @param municipalityId the municipality
     * @param year           the year (its counter must exist: {@link #ensure})
     * @return the next number
     */
    public static String next(DbTransaction tx, long municipalityId, int year) {
        DbRow row = tx.get(COUNTER, municipalityId, year).orElseThrow(() -> new IllegalStateException(
                "The receipt counter of " + year + " is missing"));
        int next = Sql.integer(row, "last_number") + 1;
        tx.update("update receipt_counter set last_number = ? where municipality_id = ? and receipt_year = ?", next,
                municipalityId, year);
        return "R%d-%06d".formatted(year, next);
    }
}
