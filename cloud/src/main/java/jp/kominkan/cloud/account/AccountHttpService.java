package jp.kominkan.cloud.account;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/accounts} and {@code /api/v1/session}: registration, login and logout.
 */
public final class AccountHttpService implements HttpService {

    private final AccountService accounts;
    private final Tenancy tenancy;
    private final boolean secureCookie;

    /**
     * @param accounts     the account service
     * @param tenancy      finds the municipality of a request
     * @param secureCookie whether the session cookie is marked Secure (behind TLS)
     */
    public AccountHttpService(AccountService accounts, Tenancy tenancy, boolean secureCookie) {
        this.accounts = accounts;
        this.tenancy = tenancy;
        this.secureCookie = secureCookie;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/accounts", this::register)
                .post("/session", this::login)
                .delete("/session", this::logout);
    }

    private void register(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Registration body = Json.read(req, Registration.class);
        Account account = accounts.register(municipality, body.email(), body.password(), body.name());
        res.header(HeaderNames.LOCATION, "/api/v1/me");
        Json.send(res, Status.CREATED_201, new AccountView(account.id(), account.email(), account.name(),
                account.role().wire(), account.residency().wire()));
    }

    private void login(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Credentials body = Json.read(req, Credentials.class);
        AccountService.Session session = accounts.login(municipality, body.email(), body.password());
        res.headers().addCookie(SetCookie.builder(Authenticator.COOKIE, session.token())
                .path("/")
                .httpOnly(true)
                .secure(secureCookie)
                .sameSite(SetCookie.SameSite.LAX)
                .maxAge(Duration.between(Instant.now(), session.expiresAt()))
                .build());
        Json.send(res, Status.OK_200, new SessionView(session.token(), session.expiresAt().toString(),
                session.account().role().wire()));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        Authenticator.token(req).ifPresent(accounts::logout);
        res.headers().addCookie(SetCookie.builder(Authenticator.COOKIE, "").path("/").maxAge(Duration.ZERO).build());
        res.status(Status.NO_CONTENT_204).send();
    }

    /** Body of {@code POST /accounts}. */
    record Registration(String email, String password, String name) {
    }

    /** Body of {@code POST /session}. */
    record Credentials(String email, String password) {
    }

    /** An account as the API shows it. */
    record AccountView(UUID id, String email, String name, String role, String residency) {
    }

    /** A new session. */
    record SessionView(String token, String expiresAt, String role) {
    }
}
