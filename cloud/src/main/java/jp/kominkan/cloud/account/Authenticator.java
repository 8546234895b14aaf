package jp.kominkan.cloud.account;

import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Cookies;
import jp.kominkan.cloud.web.Problem;

/**
 * Finds who sent a request: a bearer token ({@code Authorization: Bearer …}) for API clients,
 * or the session cookie for browsers. Staff have their own ({@link jp.kominkan.cloud.staff.StaffAuthenticator}).
 */
public final class Authenticator {

    /** The session cookie's base name ({@code __Host-kominkan_session} behind TLS, see {@link Cookies}). */
    public static final String COOKIE = "kominkan_session";

    private final AccountService accounts;
    private final boolean secureCookie;

    /**
     * @param accounts     the account service
     * @param secureCookie whether cookies are Secure, which also names them
     */
    public Authenticator(AccountService accounts, boolean secureCookie) {
        this.accounts = accounts;
        this.secureCookie = secureCookie;
    }

    /**
     * @param req          the request
     * @param municipality the municipality it is for
     * @return the logged-in account
     * @throws Problem 401 when there is no live session for this municipality
     */
    public Account requireAccount(ServerRequest req, Municipality municipality) {
        return token(req, secureCookie)
                .flatMap(token -> accounts.authenticate(municipality, token))
                .orElseThrow(() -> Problem.unauthorized("Log in first: send a valid bearer token or session cookie.",
                        "ログインしてください。"));
    }


    /**
     * @param req          the request
     * @param secureCookie whether cookies are Secure (then the cookie is {@code __Host-kominkan_session})
     * @return the token it carries, if any
     */
    public static Optional<String> token(ServerRequest req, boolean secureCookie) {
        return token(req, Cookies.name(COOKIE, secureCookie));
    }

    /**
     * @param req    the request
     * @param cookie the session cookie's full name (see {@link Cookies#name})
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
