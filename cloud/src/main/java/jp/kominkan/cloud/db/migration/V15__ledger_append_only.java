package jp.kominkan.cloud.db.migration;

import java.sql.Connection;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Makes the money ledger append-only in the database itself, not only in the code: an UPDATE or DELETE
 * of {@code ledger_entry} fails, whoever sends it. PostgreSQL gets a PL/pgSQL trigger; H2 (which has no
 * procedural SQL) a Java trigger, {@link LedgerAppendOnly}. Written in Java because the two dialects differ
 * and Flyway's SQL files here run unchanged on both (docs/money.md).
 */
public final class V15__ledger_append_only extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        String product = connection.getMetaData().getDatabaseProductName();
        try (Statement sql = connection.createStatement()) {
            if (product.equals("PostgreSQL")) {
                sql.execute("""
                        create function ledger_entry_append_only() returns trigger language plpgsql as $$
                        begin
                          raise exception 'ledger_entry is append-only: % refused', tg_op using errcode = '42501';
                        end $$""");
                sql.execute("""
                        create trigger ledger_entry_append_only before update or delete on ledger_entry
                          for each row execute function ledger_entry_append_only()""");
                // TRUNCATE fires no row trigger: a statement trigger refuses it too.
                sql.execute("""
                        create trigger ledger_entry_no_truncate before truncate on ledger_entry
                          for each statement execute function ledger_entry_append_only()""");
            } else if (product.equals("H2")) {
                sql.execute("create trigger ledger_entry_append_only before update, delete on ledger_entry for each row"
                        + " call \"" + LedgerAppendOnly.class.getName() + "\"");
            } else {
                throw new IllegalStateException("Kominkan runs on H2 or PostgreSQL, not " + product);
            }
        }
    }
}
