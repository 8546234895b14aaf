package jp.kominkan.cloud.reduction;

import java.util.List;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.group.Member;
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
 * {@code /api/v1/staff/reductions}: applications by status (of the member's facilities), one with what decides
 * it (group roster counts, the roster rule, the fee before and after), its evidence, and the decision. Every call
 * needs {@link Permission#REVIEW_REDUCTIONS}; an application outside the member's facilities is 404.
 */
public final class StaffReductionHttpService implements HttpService {

    private final ReductionReview review;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param review        the review
     * @param authenticator finds the member of staff
     * @param tenancy       finds the municipality
     */
    public StaffReductionHttpService(ReductionReview review, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.review = review;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::one)
                .get("/{id}/evidence", this::download)
                .post("/{id}/decision", this::decide);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.REVIEW_REDUCTIONS);
        ReductionStatus status = status(req.query().first("status").orElse("pending"));
        Json.send(res, Status.OK_200, new ListView(review.list(town, member, status).stream()
                .map(l -> new ListedView(ReductionHttpService.view(l.application(), town.zone()), l.place(),
                        l.category().nameJa())).toList()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.REVIEW_REDUCTIONS);
        Json.send(res, Status.OK_200, detail(review.file(town, member, PathIds.uuid(req, "id")), town, req));
    }

    private void download(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.REVIEW_REDUCTIONS);
        ReductionForm.send(res, review.evidence(town, member, PathIds.uuid(req, "id")));
    }

    private void decide(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.REVIEW_REDUCTIONS);
        DecisionBody body = Json.read(req, DecisionBody.class);
        boolean approve = switch (String.valueOf(body.decision())) {
            case "approve" -> true;
            case "reject" -> false;
            default -> throw Problem.badField("decision", "decision is approve or reject.",
                    "decision は approve（承認）か reject（不承認）です。");
        };
        ReductionApplication decided = review.decide(town, member, Actor.of(member, req), PathIds.uuid(req, "id"),
                new ReductionReview.Decision(approve, body.note()));
        Json.send(res, Status.OK_200, ReductionHttpService.view(decided, town.zone()));
    }

    private static DetailView detail(ReductionReview.Reviewed r, Municipality town, ServerRequest req) {
        boolean english = jp.kominkan.cloud.page.PageSupport.lang(req) == jp.kominkan.cloud.page.Lang.EN;
        return new DetailView(ReductionHttpService.view(r.application(), town.zone()),
                r.reservation().id().toString(), r.facility().name() + " " + r.room().name(), r.applicant(),
                ReductionHttpService.category(r.category()), r.groupName().orElse(null), r.group().isPresent(),
                r.group().map(g -> new CountsView(g.roster().total(), Map.of(
                        "resident", g.roster().of(Member.Residency.RESIDENT),
                        "non-resident", g.roster().of(Member.Residency.NON_RESIDENT)), Map.of(
                        "under-18", g.roster().of(Member.AgeBand.UNDER_18), "18-64", g.roster().of(Member.AgeBand.ADULT),
                        "65-74", g.roster().of(Member.AgeBand.SENIOR), "75+", g.roster().of(Member.AgeBand.ELDERLY))))
                        .orElse(null),
                r.rosterRule().map(x -> new RuleView(x.rule().wire(), x.holds(), x.shown())).orElse(null), r.percent(),
                r.feeBefore(), r.after().map(q -> q.total()).orElse(null),
                r.refusal().map(p -> english ? p.english() : p.japanese()).orElse(null));
    }

    /**
     * @param text a status from a query
     * @return the status
     */
    static ReductionStatus status(String text) {
        try {
            return ReductionStatus.of(text);
        } catch (IllegalArgumentException e) {
            throw Problem.badField("status", "status is pending, approved or rejected.",
                    "状態は pending・approved・rejected のいずれかです。");
        }
    }

    /** Body of a decision. */
    record DecisionBody(String decision, String note) {
    }

    /** One application in the list. */
    record ListedView(ReductionHttpService.ApplicationView application, String place, String categoryName) {
    }

    /** The list. */
    record ListView(List<ListedView> applications) {
    }

    /** A roster counted. */
    record CountsView(int total, Map<String, Integer> byResidency, Map<String, Integer> byAgeBand) {
    }

    /** A roster rule and its result. */
    record RuleView(String rule, boolean holds, String counted) {
    }

    /** One application as staff weigh it. */
    record DetailView(ReductionHttpService.ApplicationView application, String reservationId, String place,
                      String applicant, ReductionHttpService.CategoryView category, String group, boolean groupApproved,
                      CountsView roster, RuleView rosterRule, int percent, long feeBefore, Long feeAfter,
                      String refusal) {
    }
}
