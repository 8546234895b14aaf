package jp.kominkan.cloud.caretaking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.door.DoorStates;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.shared.door.DoorState;

/**
 * The door board: every door in a member of staff's scope with its state, its gateway's
 * connectivity and its room's current and next booking — three queries however many doors.
 */
public final class DoorBoard {

    private static final String DOORS = """
            select d.id, d.name, d.room_id, m.name as room_name, m.facility_id, f.name as facility_name, d.gateway_id,
                   g.name as gateway_name, g.last_seen_at, g.decommissioned_at
              from door d join room m on m.id = d.room_id join facility f on f.id = m.facility_id
              join gateway g on g.id = d.gateway_id
             where m.municipality_id = ?""";
    private static final String ORDER = " order by f.id, m.name, d.id";
    private static final Duration HORIZON = Duration.ofHours(36);

    private final DbClient db;
    private final DoorStates states;
    private final Clock clock;
    private final Duration offlineAfter;

    /**
     * @param db           the database
     * @param states       door states
     * @param clock        the clock
     * @param offlineAfter a gateway not heard from for this long is offline
     */
    public DoorBoard(DbClient db, DoorStates states, Clock clock, Duration offlineAfter) {
        this.db = db;
        this.states = states;
        this.clock = clock;
        this.offlineAfter = offlineAfter;
    }

    /**
     * @param town  the municipality
     * @param staff who asks
     * @return the doors in their scope
     */
    public List<BoardDoor> doors(Municipality town, StaffMember staff) {
        if (staff.role() != StaffRole.MAIN && staff.facilities().isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        params.add(town.id());
        String scope = "";
        if (staff.role() != StaffRole.MAIN) {
            scope = " and m.facility_id in (" + Sql.marks(staff.facilities().size()) + ")";
            params.addAll(staff.facilities());
        }
        return assemble(Sql.list(db.execute().query(DOORS + scope + ORDER, params.toArray()), DoorBoard::row), staff);
    }

    /**
     * @param town   the municipality
     * @param staff  who asks
     * @param doorId a door
     * @return it, when in their scope
     */
    public Optional<BoardDoor> door(Municipality town, StaffMember staff, String doorId) {
        List<Row> rows = Sql.list(db.execute().query(DOORS + " and d.id = ?", town.id(), doorId), DoorBoard::row);
        return assemble(rows, staff).stream().findFirst();
    }

    private List<BoardDoor> assemble(List<Row> rows, StaffMember staff) {
        List<Row> mine = rows.stream().filter(r -> staff.may(Permission.VIEW_DOORS, r.facilityId())).toList();
        if (mine.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Map<String, DoorState> state = states.of(mine.stream().map(Row::doorId).toList());
        Map<Long, List<Booking>> bookings = bookings(mine.stream().map(Row::roomId).distinct().toList(), now);
        List<BoardDoor> doors = new ArrayList<>(mine.size());
        for (Row r : mine) {
            DoorState s = state.getOrDefault(r.doorId(), DoorState.UNKNOWN);
            boolean online = r.decommissioned().isEmpty() && r.lastSeen().filter(at -> !at.isBefore(now.minus(offlineAfter)))
                    .isPresent();
            List<Booking> room = bookings.getOrDefault(r.roomId(), List.of());
            Optional<Booking> current = room.stream().filter(b -> !b.start().isAfter(now) && b.end().isAfter(now)).findFirst();
            Optional<Booking> next = room.stream().filter(b -> b.start().isAfter(now)).findFirst();
            doors.add(new BoardDoor(r, s, s.status(online, now), online, current, next, s.lockedOut(now)));
        }
        return doors;
    }

    private Map<Long, List<Booking>> bookings(List<Long> rooms, Instant now) {
        Map<Long, List<Booking>> byRoom = new HashMap<>();
        for (List<Long> batch : Sql.batches(rooms, 500)) {
            List<Object> params = new ArrayList<>(batch);
            params.add(Sql.at(now));
            params.add(Sql.at(now.plus(HORIZON)));
            Sql.list(db.execute().query("select id, room_id, starts_at, ends_at from reservation where status = 'confirmed'"
                    + " and room_id in (" + Sql.marks(batch.size()) + ") and ends_at > ? and starts_at < ?"
                    + " order by starts_at", params.toArray()), row -> new Booking(Sql.uuid(row, "id"),
                    Sql.longValue(row, "room_id"), Sql.instant(row, "starts_at"), Sql.instant(row, "ends_at")))
                    .forEach(b -> byRoom.computeIfAbsent(b.roomId(), k -> new ArrayList<>()).add(b));
        }
        return byRoom;
    }

    private static Row row(DbRow row) {
        return new Row(Sql.text(row, "id"), Sql.text(row, "name"), Sql.longValue(row, "room_id"), Sql.text(row, "room_name"),
                Sql.longValue(row, "facility_id"), Sql.text(row, "facility_name"), Sql.text(row, "gateway_id"),
                Sql.text(row, "gateway_name"), Sql.optionalInstant(row, "last_seen_at"),
                Sql.optionalInstant(row, "decommissioned_at"));
    }

    /**
     * Where a door is.
     *
     * @param doorId        the door
     * @param name          its name
     * @param roomId        its room
     * @param roomName      the room's name
     * @param facilityId    the facility
     * @param facilityName  its name
     * @param gatewayId     the gateway
     * @param gatewayName   its name
     * @param lastSeen      when the gateway was last heard from
     * @param decommissioned when the gateway was taken out of service
     */
    public record Row(String doorId, String name, long roomId, String roomName, long facilityId, String facilityName,
                      String gatewayId, String gatewayName, Optional<Instant> lastSeen, Optional<Instant> decommissioned) {
    }

    /**
     * A booking of the door's room.
     *
     * @param id     the reservation
     * @param roomId the room
     * @param start  start
     * @param end    end
     */
    public record Booking(UUID id, long roomId, Instant start, Instant end) {
    }

    /**
     * One door on the board.
     *
     * @param place     where it is
     * @param state     its state
     * @param status    the one word
     * @param online    whether its gateway is heard from
     * @param current   the booking under way in its room
     * @param next      the room's next booking (within 36 hours)
     * @param lockedOut whether its keypad refuses codes now
     */
    public record BoardDoor(Row place, DoorState state, DoorState.Status status, boolean online, Optional<Booking> current,
                            Optional<Booking> next, boolean lockedOut) {
    }
}
