package jp.kominkan.cloud.staff;

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
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.web.ClientAddress;
import jp.kominkan.cloud.web.Cookies;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/session}, {@code /api/v1/staff/me} and {@code /api/v1/staff/invitations}:
 * staff login, who am I, and inviting staff.
 */
public final class StaffHttpService implements HttpService {

    private final StaffService staff;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;
    private final boolean secureCookie;
    private final OperationLog log;
    private final ClientAddress clients;

    /**
     * @param staff         the staff service
     * @param authenticator finds the member of staff
     * @param tenancy       finds the municipality
     * @param secureCookie  whether cookies are marked Secure (behind TLS)
     * @param log           the operation log
     * @param clients       finds where a login comes from, for the throttle
     */
    public StaffHttpService(StaffService staff, StaffAuthenticator authenticator, Tenancy tenancy,
                            boolean secureCookie, OperationLog log, ClientAddress clients) {
        this.clients = clients;
        this.log = log;
        this.staff = staff;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.secureCookie = secureCookie;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/session", this::login)
                .delete("/session", this::logout)
                .get("/me", this::me)
                .post("/invitations", this::invite)
                .post("/invitations/accept", this::accept);
    }

    private void login(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Credentials body = Json.read(req, Credentials.class);
        StaffService.Session session = staff.login(municipality, body.email(), body.password(),
                clients.of(req));
        res.headers().addCookie(StaffAuthenticator.sessionCookie(session, secureCookie));
        Json.send(res, Status.OK_200, new SessionView(session.token(), session.expiresAt().toString()));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        StaffAuthenticator.token(req, secureCookie).ifPresent(staff::logout);
        res.headers().addCookie(Cookies.expired(StaffAuthenticator.COOKIE, secureCookie));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void me(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember member = authenticator.require(req, municipality);
        Json.send(res, Status.OK_200, new MemberView(member.id(), member.email(), member.name(), member.role().wire(),
                member.facilities().stream().sorted().toList()));
    }

    private void invite(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember inviter = authenticator.require(req, municipality);
        InvitationRequest body = Json.read(req, InvitationRequest.class);
        StaffRole role;
        try {
            role = StaffRole.of(body.role() == null ? "" : body.role());
        } catch (IllegalArgumentException e) {
            throw Problem.badField("role", "Choose the role: main, facility, clerk or caretaker.",
                    "権限を main（主管理者）、facility（施設管理者）、clerk（窓口職員）、caretaker（管理人）から選んでください。");
        }
        Set<Long> facilities = body.facilities() == null ? Set.of() : Set.copyOf(body.facilities());
        Invitation invitation = staff.invite(municipality, inviter, body.email(), role, facilities, baseUrl(req),
                (tx, made) -> log.append(tx, municipality.id(), Actor.of(inviter, req), Change.of("staff.invite",
                        "staff-invitation", made.tokenHash().substring(0, 16), null, null, java.util.Map.of("role",
                                role.wire(), "facilities", made.facilities().stream().sorted().toList())),
                        made.createdAt()));
        Json.send(res, Status.CREATED_201, new InvitationView(invitation.email(), invitation.role().wire(),
                invitation.facilities().stream().sorted().toList(),
                IsoTimes.format(invitation.expiresAt(), municipality.zone())));
    }

    private void accept(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Acceptance body = Json.read(req, Acceptance.class);
        StaffMember member = staff.accept(municipality, body.token(), body.name(), body.password());
        Json.send(res, Status.CREATED_201, new MemberView(member.id(), member.email(), member.name(),
                member.role().wire(), member.facilities().stream().sorted().toList()));
    }

    /**
     * The link goes to the host the invitation was made on: tenancy has mapped that host to this
     * municipality, so each municipality's invitations point at its own site.
     */
    private String baseUrl(ServerRequest req) {
        return (secureCookie ? "https://" : "http://") + req.headers().first(HeaderNames.HOST).orElse("localhost");
    }

    /** Body of {@code POST /session}. */
    record Credentials(String email, String password) {
    }

    /** Body of {@code POST /invitations}. */
    record InvitationRequest(String email, String role, List<Long> facilities) {
    }

    /** Body of {@code POST /invitations/accept}. */
    record Acceptance(String token, String name, String password) {
    }

    /** A staff session. */
    record SessionView(String token, String expiresAt) {
    }

    /** A member of staff. */
    record MemberView(UUID id, String email, String name, String role, List<Long> facilities) {
    }

    /** An invitation as sent. */
    record InvitationView(String email, String role, List<Long> facilities, String expiresAt) {
    }
}
