package jp.kominkan.cloud.identity;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountHttpService;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The browser side of OpenID Connect: {@code /auth/{provider}/login} sends the browser to the
 * provider, {@code /auth/{provider}/callback} takes it back. Also {@code GET /api/v1/identity/providers}
 * and {@code DELETE /api/v1/me/verification} (unlink). Register this service at the root.
 */
public final class IdentityHttpService implements HttpService {

    /** The cookie binding a login to the browser that started it. */
    public static final String BROWSER_COOKIE = "kominkan_oidc";

    private final IdentityService identity;
    private final AccountService accounts;
    private final Authenticator authenticator;
    private final Tenancy tenancy;
    private final Duration loginLifetime;
    private final boolean secureCookie;

    /**
     * @param identity      the identity flows
     * @param accounts      accounts, for the current session
     * @param authenticator finds the logged-in resident
     * @param tenancy       finds the municipality
     * @param loginLifetime how long the browser cookie lives
     * @param secureCookie  whether cookies are marked Secure (behind TLS)
     */
    public IdentityHttpService(IdentityService identity, AccountService accounts, Authenticator authenticator,
                               Tenancy tenancy, Duration loginLifetime, boolean secureCookie) {
        this.identity = identity;
        this.accounts = accounts;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.loginLifetime = loginLifetime;
        this.secureCookie = secureCookie;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/auth/{provider}/login", this::login)
                .get("/auth/{provider}/callback", this::callback)
                .get("/api/v1/identity/providers", this::providers)
                .delete("/api/v1/me/verification", this::unlink);
    }

    private void login(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        String purposeName = req.query().first("purpose").orElse("login");
        LoginAttempt.Purpose purpose = LoginAttempt.Purpose.of(purposeName)
                .orElseThrow(() -> Problem.badField("purpose", "Use purpose=register, login or verify.",
                        "purpose には register・login・verify のいずれかを指定してください。"));
        IdentityService.Started started;
        try {
            started = identity.start(municipality, req.path().pathParameters().get("provider"), purpose,
                    current(req, municipality), req.query().first("return").asOptional());
        } catch (IdentityFailure e) {
            throw e.toProblem();
        }
        res.headers().addCookie(SetCookie.builder(BROWSER_COOKIE, started.browser())
                .path("/auth")
                .httpOnly(true)
                .secure(secureCookie)
                .sameSite(SetCookie.SameSite.LAX)
                .maxAge(loginLifetime)
                .build());
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set(HeaderNames.LOCATION, started.redirect().toString());
        res.status(Status.SEE_OTHER_303).send();
    }

    private void callback(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        IdentityService.Callback callback = new IdentityService.Callback(req.query().first("state").asOptional(),
                req.query().first("code").asOptional(), req.query().first("error").asOptional());
        Optional<String> browser = req.headers().cookies().first(BROWSER_COOKIE).asOptional();
        // The binding is single-use whatever happens next.
        res.headers().addCookie(SetCookie.builder(BROWSER_COOKIE, "").path("/auth").maxAge(Duration.ZERO).build());
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        IdentityService.Completed done;
        try {
            done = identity.complete(municipality, req.path().pathParameters().get("provider"), callback, browser,
                    current(req, municipality));
        } catch (IdentityFailure e) {
            throw e.toProblem();
        }
        done.session().ifPresent(session -> AccountHttpService.setSessionCookie(res, session, secureCookie));
        res.headers().set(HeaderNames.LOCATION, done.returnTo());
        res.status(Status.SEE_OTHER_303).send();
    }

    private void providers(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        List<ProviderView> views = identity.providers(municipality).stream()
                .map(p -> new ProviderView(p.id(), p.label(), p.profile().wire(), "/auth/" + p.id() + "/login"))
                .toList();
        Json.send(res, Status.OK_200, new ProviderList(views));
    }

    private void unlink(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        identity.unlink(municipality, account);
        res.status(Status.NO_CONTENT_204).send();
    }

    private Optional<Account> current(ServerRequest req, Municipality municipality) {
        return Authenticator.token(req).flatMap(token -> accounts.authenticate(municipality, token));
    }

    /** The list. */
    record ProviderList(List<ProviderView> providers) {
    }

    /** An enabled provider and where its login starts. */
    record ProviderView(String id, String label, String profile, String loginPath) {
    }
}
