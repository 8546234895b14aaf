package jp.kominkan.cloud.backoffice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.backoffice.LotteryRoundViews.ResultLine;
import jp.kominkan.cloud.backoffice.LotteryRoundViews.RoundLine;
import jp.kominkan.cloud.backoffice.LotteryRoundViews.UnitLine;
import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.lottery.Drawing;
import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.Results;
import jp.kominkan.cloud.lottery.Round;
import jp.kominkan.cloud.lottery.RoundPlan;
import jp.kominkan.cloud.lottery.RoundSchedule;
import jp.kominkan.cloud.lottery.RoundStatus;
import jp.kominkan.cloud.lottery.Rounds;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The staff's lottery pages (抽選の管理): the rounds of the facilities in the member's scope; a form to define one
 * (rooms, period, days, bands, schedule, rules), which holds its units at once; and one round to watch — its
 * schedule, applications by tier, units with their demand, commitments once closed, the draw, calling it off, the
 * results table and CSV, and the applications that look like one household. Every operation's permission and scope
 * is checked by the domain as well as here. The form is read by {@link LotteryRoundForm}; what the templates read is
 * made by {@link LotteryRoundViews}.
 */
public final class LotteryRoundPages implements HttpService {

    /** Most rows of the results table shown; the CSV has them all. */
    static final int MAX_ROWS = 500;
    /** Most units listed on a round's page. */
    static final int MAX_UNITS = 500;
    private static final Duration FLASH_LIFETIME = Duration.ofMinutes(15);

    private final StaffSite site;
    private final Rounds rounds;
    private final Drawing drawing;
    private final Results results;
    private final FacilityRepository facilities;
    private final Clock clock;
    /** What a new round left out, shown once on its page right after it was made (this instance only). */
    private final Map<String, Flash> flashes = new ConcurrentHashMap<>();

    /**
     * @param site       staff page support: sign-in, CSRF, the layout
     * @param rounds     rounds
     * @param drawing    the draw
     * @param results    results and CSV
     * @param facilities facilities and rooms in scope
     * @param clock      the clock
     */
    public LotteryRoundPages(StaffSite site, Rounds rounds, Drawing drawing, Results results,
                             FacilityRepository facilities, Clock clock) {
        this.site = site;
        this.rounds = rounds;
        this.drawing = drawing;
        this.results = results;
        this.facilities = facilities;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/lottery", site.guard(Permission.RUN_LOTTERY, this::list))
                .get("/staff/lottery/new", site.guard(Permission.RUN_LOTTERY, this::newForm))
                .post("/staff/lottery/new", site.guard(Permission.RUN_LOTTERY, this::create))
                .get("/staff/lottery/{id}", site.guard(Permission.RUN_LOTTERY, this::watch))
                .get("/staff/lottery/{id}/results.csv", site.guard(Permission.RUN_LOTTERY, this::csv))
                .post("/staff/lottery/{id}/draw", site.guard(Permission.RUN_LOTTERY, this::draw))
                .post("/staff/lottery/{id}/cancel", site.guard(Permission.RUN_LOTTERY, this::cancel));
    }

