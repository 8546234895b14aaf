package jp.kominkan.cloud.resident;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.group.Groups;
import jp.kominkan.cloud.lottery.AfterDraw;
import jp.kominkan.cloud.lottery.Applications;
import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.Results;
import jp.kominkan.cloud.lottery.Round;
import jp.kominkan.cloud.lottery.RoundStatus;
import jp.kominkan.cloud.lottery.Unit;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.resident.LotteryViews.MineRow;
import jp.kominkan.cloud.resident.LotteryViews.RoundRow;
import jp.kominkan.cloud.resident.LotteryViews.UnitRow;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The resident's lottery pages (抽選): the rounds, one round with its schedule, rules in words, units and demand,
 * its commitments once closed and its seed and audit file once drawn, and — signed in, while applications are taken
 * — the application form; one's own applications with their results (withdraw while open; confirm, pay or decline a
 * win); and how the draw works. Forms work without script: a wish is a unit and how many consecutive units to take
 * with it, turned into unit ids by {@link LotteryApplicationForm} from the round's units in room and time order; what
 * the templates read is made by {@link LotteryViews}. Every operation is the domain's ({@link Applications},
 * {@link Results}, {@link AfterDraw}), as the JSON API calls it.
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
        Optional<Applications.Request> request = LotteryApplicationForm.read(round, form, town.zone(),
                PageSupport.lang(req), errors);
        if (request.isEmpty()) {
            show(req, res, town, Optional.of(account), id, errors, form, Status.BAD_REQUEST_400);
            return;
        }
        try {
            String publicId = applications.apply(town, account, id, request.get());
            pages.redirect(res, "/lottery/applications?applied=" + publicId);
        } catch (Problem problem) {
            String field = problem.field().filter(f -> List.of("purpose", "attendees", "groupId", "wishes").contains(f))
                    .orElse("form");
            show(req, res, town, Optional.of(account), id, Map.of(field, Formats.message(req, problem)), form,
                    Status.create(problem.status()));
        }
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
        List<Unit> ordered = LotteryApplicationForm.inOrder(pr.units());
        boolean rooms = pr.rooms().size() > 1;
        List<UnitRow> units = ordered.stream().map(u -> new UnitRow(u.id(), pr.rooms().get(u.roomId()).name(),
                u.label(), pr.demand().getOrDefault(u.id(), 0))).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("round", RoundRow.of(round, zone, page, now));
        model.put("rooms", pr.rooms().values().stream().map(r -> r.name() + page.t("（定員 " + r.capacity() + " 名）",
                " (up to " + r.capacity() + " people)")).toList());
        model.put("manyRooms", rooms);
        model.put("rules", LotteryViews.ruleWords(rules, page, groups.categories(town)));
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
        model.put("summary", LotteryViews.summary(errors));
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
}
