package jp.kominkan.cloud.booking;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/blocks}: blocks for maintenance or city use, once or repeating, with a per-date
 * report ({@code dryRun} to see it first). A conflict without a decision is answered 409 as an RFC
 * 9457 problem whose {@code dates} member lists each date's state; nothing is written.
 */
public final class StaffBlockHttpService implements HttpService {

    private final Blocks blocks;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param blocks        blocks
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     */
    public StaffBlockHttpService(Blocks blocks, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.blocks = blocks;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .delete("/series/{id}", this::remove);
    }

    /**
     * Reads a block request from form-like fields (shared with the staff pages).
     *
     * @param f fields: roomId, kind, note, date, start, end (24:00 allowed), repeat, until, onConflict, dryRun
     * @return the request
     */
    public static Blocks.BlockRequest request(Map<String, String> f) {
        long roomId;
        try {
            roomId = Long.parseLong(f.getOrDefault("roomId", "").strip());
        } catch (NumberFormatException e) {
            throw Problem.badField("roomId", "Choose the room.", "部屋を選んでください。");
        }
        LocalDate first = date(f.get("date"), "date");
        LocalTime start = time(f.get("start"), "start");
        boolean midnight = "24:00".equals(f.get("end"));
        LocalTime end = midnight ? LocalTime.MIDNIGHT : time(f.get("end"), "end");
        BlockPlan.Repeat repeat = BlockPlan.Repeat.of(f.get("repeat"));
        LocalDate until = repeat == BlockPlan.Repeat.NONE ? first : date(f.get("until"), "until");
        return new Blocks.BlockRequest(roomId, f.getOrDefault("kind", ""), f.get("note"),
                new BlockPlan(first, start, end, repeat, until), midnight, Blocks.Decision.of(f.get("onConflict")),
                "true".equals(f.get("dryRun")));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.EDIT_FACILITIES);
        Map<String, Object> body = Json.read(req, LinkedHashMap.class);
        Map<String, String> fields = new LinkedHashMap<>();
        body.forEach((k, v) -> {
            if (v != null) {
                fields.put(k, String.valueOf(v));
            }
        });
        try {
            Blocks.Report report = blocks.create(town, member, Actor.of(member, req), request(fields));
            Json.send(res, report.seriesId().isPresent() ? Status.CREATED_201 : Status.OK_200, view(report));
        } catch (Blocks.Conflicts conflicts) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "https://kominkan.example/problems/block-conflicts");
            problem.put("title", "Some dates conflict");
            problem.put("status", 409);
            problem.put("detail", "Some dates are booked or blocked already; nothing was written. Choose skip or"
                    + " cancel-bookings, or change the dates.");
            problem.put("detail_ja", "予約または既存のブロックと重なる日があるため、何も登録していません。重なる日を除くか、"
                    + "予約を取り消すかを選ぶか、日付を変えてください。");
            problem.putAll(view(conflicts.report()));
            res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
            res.status(Status.CONFLICT_409).send(Json.bytes(problem));
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.VIEW_BOOKINGS);
        long room = req.query().first("room").asOptional().map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw Problem.badField("room", "room is a number.", "room は数字で指定してください。");
            }
        }).orElseThrow(() -> Problem.badField("room", "Say which room.", "部屋を指定してください。"));
        LocalDate from = date(req.query().first("from").orElse(LocalDate.now(town.zone()).toString()), "from");
        LocalDate to = date(req.query().first("to").orElse(from.plusMonths(3).toString()), "to");
        Instant start = from.atStartOfDay(town.zone()).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(town.zone()).toInstant();
        // Another facility's room answers like an unknown one.
        authenticator.requireFacility(req, town, Permission.VIEW_BOOKINGS, facilityOf(req, town, room));
        List<Map<String, Object>> found = blocks.list(town, room, start, end);
        Json.send(res, Status.OK_200, Map.of("blocks", found));
    }

    private long facilityOf(ServerRequest req, Municipality town, long room) {
        return blocks.facilityOfRoom(town, room).orElseThrow(() -> Problem.notFound("room", "部屋"));
    }

    private void remove(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.EDIT_FACILITIES);
        int removed = blocks.remove(town, member, Actor.of(member, req), PathIds.uuid(req, "id"));
        Json.send(res, Status.OK_200, Map.of("removed", removed));
    }

    static Map<String, Object> view(Blocks.Report report) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("series", report.seriesId().map(Object::toString).orElse(null));
        view.put("conflicts", report.conflicts());
        view.put("dates", report.dates().stream().map(d -> Map.of("date", d.date().toString(), "state", d.state(),
                "reservations", d.reservations().stream().map(Object::toString).toList(), "written", d.written()))
                .toList());
        return view;
    }

    private static LocalDate date(String text, String field) {
        try {
            return LocalDate.parse(text == null ? "" : text.strip());
        } catch (DateTimeException e) {
            throw Problem.badField(field, "Give the date as 2026-12-08.", "日付は 2026-12-08 の形式で入力してください。");
        }
    }

    private static LocalTime time(String text, String field) {
        try {
            LocalTime t = LocalTime.parse(text == null ? "" : text.strip());
            if (t.getMinute() % 15 != 0 || t.getSecond() != 0) {
                throw new DateTimeException("quarter");
            }
            return t;
        } catch (DateTimeException e) {
            throw Problem.badField(field, "Give a time on a quarter hour, e.g. 09:00.", "時刻は 15 分単位で入力してください（例: 09:00）。");
        }
    }
}
