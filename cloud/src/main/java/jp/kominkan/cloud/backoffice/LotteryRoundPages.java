package jp.kominkan.cloud.backoffice;

import java.text.Normalizer;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
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
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The staff's lottery pages (抽選の管理): the rounds of the facilities in the member's scope; a form to define one
 * (rooms, period, days, bands, schedule, rules), which holds its units at once; and one round to watch — its
 * schedule, applications by tier, units with their demand, commitments once closed, the draw, calling it off, the
 * results table and CSV, and the applications that look like one household. Every operation's permission and scope
 * is checked by the domain as well as here.
 */
public final class LotteryRoundPages implements HttpService {

    /** Most rows of the results table shown; the CSV has them all. */
    static final int MAX_ROWS = 500;
    /** Most units listed on a round's page. */
    static final int MAX_UNITS = 500;
    /** Band rows on the form. */
    static final int BAND_ROWS = 4;

    private static final String[] DAY_NAMES = {"月", "火", "水", "木", "金", "土", "日"};
    private static final String[] DAY_NAMES_EN = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final List<String[]> DEFAULT_BANDS = List.of(new String[] {"午前", "09:00", "12:00"},
            new String[] {"午後", "13:00", "17:00"}, new String[] {"夜間", "18:00", "21:00"});
    /** The rules' number fields, with the ranges {@link LotteryRules} allows. */
    static final List<NumberField> NUMBER_FIELDS = List.of(
            new NumberField("maxWishes", "第何希望まで", "Wishes per application", 1, 10),
            new NumberField("maxSetLength", "連続できる枠数", "Consecutive units in one wish", 1, 8),
            new NumberField("applicationsPerPerson", "1 人の申込件数", "Applications per person", 1, 20),
            new NumberField("applicationsPerGroup", "1 団体の申込件数", "Applications per group", 1, 20),
            new NumberField("winsPerPerson", "1 人の当選件数", "Wins per person", 1, 100),
            new NumberField("winsPerGroup", "1 団体の当選件数", "Wins per group", 1, 100),
            new NumberField("substitutes", "1 枠の補欠の人数", "Substitutes per unit", 0, 50),
            new NumberField("minAttendees", "利用人数の下限", "Fewest attending", 1, 10_000),
            new NumberField("minGroupMembers", "団体の構成員数の下限", "Fewest group members", 0, 1_000));
    /** The rules' number fields: form name → label. */
    private static final Map<String, String> NUMBERS = numbers();
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
                window(r.schedule(), town, page), Formats.format(r.schedule().drawAt(), town.zone(), page),
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
                    page, me, Map.of("facilities", scope, "errors", links(errors, Map.of())));
            return;
        }
        showForm(req, res, town, me, facility.get(), scope.size() > 1, Map.of(), defaults(town), Status.OK_200);
    }

    private void create(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        List<Facility> scope = scope(town, me);
        Facility facility = chosen(scope, form.getOrDefault("facilityId", ""))
                .orElseThrow(() -> Problem.notFound("facility", "施設"));
        List<Room> rooms = facilities.rooms(town.id(), facility.id());
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            RoundPlan plan = plan(form, facility, rooms, town, errors, req);
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
            showForm(req, res, town, me, facility, scope.size() > 1, Map.of(field(problem, form),
                    message(req, problem)), form, Status.create(problem.status()));
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
        model.put("days", days(page));
        model.put("bandRows", BAND_ROWS);
        model.put("templates", RoundSchedule.Template.ALL);
        model.put("numbers", NUMBER_FIELDS);
        model.put("tiers", LotteryRules.STANDARD.tierNames());
        model.put("errors", links(errors, anchors));
        site.render(res, status, "staff/lotteryRoundNew.jte", page, me, model);
    }

    /**
     * Reads the form into a plan; the domain's records check what they hold.
     *
     * @return the plan, or null when a field could not be read (its message is in {@code errors})
     */
    private static RoundPlan plan(Map<String, String> form, Facility facility, List<Room> rooms, Municipality town,
                                  Map<String, String> errors, ServerRequest req) {
        boolean ja = PageSupport.lang(req) != Lang.EN;
        List<Long> roomIds = rooms.stream().filter(r -> "on".equals(form.get("room-" + r.id()))).map(Room::id).toList();
        Optional<LocalDate> from = Formats.date(form.get("from"));
        Optional<LocalDate> to = Formats.date(form.get("to"));
        if (from.isEmpty()) {
            errors.put("from", ja ? "利用期間の開始日を入力してください（例: 2027-03-01）。" : "Enter the first day, e.g. 2027-03-01.");
        }
        if (to.isEmpty()) {
            errors.put("to", ja ? "利用期間の終了日を入力してください（例: 2027-03-31）。" : "Enter the last day, e.g. 2027-03-31.");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            if ("on".equals(form.get("day-" + day.getValue()))) {
                days.add(day);
            }
        }
        boolean holidays = "on".equals(form.get("day-holiday"));
        List<String[]> bandTexts = new ArrayList<>();
        for (int i = 0; i < BAND_ROWS; i++) {
            String label = form.getOrDefault("band-" + i + "-label", "").strip();
            String start = form.getOrDefault("band-" + i + "-start", "").strip();
            String end = form.getOrDefault("band-" + i + "-end", "").strip();
            if (label.isEmpty() && start.isEmpty() && end.isEmpty()) {
                continue;
            }
            if (minute(start) < 0 || minute(end) < 0) {
                errors.putIfAbsent("bands", ja ? "時間帯 " + (i + 1) + " 行目の時刻を 09:00 の形で入力してください（深夜 0 時は 24:00）。"
                        : "Write band " + (i + 1) + "'s times like 09:00 (24:00 for midnight).");
                continue;
            }
            bandTexts.add(new String[] {label, start, end});
        }
        String template = form.getOrDefault("template", "");
        Map<String, Instant> explicit = new LinkedHashMap<>();
        if (template.equals("custom")) {
            for (String name : List.of("opensAt", "closesAt", "drawAt", "confirmBy", "firstComeAt")) {
                try {
                    explicit.put(name, LocalDateTime.parse(form.getOrDefault(name, "").strip()).atZone(town.zone())
                            .toInstant());
                } catch (DateTimeParseException e) {
                    errors.put(name, ja ? "日時を入力してください（例: 2027-01-01T09:00）。" : "Enter a date and time.");
                }
            }
        } else if (RoundSchedule.Template.of(template).isEmpty()) {
            errors.put("template", ja ? "日程のひな形を選んでください。" : "Choose a schedule template.");
        }
        Map<String, Integer> numbers = new HashMap<>();
        for (Map.Entry<String, String> number : NUMBERS.entrySet()) {
            String text = Normalizer.normalize(form.getOrDefault(number.getKey(), ""),
                    Normalizer.Form.NFKC).strip();
            try {
                numbers.put(number.getKey(), Integer.parseInt(text));
            } catch (NumberFormatException e) {
                errors.put(number.getKey(), ja ? "「" + number.getValue() + "」を数字で入力してください。"
                        : "Enter a number for " + number.getKey() + ".");
            }
        }
        String residency = form.getOrDefault("residency", "any");
        if (!errors.isEmpty()) {
            return null;
        }
        List<RoundPlan.Band> bands = bandTexts.stream().map(b -> new RoundPlan.Band(b[0], minute(b[1]), minute(b[2])))
                .toList();
        LotteryRules rules = new LotteryRules(numbers.get("maxWishes"), numbers.get("maxSetLength"),
                numbers.get("applicationsPerPerson"), numbers.get("applicationsPerGroup"), numbers.get("winsPerPerson"),
                numbers.get("winsPerGroup"), numbers.get("substitutes"),
                new LotteryRules.Eligibility(residency, "on".equals(form.get("groupsOnly")), List.of(),
                        numbers.get("minAttendees"), numbers.get("minGroupMembers")),
                LotteryRules.STANDARD.tiers());
        RoundSchedule schedule = template.equals("custom")
                ? new RoundSchedule(explicit.get("opensAt"), explicit.get("closesAt"), explicit.get("drawAt"),
                explicit.get("confirmBy"), explicit.get("firstComeAt"))
                : RoundSchedule.Template.of(template).orElseThrow().forMonth(YearMonth.from(from.get()), town.zone());
        return new RoundPlan(facility.id(), form.getOrDefault("name", ""), roomIds, from.get(), to.get(), days,
                holidays, bands, schedule, rules, Optional.of(form.getOrDefault("beacon", "")));
    }

    /** The form's values for a new round: 土日祝, three bands, the two-months template, the usual rules. */
    private Map<String, String> defaults(Municipality town) {
        Map<String, String> values = new HashMap<>();
        YearMonth month = YearMonth.from(LocalDate.now(clock.withZone(town.zone()))).plusMonths(3);
        values.put("from", month.atDay(1).toString());
        values.put("to", month.atEndOfMonth().toString());
        values.put("day-6", "on");
        values.put("day-7", "on");
        values.put("day-holiday", "on");
        for (int i = 0; i < DEFAULT_BANDS.size(); i++) {
            values.put("band-" + i + "-label", DEFAULT_BANDS.get(i)[0]);
            values.put("band-" + i + "-start", DEFAULT_BANDS.get(i)[1]);
            values.put("band-" + i + "-end", DEFAULT_BANDS.get(i)[2]);
        }
        values.put("template", RoundSchedule.Template.ALL.get(0).code());
        LotteryRules r = LotteryRules.STANDARD;
        values.put("maxWishes", Integer.toString(r.maxWishes()));
        values.put("maxSetLength", Integer.toString(r.maxSetLength()));
        values.put("applicationsPerPerson", Integer.toString(r.applicationsPerPerson()));
        values.put("applicationsPerGroup", Integer.toString(r.applicationsPerGroup()));
        values.put("winsPerPerson", Integer.toString(r.winsPerPerson()));
        values.put("winsPerGroup", Integer.toString(r.winsPerGroup()));
        values.put("substitutes", Integer.toString(r.substitutes()));
        values.put("minAttendees", Integer.toString(r.eligibility().minAttendees()));
        values.put("minGroupMembers", Integer.toString(r.eligibility().minGroupMembers()));
        values.put("residency", r.eligibility().residency());
        return values;
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
            show(req, res, town, me, id, Map.of("randomness", message(req, problem)), form,
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
            show(req, res, town, me, id, Map.of("confirm", message(req, problem)), form, Status.create(problem.status()));
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
        model.put("schedule", scheduleLines(round.schedule(), town, page));
        model.put("rules", ruleLines(round.rules(), page));
        model.put("tiers", tierLines(round, watched.byTier()));
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
        model.put("clusters", clusterLines(rounds.clusters(town, me, id), page));
        Map<String, String> query = Formats.query(req, "done", "units", "skipped", "flash", "wins", "of");
        model.put("done", query.getOrDefault("done", ""));
        model.put("doneUnits", number(query.get("units")));
        model.put("doneWins", number(query.get("wins")));
        model.put("doneOf", number(query.get("of")));
        model.put("skippedCount", number(query.get("skipped")));
        model.put("skipped", Optional.ofNullable(query.get("flash")).map(this::flash).orElse(List.of()));
        model.put("errors", links(errors, Map.of("form", "")));
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

    private static List<ClusterLine> clusterLines(Map<String, List<List<String>>> clusters, Page page) {
        List<ClusterLine> lines = new ArrayList<>();
        clusters.forEach((kind, list) -> lines.add(new ClusterLine(switch (kind) {
            case "address" -> page.t("同じ住所", "Same address");
            case "phone" -> page.t("同じ電話番号", "Same telephone");
            case "email" -> page.t("同じメールアドレス", "Same e-mail");
            default -> kind;
        }, list)));
        return lines;
    }

    private static List<Fact> scheduleLines(RoundSchedule s, Municipality town, Page page) {
        return List.of(new Fact(page.t("申込期間", "Applications"), window(s, town, page)),
                new Fact(page.t("抽選", "Draw"), Formats.format(s.drawAt(), town.zone(), page) + page.t(" から", " onwards")),
                new Fact(page.t("当選確定期限", "Winners confirm by"), Formats.format(s.confirmBy(), town.zone(), page)
                        + page.t(" まで", "")),
                new Fact(page.t("先着順の受付開始", "First-come opens"), Formats.format(s.firstComeAt(), town.zone(), page)));
    }

    private static List<Fact> ruleLines(LotteryRules r, Page page) {
        return List.of(new Fact(page.t("希望", "Wishes"), page.t("第" + r.maxWishes() + "希望まで・連続 " + r.maxSetLength()
                        + " 枠まで", "up to " + r.maxWishes() + ", sets of up to " + r.maxSetLength() + " units")),
                new Fact(page.t("申込件数", "Applications"), page.t("1 人 " + r.applicationsPerPerson() + " 件・1 団体 "
                        + r.applicationsPerGroup() + " 件まで", r.applicationsPerPerson() + " per person, "
                        + r.applicationsPerGroup() + " per group")),
                new Fact(page.t("当選件数", "Wins"), page.t("1 人 " + r.winsPerPerson() + " 件・1 団体 " + r.winsPerGroup()
                        + " 件まで", r.winsPerPerson() + " per person, " + r.winsPerGroup() + " per group")),
                new Fact(page.t("補欠", "Substitutes"), page.t("1 枠 " + r.substitutes() + " 人まで", r.substitutes()
                        + " per unit")),
                new Fact(page.t("申込の資格", "Who may apply"), page.t(
                        (r.eligibility().residency().equals("resident") ? "市内在住の方" : "どなたでも")
                                + (r.eligibility().groupsOnly() ? "・登録団体のみ" : "") + "・利用人数 "
                                + r.eligibility().minAttendees() + " 人以上"
                                + (r.eligibility().minGroupMembers() > 0 ? "・団体の構成員 "
                                + r.eligibility().minGroupMembers() + " 人以上" : ""),
                        (r.eligibility().residency().equals("resident") ? "residents" : "anyone")
                                + (r.eligibility().groupsOnly() ? ", registered groups only" : "") + ", at least "
                                + r.eligibility().minAttendees() + " attending")),
                new Fact(page.t("優先順位", "Priority"), String.join(" → ", r.tierNames())));
    }

    private static List<Fact> tierLines(Round round, Map<Integer, Integer> byTier) {
        List<String> names = round.rules().tierNames();
        List<Fact> lines = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            lines.add(new Fact(names.get(i), Integer.toString(byTier.getOrDefault(i, 0))));
        }
        return lines;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private List<Facility> scope(Municipality town, StaffMember me) {
        return facilities.allFacilities(town.id()).stream().filter(f -> me.mayManage(f.id())).toList();
    }

    private static Optional<Facility> chosen(List<Facility> scope, String id) {
        return scope.stream().filter(f -> Long.toString(f.id()).equals(id.strip())).findFirst();
    }

    private static String window(RoundSchedule s, Municipality town, Page page) {
        return Formats.format(s.opensAt(), town.zone(), page) + " 〜 " + Formats.format(s.closesAt(), town.zone(), page);
    }

    /** The form field a refusal belongs next to. */
    private static String field(Problem problem, Map<String, String> form) {
        String field = problem.field().orElse("form");
        if (field.startsWith("rules.eligibility.")) {
            field = field.substring("rules.eligibility.".length());
        } else if (field.startsWith("rules.")) {
            field = field.substring("rules.".length());
        }
        if (field.startsWith("bands")) {
            return "bands";
        }
        if (field.startsWith("schedule")) {
            return form.getOrDefault("template", "").equals("custom") ? "opensAt" : "template";
        }
        return switch (field) {
            case "roomIds" -> "rooms";
            case "name", "from", "to", "days", "beacon", "template", "residency" -> field;
            default -> NUMBERS.containsKey(field) ? field : "form";
        };
    }

    /** A refusal's message, with the rules' field names in words. */
    private static String message(ServerRequest req, Problem problem) {
        String message = Formats.message(req, problem);
        String field = problem.field().orElse("");
        if (field.startsWith("rules.")) {
            String name = field.substring(field.lastIndexOf('.') + 1);
            if (NUMBERS.containsKey(name)) {
                message = message.replace(field, "「" + NUMBERS.get(name) + "」");
            }
        }
        return message;
    }

    /** The error summary: each message with the field it links to. */
    private static List<ErrorLink> links(Map<String, String> errors, Map<String, String> anchors) {
        return errors.entrySet().stream().map(e -> new ErrorLink(anchors.getOrDefault(e.getKey(), e.getKey()),
                e.getValue())).toList();
    }

    private static int minute(String text) {
        if ("24:00".equals(text)) {
            return 1440;
        }
        try {
            LocalTime time = LocalTime.parse(text.length() == 4 ? "0" + text : text);
            return time.getHour() * 60 + time.getMinute();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    private static int number(String text) {
        try {
            return text == null ? 0 : Math.max(0, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<DayChoice> days(Page page) {
        List<DayChoice> days = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            days.add(new DayChoice("day-" + (i + 1), page.t(DAY_NAMES[i], DAY_NAMES_EN[i])));
        }
        days.add(new DayChoice("day-holiday", page.t("祝日", "Holidays")));
        return days;
    }

    private static Map<String, String> numbers() {
        Map<String, String> numbers = new LinkedHashMap<>();
        NUMBER_FIELDS.forEach(n -> numbers.put(n.name(), n.ja()));
        return Collections.unmodifiableMap(numbers);
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

    /**
     * A round in the list.
     *
     * @param id          the round
     * @param name        its name
     * @param facility    its facility's name
     * @param status      its status in words
     * @param statusWire  its status's code
     * @param window      the application window
     * @param drawAt      the earliest draw
     * @param firstComeAt the first-come opening
     */
    public record RoundLine(long id, String name, String facility, String status, String statusWire, String window,
                            String drawAt, String firstComeAt) {
    }

    /**
     * A unit of a round.
     *
     * @param label  its label
     * @param room   its room
     * @param demand applications wishing for it
     * @param held   whether its lottery block still holds it
     */
    public record UnitLine(String label, String room, int demand, boolean held) {
    }

    /**
     * An application's result.
     *
     * @param publicId          its number
     * @param name              the applicant
     * @param group             the group, or empty
     * @param tier              its priority tier
     * @param residency         {@code resident} or {@code non-resident}
     * @param outcome           its outcome in words
     * @param wonRank           the wish won, or empty
     * @param reservationStatus the reservation's status code, or empty
     */
    public record ResultLine(String publicId, String name, String group, String tier, String residency,
                             String outcome, String wonRank, String reservationStatus) {
    }

    /**
     * Applications sharing one thing.
     *
     * @param kind     what they share, in words
     * @param clusters each cluster's application numbers
     */
    public record ClusterLine(String kind, List<List<String>> clusters) {
    }

    /**
     * A label and its value.
     *
     * @param label the label
     * @param value the value
     */
    public record Fact(String label, String value) {
    }

    /**
     * A number of the rules on the form.
     *
     * @param name its field
     * @param ja   its label in Japanese
     * @param en   its label in English
     * @param min  the least allowed
     * @param max  the most allowed
     */
    public record NumberField(String name, String ja, String en, int min, int max) {
    }

    /**
     * A day checkbox.
     *
     * @param name  its field
     * @param label its label
     */
    public record DayChoice(String name, String label) {
    }

    /**
     * An entry of the error summary.
     *
     * @param anchor  the field's id, or empty for none
     * @param message the message
     */
    public record ErrorLink(String anchor, String message) {
    }
}
