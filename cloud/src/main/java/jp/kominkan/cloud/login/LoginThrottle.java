package jp.kominkan.cloud.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.web.Problem;

/**
 * Slows password guessing for residents and staff (docs/security.md, "Password guessing"). Every password login
 * spends three counters: the pair of account and source address (strict: 5 failures free), the account from
 * anywhere (20) and the source address for any account (100, for a city hall or school behind one address). Past
 * its budget a counter makes the next attempt wait 1, 2, 4… seconds after the last failure, at most 15 minutes;
 * failures are forgotten a day after the last one, and a success forgets the account's. A wait is answered with 429
 * and {@code Retry-After}, before any password is checked, the same for an e-mail with and without an account (the
 * counters are keyed by the e-mail as typed, never by whether it exists), so the throttle tells nobody which
 * accounts exist. The counters live in the database: every instance behind the load balancer sees the same.
 */
public final class LoginThrottle {

    /** Failures of one account from one source address. */
    static final Budget PAIR = new Budget(5, Duration.ofMinutes(15), Duration.ofDays(1));
    /** Failures of one account from any address: later than the pair, so a botnet cannot spend 5 per address. */
    static final Budget ACCOUNT = new Budget(20, Duration.ofMinutes(15), Duration.ofDays(1));
    /** Failures from one address against any account: a larger budget, many people may share the address. */
    static final Budget SOURCE = new Budget(100, Duration.ofMinutes(15), Duration.ofDays(1));

    /** Who logs in: residents and staff are counted apart, as their accounts are. */
    public enum Realm {
        /** A resident's account. */
        RESIDENT,
        /** A member of staff. */
        STAFF
    }

    private final LoginAttempts attempts;
    private final byte[] key;
    private final Clock clock;

    /**
     * @param attempts the counters
     * @param key      the secret the counters' keys are made with (so the table names no e-mail or address)
     * @param clock    the clock
     */
    public LoginThrottle(LoginAttempts attempts, byte[] key, Clock clock) {
        this.attempts = Objects.requireNonNull(attempts);
        this.key = key.clone();
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Runs one password login under the throttle.
     *
     * @param realm          resident or staff
     * @param municipalityId the municipality
     * @param email          the e-mail as sent (null: the login refuses it itself, nothing is counted)
     * @param source         the source address ({@link jp.kominkan.cloud.web.ClientAddress})
     * @param login          checks the password; throws a 401 {@link Problem} when it is wrong
     * @param <T>            what a login gives
     * @return what the login gave
     * @throws Problem 429 with a wait when a counter is spent, without running the login
     */
    public <T> T attempt(Realm realm, long municipalityId, String email, String source, Supplier<T> login) {
        if (email == null) {
            return login.get();
        }
        String account = realm + "\u0000" + municipalityId + "\u0000" + email.strip().toLowerCase(Locale.ROOT);
        LoginAttempts.Counter pair = counter("pair", account + "\u0000" + source, PAIR);
        LoginAttempts.Counter ofAccount = counter("account", account, ACCOUNT);
        LoginAttempts.Counter ofSource = counter("source", source, SOURCE);
        List<LoginAttempts.Counter> all = List.of(pair, ofAccount, ofSource);
        Instant now = clock.instant();
        Optional<Duration> wait = attempts.claim(all, now);
        if (wait.isPresent()) {
            throw throttled(wait.get());
        }
        T result;
        try {
            result = login.get();
        } catch (Problem problem) {
            if (problem.status() != 401) {
                attempts.giveBack(all); // not a guess: the request could not be tried (a missing password)
            }
            throw problem;
        }
        attempts.succeeded(List.of(pair, ofAccount), List.of(ofSource), now.minus(PAIR.window()));
        return result;
    }

    /**
     * @param realm          resident or staff
     * @param municipalityId the municipality
     * @param email          an e-mail
     * @param source         a source address
     * @return the failures counted for the pair (for tests: the table holds keys only)
     */
    public Optional<Integer> pairFailures(Realm realm, long municipalityId, String email, String source) {
        String account = realm + "\u0000" + municipalityId + "\u0000" + email.strip().toLowerCase(Locale.ROOT);
        return attempts.failures(counter("pair", account + "\u0000" + source, PAIR).keyHash());
    }

    private LoginAttempts.Counter counter(String scope, String subject, Budget budget) {
        return new LoginAttempts.Counter(Tokens.hmacHex(key, scope + "\u0000" + subject), scope, budget);
    }

    /**
     * @param wait how long the attempt must wait
     * @return the 429 that says so, in whole seconds rounded up
     */
    static Problem throttled(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        String english;
        String japanese;
        if (seconds < 120) {
            english = seconds + " seconds";
            japanese = seconds + " 秒";
        } else {
            long minutes = (seconds + 59) / 60;
            english = "about " + minutes + " minutes";
            japanese = "約 " + minutes + " 分";
        }
        return Problem.tooMany("Too many failed logins. Wait " + english + ", then try again.",
                "ログインの失敗が続いたため、しばらくログインできません。" + japanese + "後にもう一度お試しください。",
                Duration.ofSeconds(seconds));
    }
}
