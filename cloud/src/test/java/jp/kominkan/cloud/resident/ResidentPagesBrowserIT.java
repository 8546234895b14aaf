package jp.kominkan.cloud.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The resident's journey in a real browser (Debian's headless Chromium through ChromeDriver):
 * register with the xID sandbox, verify, book, see the door code, cancel; every page checked with
 * axe-core (WCAG 2.1 A/AA) at 360 px and 1280 px, with no sideways scrolling at 360 px, and a
 * screenshot of each under {@code target/screenshots/}.
 */
class ResidentPagesBrowserIT {

    static final Path SHOTS = Path.of("target", "screenshots");
    static final List<Integer> WIDTHS = List.of(1280, 360);
    static MockOAuth2Server provider;
    static Cloud cloud;
    static String base;
    static WebDriver browser;
    static final List<String> checked = new ArrayList<>();
    static final Map<String, Integer> violations = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
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
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(java.time.Instant.now()),
                true, settings);
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--lang=ja", "--window-size=1280,1600");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        cloud.close();
        provider.shutdown();
        Files.writeString(SHOTS.resolve("axe-summary.txt"), "axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa) violations per"
                + " page and width:\n" + String.join("\n", checked) + "\n");
    }

    @Test
    void aResidentRegistersWithXidVerifiesBooksSeesTheCodeAndCancels() {
        open("/");
        check("top");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("ja");

        click(By.linkText("新規登録"));
        check("register");
        click(By.partialLinkText("同意して xID で登録する"));
        // The sandbox's consent page: choose a demo person.
        waitFor(By.xpath("//button[contains(., '髙橋 美咲')]")).click();
        waitForPath("/mypage");
        assertThat(text()).contains("確認済み", "髙橋 美咲", "市内", "山梨県山吹市駅前2-8");
        check("mypage");

        // The provider gave no e-mail: the page asks for it; a wrong one is explained next to its field.
        fill("email", "not-an-address");
        fill("phone", "０５５-２２２-３３３３");
        submit("保存する");
        assertThat(browser.findElement(By.id("email-error")).getText()).contains("メールアドレス");
        assertThat(browser.findElement(By.id("email")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("phone")).getAttribute("value")).isEqualTo("０５５-２２２-３３３３");
        check("mypage-error");
        fill("email", "misaki@example.jp");
        submit("保存する");
        assertThat(text()).contains("保存しました");

        click(By.linkText("施設一覧"));
        check("facilities");
        click(By.partialLinkText("駅前学習センター"));
        check("facility");
        WebElement studyRoom = browser.findElement(By.xpath("//li[.//h3[contains(., '自習室')]]//a[contains(@class, 'button')]"));
        studyRoom.click();
        waitFor(By.cssSelector("table.grid"));
        check("room-week");

        // The first free slot tomorrow or later: the link carries date and start.
        List<WebElement> free = browser.findElements(By.cssSelector("td.free a"));
        assertThat(free).isNotEmpty();
        free.get(free.size() / 2).click();
        waitFor(By.id("purpose"));
        check("book");
        // Nothing typed for the purpose: the error is next to the field and what was typed stays.
        fill("attendees", "2");
        submit("確認画面へ");
        assertThat(browser.findElement(By.id("purpose-error")).getText()).contains("利用目的");
        assertThat(browser.findElement(By.id("attendees")).getAttribute("value")).isEqualTo("2");
        check("book-error");
        fill("purpose", "試験勉強");
        submit("確認画面へ");
        assertThat(text()).contains("予約内容の確認", "試験勉強", "無料");
        check("review");
        submit("予約する");
        waitFor(By.cssSelector(".code"));
        String code = browser.findElement(By.cssSelector(".code")).getText();
        assertThat(code).matches("[0-9]{8}");
        assertThat(browser.findElements(By.cssSelector(".qr svg"))).hasSize(1);
        assertThat(browser.getCurrentUrl()).doesNotContain(code);
        check("reservation");

        click(By.linkText("予約一覧"));
        assertThat(text()).contains("予約確定");
        check("reservations");
        click(By.partialLinkText("詳細・取消"));
        click(By.partialLinkText("この予約を取り消す"));
        check("cancel");
        submit("取り消す");
        assertThat(text()).contains("取消済み").doesNotContain(code);

        // The English switch, and back.
        click(By.linkText("English"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(text()).contains("Cancelled");
        check("reservation-en");
        click(By.linkText("日本語"));

        submit("ログアウト");
        open("/login");
        check("login");
        fill("email", "misaki@example.jp");
        fill("password", "not the password");
        submit("ログイン");
        assertThat(browser.getTitle()).startsWith("【入力エラー】");
        assertThat(browser.findElement(By.id("password")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("password")).getDomAttribute("aria-describedby")).isEqualTo("form-error");
        assertThat(browser.findElement(By.id("email")).getDomProperty("value")).isEqualTo("misaki@example.jp");
        check("login-error");
        // The staff invitation link: its token arrives in the fragment and the page's script fills it in.
        open("/staff/invitation#token=" + "a".repeat(43));
        assertThat(waitFor(By.id("token")).getDomProperty("value")).isEqualTo("a".repeat(43));
        assertThat(browser.getCurrentUrl()).doesNotContain("token=");
        check("staff-invitation");
        open("/no-such-page");
        assertThat(text()).contains("ページが見つかりません");
        check("not-found");

        assertThat(violations).as("axe-core violations by page: " + violations).isEmpty();
    }

    @Test
    void loggingInFromAFreeSlotComesBackToTheBookingForm() {
        browser.manage().deleteAllCookies();
        open("/facilities");
        click(By.partialLinkText("駅前学習センター"));
        browser.findElement(By.xpath("//li[.//h3[contains(., '自習室')]]//a[contains(@class, 'button')]")).click();
        List<WebElement> free = waitFor(By.cssSelector("table.grid")).findElements(By.cssSelector("td.free a"));
        free.get(free.size() - 1).click();
        waitForPath("/login");
        fill("email", DemoData.RESIDENT_EMAIL);
        fill("password", DemoData.RESIDENT_PASSWORD);
        submit("ログイン");
        waitFor(By.id("purpose"));
        assertThat(browser.getCurrentUrl()).contains("/book?date=");
        submit("ログアウト");
    }

    @Test
    void aFormWithoutItsCsrfTokenChangesNothing() {
        open("/login");
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelector('form[action=\"/login\"] input[name=_csrf]').value = 'forged'");
        fill("email", DemoData.RESIDENT_EMAIL);
        fill("password", DemoData.RESIDENT_PASSWORD);
        submit("ログイン");
        assertThat(text()).contains("フォームの有効期限が切れました");
        open("/mypage");
        assertThat(browser.getCurrentUrl()).contains("/login");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** axe-core and a screenshot at each width, and no sideways scrolling at the narrow one. */
    private static void check(String name) {
        for (int width : WIDTHS) {
            browser.manage().window().setSize(new Dimension(width, 1600));
            Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                    .analyze(browser);
            List<Rule> found = results.getViolations();
            checked.add(name + " @" + width + "px: " + found.size()
                    + (found.isEmpty() ? "" : " " + found.stream().map(r -> r.getId() + " " + r.getNodes().stream()
                    .map(n -> String.valueOf(n.getTarget())).toList()).toList()));
            if (!found.isEmpty()) {
                violations.merge(name + "@" + width, found.size(), Integer::sum);
            }
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(((Number) overflow).intValue()).as(name + " scrolls sideways at " + width + " px").isLessThanOrEqualTo(0);
            try {
                Files.write(SHOTS.resolve(name + "-" + width + ".png"),
                        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        browser.manage().window().setSize(new Dimension(1280, 1600));
    }

    private static void open(String path) {
        browser.get(base + path);
    }

    /** Clicks a link and waits until the next page has replaced this one. */
    private static void click(By by) {
        WebElement link = waitFor(by);
        link.click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(replaced(link));
        waitFor(By.tagName("body"));
    }

    /** Clicks a form's button and waits until the next page has replaced this one. */
    private static void submit(String label) {
        WebElement button = waitFor(By.xpath("//button[normalize-space(.)='" + label + "']"));
        button.click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(replaced(button));
        waitFor(By.tagName("body"));
    }

    /**
     * Whether the page holding this element has been replaced. Selenium's stalenessOf expects a stale
     * element error; while the document is being swapped Chrome may instead say the node "does not
     * belong to the document", which means the same thing.
     */
    private static ExpectedCondition<Boolean> replaced(WebElement element) {
        return driver -> {
            try {
                element.isEnabled();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        };
    }

    private static void fill(String id, String value) {
        WebElement field = waitFor(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private static WebElement waitFor(By by) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(by));
        } catch (org.openqa.selenium.TimeoutException e) {
            // Keep what the browser showed, for the reader of the failure.
            try {
                Files.writeString(SHOTS.resolve("failure.html"), browser.getCurrentUrl() + "\n" + browser.getPageSource());
            } catch (IOException ignored) {
                // the assertion below says enough
            }
            throw new AssertionError("waited 15 s for " + by + " on " + browser.getCurrentUrl(), e);
        }
    }

    private static void waitForPath(String path) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains(path));
    }
}
