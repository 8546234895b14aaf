package jp.kominkan.cloud.facility;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.db.Sql;

/**
 * Facilities and rooms in SQL that runs on H2 and PostgreSQL alike.
 */
public final class JdbcFacilityRepository implements FacilityRepository {

    private static final String FACILITY_COLUMNS =
            "id, municipality_id, name, name_kana, address, facility_type, description, access_notes, usage_rules, published";
    private static final String FACILITIES = "select " + FACILITY_COLUMNS
            + " from facility where municipality_id = ? and published = true order by name_kana, id";
    private static final String ALL_FACILITIES = "select " + FACILITY_COLUMNS
            + " from facility where municipality_id = ? order by name_kana, id";
    private static final String FACILITY = "select " + FACILITY_COLUMNS
            + " from facility where municipality_id = ? and id = ?";
    private static final String PHOTOS = "select url, alt_text from facility_photo where facility_id = ? order by sort_order";
    private static final String EQUIPMENT = "select name from facility_equipment where facility_id = ? order by sort_order";
    private static final String ROOM_COLUMNS = """
            select r.id, r.municipality_id, r.facility_id, r.name, r.capacity, r.booking_horizon_days,
                   r.price_per_hour_resident, r.price_per_hour_non_resident, r.grant_margin_minutes, m.zone_id, f.published,
                   h.iso_weekday, h.opens_minute, h.closes_minute
              from room r
              join municipality m on m.id = r.municipality_id
              join facility f on f.id = r.facility_id
              left join room_opening_hours h on h.room_id = r.id
            """;
    private static final String ROOMS = ROOM_COLUMNS
            + " where r.municipality_id = ? and r.facility_id = ? order by r.id, h.iso_weekday";
    private static final String ROOM = ROOM_COLUMNS
            + " where r.municipality_id = ? and r.id = ? order by h.iso_weekday";
    private static final String CLOSED_DAYS = """
            select closed_on from facility_closed_day where facility_id = ? and closed_on between ? and ?""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public JdbcFacilityRepository(DbClient db) {
        this.db = db;
    }

    @Override
    public List<Facility> facilities(long municipalityId) {
        // Read the rows first: the photo and equipment queries must not run while this one holds a connection.
        return Sql.list(db.execute().query(FACILITIES, municipalityId), row -> row).stream().map(this::facility).toList();
    }

    @Override
    public List<Facility> allFacilities(long municipalityId) {
        return Sql.list(db.execute().query(ALL_FACILITIES, municipalityId), row -> row).stream().map(this::facility)
                .toList();
    }

    @Override
    public Optional<Facility> facility(long municipalityId, long facilityId) {
        return db.execute().get(FACILITY, municipalityId, facilityId).map(this::facility);
    }

    @Override
    public List<Room> rooms(long municipalityId, long facilityId) {
        return rooms(Sql.list(db.execute().query(ROOMS, municipalityId, facilityId), row -> row));
    }

    @Override
    public Optional<Room> room(long municipalityId, long roomId) {
        return rooms(Sql.list(db.execute().query(ROOM, municipalityId, roomId), row -> row)).stream().findFirst();
    }

    @Override
    public Set<LocalDate> closedDays(long facilityId, LocalDate from, LocalDate until) {
        return new HashSet<>(Sql.list(db.execute().query(CLOSED_DAYS, facilityId, from, until),
                row -> Sql.date(row, "closed_on")));
    }

    private Facility facility(DbRow row) {
        long id = Sql.longValue(row, "id");
        List<Facility.Photo> photos = Sql.list(db.execute().query(PHOTOS, id),
                photo -> new Facility.Photo(Sql.text(photo, "url"), Sql.text(photo, "alt_text")));
        List<String> equipment = Sql.list(db.execute().query(EQUIPMENT, id), item -> Sql.text(item, "name"));
        return new Facility(id, Sql.longValue(row, "municipality_id"), Sql.text(row, "name"),
                Sql.text(row, "name_kana"), Sql.text(row, "address"), Sql.text(row, "facility_type"),
                Sql.text(row, "description"), Sql.text(row, "access_notes"), photos, equipment,
                Sql.text(row, "usage_rules"), Boolean.TRUE.equals(Sql.value(row, "published").orElse(false)));
    }

    /** Folds rows of room × weekday into rooms, keeping their order. */
    private static List<Room> rooms(List<DbRow> rows) {
        Map<Long, DbRow> first = new LinkedHashMap<>();
        Map<Long, Map<DayOfWeek, OpeningHours.Daily>> hours = new LinkedHashMap<>();
        for (DbRow row : rows) {
            long id = Sql.longValue(row, "id");
            first.putIfAbsent(id, row);
            Map<DayOfWeek, OpeningHours.Daily> days = hours.computeIfAbsent(id, k -> new EnumMap<>(DayOfWeek.class));
            if (Sql.value(row, "iso_weekday").isPresent()) {
                days.put(DayOfWeek.of(Sql.integer(row, "iso_weekday")),
                        new OpeningHours.Daily(Sql.integer(row, "opens_minute"), Sql.integer(row, "closes_minute")));
            }
        }
        List<Room> rooms = new ArrayList<>(first.size());
        first.forEach((id, row) -> rooms.add(new Room(id, Sql.longValue(row, "municipality_id"),
                Sql.longValue(row, "facility_id"), Sql.text(row, "name"), Sql.integer(row, "capacity"),
                Sql.integer(row, "booking_horizon_days"), Sql.integer(row, "price_per_hour_resident"),
                Sql.integer(row, "price_per_hour_non_resident"), new OpeningHours(hours.get(id)),
                ZoneId.of(Sql.text(row, "zone_id")), Sql.integer(row, "grant_margin_minutes"),
                Boolean.TRUE.equals(Sql.value(row, "published").orElse(false)))));
        return rooms;
    }
}
