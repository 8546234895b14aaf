package jp.kominkan.cloud.caretaking;

import java.util.Optional;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;

/**
 * Where a door is: its room, facility and municipality, and its gateway.
 */
public final class DoorPlaces {

    private static final String PLACE = """
            select d.id, d.name, d.gateway_id, r.id as room_id, r.facility_id, r.municipality_id from door d
              join room r on r.id = d.room_id where d.id = ?""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public DoorPlaces(DbClient db) {
        this.db = db;
    }

    /**
     * @param doorId a door
     * @return where it is
     */
    public Optional<Place> of(String doorId) {
        return db.execute().get(PLACE, doorId).map(row -> new Place(Sql.text(row, "id"), Sql.text(row, "name"),
                Sql.text(row, "gateway_id"), Sql.longValue(row, "room_id"), Sql.longValue(row, "facility_id"),
                Sql.longValue(row, "municipality_id")));
    }

    /**
     * A door's place.
     *
     * @param doorId         the door
     * @param name           its name
     * @param gatewayId      its gateway
     * @param roomId         its room
     * @param facilityId     its facility
     * @param municipalityId its municipality
     */
    public record Place(String doorId, String name, String gatewayId, long roomId, long facilityId, long municipalityId) {
    }
}
