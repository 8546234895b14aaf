package jp.kominkan.cloud.staff;

import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Cookies;
import jp.kominkan.cloud.web.Problem;

/**
 * Finds the member of staff behind a request: a bearer token or the staff session cookie, which is
 * separate from a resident's. Every staff API checks scope on the server with {@link StaffMember#mayManage}.
 */
public final class StaffAuthenticator {

    /** The staff session cookie's base name ({@code __Host-kominkan_staff} behind TLS, see {@link Cookies}). */
    public static final String COOKIE = "kominkan_staff";

    private final StaffService staff;
    private final boolean secureCookie;

    /**
     * @param staff        the staff service
     * @param secureCookie whether cookies are Secure, which also names them
     */
    public StaffAuthenticator(StaffService staff, boolean secureCookie) {
        this.staff = staff;
        this.secureCookie = secureCookie;
    }

    /**
     * @param req          the request
     * @param secureCookie whether cookies are Secure
     * @return the staff token it carries (bearer, or else the staff cookie), if any
     */
    public static java.util.Optional<String> token(ServerRequest req, boolean secureCookie) {
        return Authenticator.token(req, Cookies.name(COOKIE, secureCookie));
    }

    /**
     * @param req          the request
     * @param municipality the municipality it is for
     * @return the member of staff
     * @throws Problem 401 without a live staff session in this municipality
     */
    public StaffMember require(ServerRequest req, Municipality municipality) {
        return token(req, secureCookie)
                .flatMap(token -> staff.authenticate(municipality, token))
                .orElseThrow(() -> Problem.unauthorized("Log in as staff first.", "職員としてログインしてください。"));
    }

    /**
     * @param req          the request
     * @param municipality the municipality
     * @param facilityId   the facility the request concerns
     * @return the member, when the facility is in their scope
     * @throws Problem 404 for a facility outside the scope, so its existence is not revealed
     */
    public StaffMember requireFacility(ServerRequest req, Municipality municipality, long facilityId) {
        StaffMember member = require(req, municipality);
        if (!member.mayManage(facilityId)) {
            throw Problem.notFound("facility", "施設");
        }
        return member;
    }

    /**
     * @param req          the request
     * @param municipality the municipality
     * @param permission   what the request does
     * @return the member, when their role allows it
     * @throws Problem 401 without a session, 403 when the role does not allow it
     */
    public StaffMember require(ServerRequest req, Municipality municipality, Permission permission) {
        StaffMember member = require(req, municipality);
        if (!member.may(permission)) {
            throw forbidden();
        }
        return member;
    }

    /**
     * @param req          the request
     * @param municipality the municipality
     * @param permission   what the request does
     * @param facilityId   the facility it concerns
     * @return the member, when their role allows it there
     * @throws Problem 404 for a facility outside the scope (its existence is not revealed), 403 when the role does not allow it
     */
    public StaffMember requireFacility(ServerRequest req, Municipality municipality, Permission permission,
                                       long facilityId) {
        StaffMember member = requireFacility(req, municipality, facilityId);
        if (!member.may(permission)) {
            throw forbidden();
        }
        return member;
    }

    /**
     * @param session      a new staff session
     * @param secureCookie whether cookies are marked Secure (behind TLS)
     * @return its cookie: HttpOnly, SameSite=Strict, for as long as the session lasts
     */
    public static io.helidon.http.SetCookie sessionCookie(StaffService.Session session, boolean secureCookie) {
        return Cookies.builder(COOKIE, session.token(), secureCookie)
                .sameSite(io.helidon.http.SetCookie.SameSite.STRICT)
                .maxAge(java.time.Duration.between(java.time.Instant.now(), session.expiresAt())).build();
    }

    /** @return the refusal for a role that may not do something */
    public static Problem forbidden() {
        return Problem.forbidden("Your role does not allow this. Ask your main administrator.",
                "この操作は、あなたの権限ではできません。主管理者にご相談ください。");
    }
}
