package jp.kominkan.cloud.resident;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.group.Category;
import jp.kominkan.cloud.group.GroupSummary;
import jp.kominkan.cloud.group.Groups;
import jp.kominkan.cloud.lottery.AfterDraw;
import jp.kominkan.cloud.lottery.Applications;
import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.Results;
import jp.kominkan.cloud.lottery.Round;
import jp.kominkan.cloud.lottery.RoundStatus;
import jp.kominkan.cloud.lottery.Unit;
import jp.kominkan.cloud.lottery.WinRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The resident's lottery pages (抽選): the rounds, one round with its schedule, rules in words, units and demand,
 * its commitments once closed and its seed and audit file once drawn, and — signed in, while applications are taken
 * — the application form; one's own applications with their results (withdraw while open; confirm, pay or decline a
 * win); and how the draw works. Forms work without script: a wish is a unit and how many consecutive units to take
 * with it, turned into unit ids here from the round's units in room and time order. Every operation is the domain's
 * ({@link Applications}, {@link Results}, {@link AfterDraw}), as the JSON API calls it.
 */
public final class LotteryPages implements HttpService {

    private static final Pattern PUBLIC_ID = Pattern.compile("[0-9A-Z]{5}-[0-9A-Z]{5}");

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final Applications applications;
    private final Results results;
    private final AfterDraw afterDraw;
    private final Groups groups;
    private final Clock clock;

