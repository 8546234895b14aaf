package jp.kominkan.cloud.db.migration;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * H2's trigger that refuses any UPDATE or DELETE of {@code ledger_entry} (PostgreSQL has its own in
 * PL/pgSQL, {@link V15__ledger_append_only}).
 */
public final class LedgerAppendOnly implements Trigger {

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("ledger_entry is append-only: " + (newRow == null ? "DELETE" : "UPDATE") + " refused",
                "42501");
    }
}
