package jp.kominkan.cloud.booking;

import java.time.DateTimeException;
import java.time.LocalDate;
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
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/rooms/{roomId}/availability}: every 15-minute slot of a room over some days.
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
        rules.get("/{roomId}/availability", this::availability);
    }

    private void availability(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        long roomId = PathIds.number(req, "roomId");
        Optional<LocalDate> from = req.query().first("from").asOptional().map(RoomHttpService::date);
        int days = req.query().first("days").asOptional().map(RoomHttpService::days).orElse(7);
        BookingService.RoomAvailability availability = bookings.availability(municipality, roomId, from, days);
        if (!availability.room().published()) {
            throw Problem.notFound("room", "部屋");
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(write(roomId, availability.slots(), availability.room().zone()));
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

    private static LocalDate date(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw Problem.badField("from", "from must be a date such as 2026-12-01.",
                    "from は 2026-12-01 の形式の日付で指定してください。");
        }
    }

    private static int days(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw Problem.badField("days", "days must be a whole number.", "days は整数で指定してください。");
        }
    }

}
