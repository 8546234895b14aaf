package jp.kominkan.cloud.backoffice;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.identity.IdentityProvider;
import jp.kominkan.cloud.identity.SamePersonReview;
import jp.kominkan.cloud.identity.SamePersonReviews;
import jp.kominkan.cloud.identity.StaffSamePersonHttpService;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The staff's page for one person across providers (本人確認の重複確認): each held-back verification beside the
 * verified account it looks like, and the decision (the same person, or different people).
 */
public final class SamePersonPages implements HttpService {

    private static final List<SamePersonReviews.Status> STATUSES = List.of(SamePersonReviews.Status.values());

    private final StaffSite site;
    private final SamePersonReview review;
    private final Function<Municipality, List<IdentityProvider>> providers;

    /**
     * @param site      staff pages' support
     * @param review    the review
     * @param providers the municipality's identity providers, for their names
     */
    public SamePersonPages(StaffSite site, SamePersonReview review,
                           Function<Municipality, List<IdentityProvider>> providers) {
        this.site = site;
        this.review = review;
        this.providers = providers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/identity-reviews", site.guard(Permission.VIEW_RESIDENTS, this::list))
                .post("/staff/identity-reviews/{id}/decision", site.guard(Permission.MANAGE_RESIDENTS, this::decide));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        SamePersonReviews.Status status = StaffSamePersonHttpService.status(req.query().first("status").orElse(""));
        show(req, res, town, me, status, Map.of(), Status.OK_200);
    }

    private void decide(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        long id = PathIds.number(req, "id");
        try {
            SamePersonReviews.Status decision = StaffSamePersonHttpService.decision(form.get("decision"));
            review.decide(town, me, Actor.of(me, req), id, decision);
            site.redirect(res, "/staff/identity-reviews?done=" + decision.wire());
        } catch (Problem problem) {
            show(req, res, town, me, SamePersonReviews.Status.PENDING,
                    Map.of("review-" + id, Formats.message(req, problem)), Status.create(problem.status()));
        }
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                      SamePersonReviews.Status status, Map<String, String> errors, Status code) {
        Page page = site.page(req, res, town).withForm(errors, Map.of());
        Map<String, Object> model = new HashMap<>();
        Map<String, String> labels = providers.apply(town).stream()
                .collect(Collectors.toMap(IdentityProvider::id, IdentityProvider::label, (x, y) -> x));
        model.put("rows", review.list(town, me, status).stream().map(r -> new Row(r,
                labels.getOrDefault(r.provider(), r.provider()), Formats.format(r.requestedAt(), town.zone(), page),
                r.decidedAt().map(at -> Formats.format(at, town.zone(), page)).orElse(""),
                String.join("、", r.existing().providers().stream()
                        .map(p -> labels.getOrDefault(p, p)).toList()))).toList());
        model.put("status", status);
        model.put("statuses", STATUSES);
        model.put("done", Formats.query(req, "done").getOrDefault("done", ""));
        site.render(res, code, "staff/identityReviews.jte", page, me, model);
    }

    /**
     * One review as the page shows it.
     *
     * @param review      the review
     * @param provider    the provider verifying now, by name
     * @param requestedAt when, for people
     * @param decidedAt   when decided, for people, or empty
     * @param linkedAt    the providers the existing account is linked at, by name
     */
    public record Row(SamePersonReviews.Review review, String provider, String requestedAt, String decidedAt,
                      String linkedAt) {
    }
}
