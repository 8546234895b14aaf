package jp.kominkan.cloud.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
 * {@code /api/v1/groups}: a resident's groups (団体) — list, register a draft, one group, change it, add
 * members, attach evidence, send for review, renew — and the municipality's categories. Only the
 * representative sees a group; anyone else's id is answered 404.
 */
public final class GroupHttpService implements HttpService {

    /** What the API takes as an evidence body; a cross-site form can send none of these without asking. */
    private static final Set<String> FILE_TYPES = Set.of("application/pdf", "image/jpeg", "image/png",
            "application/octet-stream");

    private final Groups groups;
    private final Authenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param groups        the groups
     * @param authenticator finds the resident
     * @param tenancy       finds the municipality
     */
    public GroupHttpService(Groups groups, Authenticator authenticator, Tenancy tenancy) {
        this.groups = groups;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/categories", this::categories)
                .get("/{id}", this::one)
                .put("/{id}", this::update)
                .post("/{id}/members", this::addMembers)
                .put("/{id}/members", this::replaceMembers)
                .post("/{id}/evidence", this::addEvidence)
                .get("/{id}/evidence/{evidenceId}", this::download)
                .delete("/{id}/evidence/{evidenceId}", this::removeEvidence)
                .post("/{id}/submit", this::submit)
                .post("/{id}/renew", this::renew);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        Json.send(res, Status.OK_200, new ListView(groups.mine(town, account).stream().map(GroupViews::summary).toList()));
    }

    private void categories(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Json.send(res, Status.OK_200, new CategoriesView(groups.categories(town).stream().map(GroupViews::category)
                .toList()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        DetailsBody body = Json.read(req, DetailsBody.class);
        long id = groups.create(town, account, new Groups.Details(body.name(), body.nameKana(), body.categoryCode()));
        res.header(HeaderNames.LOCATION, "/api/v1/groups/" + id);
        Json.send(res, Status.CREATED_201, GroupViews.detail(groups.file(town, account, id), List.of()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        Json.send(res, Status.OK_200, GroupViews.detail(groups.file(town, account, PathIds.number(req, "id")), List.of()));
    }

    private void update(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        long id = PathIds.number(req, "id");
        DetailsBody body = Json.read(req, DetailsBody.class);
        groups.update(town, account, id, new Groups.Details(body.name(), body.nameKana(), body.categoryCode()));
        Json.send(res, Status.OK_200, GroupViews.detail(groups.file(town, account, id), List.of()));
    }

    private void addMembers(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        long id = PathIds.number(req, "id");
        groups.addMembers(town, account, id, members(Json.read(req, MembersBody.class)));
        Json.send(res, Status.OK_200, GroupViews.detail(groups.file(town, account, id), List.of()));
    }

    private void replaceMembers(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        long id = PathIds.number(req, "id");
        groups.replaceRoster(town, account, id, members(Json.read(req, MembersBody.class)));
        Json.send(res, Status.OK_200, GroupViews.detail(groups.file(town, account, id), List.of()));
    }

    private void addEvidence(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        long id = PathIds.number(req, "id");
        String type = req.headers().contentType().map(t -> t.mediaType().text().toLowerCase(Locale.ROOT)).orElse("");
        if (!FILE_TYPES.contains(type)) {
            throw Problem.badRequest("evidence-type", "Send the file as the body with Content-Type application/pdf,"
                    + " image/jpeg, image/png or application/octet-stream.",
                    "ファイルは本文として、Content-Type を application/pdf・image/jpeg・image/png・"
                            + "application/octet-stream のいずれかにして送信してください。");
        }
        EvidenceUpload upload = EvidenceUpload.raw(req, groups.settings().maxEvidenceBytes());
        Evidence added = groups.addEvidence(town, account, id, upload.fileName(), upload.bytes());
        res.header(HeaderNames.LOCATION, "/api/v1/groups/" + id + "/evidence/" + added.id());
        Json.send(res, Status.CREATED_201, GroupViews.evidence(added));
    }

    private void download(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        EvidenceUpload.send(res, groups.evidenceFile(town, account, PathIds.number(req, "id"),
                PathIds.uuid(req, "evidenceId")));
    }

    private void removeEvidence(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        groups.removeEvidence(town, account, PathIds.number(req, "id"), PathIds.uuid(req, "evidenceId"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void submit(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        long id = PathIds.number(req, "id");
        groups.submit(town, account, id);
        Json.send(res, Status.OK_200, GroupViews.detail(groups.file(town, account, id), List.of()));
    }

    private void renew(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        long id = PathIds.number(req, "id");
        groups.renew(town, account, id);
        Json.send(res, Status.OK_200, GroupViews.detail(groups.file(town, account, id), List.of()));
    }

    /** The roster as sent; a missing list or field is a 400 about {@code members}. */
    private List<Member> members(MembersBody body) {
        if (body.members() == null) {
            throw Problem.badField("members", "Send members as a list.", "members を一覧（配列）で送信してください。");
        }
        if (body.members().size() > groups.settings().maxMembers()) {
            throw Problem.badField("members", "A roster has at most " + groups.settings().maxMembers() + " members.",
                    "名簿に登録できるのは " + groups.settings().maxMembers() + " 人までです。");
        }
        List<Member> members = new ArrayList<>();
        for (MemberBody m : body.members()) {
            if (m == null) {
                throw Problem.badField("members", "A member cannot be null.", "会員の項目が空です。");
            }
            members.add(new Member(m.name(), Member.Residency.of(String.valueOf(m.residency())),
                    Member.AgeBand.of(String.valueOf(m.ageBand()))));
        }
        return members;
    }

    /** Body of a registration or change. */
    record DetailsBody(String name, String nameKana, String categoryCode) {
    }

    /** Body of a roster change. */
    record MembersBody(List<MemberBody> members) {
    }

    /** One member as sent. */
    record MemberBody(String name, String residency, String ageBand) {
    }

    /** The resident's groups. */
    record ListView(List<GroupViews.SummaryView> groups) {
    }

    /** The categories. */
    record CategoriesView(List<GroupViews.CategoryView> categories) {
    }
}
