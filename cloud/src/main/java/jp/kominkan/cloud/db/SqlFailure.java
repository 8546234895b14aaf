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
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return switch (sql.getSQLState()) {
                    case "23505" -> UNIQUE_VIOLATION;
                    case "40001", "40P01", "HYT00", "55P03" -> TRANSIENT;
                    default -> OTHER;
                };
            }
        }
        return OTHER;
    }
}
