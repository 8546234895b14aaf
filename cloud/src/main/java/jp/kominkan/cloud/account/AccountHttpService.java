package jp.kominkan.cloud.account;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

import io.helidon.http.HeaderNames;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.ClientAddress;
import jp.kominkan.cloud.web.Cookies;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/accounts}, {@code /api/v1/session} and {@code /api/v1/me}: registration, login,
 * logout, and the resident's own profile (read, change, delete).
 */
public final class AccountHttpService implements HttpService {

    private final AccountService accounts;
    private final Tenancy tenancy;
    private final Authenticator authenticator;
    private final BiConsumer<Municipality, Account> beforeDelete;
    private final boolean secureCookie;
    private final ClientAddress clients;

    /**
     * @param accounts      the account service
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality of a request
     * @param beforeDelete  runs before an account's data is deleted (cancels its upcoming bookings)
     * @param secureCookie  whether the session cookie is marked Secure (behind TLS)
     * @param clients       finds where a login comes from, for the throttle
     */
    public AccountHttpService(AccountService accounts, Authenticator authenticator, Tenancy tenancy,
                              BiConsumer<Municipality, Account> beforeDelete, boolean secureCookie,
                              ClientAddress clients) {
        this.clients = clients;
        this.accounts = accounts;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.beforeDelete = beforeDelete;
        this.secureCookie = secureCookie;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/accounts", this::register)
                .post("/session", this::login)
                .delete("/session", this::logout)
                .get("/me", this::me)
                .patch("/me", this::change)
                .delete("/me", this::delete);
    }

    /**
     * Sets the session cookie: HttpOnly, SameSite=Lax, Secure and {@code __Host-} behind TLS.
     *
     * @param res          the response
     * @param session      the session
     * @param secureCookie whether to mark it Secure
     */
    public static void setSessionCookie(ServerResponse res, AccountService.Session session, boolean secureCookie) {
        res.headers().addCookie(Cookies.builder(Authenticator.COOKIE, session.token(), secureCookie)
                .sameSite(SetCookie.SameSite.LAX)
                .maxAge(Duration.between(Instant.now(), session.expiresAt()))
                .build());
    }

    private void register(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Registration body = Json.read(req, Registration.class);
        Account account = accounts.register(municipality, body.email(), body.password(), body.name());
        res.header(HeaderNames.LOCATION, "/api/v1/me");
        Json.send(res, Status.CREATED_201, new AccountView(account.id(), account.email().orElse(null),
                account.name(), account.residency().wire()));
    }

    private void login(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Credentials body = Json.read(req, Credentials.class);
        AccountService.Session session = accounts.login(municipality, body.email(), body.password(),
                clients.of(req));
        setSessionCookie(res, session, secureCookie);
        Json.send(res, Status.OK_200, new SessionView(session.token(), session.expiresAt().toString()));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        Authenticator.token(req, secureCookie).ifPresent(accounts::logout);
        res.headers().addCookie(Cookies.expired(Authenticator.COOKIE, secureCookie));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void me(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        Json.send(res, Status.OK_200, view(accounts.profile(account), municipality.zone()));
    }

    private void change(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        ProfileChange change = Json.read(req, ProfileChange.class);
        Json.send(res, Status.OK_200, view(accounts.update(account, change), municipality.zone()));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        beforeDelete.accept(municipality, account);
        accounts.delete(account);
        res.headers().addCookie(Cookies.expired(Authenticator.COOKIE, secureCookie));
        res.status(Status.NO_CONTENT_204).send();
    }

    private MeView view(Profile profile, ZoneId zone) {
        Account account = profile.account();
        List<String> missing = new ArrayList<>();
        if (account.email().isEmpty()) {
            missing.add("email");
        }
        if (profile.phone().isEmpty()) {
            missing.add("phone");
        }
        VerificationView verification = new VerificationView(accounts.verificationStatus(profile).wire(),
                profile.link().map(link -> IsoTimes.format(link.verifiedAt(), zone)).orElse(null),
                profile.link().map(IdentityLink::provider).orElse(null), account.residency().wire());
        return new MeView(account.id(), account.email().orElse(null), account.name(),
                profile.nameSubstitute().orElse(null), profile.formerName().orElse(null),
                profile.phone().orElse(null), profile.organisation().orElse(null),
                profile.address().orElse(null), profile.birthDate().map(Object::toString).orElse(null),
                verification, missing);
    }

    /** Body of {@code POST /accounts}. */
    record Registration(String email, String password, String name) {
    }

    /** Body of {@code POST /session}. */
    record Credentials(String email, String password) {
    }

    /** An account as the API shows it. */
    record AccountView(UUID id, String email, String name, String residency) {
    }

    /** A new session. */
    record SessionView(String token, String expiresAt) {
    }

    /** {@code GET /me}: the profile; {@code missing} lists contact details still to add. */
    record MeView(UUID id, String email, String name, String nameSubstitute, String formerName, String phone,
                  String organisation, PostalAddress address, String birthDate, VerificationView verification,
                  List<String> missing) {
    }

    /** Where the account stands with identity verification. */
    record VerificationView(String status, String verifiedAt, String provider, String residency) {
    }
}
