package jp.kominkan.cloud.staff;

import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;

/**
 * Finds the member of staff behind a request: a bearer token or the staff session cookie, which is
 * separate from a resident's. Every staff API checks scope on the server with {@link StaffMember#mayManage}.
 */
public final class StaffAuthenticator {

    /** The staff session cookie's name. */
    public static final String COOKIE = "kominkan_staff";

    private final StaffService staff;

    /**
     * @param staff the staff service
     */
    public StaffAuthenticator(StaffService staff) {
        this.staff = staff;
    }

    /**
     * @param req          the request
     * @param municipality the municipality it is for
     * @return the member of staff
     * @throws Problem 401 without a live staff session in this municipality
     */
    public StaffMember require(ServerRequest req, Municipality municipality) {
        return Authenticator.token(req, COOKIE)
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
}
