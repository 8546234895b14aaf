package jp.kominkan.cloud.identity;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.IdentityLink;
import jp.kominkan.cloud.account.Profile;
import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.LocalPaths;
import jp.kominkan.cloud.web.Problem;

/**
 * The seed's flows through an OpenID provider (xID): register, log in, and verify an existing
 * account; and unlink. Every outcome, good or bad, goes to the identity audit trail without
 * personal data; nothing is half-linked when something fails.
 */
public final class IdentityService {

    private static final System.Logger LOG = System.getLogger(IdentityService.class.getName());
    /** Where the browser goes after a login when the request names no other page. */
    public static final String DEFAULT_RETURN = "/mypage";

    private final IdentityProviders providers;
    private final IdentityStore store;
    private final SamePersonCheck samePerson;
    private final VerificationRenewal renewal;
    private final AccountService accounts;
    private final Clock clock;
    private final Duration loginLifetime;

    /**
     * @param providers     the enabled providers
     * @param store         logins, links and audit
     * @param samePerson    holds back a new link that looks like a person verified through another provider
     * @param renewal       keeps xID's refresh token for renewing the verification between logins
     * @param accounts      accounts and sessions
     * @param clock         the clock
     * @param loginLifetime how long a person has at the provider before the login can no longer complete
     */
    public IdentityService(IdentityProviders providers, IdentityStore store, SamePersonCheck samePerson,
                           VerificationRenewal renewal, AccountService accounts, Clock clock, Duration loginLifetime) {
        this.providers = providers;
        this.store = store;
        this.samePerson = samePerson;
        this.renewal = renewal;
        this.accounts = accounts;
        this.clock = clock;
        this.loginLifetime = loginLifetime;
    }

    /**
     * @param municipality where
     * @return the providers it has enabled
     */
    public List<IdentityProvider> providers(Municipality municipality) {
        return providers.enabled(municipality.code());
    }

    /**
     * Starts a login: remembers state, nonce and PKCE verifier, bound to this browser.
     *
     * @param municipality where
     * @param providerId   which provider
     * @param purpose      register, login or verify
     * @param current      the resident logged in now (required to verify)
     * @param returnTo     the local page to come back to, if any
     * @return where to send the browser, and the binding to put in its cookie
     */
    public Started start(Municipality municipality, String providerId, LoginAttempt.Purpose purpose,
                         Optional<Account> current, Optional<String> returnTo) {
        OidcClient client = client(municipality, providerId);
        if (purpose == LoginAttempt.Purpose.VERIFY && current.isEmpty()) {
            throw Problem.unauthorized("Log in first, then verify your identity.",
                    "ログインしてから本人確認を行ってください。");
        }
        String back = returnTo.filter(LocalPaths::isLocal)
                .orElse(DEFAULT_RETURN);
        Instant now = clock.instant();
        store.purge(now);
        String state = Tokens.random();
        String nonce = Tokens.random();
        String verifier = Tokens.random() + Tokens.random();
        String browser = Tokens.random();
        URI redirect = client.authorizationUri(state, nonce, verifier);
        store.saveLogin(new LoginAttempt(Tokens.sha256Hex(state), Tokens.sha256Hex(browser), municipality.id(),
                providerId, purpose, purpose == LoginAttempt.Purpose.VERIFY ? current.map(Account::id) : Optional.empty(),
                nonce, verifier, back, now, now.plus(loginLifetime)));
        return new Started(redirect, browser, state);
    }

