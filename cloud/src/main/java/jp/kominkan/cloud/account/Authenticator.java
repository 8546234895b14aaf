package jp.kominkan.cloud.account;

import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;

/**
 * Finds who sent a request: a bearer token ({@code Authorization: Bearer …}) for API clients,
 * or the session cookie for browsers. Every permission is checked here, on the server.
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
     * @param req          the request
     * @param municipality the municipality it is for
     * @return the logged-in staff account
     * @throws Problem 401 without login, 403 for a resident
     */
    public Account requireStaff(ServerRequest req, Municipality municipality) {
        Account account = requireAccount(req, municipality);
        if (account.role() != Account.Role.STAFF) {
            throw Problem.forbidden("Only facility staff may do this.", "この操作は施設職員のみ行えます。");
        }
        return account;
    }

    /**
     * @param req the request
     * @return the token it carries, if any
     */
    public static Optional<String> token(ServerRequest req) {
        Optional<String> bearer = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .filter(value -> !value.isEmpty());
        if (bearer.isPresent()) {
            return bearer;
        }
        return req.headers().cookies().first(COOKIE).asOptional().filter(value -> !value.isEmpty());
    }
}
