package jp.kominkan.cloud.reduction;

import java.time.ZoneId;
import java.util.List;
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
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The resident's 減免 API, under {@code /api/v1}: {@code GET /reductions/categories},
 * {@code GET|POST /reservations/{id}/reduction}. The API takes JSON ({@code categoryCode}, {@code reason})
 * without evidence: a multipart body is what a cross-site form can send, so files come only through the page's
 * CSRF-checked form; staff weigh an application without a file on its reason and the group's roster.
 */
public final class ReductionHttpService implements HttpService {

    private final Reductions reductions;
    private final Authenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param reductions    applying
     * @param authenticator finds the resident
     * @param tenancy       finds the municipality
     */
    public ReductionHttpService(Reductions reductions, Authenticator authenticator, Tenancy tenancy) {
        this.reductions = reductions;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/reductions/categories", this::categories)
                .get("/reservations/{id}/reduction", this::one)
                .post("/reservations/{id}/reduction", this::apply);
    }

    private void categories(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        authenticator.requireAccount(req, town);
        Json.send(res, Status.OK_200, new CategoryList(reductions.categories(town).stream()
                .map(ReductionHttpService::category).toList()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        ReductionApplication a = reductions.of(town, account, PathIds.uuid(req, "id"))
                .orElseThrow(() -> Problem.notFound("reduction application", "減免の申請"));
        Json.send(res, Status.OK_200, view(a, town.zone()));
    }

    private void apply(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        ApplicationBody body = Json.read(req, ApplicationBody.class);
        ReductionApplication a = reductions.apply(town, account, PathIds.uuid(req, "id"),
                new Reductions.Request(body.categoryCode() == null ? "" : body.categoryCode(),
                        body.reason() == null ? "" : body.reason(), Optional.empty()));
        res.header(HeaderNames.LOCATION, "/api/v1/reservations/" + a.reservationId() + "/reduction");
        Json.send(res, Status.CREATED_201, view(a, town.zone()));
    }

    static CategoryView category(ReductionCategory c) {
        return new CategoryView(c.code(), c.nameJa(), c.nameEn(), c.percent(), c.notWithAdmission(),
                c.appliesToEquipment(), c.requiresGroup(), c.rosterRule().map(RosterRule::wire).orElse(null));
    }

    static ApplicationView view(ReductionApplication a, ZoneId zone) {
        return new ApplicationView(a.id().toString(), a.reservationId().toString(), a.status().wire(), a.categoryCode(),
                a.groupId().orElse(null), a.reason(), a.evidence().map(e -> new EvidenceView(e.mediaType(), e.size(),
                e.fileName())).orElse(null), a.note().orElse(null), a.percentApplied().orElse(null), a.feeBefore(),
                a.feeAfter().orElse(null), IsoTimes.format(a.createdAt(), zone),
                a.decidedAt().map(t -> IsoTimes.format(t, zone)).orElse(null));
    }

    /** Body of an application. */
    record ApplicationBody(String categoryCode, String reason) {
    }

    /** A category. */
    record CategoryView(String code, String nameJa, String nameEn, int percent, boolean notWithAdmission,
                        boolean appliesToEquipment, boolean requiresGroup, String rosterRule) {
    }

    /** The categories. */
    record CategoryList(List<CategoryView> categories) {
    }

    /** The evidence, without its bytes. */
    record EvidenceView(String mediaType, int size, String fileName) {
    }

    /** An application. */
    record ApplicationView(String id, String reservationId, String status, String categoryCode, Long groupId,
                           String reason, EvidenceView evidence, String note, Integer percentApplied, long feeBefore,
                           Long feeAfter, String createdAt, String decidedAt) {
    }
}
