package jp.kominkan.cloud.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.login.LoginThrottle;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;

/**
 * Registration, password login, sessions and the resident's profile. A session token is 256 random bits, handed to the
 * client once; only its SHA-256 is stored, so a copy of the database opens no sessions.
 */
public final class AccountService {

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Duration sessionLifetime;
    private final Duration verificationMaxAge;
    private final LoginThrottle throttle;

    /**
     * @param accounts        where accounts live
     * @param hasher          the password hasher
     * @param clock           the clock
     * @param sessionLifetime    how long a login lasts
     * @param verificationMaxAge how long a verification counts before the person must verify again
     * @param throttle           slows password guessing
     */
    public AccountService(AccountRepository accounts, PasswordHasher hasher, Clock clock, Duration sessionLifetime,
                          Duration verificationMaxAge, LoginThrottle throttle) {
        this.throttle = throttle;
        this.accounts = accounts;
        this.hasher = hasher;
        this.clock = clock;
        this.sessionLifetime = sessionLifetime;
        this.verificationMaxAge = verificationMaxAge;
    }

    /**
     * Registers a resident with e-mail and password ({@link PasswordPolicy}). Residency stays unknown until the
     * person verifies.
     *
     * @param municipality where
     * @param email        e-mail
     * @param password     password
     * @param name         the person's name
     * @return the new account
     */
    public Account register(Municipality municipality, String email, String password, String name) {
        String normalisedEmail = normaliseEmail(email);
        String trimmedName = PersonFields.name(name);
        PasswordPolicy.standard().check(password, PasswordPolicy.MIN_RESIDENT, Optional.of(normalisedEmail),
                Optional.of(trimmedName));
        Account account = new Account(UUID.randomUUID(), municipality.id(), Optional.of(normalisedEmail), trimmedName,
                Account.Residency.UNKNOWN);
        if (!accounts.insert(account, hasher.hash(password), clock.instant())) {
            throw emailTaken();
        }
        return account;
    }

    /**
     * Logs in with e-mail and password. An unknown e-mail, a wrong password and an account made
     * through a provider without a password fail alike, in about the same time; repeated failures are
     * slowed down by the {@link LoginThrottle}, alike for all three too.
     *
     * @param municipality where
     * @param email        e-mail
     * @param password     password
     * @param source       where the attempt comes from ({@link jp.kominkan.cloud.web.ClientAddress})
     * @return a new session
     * @throws Problem 401 when wrong, 429 with a wait while the throttle holds attempts back
     */
    public Session login(Municipality municipality, String email, String password, String source) {
        if (email == null || password == null) {
            throw missingCredentials();
        }
        return throttle.attempt(LoginThrottle.Realm.RESIDENT, municipality.id(), email, source,
                () -> checkPassword(municipality, email, password));
    }

    private static Problem missingCredentials() {
        return Problem.badRequest("missing-credentials", "Send both email and password.",
                "メールアドレスとパスワードを入力してください。");
    }

    private Session checkPassword(Municipality municipality, String email, String password) {
        Optional<AccountRepository.Credential> found = accounts.findByEmail(municipality.id(),
                email.strip().toLowerCase(Locale.ROOT), verifiedSince());
        if (!hasher.verifyOrDecoy(password, found.flatMap(AccountRepository.Credential::passwordHash))) {
            throw Problem.unauthorized("The e-mail or the password is wrong.",
                    "メールアドレスまたはパスワードが正しくありません。");
        }
        return startSession(found.get().account());
    }

    /**
     * Starts a session for an account whose person has just proved who they are.
     *
     * @param account the account
     * @return the session
     */
    public Session startSession(Account account) {
        String token = Tokens.random();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(sessionLifetime);
        accounts.insertSession(Tokens.sha256Hex(token), account, now, expiresAt);
        return new Session(token, expiresAt, account);
    }

    /**
     * The account a token belongs to, if the session is live and in this municipality.
     *
     * @param municipality the municipality the request is for
     * @param token        the token given
     * @return the account
     */
    public Optional<Account> authenticate(Municipality municipality, String token) {
        return accounts.findBySession(Tokens.sha256Hex(token), clock.instant(), verifiedSince())
                .filter(account -> account.municipalityId() == municipality.id());
    }

    /**
     * @param accountId an account
     * @return the live account
     */
    public Optional<Account> find(UUID accountId) {
        return accounts.find(accountId, verifiedSince());
    }

    /**
     * Ends a session.
     *
     * @param token the token
     */
    public void logout(String token) {
        accounts.deleteSession(Tokens.sha256Hex(token));
    }

    /**
     * @param account the logged-in account
     * @return its profile and verification
     */
    public Profile profile(Account account) {
        return accounts.profile(account.id(), verifiedSince())
                .orElseThrow(() -> Problem.unauthorized("This account no longer exists.", "このアカウントは存在しません。"));
    }

    /**
     * @param profile a profile
     * @return whether its verification is missing, current or expired
     */
    public VerificationStatus verificationStatus(Profile profile) {
        return profile.link()
                .map(link -> link.currentAt(clock.instant(), verificationMaxAge)
                        ? VerificationStatus.VERIFIED : VerificationStatus.EXPIRED)
                .orElse(VerificationStatus.UNVERIFIED);
    }

    /**
     * Changes the profile. While the account is linked to a verified person, name, address and birth
     * date are locked: they change in the provider's app and come back with the next verification.
     *
     * @param account the logged-in account
     * @param change  what to change; absent fields stay
     * @return the profile as it is now
     */
    public Profile update(Account account, ProfileChange change) {
        Profile current = profile(account);
        Profile changed = ProfileRules.apply(current, change);
        if (current.link().isPresent() && ProfileRules.verifiedFactsDiffer(current, changed)) {
            throw Problem.conflict("verified-field-locked",
                    "Name, address and birth date were verified with your My Number Card and cannot be edited here."
                            + " Change them in the xID app, then verify again.",
                    "氏名・住所・生年月日はマイナンバーカードで本人確認済みのため、ここでは変更できません。"
                            + "xID アプリで変更したうえで、もう一度本人確認をしてください。");
        }
        if (!accounts.update(changed)) {
            throw emailTaken();
        }
        return profile(account);
    }

    /**
     * Deletes the person's data; bookings stay, anonymous. Upcoming bookings must be cancelled first.
     *
     * @param account the logged-in account
     */
    public void delete(Account account) {
        accounts.anonymise(account.id(), clock.instant());
    }

    private Instant verifiedSince() {
        return clock.instant().minus(verificationMaxAge);
    }

    private static Problem emailTaken() {
        return Problem.conflict("email-taken",
                "An account with this e-mail already exists. Log in, or use another e-mail.",
                "このメールアドレスは登録済みです。ログインするか、別のメールアドレスをお使いください。");
    }

    static String normaliseEmail(String email) {
        return PersonFields.email(email).orElseThrow(() -> Problem.badField("email",
                "Enter an e-mail address such as hanako@example.jp.",
                "メールアドレスを正しく入力してください（例: hanako@example.jp）。"));
    }


    /**
     * A login.
     *
     * @param token     the bearer token, shown once
     * @param expiresAt when it stops working
     * @param account   whose it is
     */
    public record Session(String token, Instant expiresAt, Account account) {
    }
}
