package jp.kominkan.cloud.fleet;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import jp.kominkan.cloud.db.Sql;

/**
 * One-time enrollment tokens ({@code gateway_enrollment}, owned here), stored as SHA-256 only.
 */
final class EnrollmentRepository {

    private static final String INSERT = """
            insert into gateway_enrollment (token_hash, gateway_id, created_by, created_at, expires_at) values (?, ?, ?, ?, ?)""";
    private static final String FIND = """
            select e.gateway_id, e.expires_at, e.used_at, g.municipality_id from gateway_enrollment e
              join gateway g on g.id = e.gateway_id where e.token_hash = ?""";
    private static final String CONSUME = """
            update gateway_enrollment set used_at = ? where token_hash = ? and used_at is null and expires_at > ?""";
    /** Unused tokens of a gateway stop working: marked used (no later comparison with a clock can revive them). */
    private static final String CANCEL_OPEN = """
            update gateway_enrollment set used_at = ? where gateway_id = ? and used_at is null""";

    private final DbClient db;

    EnrollmentRepository(DbClient db) {
        this.db = db;
    }

    void insert(String tokenHash, String gatewayId, UUID staffId, Instant now, Instant expires) {
        db.execute().insert(INSERT, tokenHash, gatewayId, staffId, Sql.at(now), Sql.at(expires));
    }

    Optional<Token> find(String tokenHash) {
        return db.execute().get(FIND, tokenHash).map(row -> new Token(Sql.text(row, "gateway_id"),
                Sql.longValue(row, "municipality_id"), Sql.instant(row, "expires_at"), Sql.optionalInstant(row, "used_at")));
    }

    static boolean consume(DbExecute exec, String tokenHash, Instant now) {
        return exec.update(CONSUME, Sql.at(now), tokenHash, Sql.at(now)) == 1;
    }

    static long cancelOpen(DbExecute exec, String gatewayId, Instant now) {
        return exec.update(CANCEL_OPEN, Sql.at(now), gatewayId);
    }

    long cancelOpen(String gatewayId, Instant now) {
        return cancelOpen(db.execute(), gatewayId, now);
    }

    /** A stored token. */
    record Token(String gatewayId, long municipalityId, Instant expires, Optional<Instant> used) {
    }
}
