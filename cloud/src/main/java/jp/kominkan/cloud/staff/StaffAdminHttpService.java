package jp.kominkan.cloud.staff;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/members}: the main administrator's staff list, one member, role and scope,
 * disable and enable, invite and re-send an invitation. Any other role is refused before anything is read.
 */
public final class StaffAdminHttpService implements HttpService {

    private final StaffDirectory directory;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;
    private final boolean secure;
    private final Clock clock;

    /**
     * @param directory     staff management
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     * @param secure        whether the site is served over TLS (for the invitation links)
     * @param clock         the clock
     */
    public StaffAdminHttpService(StaffDirectory directory, StaffAuthenticator authenticator, Tenancy tenancy,
                                 boolean secure, Clock clock) {
        this.directory = directory;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.secure = secure;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/invitations", this::invite)
                .post("/invitations/resend", this::resend)
                .get("/{id}", this::one)
                .put("/{id}", this::changeRole)
                .post("/{id}/disable", this::disable)
                .post("/{id}/enable", this::enable);
    }

    /**
     * The link goes to the host the invitation was made on: tenancy has mapped that host to this
     * municipality, so each municipality's invitations point at its own site.
     *
     * @param req    the request
     * @param secure whether the site is served over TLS
     * @return e.g. https://yoyaku.city.example.lg.jp
     */
    public static String baseUrl(ServerRequest req, boolean secure) {
        return (secure ? "https://" : "http://") + req.headers().first(HeaderNames.HOST).orElse("localhost");
    }

    /**
     * @param wire a role's wire name as sent
     * @return the role
     * @throws Problem 400 on {@code role} for another name
     */
    public static StaffRole role(String wire) {
        try {
            return StaffRole.of(wire == null ? "" : wire);
        } catch (IllegalArgumentException e) {
            throw Problem.badField("role", "Choose the role: main, facility, clerk or caretaker.",
                    "権限を main（主管理者）、facility（施設管理者）、clerk（窓口職員）、caretaker（管理人）から選んでください。");
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember me = authenticator.require(req, town, Permission.ADMINISTER);
        Instant now = clock.instant();
        Json.send(res, Status.OK_200, new ListView(directory.members(town, me).stream().map(e -> view(e, town)).toList(),
                directory.pending(town, me).stream().map(p -> new PendingView(p.email(), p.role().wire(),
                        p.facilities().stream().sorted().toList(), IsoTimes.format(p.createdAt(), town.zone()),
                        IsoTimes.format(p.expiresAt(), town.zone()), p.usableAt(now))).toList()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember me = authenticator.require(req, town, Permission.ADMINISTER);
        Json.send(res, Status.OK_200, view(directory.member(town, me, PathIds.uuid(req, "id")), town));
    }

    private void changeRole(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember me = authenticator.require(req, town, Permission.ADMINISTER);
        UUID id = PathIds.uuid(req, "id");
        RoleBody body = Json.read(req, RoleBody.class);
        Json.send(res, Status.OK_200, view(directory.changeRole(town, me, Actor.of(me, req), id, role(body.role()),
                facilities(body.facilities())), town));
    }

    private void disable(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember me = authenticator.require(req, town, Permission.ADMINISTER);
        UUID id = PathIds.uuid(req, "id");
        Json.send(res, Status.OK_200, view(directory.disable(town, me, Actor.of(me, req), id), town));
    }

    private void enable(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember me = authenticator.require(req, town, Permission.ADMINISTER);
        UUID id = PathIds.uuid(req, "id");
        Json.send(res, Status.OK_200, view(directory.enable(town, me, Actor.of(me, req), id), town));
    }

    private void invite(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember me = authenticator.require(req, town, Permission.ADMINISTER);
        InvitationBody body = Json.read(req, InvitationBody.class);
        Invitation invitation = directory.invite(town, me, Actor.of(me, req), body.email(), role(body.role()),
                facilities(body.facilities()), baseUrl(req, secure));
        Json.send(res, Status.CREATED_201, invitationView(invitation, town));
    }

    private void resend(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember me = authenticator.require(req, town, Permission.ADMINISTER);
        ResendBody body = Json.read(req, ResendBody.class);
        Invitation invitation = directory.resend(town, me, Actor.of(me, req), body.email(), baseUrl(req, secure));
        Json.send(res, Status.CREATED_201, invitationView(invitation, town));
    }

    private static Set<Long> facilities(List<Long> ids) {
        if (ids == null) {
            return Set.of();
        }
        if (ids.contains(null)) {
            throw Problem.badField("facilities", "facilities is a list of facility ids.",
                    "施設は施設 ID の一覧で指定してください。");
        }
        return Set.copyOf(ids);
    }

    private static MemberView view(StaffDirectory.Entry entry, Municipality town) {
        StaffMember m = entry.member();
        return new MemberView(m.id(), m.email(), m.name(), m.role().wire(), m.facilities().stream().sorted().toList(),
                entry.disabled(), entry.disabledAt().map(at -> IsoTimes.format(at, town.zone())).orElse(null),
                IsoTimes.format(entry.createdAt(), town.zone()));
    }

    private static InvitationView invitationView(Invitation invitation, Municipality town) {
        return new InvitationView(invitation.email(), invitation.role().wire(),
                invitation.facilities().stream().sorted().toList(), IsoTimes.format(invitation.expiresAt(), town.zone()));
    }

    /** Body of a role change. */
    record RoleBody(String role, List<Long> facilities) {
    }

    /** Body of an invitation. */
    record InvitationBody(String email, String role, List<Long> facilities) {
    }

    /** Body of a re-sent invitation. */
    record ResendBody(String email) {
    }

    /** A member of staff. */
    record MemberView(UUID id, String email, String name, String role, List<Long> facilities, boolean disabled,
                      String disabledAt, String createdAt) {
    }

    /** An invitation not accepted yet. */
    record PendingView(String email, String role, List<Long> facilities, String sentAt, String expiresAt,
                       boolean usable) {
    }

    /** The staff list. */
    record ListView(List<MemberView> members, List<PendingView> invitations) {
    }

    /** An invitation as sent. */
    record InvitationView(String email, String role, List<Long> facilities, String expiresAt) {
    }
}
