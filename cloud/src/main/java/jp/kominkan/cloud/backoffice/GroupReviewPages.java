package jp.kominkan.cloud.backoffice;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.group.EvidenceUpload;
import jp.kominkan.cloud.group.GroupReview;
import jp.kominkan.cloud.group.GroupStatus;
import jp.kominkan.cloud.group.StaffGroupHttpService;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The staff's group pages (団体審査): groups by status with the overlap flag, one group's roster, counts,
 * evidence and overlapping groups, and the decision (approve, or reject with a note).
 */
public final class GroupReviewPages implements HttpService {

    private final StaffSite site;
    private final GroupReview review;
    private final Clock clock;

    /**
     * @param site   staff pages' support
     * @param review the review
     * @param clock  the clock
     */
    public GroupReviewPages(StaffSite site, GroupReview review, Clock clock) {
        this.site = site;
        this.review = review;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/groups", site.guard(Permission.REVIEW_GROUPS, this::list))
                .get("/staff/groups/{id}", site.guard(Permission.REVIEW_GROUPS, this::detail))
                .get("/staff/groups/{id}/evidence/{evidenceId}", site.guard(Permission.REVIEW_GROUPS, this::download))
                .post("/staff/groups/{id}/decision", site.guard(Permission.REVIEW_GROUPS, this::decide));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Page page = site.page(req, res, town);
        GroupStatus status = StaffGroupHttpService.status(req.query().first("status").orElse("pending"));
        site.render(res, Status.OK_200, "staff/groups.jte", page, me, Map.of("groups", review.list(town, me, status),
                "status", status, "statuses", List.of(GroupStatus.PENDING, GroupStatus.APPROVED, GroupStatus.REJECTED,
                        GroupStatus.EXPIRED)));
    }

    private void detail(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        show(req, res, town, me, PathIds.number(req, "id"), Map.of(), Map.of(), Status.OK_200);
    }

    private void download(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        EvidenceUpload.send(res, review.evidence(town, me, PathIds.number(req, "id"), PathIds.uuid(req, "evidenceId")));
    }

    private void decide(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        long id = PathIds.number(req, "id");
        try {
            String decision = form.getOrDefault("decision", "");
            if (!decision.equals("approve") && !decision.equals("reject")) {
                throw Problem.badField("decision", "Choose approve or reject.", "承認か差戻しを選んでください。");
            }
            review.decide(town, me, Actor.of(me, req), id, new GroupReview.Decision(decision.equals("approve"),
                    form.getOrDefault("note", "")));
            site.redirect(res, "/staff/groups/" + id + "?done=" + decision);
        } catch (Problem problem) {
            show(req, res, town, me, id, StaffSite.error(req, problem, "note"), form, Status.create(problem.status()));
        }
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, long id,
                      Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        GroupReview.Reviewed reviewed = review.file(town, me, id);
        Map<String, Object> model = new HashMap<>();
        model.put("reviewed", reviewed);
        model.put("counts", reviewed.file().counts());
        model.put("done", Formats.query(req, "done").getOrDefault("done", ""));
        model.put("submittedAt", reviewed.file().group().submittedAt().map(at -> Formats.format(at, town.zone(), page))
                .orElse(""));
        site.render(res, status, "staff/group.jte", page, me, model);
    }
}
