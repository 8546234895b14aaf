package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.grant.CodeVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.support.ui.Select;

/**
 * The shelter code pages (避難所コード) in a real browser (Debian's headless Chromium): the main administrator finds
 * them from the staff menu, is refused a holder with a bidi override writing nothing, issues a code for the 駅前学習センター
 * and sees it once — the digits open both its doors' grants — finds it listed without the code, is asked to confirm
 * the revocation, and revokes it; a caretaker has neither the menu link nor the pages. Every page is checked with
 * axe-core (WCAG 2.1 A/AA) at 360 and 1280 px, with screenshots under target/screenshots/.
 */
class ShelterCodePagesBrowserIT {

    static final String STAFF_PASSWORD = "a long staff password";
    static final String HOLDER = "駅前町内会 自主防災組織";
    static MutableClock clock;
    static Cloud cloud;
    static ChromePages pages;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        int port = TestCloud.freePort();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), clock, true,
                Map.of("server.port", Integer.toString(port)));
        base = "http://127.0.0.1:" + port;
        pages = new ChromePages(base);
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("axe-summary-shelter-codes.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void anAdministratorIssuesACodeSeesItOnceAndRevokesItWhileACaretakerHasNoPage() throws Exception {
        long town = Sql.longValue(db("select id from municipality where code = ?", DemoData.CODE), "id");
        long library = Sql.longValue(db("select id from facility where municipality_id = ? and name = ?", town,
                "駅前学習センター"), "id");

        signIn(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        pages.click(By.linkText("避難所コード"));
        assertThat(pages.text()).contains("避難所コード", "コードを発行する", "避難所コードはまだありません");
        assertThat(value("validFrom")).isNotBlank();
        pages.check("staff-shelter-empty");

        // A bidi override in the holder: refused next to the field, what was typed kept, nothing written.
        new Select(pages.waitFor(By.id("facilityId"))).selectByVisibleText("駅前学習センター");
        pages.fill("holder", "消防団\u202E第3分団");
        pages.submit("発行する");
        assertThat(pages.text()).contains("発行できませんでした", "交付先に使えない文字");
        assertThat(pages.driver().findElement(By.cssSelector("#error-summary a")).getAttribute("href")).endsWith("#holder");
        assertThat(pages.driver().findElement(By.id("holder")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(codes()).isZero();
        pages.check("staff-shelter-error");

        pages.fill("holder", HOLDER);
        pages.submit("発行する");
        assertThat(pages.text()).contains("避難所コードを発行しました", HOLDER, "このコードが表示されるのは今だけです",
                "自習室 入口", "グループ学習室 入口");
        String code = pages.driver().findElement(By.cssSelector(".code span[aria-hidden]")).getText();
        assertThat(code).matches("[0-9]{8}");
        UUID id = Sql.uuid(db("select id from shelter_code where holder = ?", HOLDER), "id");
        for (String door : List.of(DemoData.CODE + "-door-study", DemoData.CODE + "-door-group")) {
            assertThat(Sql.text(db("select code_verifier from access_grant where shelter_code_id = ? and door_id = ?", id,
                    door), "code_verifier").strip()).isEqualTo(HexFormat.of().formatHex(
                    CodeVerifier.of(cloud.services().keys().doorKey(door), door, code).bytes()));
        }
        pages.check("staff-shelter-issued");
        fullShot("staff-shelter-issued");

        pages.click(By.linkText("避難所コードの一覧へ"));
        assertThat(pages.text()).contains(HOLDER, "駅前学習センター", "有効");
        assertThat(pages.driver().getPageSource()).doesNotContain(code);
        pages.check("staff-shelter-list");
        HttpResponse<String> again = get("/staff/shelter-codes/" + id, staffCookie());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).doesNotContain(code);

        pages.click(By.linkText(HOLDER));
        assertThat(pages.text()).contains("コードの取消", "インターネットにつながっていないゲートウェイ");
        pages.check("staff-shelter-code");
        pages.submit("取り消す");
        assertThat(pages.text()).contains("確認のチェックを入れてください");
        assertThat(revoked(id)).isZero();
        pages.check("staff-shelter-revoke-unconfirmed");
        pages.waitFor(By.id("confirm")).click();
        pages.submit("取り消す");
        pages.waitForPath("done=revoked");
        assertThat(pages.text()).contains("避難所コードを取り消しました", "取消済み");
        assertThat(revoked(id)).isEqualTo(2);
        pages.check("staff-shelter-revoked");
        fullShot("staff-shelter-revoked");

        // A caretaker of the library: no menu link, and every page refused.
        String caretaker = givenStaff(town, StaffRole.CARETAKER, library);
        pages.submit("ログアウト");
        signIn(caretaker, STAFF_PASSWORD);
        assertThat(pages.driver().findElements(By.linkText("避難所コード"))).isEmpty();
        pages.open("/staff/shelter-codes");
        assertThat(pages.text()).contains("この操作は、あなたの権限ではできません");
        for (String path : List.of("/staff/shelter-codes", "/staff/shelter-codes/" + id)) {
            assertThat(get(path, staffCookie()).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(pages.violations()).isEmpty();
    }

    static String givenStaff(long town, StaffRole role, long facility) {
        String email = role.wire() + "-" + UUID.randomUUID() + "@city.yamabuki.example.lg.jp";
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), town, email,
                "職員 " + role.japanese(), role, Set.of(facility)), PasswordHasher.DEFAULT.hash(STAFF_PASSWORD),
                clock.instant());
        return email;
    }

    static void signIn(String email, String password) {
        pages.open("/staff/login");
        pages.fill("email", email);
        pages.fill("password", password);
        pages.submit("ログイン");
    }

    /** The rest of the page at both widths, screen by screen, for looking at (ChromePages' shots hold the first). */
    static void fullShot(String name) throws Exception {
        for (int width : List.of(1280, 360)) {
            pages.driver().manage().window().setSize(new Dimension(width, 1600));
            long height = ((Number) pages.script("return document.documentElement.scrollHeight")).longValue();
            for (int i = 1; i * 1300L < height && i < 8; i++) {
                pages.script("window.scrollTo(0, arguments[0])", i * 1300);
                Files.write(ChromePages.SHOTS.resolve(name + "-more-" + width + "-" + i + ".png"),
                        ((TakesScreenshot) pages.driver()).getScreenshotAs(OutputType.BYTES));
            }
            pages.script("window.scrollTo(0, 0)");
        }
        pages.driver().manage().window().setSize(new Dimension(1280, 1600));
    }

    static String staffCookie() {
        return pages.driver().manage().getCookieNamed(StaffAuthenticator.COOKIE).getValue();
    }

    static HttpResponse<String> get(String path, String staffToken) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Cookie", StaffAuthenticator.COOKIE + "=" + staffToken).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String value(String id) {
        return pages.driver().findElement(By.id(id)).getAttribute("value");
    }

    static long codes() {
        return Sql.longValue(db("select count(*) as n from shelter_code"), "n");
    }

    static long revoked(UUID id) {
        return Sql.longValue(db("select count(*) as n from access_grant where shelter_code_id = ? and revoked_at is not null",
                id), "n");
    }

    static DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }
}