    /**
     * Completes a login from the provider's callback.
     *
     * @param municipality where the callback arrived
     * @param providerId   the provider in the callback's path
     * @param callback     the callback's parameters
     * @param browser      the binding from the browser's cookie
     * @param current      the resident logged in now, if any
     * @return the session to set (register and login), and where to go
     * @throws IdentityFailure when the callback is forged, replayed, stale, or the provider's answer does not check out
     */
    public Completed complete(Municipality municipality, String providerId, Callback callback, Optional<String> browser,
                              Optional<Account> current) {
        try {
            return completeChecked(municipality, providerId, callback, browser, current);
        } catch (IdentityFailure e) {
            LOG.log(Level.INFO, "Identity callback for " + municipality.code() + "/" + providerId + " failed: "
                    + e.reason());
            store.audit(new IdentityStore.AuditEntry(municipality.id(), current.map(Account::id), providerId,
                    "failed", Optional.of(e.reason()), Optional.empty(), clock.instant()));
            throw e;
        }
    }

    private Completed completeChecked(Municipality municipality, String providerId, Callback callback,
                                      Optional<String> browser, Optional<Account> current) {
        OidcClient client = client(municipality, providerId);
        String state = callback.state().filter(s -> !s.isBlank())
                .orElseThrow(() -> IdentityFailure.rejected("state-missing"));
        LoginAttempt login = store.take(Tokens.sha256Hex(state))
                .orElseThrow(() -> IdentityFailure.rejected("state-unknown-or-used"));
        if (login.municipalityId() != municipality.id() || !login.provider().equals(providerId)) {
            throw IdentityFailure.rejected("state-for-another-provider");
        }
        if (!login.expiresAt().isAfter(clock.instant())) {
            throw IdentityFailure.rejected("login-expired");
        }
        if (browser.isEmpty()) {
            throw IdentityFailure.rejected("browser-binding-missing");
        }
        if (!Tokens.sha256Hex(browser.get()).equals(login.browserHash())) {
            throw IdentityFailure.rejected("browser-binding-mismatch");
        }
        if (callback.error().isPresent()) {
            String error = callback.error().get().matches("[a-z_]{1,40}") ? callback.error().get() : "other";
            throw new IdentityFailure(IdentityFailure.Kind.DENIED, "provider-error:" + error,
                    "The sign-in was cancelled at the identity service. You can try again at any time.",
                    "本人確認サービスで手続きが取り消されました。いつでもやり直せます。");
        }
        String code = callback.code().filter(c -> !c.isBlank())
                .orElseThrow(() -> IdentityFailure.rejected("code-missing"));
        OidcClient.Completed done = client.complete(code, login.codeVerifier(), login.nonce());
        if (!store.firstUse(done.tokenId(), done.expiresAt().plus(OidcClient.MAX_CLOCK_SKEW))) {
            throw IdentityFailure.rejected("id-token-replayed");
        }
        LocalDate today = LocalDate.now(clock.withZone(municipality.zone()));
        VerifiedFacts facts = client.userdata().map(api -> {
            // A returning resident's facts may be stale at xID (a move): ask it to renew them first.
            if (login.purpose() != LoginAttempt.Purpose.REGISTER) {
                api.renew(done.accessToken());
            }
            return XidUserdataApi.facts(api.fetch(done.accessToken(), today), done.subject(), done.claims());
        }).orElseGet(() -> client.provider().profile().mapping().map(done.claims(), today));
        if (!facts.subject().equals(done.subject())) {
            throw IdentityFailure.rejected("subject-mismatch");
        }
        Account.Residency residency = ResidencyJudge.judge(facts.address().prefecture(),
                facts.address().city(), municipality.prefecture(), municipality.city());
        Linked linked = switch (login.purpose()) {
            case REGISTER -> register(municipality, providerId, facts, residency, login.returnTo());
            case LOGIN -> login(municipality, providerId, facts, residency, login.returnTo());
            case VERIFY -> verify(municipality, providerId, facts, residency, login, current);
        };
        // xID's refresh token, kept sealed, lets the renewal job re-verify the resident between logins.
        if (client.userdata().isPresent()) {
            renewal.keep(linked.accountId(), municipality.id(), providerId, done.refreshToken());
        }
        return linked.completed();
    }

