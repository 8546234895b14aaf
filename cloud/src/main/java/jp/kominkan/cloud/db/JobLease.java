package jp.kominkan.cloud.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.helidon.dbclient.DbClient;

/**
 * A named lease in the database ({@code job_lease}, V32): of several cloud instances, the one holding it runs the job
 * and renews it each time; another takes it over only after it has lapsed (its holder stopped). Instances' clocks
 * must agree to well within the lease (NTP), as they do for holds and sessions.
 */
public final class JobLease {

    private static final String TAKE = """
            update job_lease set holder = ?, lease_until = ?
            where name = ? and (holder = ? or lease_until <= ?)""";
    private static final String FIRST = "insert into job_lease (name, holder, lease_until) values (?, ?, ?)";

    private final DbClient db;
    private final Clock clock;
    private final String holder = "cloud-" + UUID.randomUUID();

    /**
     * @param db    the database
     * @param clock the clock
     */
    public JobLease(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Takes or renews the lease.
     *
     * @param job    the job's name
     * @param length how long the lease holds without renewal
     * @return whether this instance holds it now (and runs the job)
     */
    public boolean acquire(String job, Duration length) {
        Instant now = clock.instant();
        Instant until = now.plus(length);
        if (db.execute().update(TAKE, holder, Sql.at(until), job, holder, Sql.at(now)) == 1) {
            return true;
        }
        try {
            db.execute().insert(FIRST, job, holder, Sql.at(until));
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false; // another instance holds it (or took it first just now)
            }
            throw e;
        }
    }

    /**
     * Gives the lease up, so another instance takes the job at once (this one is stopping).
     *
     * @param job the job's name
     */
    public void release(String job) {
        try {
            db.execute().delete("delete from job_lease where name = ? and holder = ?", job, holder);
        } catch (RuntimeException e) {
            // Lapses by itself.
        }
    }

    @Override
    public String toString() {
        return "JobLease[" + holder + "]";
    }
}