    // ---- the list -------------------------------------------------------------------------------

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Page page = site.page(req, res, town);
        Map<Long, String> names = new HashMap<>();
        List<RoundLine> lines = rounds.list(town, me).stream().map(r -> new RoundLine(r.id(), r.name(),
                names.computeIfAbsent(r.facilityId(), f -> facilities.facility(town.id(), f).map(Facility::name)
                        .orElse("")), page.t(r.status().japanese(), r.status().wire()), r.status().wire(),
                LotteryRoundViews.window(r.schedule(), town, page),
                Formats.format(r.schedule().drawAt(), town.zone(), page),
                Formats.format(r.schedule().firstComeAt(), town.zone(), page))).toList();
        site.render(res, Status.OK_200, "staff/lotteryRounds.jte", page, me, Map.of("rounds", lines));
    }

    // ---- defining a round -----------------------------------------------------------------------

    private void newForm(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        List<Facility> scope = scope(town, me);
        Optional<String> asked = req.query().first("facility").asOptional();
        Optional<Facility> facility = asked.isPresent() ? chosen(scope, asked.get())
                : scope.size() == 1 ? Optional.of(scope.get(0)) : Optional.empty();
        if (facility.isEmpty()) {
            Page plain = site.page(req, res, town);
            Map<String, String> errors = asked.isPresent()
                    ? Map.of("facility", plain.t("担当の施設から選んでください。", "Choose one of your facilities."))
                    : Map.of();
            Page page = plain.withForm(errors, Map.of("facility", asked.orElse("")));
            site.render(res, asked.isPresent() ? Status.NOT_FOUND_404 : Status.OK_200, "staff/lotteryRoundFacility.jte",
                    page, me, Map.of("facilities", scope, "errors", LotteryRoundViews.links(errors, Map.of())));
            return;
        }
        showForm(req, res, town, me, facility.get(), scope.size() > 1, Map.of(), LotteryRoundForm.defaults(town, clock),
                Status.OK_200);
    }

    private void create(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        List<Facility> scope = scope(town, me);
        Facility facility = chosen(scope, form.getOrDefault("facilityId", ""))
                .orElseThrow(() -> Problem.notFound("facility", "施設"));
        List<Room> rooms = facilities.rooms(town.id(), facility.id());
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            RoundPlan plan = LotteryRoundForm.plan(form, facility, rooms, town, errors, req);
            if (plan == null) {
                showForm(req, res, town, me, facility, scope.size() > 1, errors, form, Status.BAD_REQUEST_400);
                return;
            }
            Rounds.Created created = rounds.create(town, me, Actor.of(me, req), plan);
            String flash = "";
            if (!created.skipped().isEmpty()) {
                flash = keep(created.skipped());
            }
            site.redirect(res, "/staff/lottery/" + created.round().id() + "?" + Links.query(Map.of("done", "created",
                    "units", Integer.toString(created.units()), "skipped", Integer.toString(created.skipped().size()),
                    "flash", flash)));
        } catch (Problem problem) {
            showForm(req, res, town, me, facility, scope.size() > 1, Map.of(LotteryRoundForm.field(problem, form),
                    LotteryRoundForm.message(req, problem)), form, Status.create(problem.status()));
        }
    }

    private void showForm(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, Facility facility,
                          boolean canChange, Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        List<Room> rooms = facilities.rooms(town.id(), facility.id());
        Map<String, String> anchors = new HashMap<>();
        anchors.put("rooms", rooms.isEmpty() ? "rooms" : "room-" + rooms.get(0).id());
        anchors.put("days", "day-6");
        anchors.put("bands", "band-0-label");
        anchors.put("form", "");
        Map<String, Object> model = new HashMap<>();
        model.put("facility", facility);
        model.put("canChange", canChange);
        model.put("rooms", rooms);
        model.put("days", LotteryRoundForm.days(page));
        model.put("bandRows", LotteryRoundForm.BAND_ROWS);
        model.put("templates", RoundSchedule.Template.ALL);
        model.put("numbers", LotteryRoundForm.NUMBER_FIELDS);
        model.put("tiers", LotteryRules.STANDARD.tierNames());
        model.put("errors", LotteryRoundViews.links(errors, anchors));
        site.render(res, status, "staff/lotteryRoundNew.jte", page, me, model);
    }

    // ---- one round ------------------------------------------------------------------------------

    private void watch(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        show(req, res, town, me, PathIds.number(req, "id"), Map.of(), Map.of(), Status.OK_200);
    }

    private void draw(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        long id = PathIds.number(req, "id");
        try {
            Drawing.Published published = drawing.draw(town, me, Actor.of(me, req), id,
                    form.getOrDefault("randomness", ""));
            site.redirect(res, "/staff/lottery/" + id + "?done=drawn&wins=" + published.wins() + "&of="
                    + published.applications());
        } catch (Problem problem) {
            show(req, res, town, me, id, Map.of("randomness", LotteryRoundForm.message(req, problem)), form,
                    Status.create(problem.status()));
        }
    }

    private void cancel(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        long id = PathIds.number(req, "id");
        try {
            if (!"on".equals(form.get("confirm"))) {
                throw Problem.badField("confirm", "Tick the box to confirm the round is called off.",
                        "中止する場合は「この抽選回を中止します」にチェックを入れてください。");
            }
            rounds.cancel(town, me, Actor.of(me, req), id);
            site.redirect(res, "/staff/lottery/" + id + "?done=cancelled");
        } catch (Problem problem) {
            show(req, res, town, me, id, Map.of("confirm", LotteryRoundForm.message(req, problem)), form,
                    Status.create(problem.status()));
        }
    }

    private void csv(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        long id = PathIds.number(req, "id");
        byte[] csv = results.csv(town, me, id);
        res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"lottery-" + id + "-results.csv\"");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(csv);
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, long id,
                      Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        Rounds.Watched watched = rounds.watch(town, me, id);
        Round round = watched.round();
        Instant now = clock.instant();
        Map<String, Object> model = new HashMap<>();
        model.put("round", round);
        model.put("facility", facilities.facility(town.id(), round.facilityId()).map(Facility::name).orElse(""));
        model.put("status", page.t(round.status().japanese(), round.status().wire()));
        model.put("schedule", LotteryRoundViews.scheduleLines(round.schedule(), town, page));
        model.put("rules", LotteryRoundViews.ruleLines(round.rules(), page));
        model.put("tiers", LotteryRoundViews.tierLines(round, watched.byTier()));
        model.put("applications", watched.applications());
        List<UnitLine> units = watched.units().stream().limit(MAX_UNITS).map(u -> new UnitLine(u.label(),
                watched.rooms().get(u.roomId()).name(), watched.demand().getOrDefault(u.id(), 0),
                u.blockId().isPresent())).toList();
        model.put("units", units);
        model.put("unitCount", watched.units().size());
        model.put("heldCount", (int) watched.units().stream().filter(u -> u.blockId().isPresent()).count());
        model.put("frozenAt", round.frozenAt().map(t -> Formats.format(t, town.zone(), page)).orElse(""));
        model.put("drawnAt", round.drawnAt().map(t -> Formats.format(t, town.zone(), page)).orElse(""));
        boolean drawn = round.status() == RoundStatus.PUBLISHED || round.status() == RoundStatus.FINISHED;
        model.put("drawn", drawn);
        model.put("drawable", round.status() == RoundStatus.CLOSED);
        model.put("tooEarly", now.isBefore(round.schedule().drawAt()));
        model.put("drawFrom", Formats.format(round.schedule().drawAt(), town.zone(), page));
        model.put("cancellable", round.status() == RoundStatus.OPEN || round.status() == RoundStatus.CLOSED);
        List<ResultLine> rows = watched.applications() == 0 ? List.of() : resultLines(town, me, round);
        model.put("results", rows);
        model.put("resultCount", watched.applications());
        model.put("clusters", LotteryRoundViews.clusterLines(rounds.clusters(town, me, id), page));
        Map<String, String> query = Formats.query(req, "done", "units", "skipped", "flash", "wins", "of");
        model.put("done", query.getOrDefault("done", ""));
        model.put("doneUnits", number(query.get("units")));
        model.put("doneWins", number(query.get("wins")));
        model.put("doneOf", number(query.get("of")));
        model.put("skippedCount", number(query.get("skipped")));
        model.put("skipped", Optional.ofNullable(query.get("flash")).map(this::flash).orElse(List.of()));
        model.put("errors", LotteryRoundViews.links(errors, Map.of("form", "")));
        site.render(res, status, "staff/lotteryRound.jte", page, me, model);
    }

    /** The first rows of the results, as the CSV has them (the CSV has every row). */
    private List<ResultLine> resultLines(Municipality town, StaffMember me, Round round) {
        List<String> tiers = round.rules().tierNames();
        return results.staffRows(town, me, round.id(), 0, MAX_ROWS).stream().map(row -> new ResultLine(row.publicId(),
                row.name(), row.groupName().orElse(""), tiers.get(Math.min(row.tier(), tiers.size() - 1)), row.residency(),
                Results.outcome(round, row), row.wonRank().map(String::valueOf).orElse(""),
                row.reservationStatus().orElse(""))).toList();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private List<Facility> scope(Municipality town, StaffMember me) {
        return facilities.allFacilities(town.id()).stream().filter(f -> me.mayManage(f.id())).toList();
    }

    private static Optional<Facility> chosen(List<Facility> scope, String id) {
        return scope.stream().filter(f -> Long.toString(f.id()).equals(id.strip())).findFirst();
    }

    private static int number(String text) {
        try {
            return text == null ? 0 : Math.max(0, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String keep(List<String> skipped) {
        Instant now = clock.instant();
        flashes.values().removeIf(f -> f.until().isBefore(now));
        if (flashes.size() > 200) {
            flashes.clear();
        }
        String token = Tokens.random().substring(0, 22);
        flashes.put(token, new Flash(List.copyOf(skipped), now.plus(FLASH_LIFETIME)));
        return token;
    }

    private List<String> flash(String token) {
        Flash flash = flashes.get(token);
        return flash == null || flash.until().isBefore(clock.instant()) ? List.of() : flash.skipped();
    }

    /** What a new round left out, kept for its first page. */
    private record Flash(List<String> skipped, Instant until) {
    }
}