    /** A flow's outcome, with the account it linked. */
    private record Linked(UUID accountId, Completed completed) {
    }

    private Linked register(Municipality municipality, String providerId, VerifiedFacts facts,
                               Account.Residency residency, String returnTo) {
        Optional<UUID> existing = store.accountFor(municipality.id(), providerId, facts.subject());
        if (existing.isPresent()) {
            return login(municipality, providerId, facts, residency, returnTo);
        }
        samePerson.admit(municipality.id(), providerId, facts, Optional.empty());
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        IdentityStore.CreateOutcome outcome = store.createVerified(id, municipality.id(), facts.email(), providerId,
                facts, residency, now);
        if (outcome == IdentityStore.CreateOutcome.EMAIL_TAKEN) {
            // Almost always the same person with an older password account: verify that one instead.
            audit(municipality, Optional.empty(), providerId, "email-in-use", facts);
            throw new IdentityFailure(IdentityFailure.Kind.DUPLICATE_PERSON, "email-in-use",
                    "An account with your e-mail address already exists. Log in to it and verify your identity from"
                            + " your page instead of registering again.",
                    "このメールアドレスで登録済みのアカウントがあります。新規登録ではなく、そのアカウントでログインし、"
                            + "マイページから本人確認をしてください。");
        }
        if (outcome == IdentityStore.CreateOutcome.SUBJECT_TAKEN) {
            return login(municipality, providerId, facts, residency, returnTo);
        }
        audit(municipality, Optional.of(id), providerId, "registered", facts);
        LOG.log(Level.INFO, "Resident registered through " + providerId + " in " + municipality.code()
                + " (" + residency.wire() + ")");
        Account account = accounts.find(id).orElseThrow();
        return new Linked(id, new Completed(Optional.of(accounts.startSession(account)), returnTo));
    }

    private Linked login(Municipality municipality, String providerId, VerifiedFacts facts,
                            Account.Residency residency, String returnTo) {
        UUID id = store.accountFor(municipality.id(), providerId, facts.subject())
                .orElseThrow(() -> new IdentityFailure(IdentityFailure.Kind.NOT_REGISTERED, "not-registered",
                        "No account here is linked to this person yet. Register with xID first.",
                        "この方の xID で登録されたアカウントはまだありません。先に「xID で新規登録」を行ってください。"));
        // Every login through the provider brings fresh facts: the verification is renewed with them.
        store.link(id, municipality.id(), providerId, facts, residency, clock.instant());
        audit(municipality, Optional.of(id), providerId, "logged-in", facts);
        Account account = accounts.find(id).orElseThrow(() -> IdentityFailure.rejected("account-gone"));
        return new Linked(id, new Completed(Optional.of(accounts.startSession(account)), returnTo));
    }

    private Linked verify(Municipality municipality, String providerId, VerifiedFacts facts,
                             Account.Residency residency, LoginAttempt login, Optional<Account> current) {
        UUID accountId = login.accountId().orElseThrow();
        if (current.isEmpty() || !current.get().id().equals(accountId)) {
            throw IdentityFailure.rejected("session-changed");
        }
        Profile profile = accounts.profile(current.get());
        Optional<UUID> holder = store.accountFor(municipality.id(), providerId, facts.subject());
        if (holder.isPresent() && !holder.get().equals(accountId)) {
            audit(municipality, Optional.of(accountId), providerId, "duplicate-person", facts);
            throw duplicatePerson();
        }
        // Linked at this provider, but not to this subject: someone else is verifying on this account.
        if (holder.isEmpty() && store.subjectAt(accountId, providerId).isPresent()) {
            audit(municipality, Optional.of(accountId), providerId, "different-person", facts);
            throw new IdentityFailure(IdentityFailure.Kind.DUPLICATE_PERSON, "different-person",
                    "This account was verified as another person. Unlink it first if it really changes hands.",
                    "このアカウントは別の方として本人確認されています。持ち主が変わる場合は、先に連携を解除してください。");
        }
        if (holder.isEmpty()) {
            samePerson.admit(municipality.id(), providerId, facts, Optional.of(accountId));
        }
        if (!store.link(accountId, municipality.id(), providerId, facts, residency, clock.instant())) {
            audit(municipality, Optional.of(accountId), providerId, "duplicate-person", facts);
            throw duplicatePerson();
        }
        audit(municipality, Optional.of(accountId), providerId,
                profile.link().isPresent() ? "re-verified" : "verified", facts);
        LOG.log(Level.INFO, "Account verified through " + providerId + " in " + municipality.code()
                + " (" + residency.wire() + ")");
        return new Linked(accountId, new Completed(Optional.empty(), login.returnTo()));
    }

