package jp.kominkan.cloud.grant;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.shared.grant.CodeVerifier;

/**
 * Doors in SQL that runs on H2 and PostgreSQL alike.
 */
public final class JdbcDoorRepository implements DoorRepository {

    private static final String FOR_ROOM = "select id, room_id, gateway_id, name from door where room_id = ? order by id";
    private static final String FOR_FACILITY = """
            select d.id, d.room_id, d.gateway_id, d.name from door d
              join room r on r.id = d.room_id
              join gateway g on g.id = d.gateway_id
             where r.facility_id = ? and g.decommissioned_at is null order by d.id""";
    private static final String VERIFIER_IN_USE = """
            select id from access_grant
             where door_id = ? and code_verifier = ? and revoked_at is null and valid_from < ? and valid_until > ?""";

    private final DbClient db;
    private final GrantKeyStore keys;

    /**
     * @param db   the database
     * @param keys derives each door's key
     */
    public JdbcDoorRepository(DbClient db, GrantKeyStore keys) {
        this.db = db;
        this.keys = keys;
    }

    /**
     * Adds a door to a room, driven by a gateway. Its code-verifier key is derived from the keys folder,
     * so nothing secret is stored.
     *
     * @param id        the door's id (topic-safe)
     * @param roomId    its room
     * @param gatewayId its gateway
     * @param name      its name, e.g. 多目的室 入口
     * @return false when the id is taken
     */
    public boolean insert(String id, long roomId, String gatewayId, String name) {
        try {
            db.execute().insert("insert into door (id, room_id, gateway_id, name) values (?, ?, ?, ?)", id, roomId,
                    gatewayId, name);
            return true;
        } catch (RuntimeException e) {
            if (jp.kominkan.cloud.db.SqlFailure.of(e) == jp.kominkan.cloud.db.SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<Door> forRoom(long roomId) {
        return forRoom(db.execute(), roomId);
    }

    @Override
    public List<Door> forRoom(io.helidon.dbclient.DbExecute in, long roomId) {
        return Sql.list(in.query(FOR_ROOM, roomId), this::door);
    }

    @Override
    public List<Door> forFacility(long facilityId) {
        return Sql.list(db.execute().query(FOR_FACILITY, facilityId), this::door);
    }

    private Door door(io.helidon.dbclient.DbRow row) {
        return new Door(Sql.text(row, "id"), Sql.longValue(row, "room_id"), Sql.text(row, "gateway_id"),
                Sql.text(row, "name"), keys.doorKey(Sql.text(row, "id")));
    }

    @Override
    public boolean verifierInUse(String doorId, CodeVerifier verifier, Instant from, Instant until) {
        return verifierInUse(db.execute(), doorId, verifier, from, until);
    }

    @Override
    public boolean verifierInUse(io.helidon.dbclient.DbExecute in, String doorId, CodeVerifier verifier, Instant from,
                                 Instant until) {
        return in.get(VERIFIER_IN_USE, doorId, HexFormat.of().formatHex(verifier.bytes()),
                Sql.at(until), Sql.at(from)).isPresent();
    }
}
