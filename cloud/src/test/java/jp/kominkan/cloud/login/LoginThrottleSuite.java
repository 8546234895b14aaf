package jp.kominkan.cloud.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Password guessing is slowed for residents and staff, on the API and the login pages: per (account, source), per
 * account and per source, with waits that grow and are capped, never a lock; alike for unknown e-mails; counted by
 * the database, so a burst of concurrent guesses and a second instance on the same database count too. Cloud
 * {@code a} trusts 127.0.0.1 as a proxy, so a test picks its source address with {@code X-Forwarded-For}; cloud
 * {@code b}, on the same database, trusts nobody.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LoginThrottleSuite {

    static final String PASSWORD = "yamabuki river stones 7";
    static final String WAIT_JA = "ログインの失敗が続いたため、しばらくログインできません。";
    MutableClock clock;
    Cloud a;
    Cloud b;
    Http http;
    Http other;
    final AtomicInteger serial = new AtomicInteger();

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        TestDatabases.Jdbc jdbc = TestDatabases.fresh(kind());
        a = TestCloud.start(jdbc, clock, true, Map.of("kominkan.trusted-proxies.0", "127.0.0.1"));
        b = TestCloud.start(jdbc, clock, false);
        http = new Http(a.port());
        other = new Http(b.port());
    }

    @AfterAll
    void stop() {
        b.close();
        a.close();
    }

    @Test
    void twoHundredWrongGuessesAreThrottledTheRightPasswordWaitsTooAndAnotherAccountIsUnaffected() {
        String email = givenResident();
        String source = source();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            Http.Answer guess = login(http, email, "wrong guess number " + i, source);
            statuses.add(guess.status());
            if (guess.status() == 429) {
                assertThat(guess.header("Retry-After")).isEqualTo("1");
                assertThat(guess.json().get("detail").asText()).startsWith(WAIT_JA);
                assertThat(guess.header("Cache-Control")).isEqualTo("no-store");
            }
        }
        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(statuses.subList(5, 200)).containsOnly(429);
        Http.Answer right = login(http, email, PASSWORD, source);
        assertThat(right.status()).as("the right password during the wait").isEqualTo(429);
        assertThat(right.header("Retry-After")).isEqualTo("1");

        // An e-mail without an account is answered alike: nobody learns from the throttle which accounts exist.
        String nobody = "nobody" + serial.incrementAndGet() + "@example.jp";
        List<Http.Answer> unknown = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            unknown.add(login(http, nobody, "wrong guess number " + i, source));
        }
        assertThat(unknown.stream().map(Http.Answer::status).toList()).containsExactly(401, 401, 401, 401, 401, 429, 429);
        assertThat(unknown.get(6).body()).isEqualTo(right.body());
        assertThat(unknown.get(6).header("Retry-After")).isEqualTo(right.header("Retry-After"));

        // Another account from the very same address logs in.
        String neighbour = givenResident();
        assertThat(login(http, neighbour, PASSWORD, source).status()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(1));
        assertThat(login(http, email, PASSWORD, source).status()).as("after the wait").isEqualTo(200);
        assertThat(pairFailures(LoginThrottle.Realm.RESIDENT, email, source)).as("success forgets").isEmpty();
        assertThat(login(http, email, "one more typo", source).status()).isEqualTo(401);
    }

    @Test
    void theWaitDoublesAfterEachFailureUpToFifteenMinutesAndFailuresAreForgottenAfterADay() {
        String email = givenResident();
        String source = source();
        for (int i = 0; i < 5; i++) {
            assertThat(login(http, email, "wrong " + i, source).status()).isEqualTo(401);
        }
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Http.Answer refused = login(http, email, "wrong again " + i, source);
            assertThat(refused.status()).isEqualTo(429);
            long wait = Long.parseLong(refused.header("Retry-After"));
            waits.add(wait);
            if (wait >= 120) {
                assertThat(refused.json().get("detail").asText()).contains("約 " + (wait + 59) / 60 + " 分後");
            }
            clock.advance(Duration.ofSeconds(wait));
            assertThat(login(http, email, "wrong again " + i, source).status()).isEqualTo(401);
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L, 900L);
        clock.advance(Duration.ofDays(1));
        assertThat(login(http, email, "a day later", source).status()).isEqualTo(401);
        assertThat(pairFailures(LoginThrottle.Realm.RESIDENT, email, source)).contains(1);
    }

    /**
     * The account's own budget holds for an address that has not failed before (docs/decisions.md): else a botnet
     * would get five guesses per address. It starts later, at 20 failures, and is a wait like the others.
     */
    @Test
    void guessesSpreadOverManyAddressesSpendTheAccountsBudgetForEveryAddress() {
        String email = givenResident();
        for (int s = 0; s < 5; s++) {
            String source = source();
            for (int i = 0; i < 4; i++) {
                assertThat(login(http, email, "spread " + s + "/" + i, source).status()).isEqualTo(401);
            }
        }
        String fresh = source();
        Http.Answer refused = login(http, email, PASSWORD, fresh);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(login(http, email, PASSWORD, fresh).status()).isEqualTo(200);
    }

    @Test
    void oneAddressGuessingAtManyAccountsIsSlowedForAnyAccountButOtherAddressesAreNot() {
        String source = source();
        for (int i = 0; i < 100; i++) {
            assertThat(login(http, "victim" + serial.incrementAndGet() + "@example.jp", "123456789012", source)
                    .status()).isEqualTo(401);
        }
        String email = givenResident();
        assertThat(login(http, email, PASSWORD, source).status()).isEqualTo(429);
        assertThat(login(http, email, PASSWORD, source()).status()).isEqualTo(200);
    }

    @Test
    void concurrentGuessesAreCountedOneByOneByTheDatabase() throws Exception {
        String email = givenResident();
        String source = source();
        int n = 30;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<CompletableFuture<Integer>> guesses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int guess = i;
                guesses.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return login(http, email, "concurrent " + guess, source).status();
                }, pool));
            }
            go.countDown();
            List<Integer> statuses = guesses.stream().map(CompletableFuture::join).toList();
            assertThat(statuses.stream().filter(s -> s == 401).count()).as(statuses.toString()).isEqualTo(5);
            assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(n - 5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(pairFailures(LoginThrottle.Realm.RESIDENT, email, source)).contains(5);
    }

    @Test
    void xForwardedForIsIgnoredUnlessTheProxyIsTrustedAndInstancesShareTheCounters() {
        String email = givenResident();
        for (int i = 0; i < 5; i++) {
            // Cloud b trusts no proxy: a client's own X-Forwarded-For does not make it a new address each time.
            Http.Answer guess = other.json("POST", "/api/v1/session", credentials(email, "forged " + i),
                    "X-Forwarded-For", "198.51.100." + i);
            assertThat(guess.status()).isEqualTo(401);
        }
        assertThat(other.json("POST", "/api/v1/session", credentials(email, "forged 5"), "X-Forwarded-For",
                "198.51.100.99").status()).isEqualTo(429);
        // Cloud a, on the same database, sees the same counters: its peer 127.0.0.1 without a forwarded address.
        assertThat(http.json("POST", "/api/v1/session", credentials(email, PASSWORD)).status()).isEqualTo(429);
    }

    @Test
    void staffGuessingIsThrottledOnTheApiAndTheLoginPageInJapanese() {
        String source = source();
        for (int i = 0; i < 5; i++) {
            assertThat(http.json("POST", "/api/v1/staff/session", credentials(DemoData.ADMIN_EMAIL, "wrong " + i),
                    "X-Forwarded-For", source).status()).isEqualTo(401);
        }
        Http.Answer api = http.json("POST", "/api/v1/staff/session",
                credentials(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD), "X-Forwarded-For", source);
        assertThat(api.status()).isEqualTo(429);
        assertThat(api.header("Retry-After")).isEqualTo("1");

        Http.Answer form = http.get("/staff/login", "X-Forwarded-For", source);
        String csrf = form.csrf();
        String cookie = "kominkan_csrf=" + form.cookie("kominkan_csrf");
        Http.Answer page = http.form("/staff/login", Map.of("_csrf", csrf, "email", DemoData.ADMIN_EMAIL,
                "password", DemoData.ADMIN_PASSWORD), "Cookie", cookie, "X-Forwarded-For", source);
        assertThat(page.status()).isEqualTo(429);
        assertThat(page.header("Retry-After")).isEqualTo("1");
        assertThat(page.body()).contains(WAIT_JA);
        assertThat(page.setCookies()).noneMatch(c -> c.startsWith("kominkan_staff="));

        // After the wait the page logs in.
        clock.advance(Duration.ofSeconds(1));
        assertThat(http.form("/staff/login", Map.of("_csrf", csrf, "email", DemoData.ADMIN_EMAIL,
                "password", DemoData.ADMIN_PASSWORD), "Cookie", cookie, "X-Forwarded-For", source).status())
                .isEqualTo(303);
    }

    @Test
    void theResidentLoginPageAnswersTheWaitInJapaneseWithRetryAfter() {
        String email = givenResident();
        String source = source();
        Http.Answer form = http.get("/login", "X-Forwarded-For", source);
        String cookie = "kominkan_csrf=" + form.cookie("kominkan_csrf");
        for (int i = 0; i < 5; i++) {
            assertThat(http.form("/login", Map.of("_csrf", form.csrf(), "email", email, "password", "wrong " + i),
                    "Cookie", cookie, "X-Forwarded-For", source).status()).isEqualTo(401);
        }
        Http.Answer page = http.form("/login", Map.of("_csrf", form.csrf(), "email", email, "password", PASSWORD),
                "Cookie", cookie, "X-Forwarded-For", source);
        assertThat(page.status()).isEqualTo(429);
        assertThat(page.header("Retry-After")).isEqualTo("1");
        assertThat(page.body()).contains(WAIT_JA).contains("lang=\"ja\"");
        assertThat(page.setCookies()).noneMatch(c -> c.startsWith("kominkan_session="));
    }

    private Http.Answer login(Http to, String email, String password, String source) {
        return to.json("POST", "/api/v1/session", credentials(email, password), "X-Forwarded-For", source);
    }

    private static String credentials(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    private String givenResident() {
        String email = "guess" + serial.incrementAndGet() + "@example.jp";
        Http.Answer made = http.json("POST", "/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\""
                + PASSWORD + "\",\"name\":\"山吹 太郎\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return email;
    }

    private String source() {
        int n = serial.incrementAndGet();
        return "203.0." + (n / 250) + "." + (n % 250 + 1);
    }

    private java.util.Optional<Integer> pairFailures(LoginThrottle.Realm realm, String email, String source) {
        Municipality town = a.services().municipalities().byCode(DemoData.CODE).orElseThrow();
        return throttle().pairFailures(realm, town.id(), email, source);
    }

    private LoginThrottle throttle() {
        return new LoginThrottle(new LoginAttempts(a.database().client()),
                jp.kominkan.cloud.grant.GrantKeyStore.openOrCreate(TestCloud.KEYS)
                        .derivedKey("kominkan-login-throttle-v1"), clock);
    }
}
