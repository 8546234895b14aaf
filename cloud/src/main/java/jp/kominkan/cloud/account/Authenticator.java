package jp.kominkan.cloud.account;

import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;

/**
 * Finds who sent a request: a bearer token ({@code Authorization: Bearer …}) for API clients,
 * or the session cookie for browsers. Staff have their own ({@link jp.kominkan.cloud.staff.StaffAuthenticator}).
 */
public final class Authenticator {

    /** The session cookie's name. */
    public static final String COOKIE = "kominkan_session";

    private final AccountService accounts;

    /**
     * @param accounts the account service
     */
    public Authenticator(AccountService accounts) {
        this.accounts = accounts;
    }

    /**
     * @param req          the request
     * @param municipality the municipality it is for
     * @return the logged-in account
     * @throws Problem 401 when there is no live session for this municipality
     */
    public Account requireAccount(ServerRequest req, Municipality municipality) {
        return token(req)
                .flatMap(token -> accounts.authenticate(municipality, token))
                .orElseThrow(() -> Problem.unauthorized("Log in first: send a valid bearer token or session cookie.",
                        "ログインしてください。"));
    }


    /**
     * @param req the request
     * @return the token it carries, if any
     */
    public static Optional<String> token(ServerRequest req) {
        return token(req, COOKIE);
    }

    /**
     * @param req    the request
     * @param cookie the session cookie's name
     * @return the bearer token, or else the cookie's value, if any
     */
    public static Optional<String> token(ServerRequest req, String cookie) {
        Optional<String> bearer = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .filter(value -> !value.isEmpty());
        if (bearer.isPresent()) {
            return bearer;
        }
        return req.headers().cookies().first(cookie).asOptional().filter(value -> !value.isEmpty());
    }
}
