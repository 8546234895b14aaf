package jp.kominkan.cloud.lottery;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * {@code /api/v1/staff/lottery}: schedule templates; define, list and watch rounds; draw; call off; results as JSON
 * or CSV; clusters of applications that look like one household. Every call needs {@link Permission#RUN_LOTTERY}
 * within the round's facility.
 */
public final class StaffLotteryHttpService implements HttpService {

    /** Rows of the results per page of the JSON API (the CSV has them all). */
    static final int PAGE = 1000;

    private final Rounds rounds;
    private final Drawing drawing;
    private final Results results;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param rounds        rounds
     * @param drawing       the draw
     * @param results       results
     * @param authenticator finds the member of staff
     * @param tenancy       finds the municipality
     */
    public StaffLotteryHttpService(Rounds rounds, Drawing drawing, Results results, StaffAuthenticator authenticator,
                                   Tenancy tenancy) {
        this.rounds = rounds;
        this.drawing = drawing;
        this.results = results;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/templates", this::templates)
                .get("/rounds", this::list)
                .post("/rounds", this::create)
                .get("/rounds/{id}", this::watch)
                .post("/rounds/{id}/draw", this::draw)
                .post("/rounds/{id}/cancel", this::cancel)
                .get("/rounds/{id}/results", this::results)
                .get("/rounds/{id}/clusters", this::clusters);
    }

    private void templates(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        authenticator.require(req, town, Permission.RUN_LOTTERY);
        Json.send(res, Status.OK_200, Map.of("templates", RoundSchedule.Template.ALL.stream()
                .map(t -> new LotteryViews.TemplateView(t.code(), t.name())).toList()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.RUN_LOTTERY);
        Json.send(res, Status.OK_200, Map.of("rounds", rounds.list(town, member).stream()
                .map(r -> LotteryViews.RoundView.of(r, town.zone())).toList()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.RUN_LOTTERY);
        RoundPlan plan = plan(Json.read(req, RoundBody.class), town);
        Rounds.Created created = rounds.create(town, member, Actor.of(member, req), plan);
        res.header(HeaderNames.LOCATION, "/api/v1/staff/lottery/rounds/" + created.round().id());
        Json.send(res, Status.CREATED_201, new LotteryViews.CreatedView(
                LotteryViews.RoundView.of(created.round(), town.zone()), created.units(), created.skipped()));
    }

    private void watch(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.RUN_LOTTERY);
        Rounds.Watched watched = rounds.watch(town, member, PathIds.number(req, "id"));
        Json.send(res, Status.OK_200, LotteryHttpService.detail(town, watched.round(), watched.units(), watched.demand(),
                roomId -> watched.rooms().get(roomId).name(), Optional.of(watched.applications()), watched.byTier()));
    }

    private void draw(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.RUN_LOTTERY);
        DrawBody body = Json.read(req, DrawBody.class);
        Drawing.Published published = drawing.draw(town, member, Actor.of(member, req), PathIds.number(req, "id"),
                body.randomness());
        Json.send(res, Status.OK_200, new LotteryViews.PublishedView(
                LotteryViews.RoundView.of(published.round(), town.zone()), published.wins(), published.applications()));
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.RUN_LOTTERY);
        long id = PathIds.number(req, "id");
        rounds.cancel(town, member, Actor.of(member, req), id);
        Json.send(res, Status.OK_200, LotteryViews.RoundView.of(rounds.visible(town, member, id), town.zone()));
    }

    private void results(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.RUN_LOTTERY);
        long id = PathIds.number(req, "id");
        if (req.query().first("format").asOptional().map("csv"::equals).orElse(false)) {
            byte[] csv = results.csv(town, member, id);
            res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"lottery-" + id + "-results.csv\"");
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(csv);
            return;
        }
        Round round = rounds.visible(town, member, id);
        List<String> tiers = round.rules().tierNames();
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        int page = req.query().first("page").asOptional().map(p -> {
            try {
                return Integer.parseInt(p);
            } catch (NumberFormatException e) {
                return -1;
            }
        }).orElse(0);
        if (page < 0 || page > 10_000) {
            throw Problem.badField("page", "page is 0 to 10000.", "page は 0〜10000 で指定してください。");
        }
        Json.send(res, Status.OK_200, Map.of("page", page, "pageSize", PAGE, "results", results.staffRows(town, member,
                        id, page * PAGE, PAGE).stream()
                .map(r -> new LotteryViews.StaffRowView(r.publicId(), r.name(), r.groupName().orElse(null),
                        tiers.get(Math.min(r.tier(), tiers.size() - 1)), r.residency(),
                        LotteryViews.at(r.appliedAt(), town.zone()), Results.outcome(round, r), r.wonRank().orElse(null),
                        r.reservationStatus().orElse(null))).toList()));
    }

    private void clusters(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.RUN_LOTTERY);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.OK_200, Map.of("clusters", rounds.clusters(town, member, PathIds.number(req, "id"))));
    }

    /**
     * Reads a round's definition, from the API or the staff page's form alike.
     *
     * @param body the fields
     * @param town the municipality (its zone)
     * @return the plan
     */
    static RoundPlan plan(RoundBody body, Municipality town) {
        if (body.facilityId() == null) {
            throw Problem.badField("facilityId", "facilityId is required.", "施設を選んでください。");
        }
        LocalDate from = date(body.from(), "from");
        LocalDate to = date(body.to(), "to");
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        boolean holidays = false;
        for (String day : body.days() == null ? List.<String>of() : body.days()) {
            if ("holiday".equals(day)) {
                holidays = true;
                continue;
            }
            try {
                days.add(DayOfWeek.of(Integer.parseInt(String.valueOf(day))));
            } catch (RuntimeException e) {
                throw Problem.badField("days", "days are ISO weekdays 1 (Monday) to 7 (Sunday), or holiday.",
                        "曜日は 1（月）〜7（日）か holiday（祝日）で指定してください。");
            }
        }
        List<BandBody> bandBodies = body.bands() == null ? List.of() : body.bands();
        if (bandBodies.stream().anyMatch(java.util.Objects::isNull)) {
            throw Problem.badField("bands", "A band is empty (null).", "時間帯に空の項目があります。");
        }
        List<RoundPlan.Band> bands = bandBodies.stream()
                .map(b -> new RoundPlan.Band(b.label(), minute(b.start(), "bands.start"), minute(b.end(), "bands.end")))
                .toList();
        RoundSchedule schedule;
        if (body.template() != null && !body.template().isBlank()) {
            schedule = RoundSchedule.Template.of(body.template()).orElseThrow(() -> Problem.badField("template",
                    "Unknown schedule template.", "日程のひな形が見つかりません。")).forMonth(YearMonth.from(from), town.zone());
        } else if (body.schedule() != null) {
            ScheduleBody s = body.schedule();
            schedule = new RoundSchedule(instant(s.opensAt(), "schedule.opensAt"), instant(s.closesAt(), "schedule.closesAt"),
                    instant(s.drawAt(), "schedule.drawAt"), instant(s.confirmBy(), "schedule.confirmBy"),
                    instant(s.firstComeAt(), "schedule.firstComeAt"));
        } else {
            throw Problem.badField("schedule", "Give a schedule or a template.", "日程かひな形を指定してください。");
        }
        LotteryRules rules = body.rules() == null ? LotteryRules.STANDARD
                : LotteryRules.fromJson(Optional.of(Json.mapper().valueToTree(body.rules()).toString()));
        return new RoundPlan(body.facilityId(), body.name(), body.roomIds() == null ? List.of() : body.roomIds(), from,
                to, days, holidays, bands, schedule, rules, Optional.ofNullable(body.beacon()));
    }

    private static LocalDate date(String text, String field) {
        try {
            return LocalDate.parse(String.valueOf(text));
        } catch (DateTimeParseException e) {
            throw Problem.badField(field, field + " is a date such as 2027-02-01.", "日付を 2027-02-01 の形で入力してください。");
        }
    }

    private static int minute(String text, String field) {
        if ("24:00".equals(text)) {
            return 1440;
        }
        try {
            LocalTime time = LocalTime.parse(String.valueOf(text));
            return time.getHour() * 60 + time.getMinute();
        } catch (DateTimeParseException e) {
            throw Problem.badField(field, "Times are written like 09:00 (24:00 for midnight).",
                    "時刻は 09:00 の形で入力してください（深夜 0 時は 24:00）。");
        }
    }

    private static java.time.Instant instant(String text, String field) {
        try {
            return java.time.OffsetDateTime.parse(String.valueOf(text)).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.badField(field, field + " is a time with its offset, e.g. 2027-01-01T00:00:00+09:00.",
                    "日時を 2027-01-01T00:00:00+09:00 の形で指定してください。");
        }
    }

    /** A round's definition. */
    record RoundBody(Long facilityId, String name, List<Long> roomIds, String from, String to, List<String> days,
                     List<BandBody> bands, String template, ScheduleBody schedule, Map<String, Object> rules,
                     String beacon) {
    }

    /** A band. */
    record BandBody(String label, String start, String end) {
    }

    /** An explicit schedule. */
    record ScheduleBody(String opensAt, String closesAt, String drawAt, String confirmBy, String firstComeAt) {
    }

    /** The draw's input. */
    record DrawBody(String randomness) {
    }
}
