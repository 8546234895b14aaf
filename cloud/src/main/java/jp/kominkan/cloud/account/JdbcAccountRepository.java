package jp.kominkan.cloud.account;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * Accounts and sessions in SQL that runs on H2 and PostgreSQL alike.
 */
public final class JdbcAccountRepository implements AccountRepository {

    private static final String COLUMNS = "a.id, a.municipality_id, a.email, a.name, a.account_role, a.residency";
    private static final String INSERT = """
            insert into account (id, municipality_id, email, password_hash, name, account_role, residency, created_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String BY_EMAIL = "select " + COLUMNS + ", a.password_hash from account a"
            + " where a.municipality_id = ? and a.email = ?";
    private static final String INSERT_SESSION = """
            insert into login_session (token_hash, account_id, created_at, expires_at) values (?, ?, ?, ?)""";
    private static final String BY_SESSION = "select " + COLUMNS
            + " from login_session s join account a on a.id = s.account_id"
            + " where s.token_hash = ? and s.expires_at > ?";
    private static final String DELETE_SESSION = "delete from login_session where token_hash = ?";

    private final DbClient db;

    /**
     * @param db the database
     */
    public JdbcAccountRepository(DbClient db) {
        this.db = db;
    }

    @Override
    public boolean insert(Account account, String passwordHash, Instant createdAt) {
        try {
            db.execute().insert(INSERT, account.id(), account.municipalityId(), account.email(), passwordHash,
                    account.name(), account.role().wire(), account.residency().wire(), Sql.at(createdAt));
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Credential> findByEmail(long municipalityId, String email) {
        return db.execute().get(BY_EMAIL, municipalityId, email)
                .map(row -> new Credential(map(row), Sql.text(row, "password_hash")));
    }

    @Override
    public void insertSession(String tokenHash, Account account, Instant createdAt, Instant expiresAt) {
        db.execute().insert(INSERT_SESSION, tokenHash, account.id(), Sql.at(createdAt), Sql.at(expiresAt));
    }

    @Override
    public Optional<Account> findBySession(String tokenHash, Instant now) {
        return db.execute().get(BY_SESSION, tokenHash, Sql.at(now)).map(JdbcAccountRepository::map);
    }

    @Override
    public void deleteSession(String tokenHash) {
        db.execute().delete(DELETE_SESSION, tokenHash);
    }

    private static Account map(DbRow row) {
        return new Account(Sql.uuid(row, "id"), Sql.longValue(row, "municipality_id"),
                Sql.text(row, "email"), Sql.text(row, "name"), Account.Role.of(Sql.text(row, "account_role")),
                Account.Residency.of(Sql.text(row, "residency")));
    }
}
