package jp.kominkan.cloud.lottery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/lottery}: the rounds and their audit files for everyone; applying, withdrawing, one's own results,
 * confirming and declining a win for a signed-in resident.
 */
public final class LotteryHttpService implements HttpService {

    private final Applications applications;
    private final Results results;
    private final AfterDraw afterDraw;
    private final Authenticator authenticator;
    private final Tenancy tenancy;
    private final java.time.Clock clock;

    /**
     * @param applications  applying
     * @param results       what rounds show
     * @param afterDraw     confirming and declining
     * @param authenticator finds the resident
     * @param tenancy       finds the municipality
     * @param clock         the clock
     */
    public LotteryHttpService(Applications applications, Results results, AfterDraw afterDraw,
                              Authenticator authenticator, Tenancy tenancy, java.time.Clock clock) {
        this.applications = applications;
        this.results = results;
        this.afterDraw = afterDraw;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/rounds", this::rounds)
                .get("/rounds/{id}", this::round)
                .get("/rounds/{id}/audit", this::audit)
                .post("/rounds/{id}/applications", this::apply)
                .get("/applications", this::mine)
                .get("/applications/{publicId}", this::one)
                .delete("/applications/{publicId}", this::withdraw)
                .post("/applications/{publicId}/confirm", this::confirm)
                .post("/applications/{publicId}/decline", this::decline);
    }

    private void rounds(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Json.send(res, Status.OK_200, Map.of("rounds", results.publicRounds(town).stream()
                .map(r -> LotteryViews.RoundView.of(r, town.zone())).toList()));
    }

    private void round(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Results.PublicRound round = results.publicRound(town, PathIds.number(req, "id"));
        Json.send(res, Status.OK_200, detail(town, round.round(), round.units(), round.demand(),
                r -> round.rooms().get(r).name(), Optional.empty(), Map.of()));
    }

    static LotteryViews.RoundDetail detail(Municipality town, Round round, List<Unit> units, Map<Long, Integer> demand,
                                           java.util.function.LongFunction<String> roomName,
                                           Optional<Integer> applications, Map<Integer, Integer> byTier) {
        return new LotteryViews.RoundDetail(LotteryViews.RoundView.of(round, town.zone()), units.stream()
                .map(u -> new LotteryViews.UnitView(u.id(), u.roomId(), roomName.apply(u.roomId()),
                        LotteryViews.at(u.range().start(), town.zone()), LotteryViews.at(u.range().end(), town.zone()),
                        u.label(), demand.getOrDefault(u.id(), 0), u.blockId().isPresent())).toList(),
                applications.orElse(null), byTier);
    }

    private void audit(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        long id = PathIds.number(req, "id");
        AuditFile file = results.audit(town, id);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            file.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"lottery-" + town.code() + "-" + id
                + "-audit.json\"");
        res.send(out.toByteArray());
    }

    private void apply(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        ApplicationBody body = Json.read(req, ApplicationBody.class);
        if (body.attendees() == null) {
            throw Problem.badField("attendees", "attendees is required.", "利用人数を入力してください。");
        }
        if (body.wishes() == null) {
            throw Problem.badField("wishes", "wishes is required: a list of wishes, each a list of unit ids.",
                    "希望（wishes）を指定してください。");
        }
        String id = applications.apply(town, account, PathIds.number(req, "id"), new Applications.Request(
                Optional.ofNullable(body.groupId()), body.purpose() == null ? "" : body.purpose(), body.attendees(),
                body.wishes()));
        res.header(HeaderNames.LOCATION, "/api/v1/lottery/applications/" + id);
        Json.send(res, Status.CREATED_201, mineOne(town, account, id));
    }

    private void mine(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        Json.send(res, Status.OK_200, Map.of("applications", results.mine(town, account).stream()
                .map(m -> LotteryViews.MineView.of(m, town.zone(), clock.instant())).toList()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        Json.send(res, Status.OK_200, mineOne(town, account, publicId(req)));
    }

    private void withdraw(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        applications.withdraw(town, account, publicId(req));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void confirm(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        String id = publicId(req);
        afterDraw.confirm(town, account, id);
        Json.send(res, Status.OK_200, mineOne(town, account, id));
    }

    private void decline(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        String id = publicId(req);
        afterDraw.decline(town, account, id);
        Json.send(res, Status.OK_200, mineOne(town, account, id));
    }

    private LotteryViews.MineView mineOne(Municipality town, Account account, String id) {
        return results.mine(town, account).stream().filter(m -> m.publicId().equals(id)).findFirst()
                .map(m -> LotteryViews.MineView.of(m, town.zone(), clock.instant()))
                .orElseThrow(() -> Problem.notFound("lottery application", "抽選の申込"));
    }

    static String publicId(ServerRequest req) {
        String id = req.path().pathParameters().get("publicId");
        if (!id.matches("[0-9A-Z]{5}-[0-9A-Z]{5}")) {
            throw Problem.notFound("lottery application", "抽選の申込");
        }
        return id;
    }

    /** Body of an application. */
    record ApplicationBody(Long groupId, String purpose, Integer attendees, List<List<Long>> wishes) {
    }
}
