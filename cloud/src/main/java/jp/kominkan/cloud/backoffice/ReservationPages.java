package jp.kominkan.cloud.backoffice;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.booking.BookingRequest;
import jp.kominkan.cloud.booking.ReservationSearch;
import jp.kominkan.cloud.booking.StaffBookings;
import jp.kominkan.cloud.booking.StaffReservationHttpService;
import jp.kominkan.cloud.alarm.AlarmRepository;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.OperationFilter;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The staff's reservation pages: the list with search and filters, a facility's week across its
 * rooms, one reservation with who booked and its history (cancel, move, cash), and counter booking.
 */
public final class ReservationPages implements HttpService {

    private final StaffSite site;
    private final StaffBookings bookings;
    private final ReservationSearch search;
    private final FacilityRepository facilities;
    private final OperationLog log;
    private final DoorEventRepository doorEvents;
    private final AlarmRepository alarms;
    private final Clock clock;

    /**
     * @param site       staff pages' support
     * @param bookings   reservation management
     * @param search     the list
     * @param facilities facilities and rooms
     * @param log        the operation log (a reservation's history)
     * @param doorEvents the doors' events (who entered when)
     * @param alarms     door alarms (a booking's, on its page)
     * @param clock      the clock
     */
    public ReservationPages(StaffSite site, StaffBookings bookings, ReservationSearch search,
                            FacilityRepository facilities, OperationLog log, DoorEventRepository doorEvents,
                            AlarmRepository alarms, Clock clock) {
        this.doorEvents = doorEvents;
        this.alarms = alarms;
        this.site = site;
        this.bookings = bookings;
        this.search = search;
        this.facilities = facilities;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/reservations", site.guard(Permission.VIEW_BOOKINGS, this::list))
                .get("/staff/calendar", site.guard(Permission.VIEW_BOOKINGS, this::calendar))
                .get("/staff/counter", site.guard(Permission.MANAGE_BOOKINGS, this::counterForm))
                .post("/staff/counter", site.guard(Permission.MANAGE_BOOKINGS, this::counter))
                .get("/staff/reservations/{id}", site.guard(Permission.VIEW_BOOKINGS, this::detail))
                .post("/staff/reservations/{id}/cancel", site.guard(Permission.MANAGE_BOOKINGS, this::cancel))
                .post("/staff/reservations/{id}/move", site.guard(Permission.MANAGE_BOOKINGS, this::move))
                .post("/staff/reservations/{id}/cash", site.guard(Permission.MANAGE_BOOKINGS, this::cash));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> query = Formats.query(req, "from", "to", "facility", "room", "status", "q", "page");
        Page page = site.page(req, res, town).withForm(Map.of(), query);
        ReservationSearch.Result result;
        try {
            result = search.find(town.id(), StaffReservationHttpService.criteria(req, town, me, clock));
        } catch (Problem problem) {
            page = page.withForm(StaffSite.error(req, problem), query);
            result = new ReservationSearch.Result(List.of(), false);
        }
        int current = Optional.ofNullable(query.get("page")).filter(p -> p.matches("\\d{1,3}")).map(Integer::parseInt)
                .orElse(0);
        Map<String, String> base = new LinkedHashMap<>(query);
        base.remove("page");
        site.render(res, Status.OK_200, "staff/reservations.jte", page, me, Map.of("rows", rows(result.rows(), town, page),
                "facilities", scoped(town, me), "more", result.more(), "pageNumber", current,
                "query", Links.query(base)));
    }

    private void calendar(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        List<Facility> mine = scoped(town, me);
        Page page = site.page(req, res, town);
        if (mine.isEmpty()) {
            site.render(res, Status.OK_200, "staff/calendar.jte", page, me, Map.of("facilities", mine,
                    "calendar", Optional.empty()));
            return;
        }
        long facilityId = Formats.query(req, "facility").entrySet().stream().findFirst()
                .map(e -> parseLong(e.getValue())).filter(id -> mine.stream().anyMatch(f -> f.id() == id))
                .orElse(mine.get(0).id());
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        LocalDate first = Formats.date(req.query().first("week").orElse("")).orElse(today);
        Facility facility = mine.stream().filter(f -> f.id() == facilityId).findFirst().orElseThrow();
        int length = "1".equals(req.query().first("days").orElse("7")) ? 1 : 7;
        List<Room> rooms = facilities.rooms(town.id(), facilityId);
        ReservationSearch.Result week = search.calendar(town.id(), new ReservationSearch.Criteria(
                first.atStartOfDay(town.zone()).toInstant(), first.plusDays(length).atStartOfDay(town.zone()).toInstant(),
                Optional.of(facilityId), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0));
        site.render(res, Status.OK_200, "staff/calendar.jte", page, me, Map.of("facilities", mine,
                "calendar", Optional.of(FacilityWeek.of(facility, rooms, week.rows(), first, length, town.zone(), clock.instant(),
                        page))));
    }

