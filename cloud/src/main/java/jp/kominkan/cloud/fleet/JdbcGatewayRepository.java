package jp.kominkan.cloud.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * Gateways ({@code gateway}, owned here; the grant outbox moves its stream head) in SQL that runs
 * on H2 and PostgreSQL alike.
 */
public final class JdbcGatewayRepository {

    private static final String COLUMNS = "id, municipality_id, facility_id, name, stream_head, last_ack, last_seen_at,"
            + " decommissioned_at, broker_shard";
    private static final String BY_MUNICIPALITY = "select " + COLUMNS + " from gateway where municipality_id = ? order by id";
    private static final String BY_ID = "select " + COLUMNS + " from gateway where id = ?";
    private static final String INSERT = """
            insert into gateway (id, municipality_id, facility_id, name, stream_head, last_ack, broker_shard)
            values (?, ?, ?, ?, 0, 0, ?)""";
    private static final String PER_SHARD = """
            select broker_shard, count(*) as n from gateway where decommissioned_at is null group by broker_shard""";
    private static final String DECOMMISSION = """
            update gateway set decommissioned_at = ? where id = ? and decommissioned_at is null""";
    private static final String FACILITY = "select id from facility where id = ? and municipality_id = ?";
    /** Locks the gateway's row until commit, and says whether it is in service: decommissioning waits for it, or wins. */
    private static final String LOCK_IN_SERVICE = """
            update gateway set decommissioned_at = null where id = ? and decommissioned_at is null""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public JdbcGatewayRepository(DbClient db) {
        this.db = db;
    }

    /**
     * @param municipalityId the municipality
     * @return its gateways
     */
    public List<Gateway> byMunicipality(long municipalityId) {
        return Sql.list(db.execute().query(BY_MUNICIPALITY, municipalityId), JdbcGatewayRepository::gateway);
    }

    /** @return every gateway in service, of every municipality (the caretakers' watch for silent ones) */
    public List<Gateway> inService() {
        return Sql.list(db.execute().query("select " + COLUMNS + " from gateway where decommissioned_at is null order by id"),
                JdbcGatewayRepository::gateway);
    }

    /** @return gateways in service on each broker shard, of every municipality (shards are shared) */
    public java.util.Map<String, Long> inServicePerShard() {
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        Sql.list(db.execute().query(PER_SHARD), row -> counts.put(Sql.text(row, "broker_shard"), Sql.longValue(row, "n")));
        return counts;
    }

    /**
     * @param id a gateway id
     * @return the gateway
     */
    public Optional<Gateway> find(String id) {
        return db.execute().get(BY_ID, id).map(JdbcGatewayRepository::gateway);
    }

    /**
     * @param municipalityId a municipality
     * @param facilityId     a facility
     * @return whether the facility is the municipality's
     */
    public boolean facilityExists(long municipalityId, long facilityId) {
        return db.execute().get(FACILITY, facilityId, municipalityId).isPresent();
    }

    /**
     * @param municipalityId the municipality
     * @param facilityId     its building
     * @param id             the new gateway's id
     * @param name           its name
     * @param brokerShard    the broker shard it goes on
     * @return false when the id is taken
     */
    public boolean insert(long municipalityId, long facilityId, String id, String name, String brokerShard) {
        try {
            db.execute().insert(INSERT, id, municipalityId, facilityId, name, brokerShard);
            return true;
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param exec where to write (the caller's transaction)
     * @param id   the gateway
     * @param now  now
     * @return whether it was in service until now
     */
    static boolean decommission(DbExecute exec, String id, Instant now) {
        return exec.update(DECOMMISSION, Sql.at(now), id) == 1;
    }

    /**
     * @param exec where to write (the caller's transaction)
     * @param id   the gateway
     * @return whether it is in service; its row stays locked until the transaction ends
     */
    static boolean lockInService(DbExecute exec, String id) {
        return exec.update(LOCK_IN_SERVICE, id) == 1;
    }

    private static Gateway gateway(io.helidon.dbclient.DbRow row) {
        return new Gateway(Sql.text(row, "id"), Sql.longValue(row, "municipality_id"), Sql.longValue(row, "facility_id"),
                Sql.text(row, "name"), Sql.longValue(row, "stream_head"), Sql.longValue(row, "last_ack"),
                Sql.optionalInstant(row, "last_seen_at"), Sql.optionalInstant(row, "decommissioned_at"),
                Sql.text(row, "broker_shard"));
    }
}
