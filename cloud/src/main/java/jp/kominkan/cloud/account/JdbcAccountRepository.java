package jp.kominkan.cloud.account;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * Accounts, profiles and sessions in SQL that runs on H2 and PostgreSQL alike.
 */
public final class JdbcAccountRepository implements AccountRepository {

    /** The account's columns and its verification: what {@link #account} reads. */
    private static final String ACCOUNT_COLUMNS = "a.id, a.municipality_id, a.email, a.name, l.residency, l.verified_at, l.provider";
    private static final String ACCOUNT = ACCOUNT_COLUMNS
            + " from account a left join identity_link l on l.account_id = a.id";
    private static final String INSERT = """
            insert into account (id, municipality_id, email, password_hash, name, created_at)
            values (?, ?, ?, ?, ?, ?)""";
    private static final String BY_EMAIL = "select a.password_hash, " + ACCOUNT
            + " where a.municipality_id = ? and a.email = ? and a.deleted_at is null and a.suspended_at is null";
    private static final String BY_ID = "select " + ACCOUNT + " where a.id = ? and a.deleted_at is null";
    private static final String INSERT_SESSION = """
            insert into login_session (token_hash, account_id, created_at, expires_at) values (?, ?, ?, ?)""";
    private static final String BY_SESSION = "select " + ACCOUNT_COLUMNS
            + " from login_session s join account a on a.id = s.account_id"
            + " left join identity_link l on l.account_id = a.id"
            + " where s.token_hash = ? and s.expires_at > ? and a.deleted_at is null and a.suspended_at is null";
    private static final String DELETE_SESSION = "delete from login_session where token_hash = ?";
    private static final String PROFILE = "select a.password_hash is not null as has_password, a.phone, a.organisation,"
            + " a.name_substitute, a.former_name, a.address_prefecture, a.address_city, a.address_rest, a.birth_date, "
            + ACCOUNT + " where a.id = ? and a.deleted_at is null";
    private static final String UPDATE = """
            update account set email = ?, name = ?, phone = ?, organisation = ?, address_prefecture = ?,
                               address_city = ?, address_rest = ?, birth_date = ?
            where id = ? and deleted_at is null""";
    private static final String ANONYMISE = """
            update account set email = null, password_hash = null, name = '(退会済み)', phone = null,
                               organisation = null, name_substitute = null, former_name = null,
                               address_prefecture = null, address_city = null, address_rest = null,
                               birth_date = null, deleted_at = ?
            where id = ?""";
    private static final String ANONYMISE_BOOKINGS = "update reservation set purpose = '(退会により削除)' where account_id = ?";
    private static final String DELETE_SESSIONS = "delete from login_session where account_id = ?";
    private static final String DELETE_LINK = "delete from identity_link where account_id = ?";
    private static final String DELETE_SUBJECTS = "delete from identity_subject where account_id = ?";
    /** xID's sealed refresh token (V31): no renewal after 退会. */
    private static final String DELETE_RENEWALS = "delete from identity_renewal where account_id = ?";
    private static final String DELETE_REVIEWS = "delete from identity_review where account_id = ? or existing_account_id = ?";
    private static final String DELETE_CHANGES = "delete from identity_change where account_id = ?";
    private static final String DELETE_LOGINS = "delete from oidc_login where account_id = ?";
    private static final String FORGET_AUDIT_SUBJECT = "update identity_audit set subject_hash = null where account_id = ?";

    private final DbClient db;

    /**
     * Suspends an account (利用停止) and ends its sessions, so that it is logged out at once; in the
     * caller's transaction (with its operation log entry).
     *
     * @param tx             the transaction
     * @param municipalityId the municipality
     * @param accountId      whom
     * @param reason         why
     * @param now            now
     * @return false when it was suspended already (or is gone)
     */
    public static boolean suspend(DbTransaction tx, long municipalityId, UUID accountId, String reason, Instant now) {
        if (tx.update("""
                update account set suspended_at = ?, suspension_reason = ?
                 where id = ? and municipality_id = ? and suspended_at is null and deleted_at is null""",
                Sql.at(now), reason, accountId, municipalityId) != 1) {
            return false;
        }
        tx.delete(DELETE_SESSIONS, accountId);
        return true;
    }

    /**
     * @param tx             the transaction
     * @param municipalityId the municipality
     * @param accountId      whom
     * @return false when it was not suspended
     */
    public static boolean reinstate(DbTransaction tx, long municipalityId, UUID accountId) {
        return tx.update("""
                update account set suspended_at = null, suspension_reason = null
                 where id = ? and municipality_id = ? and suspended_at is not null and deleted_at is null""",
                accountId, municipalityId) == 1;
    }