    private void detail(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        show(req, res, town, me, bookings.visible(town, me, PathIds.uuid(req, "id")), Map.of(), Map.of(), Status.OK_200);
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, ReservationSearch.Row row,
                      Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        Instant now = clock.instant();
        ZonedDateTime start = row.range().start().atZone(town.zone());
        Map<String, Object> model = new HashMap<>();
        model.put("row", rows(List.of(row), town, page).get(0));
        model.put("r", row);
        model.put("status", row.statusAt(now).wire());
        model.put("history", log.find(town.id(), new OperationFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(row.id().toString()), Optional.empty(), 50)).stream()
                .map(e -> new HistoryLine(Formats.format(e.occurredAt(), town.zone(), page), e.action(), e.role()))
                .toList());
        model.put("rooms", facilities.rooms(town.id(), row.facilityId()));
        boolean doors = me.may(Permission.VIEW_DOORS) || me.may(Permission.MANAGE_BOOKINGS);
        model.put("doorEvents", doors ? doorEvents.forReservation(row.id()).stream().map(e -> new HistoryLine(
                DoorWords.time(e.at(), town.zone(), start.toLocalDate(), page), DoorWords.event(e.type(), e.reason(), page),
                e.doorId())).toList() : List.of());
        model.put("doorAlarms", doors ? alarms.forReservation(row.id()).stream().map(a -> new HistoryLine(
                DoorWords.time(a.raisedAt(), town.zone(), start.toLocalDate(), page), DoorWords.alarm(a.kind(), page),
                a.doorId().orElse(""))).toList() : List.of());
        model.put("verified", row.verifiedAt().map(t -> Formats.format(t, town.zone(), page)));
        model.put("moveDate", values.getOrDefault("date", start.toLocalDate().toString()));
        model.put("moveStart", values.getOrDefault("start", start.toLocalTime().toString()));
        model.put("moveEnd", values.getOrDefault("end", endTime(row.range(), town)));
        model.put("manage", me.may(Permission.MANAGE_BOOKINGS));
        model.put("done", Formats.query(req, "done").getOrDefault("done", ""));
        site.render(res, status, "staff/reservation.jte", page, me, model);
    }

    private void cancel(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        UUID id = PathIds.uuid(req, "id");
        try {
            bookings.cancel(town, me, Actor.of(me, req), id, form.get("reason"));
            site.redirect(res, "/staff/reservations/" + id + "?done=cancelled");
        } catch (Problem problem) {
            show(req, res, town, me, bookings.visible(town, me, id), StaffSite.error(req, problem), form,
                    Status.create(problem.status()));
        }
    }

    private void move(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        UUID id = PathIds.uuid(req, "id");
        try {
            long roomId = parseLong(form.getOrDefault("roomId", ""));
            bookings.move(town, me, Actor.of(me, req), id, roomId, range(town, form));
            site.redirect(res, "/staff/reservations/" + id + "?done=moved");
        } catch (Problem problem) {
            Map<String, String> errors = StaffSite.error(req, problem, "start");
            show(req, res, town, me, bookings.visible(town, me, id), errors, form, Status.create(problem.status()));
        }
    }

    private void cash(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        UUID id = PathIds.uuid(req, "id");
        try {
            String typed = java.text.Normalizer.normalize(form.getOrDefault("amountReceived", ""),
                    java.text.Normalizer.Form.NFKC).replace(",", "").strip();
            if (!typed.matches("\\d{1,8}")) {
                throw Problem.badField("amountReceived", "Enter the cash received in yen, e.g. 2400.",
                        "受領額を円で入力してください（例: 2400）。");
            }
            bookings.recordCash(town, me, Actor.of(me, req), id, Integer.parseInt(typed));
            site.redirect(res, "/staff/reservations/" + id + "?done=paid");
        } catch (Problem problem) {
            show(req, res, town, me, bookings.visible(town, me, id), StaffSite.error(req, problem), form,
                    Status.create(problem.status()));
        }
    }

    private void counterForm(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> values = new HashMap<>(Formats.query(req, "room", "date", "start", "end"));
        values.putIfAbsent("date", LocalDate.now(clock.withZone(town.zone())).toString());
        values.putIfAbsent("key", UUID.randomUUID().toString());
        showCounter(req, res, town, me, Map.of(), values, Status.OK_200);
    }

    private void counter(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        try {
            String key = form.getOrDefault("key", "");
            if (!key.matches("[0-9a-f-]{36}")) {
                throw Problem.badRequest("form-incomplete", "The form is incomplete. Start again.",
                        "フォームの内容が不完全です。最初からやり直してください。");
            }
            long roomId = parseLong(form.getOrDefault("room", ""));
            String attendees = java.text.Normalizer.normalize(form.getOrDefault("attendees", ""),
                    java.text.Normalizer.Form.NFKC).strip();
            if (!attendees.matches("\\d{1,4}") || Integer.parseInt(attendees) < 1) {
                throw Problem.badField("attendees", "Enter the number of people (at least 1).",
                        "利用人数を 1 以上の数字で入力してください。");
            }
            String purpose = form.getOrDefault("purpose", "").strip();
            if (purpose.isEmpty() || purpose.length() > 200) {
                throw Problem.badField("purpose", "Enter the purpose of use (up to 200 characters).",
                        "利用目的を入力してください（200 文字まで）。");
            }
            var made = bookings.counterBooking(town, me, Actor.of(me, req),
                    new BookingRequest(roomId, range(town, form), purpose, Integer.parseInt(attendees)),
                    new StaffBookings.Booker(Optional.empty(), form.getOrDefault("name", ""),
                            form.getOrDefault("phone", "")), key);
            site.redirect(res, "/staff/reservations/" + made.id() + "?done=booked");
        } catch (Problem problem) {
            Map<String, String> errors = new HashMap<>(StaffSite.error(req, problem));
            if (errors.containsKey("form") && !problem.code().equals("form-incomplete")) {
                errors.put("start", errors.remove("form"));
            }
            showCounter(req, res, town, me, errors, form, Status.create(problem.status()));
        }
    }

    private void showCounter(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                             Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        List<RoomChoice> rooms = new ArrayList<>();
        for (Facility f : scoped(town, me)) {
            for (Room r : facilities.rooms(town.id(), f.id())) {
                rooms.add(new RoomChoice(r.id(), f.name() + " " + r.name()));
            }
        }
        site.render(res, status, "staff/counter.jte", page, me, Map.of("rooms", rooms, "times", Formats.quarterHours()));
    }

    private List<Facility> scoped(Municipality town, StaffMember me) {
        return facilities.allFacilities(town.id()).stream().filter(f -> me.mayManage(f.id())).toList();
    }

    private List<RowLine> rows(List<ReservationSearch.Row> rows, Municipality town, Page page) {
        Instant now = clock.instant();
        return rows.stream().map(r -> new RowLine(r.id(), r.number(), Formats.when(r.range(), town.zone(), page),
                r.facilityName() + " " + r.roomName(), r.person(), r.phone().orElse(""), r.statusAt(now).wire(),
                r.amount())).toList();
    }

    static SlotRange range(Municipality town, Map<String, String> form) {
        LocalDate date = Formats.date(form.get("date")).orElseThrow(() -> Problem.badField("date",
                "Enter the date, e.g. 2026-12-01.", "利用日を入力してください（例: 2026-12-01）。"));
        ZonedDateTime start = Formats.at(date, form.get("start"), town.zone(), "start");
        ZonedDateTime end = Formats.at(date, form.get("end"), town.zone(), "end");
        if (!end.isAfter(start)) {
            throw Problem.badField("end", "The end must be after the start.", "終了時刻は開始時刻より後にしてください。");
        }
        return new SlotRange(start.toInstant(), end.toInstant());
    }

    private static String endTime(SlotRange range, Municipality town) {
        ZonedDateTime start = range.start().atZone(town.zone());
        ZonedDateTime end = range.end().atZone(town.zone());
        return end.toLocalDate().isAfter(start.toLocalDate()) ? "24:00" : end.toLocalTime().toString();
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw Problem.badField("room", "Choose the room.", "部屋を選んでください。");
        }
    }

    /**
     * One line of the list.
     *
     * @param id     reservation
     * @param number its number
     * @param when   when, in words
     * @param place  facility and room
     * @param person who booked
     * @param phone  their phone
     * @param status status
     * @param amount fee
     */
    public record RowLine(UUID id, String number, String when, String place, String person, String phone,
                          String status, int amount) {
    }

    /**
     * A room to choose.
     *
     * @param id    room
     * @param label facility and room
     */
    public record RoomChoice(long id, String label) {
    }

    /**
     * A line of a reservation's history.
     *
     * @param when   when
     * @param action what
     * @param role   by which role
     */
    public record HistoryLine(String when, String action, String role) {
    }
}
