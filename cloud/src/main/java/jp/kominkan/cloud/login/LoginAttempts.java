package jp.kominkan.cloud.login;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * The failed-login counters in {@code login_throttle}, shared by every cloud instance on the database. An attempt
 * is claimed before its password is checked: the attempt's counters are locked (in a fixed order, pair before
 * account before source, so two attempts never wait on each other in a circle), judged, and counted as a failure
 * in the same transaction; a login that then succeeds gives the claim back. So a burst of concurrent guesses is
 * counted one by one, and none passes a counter that is already spent. The only writer of the table.
 */
public final class LoginAttempts {

    private static final String ENSURE = "insert into login_throttle (key_hash, scope, failures, last_failure_at)"
            + " values (?, ?, 0, ?)";
    private static final String EXISTS = "select 1 as x from login_throttle where key_hash = ?";
    private static final String LOCK = "select failures, last_failure_at from login_throttle where key_hash = ? for update";
    private static final String COUNT = "update login_throttle set failures = ?, last_failure_at = ? where key_hash = ?";
    private static final String FORGET = "delete from login_throttle where key_hash = ?";
    private static final String GIVE_BACK = "update login_throttle set failures = failures - 1"
            + " where key_hash = ? and failures > 0";
    private static final String SWEEP = "delete from login_throttle where last_failure_at < ?";

    private final DbClient db;

    /**
     * @param db the database
     */
    public LoginAttempts(DbClient db) {
        this.db = db;
    }

    /** One counter of an attempt: its key and the budget it spends. */
    record Counter(String keyHash, String scope, Budget budget) {
    }

    /**
     * Claims an attempt on all its counters, or finds that one of them makes it wait.
     *
     * @param counters the attempt's counters, in lock order
     * @param now      now
     * @return the longest wait any counter asks for, or empty when the attempt was counted and may go
     */
    Optional<Duration> claim(List<Counter> counters, Instant now) {
        for (int tries = 1; ; tries++) {
            try {
                Optional<Optional<Duration>> claimed = tryClaim(counters, now);
                if (claimed.isPresent()) {
                    return claimed.get();
                }
            } catch (RuntimeException e) {
                // A deadlock or lock time-out with the sweep of old counters: the claim changed nothing, try again.
                if (SqlFailure.of(e) != SqlFailure.TRANSIENT || tries == 3) {
                    throw e;
                }
            }
            if (tries == 3) {
                throw new IllegalStateException("login counters kept vanishing while being claimed");
            }
        }
    }

    /** @return the claim's outcome, or empty when a counter was swept away meanwhile (then try again) */
    private Optional<Optional<Duration>> tryClaim(List<Counter> counters, Instant now) {
        for (Counter counter : counters) {
            ensure(counter, now);
        }
        DbTransaction tx = db.transaction();
        try {
            Duration wait = Duration.ZERO;
            List<Integer> next = new ArrayList<>();
            for (Counter counter : counters) {
                Optional<DbRow> locked = tx.get(LOCK, counter.keyHash());
                if (locked.isEmpty()) {
                    tx.rollback();
                    return Optional.empty();
                }
                DbRow row = locked.get();
                int failures = row.column("failures").getInt();
                Instant last = Sql.instant(row, "last_failure_at");
                Duration mine = counter.budget().wait(failures, last, now);
                if (mine.compareTo(wait) > 0) {
                    wait = mine;
                }
                next.add(counter.budget().next(failures, last, now));
            }
            if (!wait.isZero()) {
                tx.commit();
                return Optional.of(Optional.of(wait));
            }
            for (int i = 0; i < counters.size(); i++) {
                tx.update(COUNT, next.get(i), Sql.at(now), counters.get(i).keyHash());
            }
            tx.commit();
            return Optional.of(Optional.empty());
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * After a successful login: forgets some counters and gives the claim back on the others, and sweeps away
     * counters whose failures are all forgotten.
     *
     * @param forget    counters to forget (the account's)
     * @param giveBack  counters to give one failure back to (the source address's)
     * @param forgotten counters last failed before this are deleted
     */
    void succeeded(List<Counter> forget, List<Counter> giveBack, Instant forgotten) {
        DbTransaction tx = db.transaction();
        try {
            for (Counter counter : forget) {
                tx.delete(FORGET, counter.keyHash());
            }
            for (Counter counter : giveBack) {
                tx.update(GIVE_BACK, counter.keyHash());
            }
            tx.commit();
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
        // Outside the transaction, so it never holds a counter's lock while waiting for another; a sweep that
        // loses a race is harmless (a forgotten counter counts as new when claimed).
        try {
            db.execute().delete(SWEEP, Sql.at(forgotten));
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) != SqlFailure.TRANSIENT) {
                throw e;
            }
        }
    }

    /**
     * Gives the claim back on every counter: the attempt was not a guess (the login could not be tried at all).
     *
     * @param counters the attempt's counters
     */
    void giveBack(List<Counter> counters) {
        succeeded(List.of(), counters, Instant.EPOCH);
    }

    /**
     * @param keyHash a counter's key
     * @return its failures, if it exists (for tests and the operator)
     */
    public Optional<Integer> failures(String keyHash) {
        return db.execute().get("select failures from login_throttle where key_hash = ?", keyHash)
                .map(row -> row.column("failures").getInt());
    }

    /** Makes a counter's row in its own statement, so two first attempts do not collide inside the claim. */
    private void ensure(Counter counter, Instant now) {
        if (db.execute().get(EXISTS, counter.keyHash()).isPresent()) {
            return;
        }
        try {
            db.execute().insert(ENSURE, counter.keyHash(), counter.scope(), Sql.at(now));
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) != SqlFailure.UNIQUE_VIOLATION) {
                throw e;
            }
        }
    }
}
