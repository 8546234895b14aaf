package jp.kominkan.cloud.group;

import java.util.List;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
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
 * {@code /api/v1/staff/groups}: groups by status with their overlap flags, one group with roster and
 * evidence, an evidence file, and the decision. Every call needs {@link Permission#REVIEW_GROUPS}.
 */
public final class StaffGroupHttpService implements HttpService {

    private final GroupReview review;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param review        the review
     * @param authenticator finds the member of staff
     * @param tenancy       finds the municipality
     */
    public StaffGroupHttpService(GroupReview review, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.review = review;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::one)
                .get("/{id}/evidence/{evidenceId}", this::download)
                .post("/{id}/decision", this::decide);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.REVIEW_GROUPS);
        GroupStatus status = status(req.query().first("status").orElse("pending"));
        Json.send(res, Status.OK_200, new ListView(review.list(town, member, status).stream()
                .map(l -> new ListedView(GroupViews.summary(l.group()), l.representative(),
                        l.overlaps().stream().map(GroupViews::overlap).toList())).toList()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.REVIEW_GROUPS);
        GroupReview.Reviewed reviewed = review.file(town, member, PathIds.number(req, "id"));
        Json.send(res, Status.OK_200, GroupViews.detail(reviewed.file(), reviewed.overlaps()));
    }

    private void download(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.REVIEW_GROUPS);
        EvidenceUpload.send(res, review.evidence(town, member, PathIds.number(req, "id"), PathIds.uuid(req, "evidenceId")));
    }

    private void decide(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.REVIEW_GROUPS);
        long id = PathIds.number(req, "id");
        DecisionBody body = Json.read(req, DecisionBody.class);
        boolean approve = switch (String.valueOf(body.decision())) {
            case "approve" -> true;
            case "reject" -> false;
            default -> throw Problem.badField("decision", "decision is approve or reject.",
                    "decision は approve（承認）か reject（差戻し）です。");
        };
        review.decide(town, member, Actor.of(member, req), id, new GroupReview.Decision(approve, body.note()));
        GroupReview.Reviewed reviewed = review.file(town, member, id);
        Json.send(res, Status.OK_200, GroupViews.detail(reviewed.file(), reviewed.overlaps()));
    }

    /**
     * @param text a status from a query
     * @return the status
     * @throws Problem 400 for another word
     */
    public static GroupStatus status(String text) {
        try {
            GroupStatus status = GroupStatus.of(text);
            if (status == GroupStatus.DRAFT) {
                throw new IllegalArgumentException("drafts are the representative's");
            }
            return status;
        } catch (IllegalArgumentException e) {
            throw Problem.badField("status", "status is pending, approved, rejected or expired.",
                    "状態は pending・approved・rejected・expired のいずれかです。");
        }
    }

    /** Body of a decision. */
    record DecisionBody(String decision, String note) {
    }

    /** One group in the list. */
    record ListedView(GroupViews.SummaryView group, String representative, List<GroupViews.OverlapView> overlaps) {
    }

    /** The list. */
    record ListView(List<ListedView> groups) {
    }
}
