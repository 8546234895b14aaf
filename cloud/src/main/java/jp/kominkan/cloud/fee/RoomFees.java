package jp.kominkan.cloud.fee;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.facility.Room;

/**
 * Each room's fee schedule (料金表) and payment deadline: the only writer of {@code fee_schedule}. A
 * room without a schedule is priced by its two hourly prices, exactly as before schedules existed.
 * Parsed schedules are kept by their row id (rows are never changed), so a quote parses nothing.
 */
public final class RoomFees {

    private static final String NEWEST = "select id from fee_schedule where room_id = ? order by id desc limit 1";
    private static final String DOCUMENT = "select document from fee_schedule where id = ?";
    private static final String PAY_DAYS = "select pay_days_before from room where id = ?";

    private final DbClient db;
    private final Map<Long, FeeSchedule> parsed = new ConcurrentHashMap<>();

    /**
     * @param db the database
     */
    public RoomFees(DbClient db) {
        this.db = db;
    }

    /**
     * A room's schedule as it applies now.
     *
     * @param id       the stored version, when there is one
     * @param schedule the schedule
     */
    public record Current(Optional<Long> id, FeeSchedule schedule) {
    }

    /**
     * @param room the room
     * @return its schedule now
     */
    public Current schedule(Room room) {
        Optional<Long> id = db.execute().get(NEWEST, room.id()).map(row -> Sql.longValue(row, "id"));
        if (id.isEmpty()) {
            return new Current(Optional.empty(),
                    FeeSchedules.hourly(room.pricePerHourResident(), room.pricePerHourNonResident()));
        }
        return new Current(id, parsed.computeIfAbsent(id.get(), key -> FeeSchedules.parse(
                Sql.text(db.execute().get(DOCUMENT, key).orElseThrow(), "document"))));
    }

    /**
     * @param room    the room
     * @param request what is booked
     * @return the itemised fee
     * @throws FeeException when the schedule cannot price it (a time outside its bands)
     */
    public Quote quote(Room room, FeeRequest request) {
        return FeeCalculator.quote(schedule(room).schedule(), request);
    }

    /**
     * @param roomId the room
     * @return the days before use by which a booking must be paid (支払期限)
     */
    public int payDaysBefore(long roomId) {
        return db.execute().get(PAY_DAYS, roomId).map(row -> Sql.integer(row, "pay_days_before")).orElse(3);
    }

    /**
     * Stores a new version of a room's schedule after checking it.
     *
     * @param tx             the staff change's transaction
     * @param municipalityId owner
     * @param roomId         the room
     * @param document       the schedule as JSON
     * @param staffId        who
     * @param now            when
     * @return the schedule as stored (canonical)
     * @throws FeeScheduleException naming the field that is wrong
     */
    public static FeeSchedule save(DbTransaction tx, long municipalityId, long roomId, String document,
                                   java.util.UUID staffId, Instant now) {
        FeeSchedule schedule = FeeSchedules.parse(document);
        tx.insert("insert into fee_schedule (municipality_id, room_id, document, created_by, created_at)"
                + " values (?, ?, ?, ?, ?)", municipalityId, roomId, FeeSchedules.toJson(schedule), staffId, Sql.at(now));
        return schedule;
    }

    /**
     * @param tx      the staff change's transaction
     * @param roomId  the room
     * @param days    days before use by which to pay
     */
    public static void savePayDays(DbTransaction tx, long roomId, int days) {
        tx.update("update room set pay_days_before = ? where id = ?", days, roomId);
    }

    /**
     * @param roomId the room
     * @return its stored schedule document, when it has one
     */
    public Optional<String> document(long roomId) {
        return db.execute().get(NEWEST, roomId).map(row -> Sql.longValue(row, "id"))
                .flatMap(id -> db.execute().get(DOCUMENT, id)).map((DbRow row) -> Sql.text(row, "document"));
    }
}
