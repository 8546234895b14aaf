package jp.kominkan.cloud.db;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

/**
 * Conversions between Java time and SQL values that behave the same on H2 and PostgreSQL.
 * PostgreSQL's driver takes {@link OffsetDateTime} but not {@link Instant}, and returns
 * {@code timestamptz} as {@link Timestamp}; H2 returns {@link OffsetDateTime}.
 */
public final class Sql {

    private Sql() {
    }

    /**
     * Maps every row of a query and closes it, which gives its connection back to the pool.
     *
     * @param rows   the rows of a query
     * @param mapper from row to value
     * @param <T>    the value type
     * @return the values, in order
     */
    public static <T> List<T> list(Stream<DbRow> rows, Function<DbRow, T> mapper) {
        try (rows) {
            return rows.map(mapper).toList();
        }
    }

    /**
     * The value of a column, which may be SQL NULL (Helidon's {@code DbColumn.get()} refuses NULL).
     *
     * @param row    a row
     * @param column a column
     * @return its value, empty for NULL
     */
    public static Optional<Object> value(DbRow row, String column) {
        return Optional.ofNullable(row.column(column).get(Object.class));
    }

    /**
     * @param instant an instant
     * @return a parameter for a {@code timestamp with time zone} column
     */
    public static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * @param row    a row
     * @param column a {@code timestamp with time zone} column that is never null
     * @return its value
     */
    public static Instant instant(DbRow row, String column) {
        return optionalInstant(row, column).orElseThrow(() -> new IllegalStateException(column + " is null"));
    }

    /**
     * @param row    a row
     * @param column a nullable {@code timestamp with time zone} column
     * @return its value, if not null
     */
    public static Optional<Instant> optionalInstant(DbRow row, String column) {
        return value(row, column).map(value -> switch (value) {
            case OffsetDateTime odt -> odt.toInstant();
            case Timestamp ts -> ts.toInstant();
            case Instant i -> i;
            default -> throw new IllegalStateException(column + " is a " + value.getClass());
        });
    }

    /**
     * @param row    a row
     * @param column a {@code uuid} column that is never null
     * @return its value
     */
    public static UUID uuid(DbRow row, String column) {
        return (UUID) row.column(column).get();
    }

    /**
     * PostgreSQL's driver and H2 give {@code bytea} as an array; a driver may give a {@link java.sql.Blob}.
     *
     * @param row    a row
     * @param column a binary column (not null)
     * @return its bytes
     */
    public static byte[] bytes(DbRow row, String column) {
        Object value = row.column(column).get();
        return switch (value) {
            case byte[] b -> b;
            case java.sql.Blob blob -> {
                try {
                    yield blob.getBytes(1, Math.toIntExact(blob.length()));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("Cannot read " + column, e);
                }
            }
            default -> throw new IllegalStateException(column + " is a " + value.getClass());
        };
    }

    /**
     * @param row    a row
     * @param column a {@code date} column
     * @return its value
     */
    public static LocalDate date(DbRow row, String column) {
        Object value = row.column(column).get();
        return switch (value) {
            case LocalDate d -> d;
            case java.sql.Date d -> d.toLocalDate();
            default -> throw new IllegalStateException(column + " is a " + value.getClass());
        };
    }

    /**
     * @param row    a row
     * @param column an integer column
     * @return its value
     */
    public static int integer(DbRow row, String column) {
        return ((Number) row.column(column).get()).intValue();
    }

    /**
     * @param row    a row
     * @param column a bigint column
     * @return its value
     */
    public static long longValue(DbRow row, String column) {
        return ((Number) row.column(column).get()).longValue();
    }

    /**
     * @param row    a row
     * @param column a text column that may be NULL
     * @return its value
     */
    public static Optional<String> optionalText(DbRow row, String column) {
        return value(row, column).map(Object::toString);
    }

    /**
     * @param row    a row
     * @param column a non-null text column
     * @return its value
     */
    public static String text(DbRow row, String column) {
        return value(row, column).map(Object::toString).orElseThrow(
                () -> new IllegalStateException(column + " is null"));
    }

    /**
     * Rolls back a transaction that failed, ignoring a failure of the rollback itself: the transaction
     * did not commit either way, and the original failure is what matters.
     *
     * @param tx the transaction
     */
    public static void rollbackQuietly(DbTransaction tx) {
        try {
            tx.rollback();
        } catch (RuntimeException ignored) {
            // already over, or the connection is gone
        }
    }

    /**
     * Runs work in one transaction: committed when it returns, rolled back when it throws.
     *
     * @param db   the database
     * @param work what to do
     * @param <T>  what it returns
     * @return what the work returned
     */
    public static <T> T inTransaction(DbClient db, java.util.function.Function<DbTransaction, T> work) {
        DbTransaction tx = db.transaction();
        try {
            T result = work.apply(tx);
            tx.commit();
            AfterCommit.run(db);
            return result;
        } catch (RuntimeException e) {
            rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * @param all  values for an {@code in (…)} list
     * @param size most per statement
     * @param <T>  their type
     * @return the values cut into lists of at most {@code size}
     */
    public static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> batches = new java.util.ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            batches.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return batches;
    }

    /**
     * @param n how many parameters
     * @return {@code ?, ?, …} for an {@code in (…)} list
     */
    public static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
