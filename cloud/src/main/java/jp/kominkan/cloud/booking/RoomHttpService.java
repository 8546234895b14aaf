package jp.kominkan.cloud.booking;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/rooms/{roomId}/availability}: every 15-minute slot of a room over some days; and
 * {@code /api/v1/rooms?date=2027-01-15&from=18:00&to=21:00} (or {@code &minutes=120}): the rooms free that day.
 * With {@code format=runs} availability comes as runs of equal state.
 */
public final class RoomHttpService implements HttpService {

    private final BookingService bookings;
    private final Tenancy tenancy;

    /**
     * @param bookings the booking service
     * @param tenancy  finds the municipality
     */
    public RoomHttpService(BookingService bookings, Tenancy tenancy) {
        this.bookings = bookings;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::search)
                .get("/{roomId}/availability", this::availability);
    }

    private void search(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        LocalDate date = req.query().first("date").asOptional().map(v -> date(v, "date"))
                .orElseThrow(() -> Problem.badField("date", "date is required, e.g. 2027-01-15.",
                        "date（利用日）を 2027-01-15 の形式で指定してください。"));
        RoomSearch.Query query = new RoomSearch.Query(date, time(req, "from"), time(req, "to"),
                req.query().first("minutes").asOptional().map(v -> number(v, "minutes")).orElse(15));
        List<Map<String, Object>> rooms = bookings.search().free(municipality, query).stream().map(found -> {
            Map<String, Object> room = new LinkedHashMap<>();
            room.put("roomId", found.room().id());
            room.put("roomName", found.room().name());
            room.put("facilityId", found.facility().id());
            room.put("facilityName", found.facility().name());
            room.put("capacity", found.room().capacity());
            room.put("free", found.free().stream().map(run -> Map.of(
                    "start", run.start().atZone(found.room().zone()).toOffsetDateTime().toString(),
                    "end", run.end().atZone(found.room().zone()).toOffsetDateTime().toString())).toList());
            return room;
        }).toList();
        Json.send(res, Status.OK_200, Map.of("date", date.toString(), "rooms", rooms));
    }

    private static Optional<LocalTime> time(ServerRequest req, String name) {
        return req.query().first(name).asOptional().map(value -> {
            if (value.equals("24:00")) {
                return LocalTime.MIDNIGHT;
            }
            try {
                return LocalTime.parse(value);
            } catch (DateTimeException e) {
                throw Problem.badField(name, name + " must be a time such as 18:00.",
                        name + " は 18:00 の形式の時刻で指定してください。");
            }
        });
    }

    private void availability(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        long roomId = PathIds.number(req, "roomId");
        Optional<LocalDate> from = req.query().first("from").asOptional().map(v -> date(v, "from"));
        int days = req.query().first("days").asOptional().map(v -> number(v, "days")).orElse(7);
        boolean runs = req.query().first("format").asOptional().map(RoomHttpService::runs).orElse(false);
        BookingService.RoomAvailability availability = bookings.availability(municipality, roomId, from, days);
        if (!availability.room().published()) {
            throw Problem.notFound("room", "部屋");
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(runs ? AvailabilityJson.writeRuns(roomId, availability.slots(), availability.room().zone())
                : write(roomId, availability.slots(), availability.room().zone()));
    }

    /** {@code format=runs}: consecutive slots of equal state as one entry; {@code format=slots} (the default): each. */
    private static boolean runs(String format) {
        return switch (format) {
            case "runs" -> true;
            case "slots" -> false;
            default -> throw Problem.badField("format", "format must be slots or runs.",
                    "format は slots（15 分ごと）または runs（同じ状態の連続をまとめた形）で指定してください。");
        };
    }

    /**
     * The JSON body of an availability answer; public for the benchmark's server-side timing.
     *
     * @param roomId the room
     * @param slots  its slots
     * @param zone   its zone
     * @return the body
     */
    public static byte[] write(long roomId, List<Availability.Slot> slots, ZoneId zone) {
        return AvailabilityJson.write(roomId, slots, zone);
    }

    private static LocalDate date(String value, String name) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw Problem.badField(name, name + " must be a date such as 2026-12-01.",
                    name + " は 2026-12-01 の形式の日付で指定してください。");
        }
    }

    private static int number(String value, String name) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw Problem.badField(name, name + " must be a whole number.", name + " は整数で指定してください。");
        }
    }

}
