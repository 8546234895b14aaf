package jp.kominkan.cloud.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * Logins under way, ID tokens already used, identity links and the identity audit trail, in SQL that
 * runs on H2 and PostgreSQL alike. The database, not Java, keeps one person at a provider to one account per
 * municipality (a unique key on provider and subject in {@code identity_subject}); an account holds at most one
 * link per provider, and {@code identity_link} is its verification (the provider that verified last).
 */
public final class IdentityStore {

    private static final String INSERT_LOGIN = """
            insert into oidc_login (state_hash, browser_hash, municipality_id, provider, purpose, account_id, nonce,
                                    code_verifier, return_to, created_at, expires_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String SELECT_LOGIN = "select * from oidc_login where state_hash = ?";
    private static final String DELETE_LOGIN = "delete from oidc_login where state_hash = ?";
    private static final String PURGE_LOGINS = "delete from oidc_login where expires_at < ?";
    private static final String PURGE_TOKENS = "delete from oidc_seen_token where expires_at < ?";
    private static final String INSERT_SEEN = "insert into oidc_seen_token (token_id, expires_at) values (?, ?)";
    private static final String ACCOUNT_BY_SUBJECT = """
            select s.account_id from identity_subject s join account a on a.id = s.account_id
            where s.municipality_id = ? and s.provider = ? and s.subject = ? and a.deleted_at is null""";
    private static final String SUBJECT_AT = "select subject from identity_subject where account_id = ? and provider = ?";
    private static final String UPDATE_VERIFIED = """
            update account set name = ?, name_substitute = ?, former_name = ?, address_prefecture = ?,
                               address_city = ?, address_rest = ?, birth_date = ?
            where id = ? and deleted_at is null""";
    private static final String DELETE_LINK = "delete from identity_link where account_id = ?";
    private static final String DELETE_SUBJECTS = "delete from identity_subject where account_id = ?";
    /** Unlinked, the account is renewed no more: its sealed refresh tokens go with the links (V31). */
    private static final String DELETE_RENEWALS = "delete from identity_renewal where account_id = ?";
    private static final String DELETE_SUBJECT = "delete from identity_subject where account_id = ? and provider = ?";
    private static final String VERIFIED_NOW = """
            select a.name, a.address_prefecture, a.address_city, a.address_rest, a.birth_date, l.residency
            from account a join identity_link l on l.account_id = a.id where a.id = ?""";
    private static final String INSERT_CHANGE = """
            insert into identity_change (account_id, changed_at, facts, residency_before, residency_after)
            values (?, ?, ?, ?, ?)""";
    private static final String CHANGES = """
            select changed_at, facts, residency_before, residency_after from identity_change
            where account_id = ? order by changed_at desc, id desc limit 20""";
    private static final String INSERT_LINK = """
            insert into identity_link (account_id, municipality_id, provider, residency, verified_at)
            values (?, ?, ?, ?, ?)""";
    private static final String INSERT_SUBJECT = """
            insert into identity_subject (account_id, municipality_id, provider, subject, linked_at)
            values (?, ?, ?, ?, ?)""";
    private static final String INSERT_ACCOUNT = """
            insert into account (id, municipality_id, email, password_hash, name, created_at, phone, name_substitute,
                                 former_name, address_prefecture, address_city, address_rest, birth_date)
            values (?, ?, ?, null, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_AUDIT = """
            insert into identity_audit (municipality_id, account_id, provider, event, reason, subject_hash, occurred_at)
            values (?, ?, ?, ?, ?, ?, ?)""";

    private final DbClient db;
    private final byte[] subjectKey;

    /**
     * @param db         the database
     * @param subjectKey the key under which subjects are hashed in the audit trail (a secret, so a known
     *                   subject cannot be looked up there)
     */
    public IdentityStore(DbClient db, byte[] subjectKey) {
        this.db = db;
        this.subjectKey = subjectKey.clone();
    }

    /**
     * @param login a login that has just started
     */
    public void saveLogin(LoginAttempt login) {
        db.execute().insert(INSERT_LOGIN, login.stateHash(), login.browserHash(), login.municipalityId(),
                login.provider(), login.purpose().wire(), login.accountId().orElse(null), login.nonce(),
                login.codeVerifier(), login.returnTo(), Sql.at(login.createdAt()), Sql.at(login.expiresAt()));
    }

    /**
     * Takes a login out of the store: of two callbacks with the same state, only one gets it.
     *
     * @param stateHash SHA-256 of the callback's state
     * @return the login, if it was there and this call removed it
     */
    public Optional<LoginAttempt> take(String stateHash) {
        Optional<LoginAttempt> found = db.execute().get(SELECT_LOGIN, stateHash).map(IdentityStore::login);
        if (found.isEmpty() || db.execute().delete(DELETE_LOGIN, stateHash) != 1) {
            return Optional.empty();
        }
        return found;
    }

    /**
     * Forgets logins that can no longer complete and used tokens that have expired anyway.
     *
     * @param now now
     */
    public void purge(Instant now) {
        db.execute().delete(PURGE_LOGINS, Sql.at(now));
        db.execute().delete(PURGE_TOKENS, Sql.at(now));
    }

    /**
     * @param tokenId   the ID token's name ({@link OidcClient.Completed#tokenId()})
     * @param expiresAt when it expires; it is remembered until then
     * @return true the first time, false for a replay
     */
    public boolean firstUse(String tokenId, Instant expiresAt) {
        try {
            db.execute().insert(INSERT_SEEN, tokenId, Sql.at(expiresAt));
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param municipalityId where
     * @param provider       the provider's id
     * @param subject        the person at the provider
     * @return the account linked to that person here
     */
    public Optional<UUID> accountFor(long municipalityId, String provider, String subject) {
        return db.execute().get(ACCOUNT_BY_SUBJECT, municipalityId, provider, subject)
                .map(row -> Sql.uuid(row, "account_id"));
    }

    /**
     * Links an account to a verified person and copies the verified facts onto it, in one transaction.
     *
     * @param accountId      the account
     * @param municipalityId where
     * @param provider       the provider's id
     * @param facts          what the provider vouches for
     * @param residency      judged from the verified address
     * @param now            now
     * @return false, with nothing changed, when the person is already linked to another account here
     */
    public boolean link(UUID accountId, long municipalityId, String provider, VerifiedFacts facts,
                        Account.Residency residency, Instant now) {
        DbTransaction tx = db.transaction();
        try {
            Optional<FactsChange> change = tx.get(VERIFIED_NOW, accountId).flatMap(row -> FactsChange.between(row,
                    facts, residency));
            long updated = tx.update(UPDATE_VERIFIED, facts.name(), facts.nameSubstitute().orElse(null),
                    facts.formerName().orElse(null), facts.address().prefecture(), facts.address().city(),
                    facts.address().rest(), facts.birthDate(), accountId);
            if (updated != 1) {
                tx.rollback();
                throw IdentityFailure.rejected("account-gone");
            }
            tx.delete(DELETE_LINK, accountId);
            tx.insert(INSERT_LINK, accountId, municipalityId, provider, residency.wire(), Sql.at(now));
            tx.delete(DELETE_SUBJECT, accountId, provider);
            try {
                tx.insert(INSERT_SUBJECT, accountId, municipalityId, provider, facts.subject(), Sql.at(now));
            } catch (RuntimeException e) {
                Sql.rollbackQuietly(tx);
                if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                    return false;
                }
                throw e;
            }
            change.ifPresent(c -> tx.insert(INSERT_CHANGE, accountId, Sql.at(now), c.facts(), c.before().wire(),
                    c.after().wire()));
            tx.commit();
            return true;
        } catch (IdentityFailure e) {
            throw e;
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * @param accountId an account
     * @return what renewed verifications changed in its facts, the latest first (at most 20)
     */
    public List<Change> changes(UUID accountId) {
        return Sql.list(db.execute().query(CHANGES, accountId), row -> new Change(Sql.instant(row, "changed_at"),
                List.of(Sql.text(row, "facts").split(",")), Account.Residency.of(Sql.text(row, "residency_before")),
                Account.Residency.of(Sql.text(row, "residency_after"))));
    }

    /**
     * What one renewed verification changed.
     *
     * @param at     when
     * @param facts  which facts: name, address, birth-date
     * @param before the residency before
     * @param after  the residency after
     */
    public record Change(Instant at, List<String> facts, Account.Residency before, Account.Residency after) {
    }

    /**
     * Creates an account from verified facts and links it, in one transaction.
     *
     * @param accountId      the new account's id
     * @param municipalityId where
     * @param email          the e-mail to register, if any (already checked free)
     * @param provider       the provider's id
     * @param facts          what the provider vouches for
     * @param residency      judged from the verified address
     * @param now            now
     * @return the outcome
     */
    public CreateOutcome createVerified(UUID accountId, long municipalityId, Optional<String> email, String provider,
                                        VerifiedFacts facts, Account.Residency residency, Instant now) {
        DbTransaction tx = db.transaction();
        try {
            try {
                tx.insert(INSERT_ACCOUNT, accountId, municipalityId, email.orElse(null), facts.name(), Sql.at(now),
                        facts.phone().orElse(null), facts.nameSubstitute().orElse(null),
                        facts.formerName().orElse(null), facts.address().prefecture(), facts.address().city(),
                        facts.address().rest(), facts.birthDate());
            } catch (RuntimeException e) {
                Sql.rollbackQuietly(tx);
                if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                    return CreateOutcome.EMAIL_TAKEN;
                }
                throw e;
            }
            tx.insert(INSERT_LINK, accountId, municipalityId, provider, residency.wire(), Sql.at(now));
            try {
                tx.insert(INSERT_SUBJECT, accountId, municipalityId, provider, facts.subject(), Sql.at(now));
            } catch (RuntimeException e) {
                Sql.rollbackQuietly(tx);
                if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                    return CreateOutcome.SUBJECT_TAKEN;
                }
                throw e;
            }
            tx.commit();
            return CreateOutcome.CREATED;
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * @param accountId the account whose link to a verified person ends
     * @return whether there was one
     */
    public boolean unlink(UUID accountId) {
        return Sql.inTransaction(db, tx -> {
            tx.delete(DELETE_SUBJECTS, accountId);
            tx.delete(DELETE_RENEWALS, accountId);
            return tx.delete(DELETE_LINK, accountId) > 0;
        });
    }

    /**
     * Links an account to a person at one more provider, in the caller's transaction (staff found a held-back
     * verification to be the account's own person). The account's facts and residency stay as verified.
     *
     * @param tx             the transaction
     * @param accountId      the account
     * @param municipalityId where
     * @param provider       the provider
     * @param subject        the person there
     * @param now            now
     * @return false when the account already holds a link at that provider or the person one to another account;
     *         the caller must then roll back
     */
    public boolean linkSubject(DbTransaction tx, UUID accountId, long municipalityId, String provider, String subject,
                               Instant now) {
        try {
            tx.insert(INSERT_SUBJECT, accountId, municipalityId, provider, subject, Sql.at(now));
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param accountId an account
     * @param provider  a provider's id
     * @return the person at that provider the account is linked to, if it is
     */
    public Optional<String> subjectAt(UUID accountId, String provider) {
        return db.execute().get(SUBJECT_AT, accountId, provider).map(row -> Sql.text(row, "subject"));
    }

    /**
     * Writes an audit entry. The subject is stored only as a keyed hash: enough to see that two
     * entries are the same person, not who it is.
     *
     * @param entry the entry
     */
    public void audit(AuditEntry entry) {
        db.execute().insert(INSERT_AUDIT, entry.municipalityId(), entry.accountId().orElse(null),
                entry.provider(), entry.event(), entry.reason().orElse(null),
                entry.subject().map(s -> Tokens.hmacHex(subjectKey, entry.provider() + ":" + s)).orElse(null),
                Sql.at(entry.at()));
    }

    private static LoginAttempt login(DbRow row) {
        return new LoginAttempt(Sql.text(row, "state_hash"), Sql.text(row, "browser_hash"),
                Sql.longValue(row, "municipality_id"), Sql.text(row, "provider"),
                LoginAttempt.Purpose.of(Sql.text(row, "purpose")).orElseThrow(),
                Sql.value(row, "account_id").map(v -> UUID.fromString(v.toString())), Sql.text(row, "nonce"),
                Sql.text(row, "code_verifier"), Sql.text(row, "return_to"), Sql.instant(row, "created_at"),
                Sql.instant(row, "expires_at"));
    }


    /** What {@link #createVerified} did. */
    public enum CreateOutcome {
        /** Account created and linked. */
        CREATED,
        /** The e-mail belongs to another account; nothing written. */
        EMAIL_TAKEN,
        /** The person already has an account here; nothing written. */
        SUBJECT_TAKEN
    }

    /**
     * One line of the identity audit trail.
     *
     * @param municipalityId where
     * @param accountId      the account concerned, if any
     * @param provider       the provider's id
     * @param event          what happened: registered, logged-in, verified, unlinked, rejected, duplicate-person…
     * @param reason         why, for failures
     * @param subject        the person at the provider, hashed before it is stored
     * @param at             when
     */
    public record AuditEntry(long municipalityId, Optional<UUID> accountId, String provider, String event,
                             Optional<String> reason, Optional<String> subject, Instant at) {
    }
}
