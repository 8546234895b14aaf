package jp.kominkan.cloud.backoffice;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.reduction.ReductionForm;
import jp.kominkan.cloud.reduction.ReductionReview;
import jp.kominkan.cloud.reduction.ReductionStatus;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The staff's 減免 pages (減免審査): applications by status on the facilities in the member's scope, and one
 * application with its booking, reason, evidence, group and roster counts, the roster rule's result and the fee
 * before and after; approve, or reject with a note.
 */
public final class ReductionReviewPages implements HttpService {

    private final StaffSite site;
    private final ReductionReview review;

    /**
     * @param site   staff pages' support
     * @param review the review
     */
    public ReductionReviewPages(StaffSite site, ReductionReview review) {
        this.site = site;
        this.review = review;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/reductions", site.guard(Permission.REVIEW_REDUCTIONS, this::list))
                .get("/staff/reductions/{id}", site.guard(Permission.REVIEW_REDUCTIONS, this::detail))
                .get("/staff/reductions/{id}/evidence", site.guard(Permission.REVIEW_REDUCTIONS, this::download))
                .post("/staff/reductions/{id}/decision", site.guard(Permission.REVIEW_REDUCTIONS, this::decide));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Page page = site.page(req, res, town);
        ReductionStatus status;
        try {
            status = ReductionStatus.of(req.query().first("status").orElse("pending"));
        } catch (IllegalArgumentException e) {
            throw Problem.badField("status", "status is pending, approved or rejected.",
                    "状態は pending・approved・rejected のいずれかです。");
        }
        List<Row> rows = review.list(town, me, status).stream().map(l -> new Row(l.application().id().toString(),
                Formats.when(l.reservation().range(), town.zone(), page), l.place(),
                page.t(l.category().nameJa(), l.category().nameEn()),
                Formats.format(l.application().createdAt(), town.zone(), page))).toList();
        site.render(res, Status.OK_200, "staff/reductions.jte", page, me, Map.of("rows", rows, "status", status,
                "statuses", List.of(ReductionStatus.values())));
    }

    private void detail(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        show(req, res, town, me, PathIds.uuid(req, "id"), Map.of(), Map.of(), Status.OK_200);
    }

    private void download(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        ReductionForm.send(res, review.evidence(town, me, PathIds.uuid(req, "id")));
    }

    private void decide(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        UUID id = PathIds.uuid(req, "id");
        try {
            String decision = form.getOrDefault("decision", "");
            if (!decision.equals("approve") && !decision.equals("reject")) {
                throw Problem.badField("decision", "Choose approve or reject.", "承認か不承認を選んでください。");
            }
            review.decide(town, me, Actor.of(me, req), id, new ReductionReview.Decision(decision.equals("approve"),
                    form.getOrDefault("note", "")));
            site.redirect(res, "/staff/reductions/" + id + "?done=" + decision);
        } catch (Problem problem) {
            show(req, res, town, me, id, StaffSite.error(req, problem, problem.field().isPresent() ? "note" : "decision"),
                    form, Status.create(problem.status()));
        }
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, UUID id,
                      Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        ReductionReview.Reviewed r = review.file(town, me, id);
        Map<String, Object> model = new HashMap<>();
        model.put("r", r);
        model.put("when", Formats.when(r.reservation().range(), town.zone(), page));
        model.put("sent", Formats.format(r.application().createdAt(), town.zone(), page));
        model.put("done", Formats.query(req, "done").getOrDefault("done", ""));
        model.put("refusal", r.refusal().map(p -> page.t(p.japanese(), p.english())).orElse(""));
        site.render(res, status, "staff/reduction.jte", page, me, model);
    }

    /**
     * An application in the list.
     *
     * @param id       the application
     * @param when     the booking's time
     * @param place    facility and room
     * @param category the category's name
     * @param sent     when it was sent
     */
    public record Row(String id, String when, String place, String category, String sent) {
    }
}
