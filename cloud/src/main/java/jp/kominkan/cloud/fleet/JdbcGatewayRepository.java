package jp.kominkan.cloud.fleet;

import java.util.List;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;

/**
 * Gateways in SQL that runs on H2 and PostgreSQL alike.
 */
public final class JdbcGatewayRepository {

    private static final String BY_MUNICIPALITY = """
            select id, facility_id, name, stream_head, last_ack, last_seen_at from gateway
             where municipality_id = ? order by id""";

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
        return Sql.list(db.execute().query(BY_MUNICIPALITY, municipalityId), row -> new Gateway(Sql.text(row, "id"),
                Sql.longValue(row, "facility_id"), Sql.text(row, "name"), Sql.longValue(row, "stream_head"),
                Sql.longValue(row, "last_ack"), Sql.optionalInstant(row, "last_seen_at")));
    }
}
