package jp.kominkan.cloud.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;

/**
 * Registration, password login and sessions. A session token is 256 random bits, handed to the
 * client once; only its SHA-256 is stored, so a copy of the database opens no sessions.
 */
public final class AccountService {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final int MIN_PASSWORD = 10;
    private static final int MAX_PASSWORD = 128;
    private static final int MAX_NAME = 100;

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Duration sessionLifetime;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param accounts        where accounts live
     * @param hasher          the password hasher
     * @param clock           the clock
     * @param sessionLifetime how long a login lasts
     */
    public AccountService(AccountRepository accounts, PasswordHasher hasher, Clock clock, Duration sessionLifetime) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.clock = clock;
        this.sessionLifetime = sessionLifetime;
    }

    /**
     * Registers a resident with e-mail and password.
     *
     * @param municipality where
     * @param email        e-mail
     * @param password     password
     * @param name         the person's name
     * @return the new account
     */
    public Account register(Municipality municipality, String email, String password, String name) {
        return create(municipality, email, password, name, Account.Role.RESIDENT);
    }

    /**
     * Creates an account of any role; staff accounts come from the demo data and, later, from
     * invitations.
     *
     * @param municipality where
     * @param email        e-mail
     * @param password     password
     * @param name         the person's name
     * @param role         resident or staff
     * @return the new account
     */
    public Account create(Municipality municipality, String email, String password, String name, Account.Role role) {
        String normalisedEmail = normaliseEmail(email);
        if (password == null || password.isBlank()) {
            throw Problem.badField("password", "Enter a password.", "パスワードを入力してください。");
        }
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw Problem.badField("password",
                    "The password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters long.",
                    "パスワードは " + MIN_PASSWORD + "〜" + MAX_PASSWORD + " 文字にしてください。");
        }
        String trimmedName = name == null ? "" : name.strip();
        if (trimmedName.isEmpty() || trimmedName.length() > MAX_NAME) {
            throw Problem.badField("name", "Enter your name (up to " + MAX_NAME + " characters).",
                    "お名前を入力してください（" + MAX_NAME + " 文字まで）。");
        }
        Account account = new Account(UUID.randomUUID(), municipality.id(), normalisedEmail, trimmedName, role,
                Account.Residency.UNKNOWN);
        if (!accounts.insert(account, hasher.hash(password), clock.instant())) {
            throw Problem.conflict("email-taken",
                    "An account with this e-mail already exists. Log in, or use another e-mail.",
                    "このメールアドレスは登録済みです。ログインするか、別のメールアドレスをお使いください。");
        }
        return account;
    }

    /**
     * Logs in with e-mail and password. An unknown e-mail and a wrong password fail alike, in
     * about the same time.
     *
     * @param municipality where
     * @param email        e-mail
     * @param password     password
     * @return a new session
     */
    public Session login(Municipality municipality, String email, String password) {
        if (email == null || password == null) {
            throw Problem.badRequest("missing-credentials", "Send both email and password.",
                    "メールアドレスとパスワードを入力してください。");
        }
        Optional<AccountRepository.Credential> found =
                accounts.findByEmail(municipality.id(), email.strip().toLowerCase(Locale.ROOT));
        boolean ok;
        if (found.isPresent()) {
            ok = hasher.verify(password, found.get().passwordHash());
        } else {
            hasher.verifyDecoy(password);
            ok = false;
        }
        if (!ok) {
            throw Problem.unauthorized("The e-mail or the password is wrong.",
                    "メールアドレスまたはパスワードが正しくありません。");
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(sessionLifetime);
        accounts.insertSession(tokenHash(token), found.get().account(), now, expiresAt);
        return new Session(token, expiresAt, found.get().account());
    }

    /**
     * The account a token belongs to, if the session is live and in this municipality.
     *
     * @param municipality the municipality the request is for
     * @param token        the token given
     * @return the account
     */
    public Optional<Account> authenticate(Municipality municipality, String token) {
        return accounts.findBySession(tokenHash(token), clock.instant())
                .filter(account -> account.municipalityId() == municipality.id());
    }

    /**
     * Ends a session.
     *
     * @param token the token
     */
    public void logout(String token) {
        accounts.deleteSession(tokenHash(token));
    }

    private static String normaliseEmail(String email) {
        String normalised = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (normalised.length() > 254 || !EMAIL.matcher(normalised).matches()) {
            throw Problem.badField("email", "Enter an e-mail address such as hanako@example.jp.",
                    "メールアドレスを正しく入力してください（例: hanako@example.jp）。");
        }
        return normalised;
    }

    static String tokenHash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
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
