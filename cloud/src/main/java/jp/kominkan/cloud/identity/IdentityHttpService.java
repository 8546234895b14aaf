package jp.kominkan.cloud.identity;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import jp.kominkan.cloud.crypto.Tokens;
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

    /** The cookies binding a login to the browser that started it: this prefix and 12 hex of the state's hash. */
    public static final String BROWSER_COOKIE = "kominkan_oidc_";

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
                .get("/api/v1/me/verification/changes", this::changes)
                .delete("/api/v1/me/verification", this::unlink);
    }

    private void login(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        String purposeName = req.query().first("purpose").orElse("login");
        LoginAttempt.Purpose purpose = LoginAttempt.Purpose.of(purposeName)
                .orElseThrow(() -> Problem.badField("purpose", "Use purpose=register, login or verify.",
                        "purpose には register・login・verify のいずれかを指定してください。"));
        // The callback comes back to the registered redirect URI's host, and the browser binding is a
        // host-only cookie: start on that host, or the binding would be missing at the callback.
        Optional<URI> redirect = identity.redirectUri(municipality, req.path().pathParameters().get("provider"));
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        if (redirect.isPresent() && !redirect.get().getRawAuthority().equalsIgnoreCase(host)) {
            String query = req.query().rawValue();
            res.headers().set(HeaderNames.LOCATION, redirect.get().getScheme() + "://" + redirect.get().getRawAuthority()
                    + req.path().rawPath() + (query.isEmpty() ? "" : "?" + query));
            res.status(Status.SEE_OTHER_303).send();
            return;
        }
        // An IdentityFailure (provider down…) becomes its problem in the routing's error handler.
        IdentityService.Started started = identity.start(municipality, req.path().pathParameters().get("provider"),
                purpose, current(req, municipality), req.query().first("return").asOptional());
        res.headers().addCookie(SetCookie.builder(cookieName(started.state()), started.browser())
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
        Optional<String> cookie = callback.state().map(IdentityHttpService::cookieName);
        Optional<String> browser = cookie.flatMap(name -> req.headers().cookies().first(name).asOptional());
        // The binding is single-use whatever happens next.
        cookie.ifPresent(name -> res.headers().addCookie(SetCookie.builder(name, "").path("/auth")
                .expires(java.time.Instant.EPOCH).maxAge(Duration.ZERO).build()));
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        IdentityService.Completed done = identity.complete(municipality, req.path().pathParameters().get("provider"),
                callback, browser, current(req, municipality));
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

    /** What renewed verifications changed: which facts (not their values), when, and the residency before and after. */
    private void changes(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        List<Map<String, Object>> changes = identity.changes(account).stream().map(c -> Map.<String, Object>of(
                "at", c.at().atZone(municipality.zone()).toOffsetDateTime().toString(), "facts", c.facts(),
                "residencyBefore", c.before().wire(), "residencyAfter", c.after().wire())).toList();
        Json.send(res, Status.OK_200, Map.of("changes", changes));
    }

    private void unlink(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        identity.unlink(municipality, account);
        res.status(Status.NO_CONTENT_204).send();
    }

    /** One cookie per login under way, so two tabs logging in at once do not overwrite each other. */
    private static String cookieName(String state) {
        return BROWSER_COOKIE + Tokens.sha256Hex(state).substring(0, 12);
    }

    private Optional<Account> current(ServerRequest req, Municipality municipality) {
        return Authenticator.token(req, secureCookie).flatMap(token -> accounts.authenticate(municipality, token));
    }

    /** The list. */
    record ProviderList(List<ProviderView> providers) {
    }

    /** An enabled provider and where its login starts. */
    record ProviderView(String id, String label, String profile, String loginPath) {
    }
}
