package jp.kominkan.cloud.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.QrSvg;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.pass.DoorPassVerifier;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.pass.DoorPassVerifier;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The resident's journey in a real browser (Debian's headless Chromium through ChromeDriver):
 * register with the xID sandbox, verify, book, see the door code, cancel; every page checked with
 * axe-core (WCAG 2.1 A/AA) at 360 px and 1280 px, with no sideways scrolling at 360 px, and a
 * screenshot of each under {@code target/screenshots/}.
 */
class ResidentPagesBrowserIT {

    static MockOAuth2Server provider;
    static Cloud cloud;
    static String base;
    static ChromePages pages;
    static final MutableClock CLOCK = new MutableClock(java.time.Instant.now());

    @BeforeAll
    static void start() {
        // The demo's xID sandbox page, served by a real OpenID provider with interactive login.
        Path sandboxPage = Path.of("..", "xid-sandbox", "src", "main", "resources", "jp", "kominkan", "sandbox", "login.html");
        assertThat(sandboxPage).exists();
        provider = new MockOAuth2Server(new OAuth2Config(true, sandboxPage.toAbsolutePath().toString()));
        provider.start();
        int port = TestCloud.freePort();
        base = "http://127.0.0.1:" + port;
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", Integer.toString(port));
        String key = "kominkan.identity.providers.0.";
        settings.put(key + "municipality", DemoData.CODE);
        settings.put(key + "id", "xid");
        settings.put(key + "profile", "xid");
        settings.put(key + "issuer", provider.issuerUrl("xid").toString());
        settings.put(key + "client-id", "kominkan-browser-test");
        settings.put(key + "client-secret", "test-secret");
        settings.put(key + "redirect-uri", base + "/auth/xid/callback");
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), CLOCK, true, settings);
        pages = new ChromePages(base);
    }

    @AfterAll
    static void stop() throws IOException {
        if (pages != null) {
            pages.writeSummary("axe-summary.txt");
            pages.close();
        }
        cloud.close();
        provider.shutdown();
    }

    @Test
    void aResidentRegistersWithXidVerifiesBooksSeesTheCodeAndCancels() {
        pages.open("/");
        pages.check("top");
        assertThat(pages.driver().findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("ja");

        pages.click(By.linkText("新規登録"));
        pages.check("register");
        pages.click(By.partialLinkText("同意して xID で登録する"));
        // The sandbox's consent page: choose a demo person.
        pages.waitFor(By.xpath("//button[contains(., '髙橋 美咲')]")).click();
        pages.waitForPath("/mypage");
        assertThat(pages.text()).contains("確認済み", "髙橋 美咲", "市内", "山梨県山吹市駅前2-8");
        pages.check("mypage");

        // The provider gave no e-mail: the page asks for it; a wrong one is explained next to its field.
        pages.fill("email", "not-an-address");
        pages.fill("phone", "０５５-２２２-３３３３");
        pages.submit("保存する");
        assertThat(pages.driver().findElement(By.id("email-error")).getText()).contains("メールアドレス");
        assertThat(pages.driver().findElement(By.id("email")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(pages.driver().findElement(By.id("phone")).getAttribute("value")).isEqualTo("０５５-２２２-３３３３");
        pages.check("mypage-error");
        pages.fill("email", "misaki@example.jp");
        pages.submit("保存する");
        assertThat(pages.text()).contains("保存しました");

        pages.click(By.linkText("施設一覧"));
        pages.check("facilities");
        pages.click(By.partialLinkText("駅前学習センター"));
        pages.check("facility");
        WebElement studyRoom = pages.driver().findElement(By.xpath("//li[.//h3[contains(., '自習室')]]//a[contains(@class, 'button')]"));
        studyRoom.click();
        pages.waitFor(By.cssSelector("table.grid"));
        pages.check("room-week");

        // The first free slot tomorrow or later: the link carries date and start.
        List<WebElement> free = pages.driver().findElements(By.cssSelector("td.free a"));
        assertThat(free).isNotEmpty();
        free.get(free.size() / 2).click();
        pages.waitFor(By.id("purpose"));
        pages.check("book");
        // Nothing typed for the purpose: the error is next to the field and what was typed stays.
        pages.fill("attendees", "2");
        pages.submit("確認画面へ");
        assertThat(pages.driver().findElement(By.id("purpose-error")).getText()).contains("利用目的");
        assertThat(pages.driver().findElement(By.id("attendees")).getAttribute("value")).isEqualTo("2");
        pages.check("book-error");
        pages.fill("purpose", "試験勉強");
        pages.submit("確認画面へ");
        assertThat(pages.text()).contains("予約内容の確認", "試験勉強", "無料");
        pages.check("review");
        pages.submit("予約する");
        pages.waitFor(By.cssSelector(".code"));
        String code = pages.driver().findElement(By.cssSelector(".code .digits")).getText();
        assertThat(code).matches("[0-9]{8}");
        assertThat(pages.driver().getCurrentUrl()).doesNotContain(code);
        String pass = doorPassOnThePage();
        pages.driver().findElement(By.cssSelector("#passes summary")).click();
        assertThat(pages.driver().findElement(By.cssSelector("#passes .pass-text")).isDisplayed()).isTrue();
        pages.check("reservation");
        // A minute later by the cloud's clock, the page's script fetches a fresh pass when the page regains focus.
        CLOCK.advance(java.time.Duration.ofSeconds(60));
        pages.script("window.dispatchEvent(new Event('focus'))");
        new org.openqa.selenium.support.ui.WebDriverWait(pages.driver(), java.time.Duration.ofSeconds(15))
                .until(driver -> !pass.equals(pages.script("return document.querySelector('#passes .pass-text').textContent")));
        assertThat(doorPassOnThePage()).isNotEqualTo(pass);
        assertThat(pages.driver().findElement(By.id("pass-status")).getText()).contains("に更新しました");
        pages.check("reservation-renewed");

        pages.click(By.linkText("予約一覧"));
        assertThat(pages.text()).contains("予約確定");
        pages.check("reservations");
        pages.click(By.partialLinkText("詳細・取消"));
        pages.click(By.partialLinkText("この予約を取り消す"));
        pages.check("cancel");
        pages.submit("取り消す");
        assertThat(pages.text()).contains("取消済み").doesNotContain(code).doesNotContain("KMK1:");
        assertThat(pages.driver().findElements(By.id("passes"))).isEmpty();

        // The English switch, and back.
        pages.click(By.linkText("English"));
        assertThat(pages.driver().findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(pages.text()).contains("Cancelled");
        pages.check("reservation-en");
        pages.click(By.linkText("日本語"));

        pages.submit("ログアウト");
        pages.open("/login");
        pages.check("login");
        pages.fill("email", "misaki@example.jp");
        pages.fill("password", "not the password");
        pages.submit("ログイン");
        assertThat(pages.driver().getTitle()).startsWith("【入力エラー】");
        assertThat(pages.driver().findElement(By.id("password")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(pages.driver().findElement(By.id("password")).getDomAttribute("aria-describedby")).isEqualTo("form-error");
        assertThat(pages.driver().findElement(By.id("email")).getDomProperty("value")).isEqualTo("misaki@example.jp");
        pages.check("login-error");
        // The staff invitation link: its token arrives in the fragment and the page's script fills it in.
        pages.open("/staff/invitation#token=" + "a".repeat(43));
        assertThat(pages.waitFor(By.id("token")).getDomProperty("value")).isEqualTo("a".repeat(43));
        assertThat(pages.driver().getCurrentUrl()).doesNotContain("token=");
        pages.check("staff-invitation");
        pages.open("/no-such-page");
        assertThat(pages.text()).contains("ページが見つかりません");
        pages.check("not-found");

        assertThat(pages.violations()).as("axe-core violations by page").isEmpty();
    }

    /**
     * The page's door pass: one QR code, labelled for screen readers, holding the text shown under
     * 「QR コードの内容」, which a gateway's verifier opens for the study room's door.
     */
    private static String doorPassOnThePage() {
        List<WebElement> qrs = pages.driver().findElements(By.cssSelector("#passes .qr"));
        assertThat(qrs).hasSize(1);
        assertThat(qrs.get(0).getDomAttribute("role")).isEqualTo("img");
        assertThat(qrs.get(0).getDomAttribute("aria-label")).contains("自習室 入口", "QR コード");
        String text = (String) pages.script("return document.querySelector('#passes .pass-text').textContent");
        String svg = (String) pages.script("return document.querySelector('#passes .qr').innerHTML");
        assertThat(QrSvg.decode(svg).text()).isEqualTo(text);
        String door = DemoData.CODE + "-door-study";
        var keys = cloud.services().keys();
        assertThat(new DoorPassVerifier(new GrantVerifier(keys.publicKeys())).verify(text, door, keys.doorKey(door),
                CLOCK.instant())).isInstanceOf(DoorPassVerifier.Verification.Verified.class);
        return text;
    }

    @Test
    void loggingInFromAFreeSlotComesBackToTheBookingForm() {
        pages.driver().manage().deleteAllCookies();
        pages.open("/facilities");
        pages.click(By.partialLinkText("駅前学習センター"));
        pages.driver().findElement(By.xpath("//li[.//h3[contains(., '自習室')]]//a[contains(@class, 'button')]")).click();
        List<WebElement> free = pages.waitFor(By.cssSelector("table.grid")).findElements(By.cssSelector("td.free a"));
        free.get(free.size() - 1).click();
        pages.waitForPath("/login");
        pages.fill("email", DemoData.RESIDENT_EMAIL);
        pages.fill("password", DemoData.RESIDENT_PASSWORD);
        pages.submit("ログイン");
        pages.waitFor(By.id("purpose"));
        assertThat(pages.driver().getCurrentUrl()).contains("/book?date=");
        pages.submit("ログアウト");
    }

    @Test
    void aFormWithoutItsCsrfTokenChangesNothing() {
        pages.open("/login");
        pages.script(
                "document.querySelector('form[action=\"/login\"] input[name=_csrf]').value = 'forged'");
        pages.fill("email", DemoData.RESIDENT_EMAIL);
        pages.fill("password", DemoData.RESIDENT_PASSWORD);
        pages.submit("ログイン");
        assertThat(pages.text()).contains("フォームの有効期限が切れました");
        pages.open("/mypage");
        assertThat(pages.driver().getCurrentUrl()).contains("/login");
    }

}