    /**
     * @param account the logged-in account
     * @return what renewed verifications changed in its facts, the latest first
     */
    public List<IdentityStore.Change> changes(Account account) {
        return store.changes(account.id());
    }

    /**
     * Ends the link between the account and its verified person: name, address and birth date become
     * editable again and residency unknown.
     *
     * @param municipality where
     * @param account      the logged-in account
     */
    public void unlink(Municipality municipality, Account account) {
        Profile profile = accounts.profile(account);
        if (profile.link().isPresent() && !profile.hasPassword()) {
            throw Problem.conflict("unlink-would-lock-out",
                    "This account was registered with xID and has no password: unlinked, you could not log in again."
                            + " To stop using it, delete the account instead.",
                    "このアカウントは xID で登録されたためパスワードがなく、連携を解除するとログインできなくなります。"
                            + "利用をやめる場合は退会（アカウント削除）をしてください。");
        }
        Optional<String> provider = profile.link().map(IdentityLink::provider);
        if (store.unlink(account.id())) {
            store.audit(new IdentityStore.AuditEntry(municipality.id(), Optional.of(account.id()),
                    provider.orElse(null), "unlinked", Optional.empty(), Optional.empty(), clock.instant()));
        }
    }

    private static IdentityFailure duplicatePerson() {
        return new IdentityFailure(IdentityFailure.Kind.DUPLICATE_PERSON, "duplicate-person",
                "This person is already verified on another account here. One person can hold one account:"
                        + " log in to that account with xID instead.",
                "この方は、すでに別のアカウントで本人確認されています。お一人につき 1 アカウントです。"
                        + "xID でログインして、そちらのアカウントをお使いください。");
    }

    private void audit(Municipality municipality, Optional<UUID> accountId, String providerId, String event,
                       VerifiedFacts facts) {
        store.audit(new IdentityStore.AuditEntry(municipality.id(), accountId, providerId, event, Optional.empty(),
                Optional.of(facts.subject()), clock.instant()));
    }

    private OidcClient client(Municipality municipality, String providerId) {
        return providers.client(municipality.code(), providerId)
                .orElseThrow(() -> Problem.notFound("identity provider", "本人確認サービス"));
    }

    /**
     * @param redirect where to send the browser
     * @param browser  the binding to keep in the browser's cookie
     * @param state    the state sent to the provider (names the cookie)
     */
    public record Started(URI redirect, String browser, String state) {
    }

    /**
     * @param municipality where
     * @param providerId   which provider
     * @return its registered callback address, if the municipality has enabled it
     */
    public Optional<URI> redirectUri(Municipality municipality, String providerId) {
        return providers.client(municipality.code(), providerId).map(c -> c.provider().redirectUri());
    }

    /**
     * The callback's query parameters.
     *
     * @param state the state
     * @param code  the authorization code
     * @param error the provider's error code, when the person cancelled or it failed
     */
    public record Callback(Optional<String> state, Optional<String> code, Optional<String> error) {
    }

    /**
     * @param session  a new session, for register and login
     * @param returnTo where to go next
     */
    public record Completed(Optional<AccountService.Session> session, String returnTo) {
    }
}