    /**
     * A walk-in's account, made at the counter (窓口予約): a name and a phone, no e-mail or password, so it
     * cannot log in. In the transaction of the booking it is made for.
     *
     * @param tx             the booking's transaction
     * @param id             the new account's id
     * @param municipalityId the municipality
     * @param name           the name given
     * @param phone          the phone given, normalised
     * @param now            now
     */
    public static void insertWalkIn(DbTransaction tx, java.util.UUID id, long municipalityId, String name, String phone,
                                    java.time.Instant now) {
        tx.insert("""
                insert into account (id, municipality_id, email, password_hash, name, phone, walk_in, created_at)
                values (?, ?, null, null, ?, ?, true, ?)""", id, municipalityId, name, phone, Sql.at(now));
    }

    /**
     * @param db the database
     */
    public JdbcAccountRepository(DbClient db) {
        this.db = db;
    }

    @Override
    public boolean insert(Account account, String passwordHash, Instant createdAt) {
        try {
            db.execute().insert(INSERT, account.id(), account.municipalityId(), account.email().orElse(null),
                    passwordHash, account.name(), Sql.at(createdAt));
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Credential> findByEmail(long municipalityId, String email, Instant verifiedSince) {
        return db.execute().get(BY_EMAIL, municipalityId, email)
                .map(row -> new Credential(account(row, verifiedSince), Sql.optionalText(row, "password_hash")));
    }

    @Override
    public Optional<Account> find(UUID accountId, Instant verifiedSince) {
        return db.execute().get(BY_ID, accountId).map(row -> account(row, verifiedSince));
    }

    @Override
    public void insertSession(String tokenHash, Account account, Instant createdAt, Instant expiresAt) {
        db.execute().insert(INSERT_SESSION, tokenHash, account.id(), Sql.at(createdAt), Sql.at(expiresAt));
    }

    @Override
    public Optional<Account> findBySession(String tokenHash, Instant now, Instant verifiedSince) {
        return db.execute().get(BY_SESSION, tokenHash, Sql.at(now)).map(row -> account(row, verifiedSince));
    }

    @Override
    public void deleteSession(String tokenHash) {
        db.execute().delete(DELETE_SESSION, tokenHash);
    }

    @Override
    public Optional<Profile> profile(UUID accountId, Instant verifiedSince) {
        return db.execute().get(PROFILE, accountId).map(row -> {
            Optional<PostalAddress> address = Sql.optionalText(row, "address_prefecture")
                    .map(prefecture -> new PostalAddress(prefecture,
                            Sql.optionalText(row, "address_city").orElse(""),
                            Sql.optionalText(row, "address_rest").orElse("")));
            Optional<LocalDate> birthDate = Sql.value(row, "birth_date").map(v -> Sql.date(row, "birth_date"));
            Optional<IdentityLink> link = Sql.optionalText(row, "provider")
                    .map(provider -> new IdentityLink(provider, Account.Residency.of(Sql.text(row, "residency")),
                            Sql.instant(row, "verified_at")));
            return new Profile(account(row, verifiedSince), Sql.optionalText(row, "phone"),
                    Sql.optionalText(row, "organisation"), Sql.optionalText(row, "name_substitute"),
                    Sql.optionalText(row, "former_name"), address, birthDate, link,
                    Boolean.TRUE.equals(Sql.value(row, "has_password").orElse(false)));
        });
    }

    @Override
    public boolean update(Profile profile) {
        Optional<PostalAddress> address = profile.address();
        try {
            return db.execute().update(UPDATE, profile.account().email().orElse(null), profile.account().name(),
                    profile.phone().orElse(null), profile.organisation().orElse(null),
                    address.map(PostalAddress::prefecture).orElse(null), address.map(PostalAddress::city).orElse(null),
                    address.map(PostalAddress::rest).orElse(null), profile.birthDate().orElse(null),
                    profile.account().id()) == 1;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void anonymise(UUID accountId, Instant now) {
        DbTransaction tx = db.transaction();
        try {
            tx.update(ANONYMISE, Sql.at(now), accountId);
            tx.update(ANONYMISE_BOOKINGS, accountId);
            tx.delete(DELETE_SESSIONS, accountId);
            tx.delete(DELETE_LINK, accountId);
            tx.delete(DELETE_SUBJECTS, accountId);
            tx.delete(DELETE_RENEWALS, accountId);
            tx.delete(DELETE_REVIEWS, accountId, accountId);
            tx.delete(DELETE_CHANGES, accountId);
            tx.delete(DELETE_LOGINS, accountId);
            tx.update(FORGET_AUDIT_SUBJECT, accountId);
            tx.commit();
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    private static Account account(DbRow row, Instant verifiedSince) {
        Account.Residency residency = Sql.optionalInstant(row, "verified_at")
                .filter(verifiedAt -> verifiedAt.isAfter(verifiedSince))
                .map(verifiedAt -> Account.Residency.of(Sql.text(row, "residency")))
                .orElse(Account.Residency.UNKNOWN);
        return new Account(Sql.uuid(row, "id"), Sql.longValue(row, "municipality_id"),
                Sql.optionalText(row, "email"), Sql.text(row, "name"), residency);
    }
}
