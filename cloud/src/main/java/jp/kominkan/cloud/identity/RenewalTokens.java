package jp.kominkan.cloud.identity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.crypto.AeadSeal;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * The refresh tokens the renewal job asks xID with ({@code identity_renewal}, V31), only ever sealed
 * ({@link AeadSeal}, the account and provider as the sealed value's context). A row is due at {@code due_at}; a job
 * instance claims it by moving {@code due_at} forward with an update that names the value it read, which only one
 * instance can win. Owns the table (deleted alongside the links at unlink and 退会, docs/identity.md).
 */
public final class RenewalTokens {

    private static final String DELETE = "delete from identity_renewal where account_id = ? and provider = ?";
    private static final String INSERT = """
            insert into identity_renewal (account_id, municipality_id, provider, sealed_token, due_at, failures,
                                          stored_at)
            values (?, ?, ?, ?, ?, 0, ?)""";
    private static final String DUE = """
            select account_id, municipality_id, provider, sealed_token, due_at, failures from identity_renewal
            where due_at <= ? order by due_at limit ?""";
    private static final String CLAIM = """
            update identity_renewal set due_at = ? where account_id = ? and provider = ? and due_at = ?""";
    // Writes after a claim name the claim (due_at as claimed): a login that replaced the row meanwhile, or another
    // instance that took it after the lease, is not overwritten.
    private static final String RENEWED = """
            update identity_renewal set sealed_token = ?, due_at = ?, failures = 0, renewed_at = ?
            where account_id = ? and provider = ? and due_at = ?""";
    private static final String ROTATED = """
            update identity_renewal set sealed_token = ? where account_id = ? and provider = ? and due_at = ?""";
    private static final String POSTPONED = """
            update identity_renewal set due_at = ?, failures = failures + 1
            where account_id = ? and provider = ? and due_at = ?""";
    private static final String DROP_CLAIMED = """
            delete from identity_renewal where account_id = ? and provider = ? and due_at = ?""";
    private static final String ONE = "select due_at, failures from identity_renewal where account_id = ? and provider = ?";

    private final DbClient db;
    private final AeadSeal seal;

    /**
     * @param db   the database
     * @param seal seals the tokens; its key is the cloud's, outside the database
     */
    public RenewalTokens(DbClient db, AeadSeal seal) {
        this.db = db;
        this.seal = seal;
    }

    /**
     * Keeps (or replaces) an account's refresh token at a provider, due for renewal at {@code due}.
     *
     * @param accountId      the account
     * @param municipalityId where
     * @param provider       the provider
     * @param refreshToken   the provider's refresh token, in clear only in memory
     * @param now            now
     * @param due            when the job first asks
     */
    public void keep(UUID accountId, long municipalityId, String provider, String refreshToken, Instant now,
                     Instant due) {
        String sealed = seal.seal(refreshToken.getBytes(StandardCharsets.UTF_8), context(accountId, provider));
        try {
            Sql.inTransaction(db, tx -> {
                tx.delete(DELETE, accountId, provider);
                return tx.insert(INSERT, accountId, municipalityId, provider, sealed, Sql.at(due), Sql.at(now));
            });
        } catch (RuntimeException e) {
            // Two logins of the same person at once: the other one's token is as good.
            if (SqlFailure.of(e) != SqlFailure.UNIQUE_VIOLATION) {
                throw e;
            }
        }
    }

    /**
     * @param now   now
     * @param limit at most this many
     * @return the rows due, the longest due first
     */
    List<Due> due(Instant now, int limit) {
        return Sql.list(db.execute().query(DUE, Sql.at(now), limit), row -> new Due(Sql.uuid(row, "account_id"),
                Sql.longValue(row, "municipality_id"), Sql.text(row, "provider"), Sql.text(row, "sealed_token"),
                Sql.instant(row, "due_at"), Sql.integer(row, "failures")));
    }

    /**
     * @param due   a row read by {@link #due}
     * @param until when another instance may take it, if this one dies on it
     * @return the row as claimed (due at {@code until}), which later writes name; empty when another instance
     *         claimed it first
     */
    Optional<Due> claim(Due due, Instant until) {
        // Read back as stored, to the database's precision, so that later writes naming it match.
        Instant stored = until.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (db.execute().update(CLAIM, Sql.at(stored), due.accountId(), due.provider(), Sql.at(due.dueAt())) != 1) {
            return Optional.empty();
        }
        return Optional.of(new Due(due.accountId(), due.municipalityId(), due.provider(), due.sealedToken(), stored,
                due.failures()));
    }

    /**
     * @param due the row
     * @return its token, in clear; empty when it does not open (another key, another row's token, altered)
     */
    Optional<String> open(Due due) {
        return seal.open(due.sealedToken(), context(due.accountId(), due.provider()))
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * @param due          the row
     * @param refreshToken the token to keep (the provider's new one, when it rotates them)
     * @param next         when next
     * @param now          now
     */
    void renewed(Due due, String refreshToken, Instant next, Instant now) {
        db.execute().update(RENEWED, seal.seal(refreshToken.getBytes(StandardCharsets.UTF_8),
                context(due.accountId(), due.provider())), Sql.at(next), Sql.at(now), due.accountId(), due.provider(),
                Sql.at(due.dueAt()));
    }

    /**
     * Keeps the provider's new refresh token at once (it rotates them: the old one no longer works), before anything
     * else in the renewal can fail.
     *
     * @param due          the claimed row
     * @param refreshToken the new token
     */
    void rotated(Due due, String refreshToken) {
        db.execute().update(ROTATED, seal.seal(refreshToken.getBytes(StandardCharsets.UTF_8),
                context(due.accountId(), due.provider())), due.accountId(), due.provider(), Sql.at(due.dueAt()));
    }

    /**
     * @param due  the row
     * @param next when to try again
     */
    void postponed(Due due, Instant next) {
        db.execute().update(POSTPONED, Sql.at(next), due.accountId(), due.provider(), Sql.at(due.dueAt()));
    }

    /**
     * @param due the claimed row
     * @return whether it was still as claimed, and is gone now
     */
    boolean drop(Due due) {
        return db.execute().delete(DROP_CLAIMED, due.accountId(), due.provider(), Sql.at(due.dueAt())) > 0;
    }

    /**
     * Deletes every kept token (renewal turned off: none may stay).
     *
     * @return how many there were
     */
    long dropAll() {
        return db.execute().delete("delete from identity_renewal");
    }

    /**
     * @param accountId the account
     * @param provider  the provider
     * @return when it is next due and how many outages in a row, if a token is kept
     */
    public Optional<State> state(UUID accountId, String provider) {
        return db.execute().get(ONE, accountId, provider)
                .map(row -> new State(Sql.instant(row, "due_at"), Sql.integer(row, "failures")));
    }

    private static String context(UUID accountId, String provider) {
        return "kominkan-renewal-v1:" + accountId + ":" + provider;
    }

    /**
     * A kept token's schedule.
     *
     * @param dueAt    when the job next asks
     * @param failures provider outages in a row
     */
    public record State(Instant dueAt, int failures) {
    }

    /**
     * A row due for renewal.
     *
     * @param accountId      the account
     * @param municipalityId where
     * @param provider       the provider
     * @param sealedToken    the sealed token
     * @param dueAt          its due time as read (the claim names it)
     * @param failures       provider outages in a row so far
     */
    record Due(UUID accountId, long municipalityId, String provider, String sealedToken, Instant dueAt, int failures) {

        /** Leaves the sealed token out. */
        @Override
        public String toString() {
            return "Due[" + accountId + ", " + provider + "]";
        }
    }
}
