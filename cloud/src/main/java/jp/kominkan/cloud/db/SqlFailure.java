package jp.kominkan.cloud.db;

import java.sql.SQLException;

/**
 * Classifies database failures by SQLSTATE, the same on H2 and PostgreSQL, so callers can turn a
 * lost race into a 409 or a retry instead of a 500.
 */
public enum SqlFailure {
    /** 23505: another row already holds this key (the slot is taken). */
    UNIQUE_VIOLATION,
    /** 40001 / 40P01 / H2 lock timeout: worth one more try. */
    TRANSIENT,
    /**
     * The database went away or cannot write: a connection failure (class 08), the server shutting down or
     * restarting (57P01–57P03, as in a failover), a read-only node (25006, a demoted leader). A write that failed so
     * may or may not have committed: its outcome is unknown until read back (docs/deploy.md).
     */
    CONNECTION,
    /** Anything else. */
    OTHER;

    /**
     * Finds the SQL cause of a failure and classifies it.
     *
     * @param failure what the DB Client threw
     * @return its class
     */
    public static SqlFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // The driver's and the pool's own words for a connection that is gone, with or without an SQLSTATE.
            if (t instanceof java.sql.SQLRecoverableException || t instanceof java.sql.SQLNonTransientConnectionException) {
                return CONNECTION;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return switch (sql.getSQLState()) {
                    case "23505" -> UNIQUE_VIOLATION;
                    case "40001", "40P01", "HYT00", "55P03" -> TRANSIENT;
                    case "57P01", "57P02", "57P03", "25006" -> CONNECTION;
                    default -> sql.getSQLState().startsWith("08") ? CONNECTION : OTHER;
                };
            }
        }
        return OTHER;
    }
}