    /**
     * @param pages        templates, CSRF, language
     * @param tenancy      finds the municipality
     * @param applications applying
     * @param results      rounds, audit files, one's own results
     * @param afterDraw    confirming and declining wins
     * @param groups       the groups a resident represents
     * @param clock        the clock
     */
    public LotteryPages(PageSupport pages, Tenancy tenancy, Applications applications, Results results,
                        AfterDraw afterDraw, Groups groups, Clock clock) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.applications = applications;
        this.results = results;
        this.afterDraw = afterDraw;
        this.groups = groups;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/lottery", this::list)
                .get("/lottery/how", this::how)
                .get("/lottery/rounds/{id}", this::round)
                // After a login started by a form's POST, or the language switch on a refused form: back to the page.
                .get("/lottery/rounds/{id}/apply", (req, res) -> pages.redirect(res, "/lottery/rounds/"
                        + PathIds.number(req, "id") + "#apply"))
                .post("/lottery/rounds/{id}/apply", ResidentOnly.wrap(pages, tenancy, this::apply))
                .get("/lottery/applications", ResidentOnly.wrap(pages, tenancy, this::mine))
                .get("/lottery/applications/{publicId}/{action}", (req, res) -> pages.redirect(res,
                        "/lottery/applications"))
                .post("/lottery/applications/{publicId}/withdraw", ResidentOnly.wrap(pages, tenancy,
                        (req, res, town, account) -> act(req, res, town, account, "withdrawn",
                                id -> applications.withdraw(town, account, id))))
                .post("/lottery/applications/{publicId}/confirm", ResidentOnly.wrap(pages, tenancy,
                        (req, res, town, account) -> act(req, res, town, account, "confirmed",
                                id -> afterDraw.confirm(town, account, id))))
                .post("/lottery/applications/{publicId}/decline", ResidentOnly.wrap(pages, tenancy,
                        (req, res, town, account) -> act(req, res, town, account, "declined",
                                id -> afterDraw.decline(town, account, id))));
    }

    // --- the rounds ---

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Page page = pages.page(req, res, town);
        Instant now = clock.instant();
        List<RoundRow> rounds = results.publicRounds(town).stream().map(r -> RoundRow.of(r, town.zone(), page, now))
                .toList();
        pages.render(res, Status.OK_200, "lottery.jte", page, Map.of("rounds", rounds));
    }

    private void how(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Page page = pages.page(req, res, town);
        pages.render(res, Status.OK_200, "lotteryHow.jte", page, Map.of("tiers", LotteryRules.STANDARD.tierNames()));
    }

    private void round(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        show(req, res, town, pages.resident(req, town), PathIds.number(req, "id"), Map.of(), Map.of(), Status.OK_200);
    }

    private void apply(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        long id = PathIds.number(req, "id");
        Map<String, String> form = pages.form(req);
        Results.PublicRound round = results.publicRound(town, id);
        Map<String, String> errors = new LinkedHashMap<>();
        Lang lang = PageSupport.lang(req);
        Optional<Long> groupId = Optional.empty();
        String group = form.getOrDefault("groupId", "").strip();
        if (!group.isEmpty()) {
            try {
                groupId = Optional.of(Long.parseLong(group));
            } catch (NumberFormatException e) {
                errors.put("groupId", t(lang, "団体を一覧から選んでください。", "Choose a group from the list."));
            }
        }
        String purpose = form.getOrDefault("purpose", "");
        if (purpose.isBlank()) {
            errors.put("purpose", t(lang, "利用目的を入力してください。", "Say what the room is for."));
        }
        int attendees = 0;
        String people = Normalizer.normalize(form.getOrDefault("attendees", ""), Normalizer.Form.NFKC).strip();
        if (people.isEmpty()) {
            errors.put("attendees", t(lang, "利用人数を入力してください。", "Give the number of people."));
        } else {
            try {
                attendees = Integer.parseInt(people);
            } catch (NumberFormatException e) {
                attendees = -1;
            }
            if (attendees < 1 || attendees > 10_000) {
                errors.put("attendees", t(lang, "利用人数は 1 以上の数字で入力してください。",
                        "Give the number of people as a number from 1."));
            }
        }
        List<List<Long>> wishes = wishes(round, form, town.zone(), lang, errors);
        if (!errors.isEmpty()) {
            show(req, res, town, Optional.of(account), id, errors, form, Status.BAD_REQUEST_400);
            return;
        }
        try {
            String publicId = applications.apply(town, account, id,
                    new Applications.Request(groupId, purpose, attendees, wishes));
            pages.redirect(res, "/lottery/applications?applied=" + publicId);
        } catch (Problem problem) {
            String field = problem.field().filter(f -> List.of("purpose", "attendees", "groupId", "wishes").contains(f))
                    .orElse("form");
            show(req, res, town, Optional.of(account), id, Map.of(field, Formats.message(req, problem)), form,
                    Status.create(problem.status()));
        }
    }

    /**
     * The wishes as posted: for each rank, a unit ({@code wish-N}) and how many units from it
     * ({@code wish-N-length}), which are it and the units that follow it in the same room on the same day without
     * a gap.
     */
    private static List<List<Long>> wishes(Results.PublicRound round, Map<String, String> form, ZoneId zone,
                                           Lang lang, Map<String, String> errors) {
        LotteryRules rules = round.round().rules();
        List<Unit> units = inOrder(round.units());
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < units.size(); i++) {
            position.put(units.get(i).id(), i);
        }
        List<List<Long>> wishes = new ArrayList<>();
        int blank = 0;
        for (int rank = 1; rank <= rules.maxWishes(); rank++) {
            String field = "wish-" + rank;
            String chosen = form.getOrDefault(field, "").strip();
            if (chosen.isEmpty()) {
                if (rank == 1) {
                    errors.put(field, t(lang, "第1希望の枠を選んでください。", "Choose the unit of your first wish."));
                }
                blank = blank == 0 ? rank : blank;
                continue;
            }
            if (blank > 0) {
                errors.put(field, t(lang, "第" + blank + "希望が空欄です。希望は第1希望から順に選んでください。",
                        "Wish " + blank + " is empty: fill the wishes in order from the first."));
                continue;
            }
            Integer at;
            try {
                at = position.get(Long.parseLong(chosen));
            } catch (NumberFormatException e) {
                at = null;
            }
            if (at == null) {
                errors.put(field, t(lang, "第" + rank + "希望は、この抽選の枠から選んでください。",
                        "Choose wish " + rank + " from this round's units."));
                continue;
            }
            int length;
            try {
                length = Integer.parseInt(form.getOrDefault(field + "-length", "1").strip());
            } catch (NumberFormatException e) {
                length = 0;
            }
            if (length < 1 || length > rules.maxSetLength()) {
                errors.put(field + "-length", t(lang, "続けて使う枠は 1〜" + rules.maxSetLength() + " 枠で選んでください。",
                        "Take 1 to " + rules.maxSetLength() + " units in a row."));
                continue;
            }
            List<Long> wish = new ArrayList<>(List.of(units.get(at).id()));
            for (int next = at + 1; next < at + length; next++) {
                Unit before = units.get(next - 1);
                Unit unit = next < units.size() ? units.get(next) : null;
                if (unit == null || unit.roomId() != before.roomId()
                        || !unit.range().start().equals(before.range().end())
                        || !unit.range().start().atZone(zone).toLocalDate()
                        .equals(before.range().start().atZone(zone).toLocalDate())) {
                    errors.put(field + "-length", t(lang, "第" + rank + "希望: 「" + units.get(at).label() + "」から続けて "
                                    + length + " 枠は選べません。同じ日・同じ部屋で間を空けずに続く枠が足りません。",
                            "Wish " + rank + ": " + length + " units in a row from " + units.get(at).label()
                                    + " do not exist; not enough units follow without a gap in the same room"
                                    + " that day."));
                    wish = null;
                    break;
                }
                wish.add(unit.id());
            }
            if (wish != null) {
                wishes.add(wish);
            }
        }
        return wishes;
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, Optional<Account> account, long id,
                      Map<String, String> errors, Map<String, String> values, Status status) {
        Results.PublicRound pr = results.publicRound(town, id);
        Round round = pr.round();
        LotteryRules rules = round.rules();
        Page page = pages.page(req, res, town).withForm(errors, values);
        Instant now = clock.instant();
        ZoneId zone = town.zone();
        boolean drawn = round.status() == RoundStatus.PUBLISHED || round.status() == RoundStatus.FINISHED;
        List<Unit> ordered = inOrder(pr.units());
        boolean rooms = pr.rooms().size() > 1;
        List<UnitRow> units = ordered.stream().map(u -> new UnitRow(u.id(), pr.rooms().get(u.roomId()).name(),
                u.label(), pr.demand().getOrDefault(u.id(), 0))).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("round", RoundRow.of(round, zone, page, now));
        model.put("rooms", pr.rooms().values().stream().map(r -> r.name() + page.t("（定員 " + r.capacity() + " 名）",
                " (up to " + r.capacity() + " people)")).toList());
        model.put("manyRooms", rooms);
        model.put("rules", ruleWords(rules, page, groups.categories(town)));
        model.put("tiers", rules.tierNames());
        model.put("units", units);
        model.put("applications", round.applicationsCommitment().orElse(""));
        model.put("seedCommitment", round.seedCommitment().orElse(""));
        model.put("frozenAt", round.frozenAt().map(t -> Formats.format(t, zone, page)).orElse(""));
        model.put("drawn", drawn);
        model.put("seed", drawn ? round.seed().orElse("") : "");
        model.put("randomness", drawn ? round.randomness().orElse("") : "");
        model.put("beacon", round.beacon().orElse(""));
        model.put("drawnAt", drawn ? round.drawnAt().map(t -> Formats.format(t, zone, page)).orElse("") : "");
        model.put("accepting", round.accepting(now));
        model.put("notYet", round.status() == RoundStatus.OPEN && now.isBefore(round.schedule().opensAt()));
        model.put("maxWishes", rules.maxWishes());
        model.put("maxSetLength", rules.maxSetLength());
        model.put("groups", account.map(a -> groups.approvedFor(town, a)).orElse(List.of()));
        model.put("refusal", account.map(a -> refusal(rules, a, page)).orElse(""));
        model.put("login", "/login?next=" + URLEncoder.encode("/lottery/rounds/" + id, StandardCharsets.UTF_8));
        model.put("summary", summary(errors));
        pages.render(res, status, "lotteryRound.jte", page, model);
    }

    /** Why this resident cannot apply, before they try: verification and residency; empty when they may. */
    private static String refusal(LotteryRules rules, Account account, Page page) {
        if (account.residency() == Account.Residency.UNKNOWN) {
            return page.t("抽選に申し込むには、マイナンバーカードによる本人確認が必要です。マイページの「xID で本人確認する」から"
                            + "確認してください（確認の期限が切れた方はもう一度確認してください）。",
                    "Lottery applications need an identity verified with the My Number Card: on My page, choose"
                            + " \"Verify with xID\".");
        }
        if (rules.eligibility().residency().equals("resident") && account.residency() != Account.Residency.RESIDENT) {
            return page.t("この抽選は市内在住の方だけが申し込めます。", "This round is for residents of the municipality only.");
        }
        return "";
    }

    /** The rules in words, as residents read them. */
    static List<String> ruleWords(LotteryRules rules, Page page, List<Category> categories) {
        List<String> words = new ArrayList<>();
        words.add(page.t("1 件の申込で第" + rules.maxWishes() + "希望まで選べます。当選するのはそのうち 1 つだけです。",
                "Each application gives up to " + rules.maxWishes() + " wishes, in order; at most one of them wins."));
        words.add(rules.maxSetLength() > 1
                ? page.t("1 つの希望で、同じ日・同じ部屋で続く枠を連続 " + rules.maxSetLength() + " 枠までまとめて申し込めます。"
                        + "まとめた枠は、すべて当選するか、すべて当選しないかのどちらかです。",
                "One wish may join up to " + rules.maxSetLength() + " consecutive units of one room on one day; they"
                        + " are won all together or not at all.")
                : page.t("1 つの希望は 1 枠です。", "Each wish is one unit."));
        words.add(page.t("申込はお一人 " + rules.applicationsPerPerson() + " 件まで、1 団体 " + rules.applicationsPerGroup()
                        + " 件までです。", "Up to " + rules.applicationsPerPerson() + " applications per person and "
                        + rules.applicationsPerGroup() + " per group."));
        words.add(page.t("当選はお一人 " + rules.winsPerPerson() + " 件まで、1 団体 " + rules.winsPerGroup() + " 件までです。",
                "Up to " + rules.winsPerPerson() + " wins per person and " + rules.winsPerGroup() + " per group."));
        words.add(rules.substitutes() > 0
                ? page.t("補欠は各枠 " + rules.substitutes() + " 番までです。", "Up to " + rules.substitutes()
                + " substitutes per unit.")
                : page.t("補欠はありません。", "No substitutes are listed."));
        LotteryRules.Eligibility e = rules.eligibility();
        words.add(e.residency().equals("resident")
                ? page.t("申し込めるのは市内在住の方のみです。", "Residents of the municipality only.")
                : page.t("市内・市外を問わず申し込めます（市内在住の方が優先される場合は、下の優先順位のとおりです）。",
                "Anyone may apply, resident or not (residents come first where the priority below says so)."));
        if (e.groupsOnly()) {
            words.add(page.t("登録団体のみ: 代表者として、承認済みの団体で申し込んでください。",
                    "Registered groups only: apply for an approved group you represent."));
        }
        if (!e.groupCategories().isEmpty()) {
            List<String> names = e.groupCategories().stream().map(code -> categories.stream()
                    .filter(c -> c.code().equals(code)).findFirst().map(c -> page.t(c.nameJa(), c.nameEn()))
                    .orElse(code)).toList();
            words.add(page.t("団体の区分: " + String.join("・", names) + " の団体のみ。",
                    "Group categories: " + String.join(", ", names) + " only."));
        }
        if (e.minAttendees() > 1) {
            words.add(page.t("利用人数 " + e.minAttendees() + " 名以上が条件です。",
                    "At least " + e.minAttendees() + " people must attend."));
        }
        if (e.minGroupMembers() > 0) {
            words.add(page.t("団体の構成員（名簿）が " + e.minGroupMembers() + " 名以上必要です。",
                    "A group needs at least " + e.minGroupMembers() + " members on its roster."));
        }
        words.add(page.t("申し込むには、マイナンバーカードによる本人確認が必要です。お一人は、いくつアカウントをお持ちでも"
                        + "一人の申込者です。", "Applying needs an identity verified with the My Number Card; one person is"
                        + " one applicant, whatever accounts they hold."));
        return words;
    }

    /** The error summary: each message with the field it links to ({@code form}'s links nowhere). */
    private static List<ErrorLink> summary(Map<String, String> errors) {
        List<ErrorLink> links = new ArrayList<>();
        errors.forEach((field, message) -> links.add(new ErrorLink(switch (field) {
            case "form" -> "";
            case "wishes" -> "wish-1";
            default -> field;
        }, message)));
        return links;
    }

    private static List<Unit> inOrder(List<Unit> units) {
        return units.stream().sorted(Comparator.comparingLong(Unit::roomId).thenComparing(u -> u.range().start())
                .thenComparingLong(Unit::id)).toList();
    }

    // --- one's own applications ---

    private void mine(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        showMine(req, res, town, account, "", Status.OK_200);
    }

    /** A button on one's applications. */
    @FunctionalInterface
    private interface Action {
        void apply(String publicId);
    }

    private void act(ServerRequest req, ServerResponse res, Municipality town, Account account, String done,
                     Action action) {
        pages.form(req);
        String publicId = req.path().pathParameters().get("publicId");
        try {
            if (!PUBLIC_ID.matcher(publicId).matches()) {
                throw Problem.notFound("lottery application", "抽選の申込");
            }
            action.apply(publicId);
            pages.redirect(res, "/lottery/applications?done=" + done + "&id=" + publicId);
        } catch (Problem problem) {
            showMine(req, res, town, account, Formats.message(req, problem), Status.create(problem.status()));
        }
    }

    private void showMine(ServerRequest req, ServerResponse res, Municipality town, Account account, String error,
                          Status status) {
        Page page = pages.page(req, res, town);
        Instant now = clock.instant();
        List<MineRow> rows = results.mine(town, account).stream().map(m -> MineRow.of(m, town.zone(), page, now))
                .toList();
        Map<String, String> query = Formats.query(req, "applied", "done", "id");
        String applied = query.getOrDefault("applied", "");
        String done = query.getOrDefault("done", "");
        String id = query.getOrDefault("id", "");
        Map<String, Object> model = new HashMap<>();
        model.put("rows", rows);
        model.put("applied", PUBLIC_ID.matcher(applied).matches() ? applied : "");
        model.put("done", List.of("withdrawn", "confirmed", "declined").contains(done) ? done : "");
        model.put("doneId", PUBLIC_ID.matcher(id).matches() ? id : "");
        model.put("error", error);
        pages.render(res, status, "lotteryApplications.jte", page, model);
    }

    private static String t(Lang lang, String japanese, String english) {
        return lang == Lang.EN ? english : japanese;
    }

    // --- what the templates are given ---

    /**
     * A round in the list and at the top of its page.
     *
     * @param id          the round
     * @param name        its name
     * @param status      its status in words ({@link RoundStatus#japanese()} in Japanese)
     * @param badge       the badge's style
     * @param phase       for an open round, where the window is (受付中・受付開始前・締切); otherwise empty
     * @param opensAt     applications open
     * @param closesAt    applications close
     * @param drawAt      the draw
     * @param confirmBy   wins confirmed by
     * @param firstComeAt leftovers first-come from
     */
    public record RoundRow(long id, String name, String status, String badge, String phase, String opensAt,
                           String closesAt, String drawAt, String confirmBy, String firstComeAt) {

        static RoundRow of(Round r, ZoneId zone, Page page, Instant now) {
            String phase = "";
            if (r.status() == RoundStatus.OPEN) {
                phase = r.accepting(now) ? page.t("申込受付中", "Taking applications")
                        : now.isBefore(r.schedule().opensAt()) ? page.t("申込開始前", "Not open yet")
                        : page.t("締切済み（抽選の準備中）", "Closed; the draw is being prepared");
            }
            String status = page.t(r.status().japanese(), switch (r.status()) {
                case OPEN -> "Applications";
                case CLOSED -> "Awaiting the draw";
                case PUBLISHED -> "Drawn";
                case FINISHED -> "Finished";
                case CANCELLED -> "Called off";
            });
            String badge = r.status() == RoundStatus.OPEN && r.accepting(now) ? "ok"
                    : r.status() == RoundStatus.PUBLISHED || r.status() == RoundStatus.CLOSED ? "warn" : "none";
            var s = r.schedule();
            return new RoundRow(r.id(), r.name(), status, badge, phase, Formats.format(s.opensAt(), zone, page),
                    Formats.format(s.closesAt(), zone, page), Formats.format(s.drawAt(), zone, page),
                    Formats.format(s.confirmBy(), zone, page), Formats.format(s.firstComeAt(), zone, page));
        }
    }

    /**
     * A unit of a round.
     *
     * @param id     the unit
     * @param room   its room's name
     * @param label  e.g. 2月6日(土) 午前 9:00–12:00
     * @param demand applications wishing for it
     */
    public record UnitRow(long id, String room, String label, int demand) {
    }

    /**
     * A line of the error summary.
     *
     * @param field   the id of the field it links to; empty for an error of the whole form
     * @param message the message
     */
    public record ErrorLink(String field, String message) {
    }

    /**
     * One of the resident's applications.
     *
     * @param publicId    its number (申込番号)
     * @param roundId     its round
     * @param round       the round's name
     * @param tier        its priority tier
     * @param wishes      its wishes' labels, first first
     * @param outcome     applied, won, substitute or lost
     * @param withdrawable whether it may still be withdrawn
     * @param win         what it won
     * @param substitutes its places on substitute lists
     */
    public record MineRow(String publicId, long roundId, String round, String tier, List<String> wishes, String outcome,
                          boolean withdrawable, Optional<Won> win, List<Place> substitutes) {

        static MineRow of(Results.Mine m, ZoneId zone, Page page, Instant now) {
            List<Place> places = new ArrayList<>();
            m.substitutes().forEach((label, place) -> places.add(new Place(label, place)));
            return new MineRow(m.publicId(), m.round().id(), m.round().name(), m.tier(), m.wishes(), m.outcome(),
                    m.outcome().equals("applied") && m.round().accepting(now), won(m, zone, page, now), places);
        }
    }

    /**
     * A place on a unit's substitute list.
     *
     * @param unit     the unit's label
     * @param position 1 for the first substitute
     */
    public record Place(String unit, int position) {
    }

    /**
     * A win and its reservation.
     *
     * @param reservationId the reservation
     * @param rank          the wish won (1 for 第1希望)
     * @param promoted      whether won as a substitute (繰り上げ当選)
     * @param status        the reservation's status in words
     * @param badge         the badge's style
     * @param open          whether it waits to be confirmed (held, before its deadline)
     * @param confirmBy     the deadline in words, or empty
     * @param amount        the fee; 0 for a free room, confirmed without paying
     */
    public record Won(UUID reservationId, int rank, boolean promoted, String status, String badge, boolean open,
                      String confirmBy, int amount) {
    }

    /** The win of an application, with its reservation's state as of now (a hold past its deadline has lapsed). */
    private static Optional<Won> won(Results.Mine m, ZoneId zone, Page page, Instant now) {
        return m.win().map(win -> won(win, zone, page, now));
    }

    private static Won won(WinRepository.StoredWin win, ZoneId zone, Page page, Instant now) {
        Optional<Instant> deadline = win.holdExpiresAt();
        boolean lapsed = win.reservationStatus().equals("held") && deadline.filter(d -> !now.isBefore(d)).isPresent();
        String status = lapsed ? "expired" : win.reservationStatus();
        return new Won(win.reservationId(), win.rank(), win.source().equals("substitute"), switch (status) {
            case "held" -> page.t("当選（確定待ち）", "Won; waiting to be confirmed");
            case "confirmed" -> page.t("予約確定", "Confirmed");
            case "cancelled" -> page.t("辞退・取消済み", "Declined or cancelled");
            default -> page.t("期限切れ（確定されませんでした）", "Lapsed (not confirmed in time)");
        }, switch (status) {
            case "confirmed" -> "ok";
            case "held" -> "warn";
            default -> "none";
        }, status.equals("held"), status.equals("held")
                ? deadline.map(d -> Formats.format(d, zone, page)).orElse("") : "", win.amount());
    }
}
