package jp.kominkan.cloud.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
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
 * The web front's hardening, each attack that must fail a test: common and personal passwords refused on
 * registration and for staff, NUL and bidi overrides refused in names, e-mails and profile text, cross-site writes
 * with a session cookie refused on the API and the pages, CSRF tokens bound to the session, and no-store on every
 * answer with personal data. Bad input changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebFrontSuite {

    static final String PASSWORD = "yamabuki river stones 7";
    static final String EVIL = "https://evil.example";
    Cloud cloud;
    Http http;
    String host;
    final AtomicInteger serial = new AtomicInteger();

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        cloud = TestCloud.start(TestDatabases.fresh(kind()), new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS)),
                true);
        http = new Http(cloud.port());
        host = "127.0.0.1:" + cloud.port();
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    // ---- passwords -------------------------------------------------------------------------------------------

    @Test
    void commonShortRepetitiveAndPersonalPasswordsAreRefusedOnRegistrationAndNothingIsStored() {
        String email = "hanako.yamabuki" + serial.incrementAndGet() + "@example.jp";
        String local = email.substring(0, email.indexOf('@'));
        Map<String, String> refused = Map.of(
                "1234567890", "よく使われている", "SAKURA12345", "よく使われている", "doraemon2024", "よく使われている",
                "password123", "よく使われている", "0987654321", "よく使われている", "aaaaaaaaaaaa", "よく使われている",
                "short", "10〜128 文字", email.toUpperCase(), "メールアドレスやお名前", local, "メールアドレスやお名前",
                "yamabuki  HANAKO", "メールアドレスやお名前");
        for (Map.Entry<String, String> attempt : refused.entrySet()) {
            Http.Answer answer = register(email, attempt.getKey(), "Yamabuki Hanako");
            assertThat(answer.status()).as(attempt.getKey()).isEqualTo(400);
            assertThat(answer.json().get("field").asText()).isEqualTo("password");
            assertThat(answer.json().get("detail").asText()).as(attempt.getKey()).contains(attempt.getValue());
        }
        assertThat(accounts(email)).isZero();
        // No composition rules: a long phrase in Japanese, spaces and all, is a good password.
        assertThat(register(email, "やまぶき川の 石を拾う日曜日", "Yamabuki Hanako").status()).isEqualTo(201);
        assertThat(accounts(email)).isEqualTo(1);
    }

    @Test
    void theDemoPasswordsStillWork() {
        assertThat(http.json("POST", "/api/v1/session", credentials(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD))
                .status()).isEqualTo(200);
        assertThat(http.json("POST", "/api/v1/staff/session", credentials(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD))
                .status()).isEqualTo(200);
    }

    @Test
    void staffInvitationsRefuseCommonAndOwnPasswordsAndTheRegistrationPageSaysItInJapanese() {
        Municipality town = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
        String email = "kakari" + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        String link = cloud.services().staff().inviteFirstAdministrator(town, email, "http://" + host);
        String token = link.substring(link.indexOf("#token=") + 7);
        for (String password : new String[] {"qwertyuiop123", "sunshine2000", email, "password2025", "eleven char"}) {
            Http.Answer answer = http.json("POST", "/api/v1/staff/invitations/accept",
                    "{\"token\":\"" + token + "\",\"name\":\"係 一郎\",\"password\":\"" + password + "\"}");
            assertThat(answer.status()).as(password).isEqualTo(400);
            assertThat(answer.json().get("field").asText()).isEqualTo("password");
        }
        assertThat(http.json("POST", "/api/v1/staff/invitations/accept",
                "{\"token\":\"" + token + "\",\"name\":\"係 一郎\",\"password\":\"" + PASSWORD + "\"}").status())
                .isEqualTo(201);

        Http.Answer form = http.get("/register");
        Http.Answer page = http.form("/register", Map.of("_csrf", form.csrf(), "email", "page@example.jp",
                "password", "1234567890", "name", "山吹 次郎"), "Cookie", "kominkan_csrf=" + form.cookie("kominkan_csrf"));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("このパスワードはよく使われているため").contains("id=\"password-error\"");
        assertThat(accounts("page@example.jp")).isZero();
        Http.Answer registered = http.form("/register", Map.of("_csrf", form.csrf(), "email", "page@example.jp",
                "password", PASSWORD, "name", "山吹 次郎"), "Cookie", "kominkan_csrf=" + form.cookie("kominkan_csrf"));
        assertThat(registered.status()).isEqualTo(303);
        assertThat(registered.header("Location")).isEqualTo("/mypage");
        assertThat(http.get("/mypage", "Cookie", "kominkan_session=" + registered.cookie("kominkan_session")).status())
                .as("registered and logged in").isEqualTo(200);
    }

    // ---- names and e-mails -------------------------------------------------------------------------------------

    @Test
    void nulControlAndBidiOverrideCharactersAreRefusedInNamesEmailsAndProfileText() {
        for (String name : new String[] {"山吹\u0000花子", "\u202Eevil", "山吹\u0007花子", "a\u2028b", "山吹\uE000"}) {
            Http.Answer answer = register("n" + serial.incrementAndGet() + "@example.jp", PASSWORD, name);
            assertThat(answer.status()).as(name).isEqualTo(400);
            assertThat(answer.json().get("field").asText()).isEqualTo("name");
        }
        Http.Answer email = register("a\u0000b" + serial.incrementAndGet() + "@example.jp", PASSWORD, "山吹 花子");
        assertThat(email.status()).isEqualTo(400);
        assertThat(email.json().get("field").asText()).isEqualTo("email");
        assertThat(register("x\u202E" + serial.incrementAndGet() + "@example.jp", PASSWORD, "山吹 花子").status())
                .isEqualTo(400);

        String token = residentToken();
        String before = http.json("GET", "/api/v1/me", null, "Authorization", "Bearer " + token).body();
        for (String change : new String[] {"{\"organisation\":\"\\u202Egnp.ltne\"}", "{\"name\":\"\\u0000\"}",
                "{\"address\":{\"prefecture\":\"山梨県\",\"city\":\"山吹\\u0007市\",\"rest\":\"1\"}}",
                "{\"email\":\"me\\u0000@example.jp\"}"}) {
            Http.Answer answer = http.json("PATCH", "/api/v1/me", change, "Authorization", "Bearer " + token);
            assertThat(answer.status()).as(change).isEqualTo(400);
        }
        assertThat(http.json("GET", "/api/v1/me", null, "Authorization", "Bearer " + token).body()).isEqualTo(before);

        Http.Answer staff = http.json("POST", "/api/v1/staff/invitations",
                "{\"email\":\"x\\u0000y@city.example.lg.jp\",\"role\":\"main\"}", "Authorization", "Bearer " + adminToken());
        assertThat(staff.status()).isEqualTo(400);
        assertThat(staff.json().get("field").asText()).isEqualTo("email");
    }

    // ---- cross-site writes and CSRF -----------------------------------------------------------------------------

    @Test
    void aCrossSiteWriteWithTheSessionCookieIsRefusedOnTheApiButABearerTokenOrTheSameOriginIsNot() {
        String token = residentToken();
        String cookie = "kominkan_session=" + token;
        String change = "{\"organisation\":\"山吹の会\"}";
        String before = http.json("GET", "/api/v1/me", null, "Cookie", cookie).body();
        String[][] crossSite = {{"Origin", EVIL}, {"Origin", "null"}, {"Origin", "http://127.0.0.1:1"},
                {"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"}};
        for (String[] header : crossSite) {
            Http.Answer refused = http.json("PATCH", "/api/v1/me", change, "Cookie", cookie, header[0], header[1]);
            assertThat(refused.status()).as(header[0] + ": " + header[1]).isEqualTo(403);
            assertThat(refused.json().get("detail").asText()).contains("他のサイトから送信されたため");
        }
        // A cancellation with the cookie from another site is refused before the booking is even looked up.
        assertThat(http.json("DELETE", "/api/v1/reservations/" + UUID.randomUUID(), null, "Cookie", cookie,
                "Origin", EVIL).status()).isEqualTo(403);
        assertThat(http.json("GET", "/api/v1/me", null, "Cookie", cookie).body()).isEqualTo(before);

        assertThat(http.json("PATCH", "/api/v1/me", change, "Cookie", cookie, "Origin", "http://" + host).status())
                .isEqualTo(200);
        assertThat(http.json("PATCH", "/api/v1/me", change, "Cookie", cookie, "Sec-Fetch-Site", "same-origin").status())
                .isEqualTo(200);
        assertThat(http.json("PATCH", "/api/v1/me", change, "Authorization", "Bearer " + token, "Origin", EVIL).status())
                .as("a bearer token is no ambient authority").isEqualTo(200);
        assertThat(http.json("GET", "/api/v1/me", null, "Cookie", cookie, "Origin", EVIL).status())
                .as("reads are not writes").isEqualTo(200);
    }

    @Test
    void crossSiteFormsAreRefusedOnThePagesBeforeAndAfterLogin() {
        Http.Answer loginPage = http.get("/login");
        String csrfCookie = "kominkan_csrf=" + loginPage.cookie("kominkan_csrf");
        Map<String, String> login = Map.of("_csrf", loginPage.csrf(), "email", DemoData.RESIDENT_EMAIL,
                "password", DemoData.RESIDENT_PASSWORD);
        Http.Answer crossLogin = http.form("/login", login, "Cookie", csrfCookie, "Sec-Fetch-Site", "cross-site");
        assertThat(crossLogin.status()).as("login CSRF").isEqualTo(403);
        assertThat(crossLogin.setCookies()).noneMatch(c -> c.startsWith("kominkan_session="));
        Http.Answer loggedIn = http.form("/login", login, "Cookie", csrfCookie, "Origin", "http://" + host);
        assertThat(loggedIn.status()).isEqualTo(303);
        String cookies = "kominkan_session=" + loggedIn.cookie("kominkan_session") + "; kominkan_csrf="
                + loggedIn.cookie("kominkan_csrf");
        String csrf = http.get("/mypage", "Cookie", cookies).csrf();
        assertThat(http.form("/logout", Map.of("_csrf", csrf), "Cookie", cookies, "Origin", EVIL).status()).isEqualTo(403);
        assertThat(http.get("/mypage", "Cookie", cookies).status()).as("still logged in").isEqualTo(200);
        assertThat(http.form("/logout", Map.of("_csrf", csrf), "Cookie", cookies, "Sec-Fetch-Site", "same-origin")
                .status()).isEqualTo(303);
    }

    @Test
    void aResidentsCsrfTokenIsBoundToTheSessionSoASelfChosenPairOrAnotherResidentsTokenFails() {
        String email = givenResident();
        String mine = "kominkan_session=" + http.json("POST", "/api/v1/session", credentials(email, PASSWORD)).json()
                .get("token").asText() + "; kominkan_csrf=" + "m".repeat(43);
        String theirs = "kominkan_session=" + http.json("POST", "/api/v1/session",
                credentials(givenResident(), PASSWORD)).json().get("token").asText() + "; kominkan_csrf=" + "m".repeat(43);
        Map<String, String> contact = Map.of("email", email, "phone", "055-123-4567", "organisation", "");
        String before = http.get("/mypage", "Cookie", mine).body();
        String chosen = "m".repeat(43);
        assertThat(http.form("/mypage", with(contact, chosen), "Cookie", mine).status()).as("self-chosen").isEqualTo(403);
        String theirToken = http.get("/mypage", "Cookie", theirs).csrf();
        assertThat(http.form("/mypage", with(contact, theirToken), "Cookie", mine).status()).as("another's")
                .isEqualTo(403);
        assertThat(http.get("/mypage", "Cookie", mine).body()).isEqualTo(before);
        String myToken = http.get("/mypage", "Cookie", mine).csrf();
        assertThat(http.form("/mypage", with(contact, myToken), "Cookie", mine).status()).isEqualTo(303);
    }

    // ---- caching ------------------------------------------------------------------------------------------------

    @Test
    void answersWithPersonalDataAreNoStoreAndPublicOnesStillCache() {
        String token = residentToken();
        String bearer = "Bearer " + token;
        for (String path : new String[] {"/api/v1/me", "/api/v1/reservations/mine"}) {
            assertThat(http.json("GET", path, null, "Authorization", bearer).header("Cache-Control")).as(path)
                    .isEqualTo("no-store");
        }
        assertThat(http.json("POST", "/api/v1/session", credentials(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD))
                .header("Cache-Control")).isEqualTo("no-store");
        assertThat(http.json("GET", "/api/v1/me", null).header("Cache-Control")).as("a 401 too").isEqualTo("no-store");
        assertThat(http.json("GET", "/api/v1/staff/residents", null, "Authorization", "Bearer " + adminToken())
                .header("Cache-Control")).isEqualTo("no-store");
        assertThat(http.get("/mypage", "Cookie", "kominkan_session=" + token).header("Cache-Control"))
                .isEqualTo("no-store");
        assertThat(http.get("/api/v1/facilities").header("Cache-Control")).doesNotContain("no-store");
        assertThat(http.get("/static/site.css").header("Cache-Control")).contains("max-age");
    }

    private static Map<String, String> with(Map<String, String> form, String csrf) {
        Map<String, String> all = new java.util.HashMap<>(form);
        all.put("_csrf", csrf);
        return all;
    }

    private Http.Answer register(String email, String password, String name) {
        return http.json("POST", "/api/v1/accounts", "{\"email\":" + jsonString(email) + ",\"password\":"
                + jsonString(password) + ",\"name\":" + jsonString(name) + "}");
    }

    private static String jsonString(String text) {
        try {
            return jp.kominkan.cloud.web.Json.mapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String givenResident() {
        String email = "front" + serial.incrementAndGet() + "@example.jp";
        assertThat(register(email, PASSWORD, "山吹 太郎").status()).isEqualTo(201);
        return email;
    }

    private String residentToken() {
        return http.json("POST", "/api/v1/session", credentials(givenResident(), PASSWORD)).json().get("token").asText();
    }

    private String adminToken() {
        return http.json("POST", "/api/v1/staff/session", credentials(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD))
                .json().get("token").asText();
    }

    private static String credentials(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    private long accounts(String email) {
        return cloud.database().client().execute().get("select count(*) as n from account where email = ?", email)
                .orElseThrow().column("n").getLong();
    }
}
