package jp.kominkan.cloud.shelter;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;

/**
 * The {@code shelter_code} table (its one owner), in SQL that runs on H2 and PostgreSQL alike. The code itself is
 * in no column: the table says who holds which facility's code for when, and whether it was revoked; the grants
 * ({@code access_grant.shelter_code_id}) hold only the code's verifiers and are written by the grant package.
 */
public final class ShelterCodeRepository {

    /** Most codes one list returns (a facility has a handful: one per group, reissued yearly). */
    static final int MAX_LIST = 500;

    private static final String COLUMNS = """
            id, municipality_id, facility_id, holder, valid_from, valid_until, issued_by, issued_at, revoked_at""";
    private static final String INSERT = """
            insert into shelter_code (id, municipality_id, facility_id, holder, valid_from, valid_until, issued_by,
                                      issued_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String ONE = "select " + COLUMNS + " from shelter_code where id = ? and municipality_id = ?";
    private static final String ALL = "select " + COLUMNS + " from shelter_code where municipality_id = ?"
            + " order by issued_at desc, id limit " + MAX_LIST;
    private static final String OF_FACILITY = "select " + COLUMNS + " from shelter_code"
            + " where municipality_id = ? and facility_id = ? order by issued_at desc, id limit " + MAX_LIST;
    private static final String REVOKE = """
            update shelter_code set revoked_at = ?, revoked_by = ?
             where id = ? and municipality_id = ? and revoked_at is null""";
    private static final String USE_OF = """
            select s.id, s.facility_id, s.municipality_id, s.holder from access_grant g
              join shelter_code s on s.id = g.shelter_code_id
             where g.id = ?""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public ShelterCodeRepository(DbClient db) {
        this.db = db;
    }

    /** @return the database, for the transactions that write a code and its grants together */
    DbClient db() {
        return db;
    }

    /**
     * @param tx   the transaction that also writes its grants
     * @param code a new shelter code
     */
    void insert(DbTransaction tx, ShelterCode code) {
        tx.insert(INSERT, code.id(), code.municipalityId(), code.facilityId(), code.holder(), Sql.at(code.validFrom()),
                Sql.at(code.validUntil()), code.issuedBy(), Sql.at(code.issuedAt()));
    }

    /**
     * @param municipalityId the municipality
     * @param id             a shelter code
     * @return it, when it is this municipality's
     */
    Optional<ShelterCode> find(long municipalityId, UUID id) {
        return db.execute().get(ONE, id, municipalityId).map(ShelterCodeRepository::code);
    }

    /**
     * @param municipalityId the municipality
     * @param facilityId     one facility, or every facility
     * @return its codes, newest first, at most {@value #MAX_LIST}
     */
    List<ShelterCode> list(long municipalityId, Optional<Long> facilityId) {
        return Sql.list(facilityId.isPresent()
                ? db.execute().query(OF_FACILITY, municipalityId, facilityId.get())
                : db.execute().query(ALL, municipalityId), ShelterCodeRepository::code);
    }

    /**
     * Marks a code revoked, unless it was already; the update locks its row until the transaction ends, so of two
     * revocations at once one wins and the other finds nothing to do.
     *
     * @param tx             the transaction that also revokes its grants
     * @param municipalityId the municipality
     * @param id             the code
     * @param staffId        who revokes it
     * @param now            now
     * @return whether it was revoked now (false: already revoked, or not this municipality's)
     */
    boolean markRevoked(DbTransaction tx, long municipalityId, UUID id, UUID staffId, Instant now) {
        return tx.update(REVOKE, Sql.at(now), staffId, id, municipalityId) == 1;
    }

    /**
     * One query by the grant's primary key, joined on the shelter code's.
     *
     * @param grantId a grant, e.g. from a door event
     * @return its shelter code, when it is a shelter code's grant (empty for a booking's)
     */
    public Optional<ShelterUse> useOf(UUID grantId) {
        return db.execute().get(USE_OF, grantId).map(row -> new ShelterUse(Sql.uuid(row, "id"),
                Sql.longValue(row, "facility_id"), Sql.longValue(row, "municipality_id"), Sql.text(row, "holder")));
    }

    private static ShelterCode code(DbRow row) {
        return new ShelterCode(Sql.uuid(row, "id"), Sql.longValue(row, "municipality_id"),
                Sql.longValue(row, "facility_id"), Sql.text(row, "holder"), Sql.instant(row, "valid_from"),
                Sql.instant(row, "valid_until"), Sql.uuid(row, "issued_by"), Sql.instant(row, "issued_at"),
                Sql.optionalInstant(row, "revoked_at"));
    }
}
