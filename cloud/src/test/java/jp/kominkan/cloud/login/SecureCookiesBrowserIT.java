package jp.kominkan.cloud.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/**
 * With {@code kominkan.secure-cookie} at its default (true) the session and CSRF cookies are {@code __Host-} cookies:
 * Secure, {@code Path=/}, no {@code Domain}; an unprefixed session cookie (one a sibling sub-domain could plant) opens
 * nothing. Chromium treats {@code http://localhost} and {@code http://127.0.0.1} as secure contexts and keeps such
 * cookies there, so a resident logs in and out through the pages as behind TLS.
 */
class SecureCookiesBrowserIT {

    static Cloud cloud;
    static Http http;

    @BeforeAll
    static void start() {
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true,
                Map.of("kominkan.secure-cookie", "true"));
        http = new Http(cloud.port());
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void theSessionStaffAndCsrfCookiesAreHostPrefixedAndSecure() {
        String csrf = http.get("/login").setCookies().stream().filter(c -> c.startsWith("__Host-kominkan_csrf="))
                .findFirst().orElseThrow();
        assertHostCookie(csrf);
        Http.Answer login = http.json("POST", "/api/v1/session",
                "{\"email\":\"" + DemoData.RESIDENT_EMAIL + "\",\"password\":\"" + DemoData.RESIDENT_PASSWORD + "\"}");
        String session = login.setCookies().stream().filter(c -> c.startsWith("__Host-kominkan_session=")).findFirst()
                .orElseThrow();
        assertHostCookie(session);
        assertThat(session).containsIgnoringCase("SameSite=Lax");
        Http.Answer staff = http.json("POST", "/api/v1/staff/session",
                "{\"email\":\"" + DemoData.ADMIN_EMAIL + "\",\"password\":\"" + DemoData.ADMIN_PASSWORD + "\"}");
        String staffCookie = staff.setCookies().stream().filter(c -> c.startsWith("__Host-kominkan_staff=")).findFirst()
                .orElseThrow();
        assertHostCookie(staffCookie);
        assertThat(staffCookie).containsIgnoringCase("SameSite=Strict");

        String token = login.json().get("token").asText();
        assertThat(http.get("/api/v1/me", "Cookie", "kominkan_session=" + token).status())
                .as("an unprefixed cookie is not ours when cookies are Secure").isEqualTo(401);
        assertThat(http.get("/api/v1/me", "Cookie", "__Host-kominkan_session=" + token).status()).isEqualTo(200);
        Http.Answer logout = http.json("DELETE", "/api/v1/session", null, "Cookie", "__Host-kominkan_session=" + token);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.setCookies()).anySatisfy(c -> assertThat(c).startsWith("__Host-kominkan_session=;")
                .containsIgnoringCase("Secure").contains("1970"));
        assertThat(http.get("/api/v1/me", "Cookie", "__Host-kominkan_session=" + token).status()).isEqualTo(401);
    }

    @Test
    void chromiumKeepsHostCookiesOnPlainHttpLocalhostSoTheLoginPagesWork() {
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            try (ChromePages pages = new ChromePages("http://" + host + ":" + cloud.port())) {
                pages.open("/login");
                pages.fill("email", DemoData.RESIDENT_EMAIL);
                pages.fill("password", DemoData.RESIDENT_PASSWORD);
                pages.submit("ログイン");
                pages.waitForPath("/mypage");
                Cookie session = pages.driver().manage().getCookieNamed("__Host-kominkan_session");
                assertThat(session).as(host).isNotNull();
                assertThat(session.isSecure()).isTrue();
                assertThat(session.isHttpOnly()).isTrue();
                assertThat(pages.driver().manage().getCookieNamed("kominkan_session")).isNull();
                assertThat(pages.text()).contains("山吹 花子");
                pages.check("mypage-secure-cookies-" + host);
                pages.submit("ログアウト");
                pages.open("/mypage");
                pages.waitFor(By.name("password"));
                assertThat(pages.driver().getCurrentUrl()).contains("/login");
                assertThat(pages.violations()).isEmpty();
            }
        }
    }

    private static void assertHostCookie(String setCookie) {
        assertThat(setCookie).containsIgnoringCase("; Secure").containsIgnoringCase("Path=/")
                .containsIgnoringCase("HttpOnly").doesNotContainIgnoringCase("Domain=");
    }
}
