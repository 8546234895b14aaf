package jp.kominkan.cloud.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Groups in a real browser (Debian's headless Chromium): an unverified resident is told how to verify; a
 * verified one registers a group, types the roster (a control character is refused next to the roster),
 * attaches a file (an HTML file named .pdf is refused), and sends it; a main administrator sees it in the
 * list, opens it, must give a note to return it, and approves it; the resident sees it approved with its
 * last day. Every page is checked with axe-core (WCAG 2.1 A/AA) at 360 and 1280 px, with screenshots
 * under target/screenshots/.
 */
class GroupPagesBrowserIT {

    static final String PASSWORD = "a resident password";
    static Cloud cloud;
    static ChromePages pages;

    @BeforeAll
    static void start() {
        int port = TestCloud.freePort();
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true,
                Map.of("server.port", Integer.toString(port)));
        pages = new ChromePages("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("axe-summary-groups.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void aVerifiedResidentRegistersAGroupAndStaffApproveIt() throws Exception {
        Api api = new Api(cloud.port());
        String email = "chorus@example.jp";
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"合唱 花子\"}").send().status()).isEqualTo(201);
        UUID account = UUID.fromString(api.get("/api/v1/me").token(api.login(email, PASSWORD)).send().json()
                .get("id").asText());

        pages.open("/login");
        pages.fill("email", email);
        pages.fill("password", PASSWORD);
        pages.submit("ログイン");
        pages.open("/groups");
        assertThat(pages.text()).contains("本人確認が必要です");
        pages.check("groups-unverified");

        long town = Sql.longValue(cloud.database().client().execute()
                .get("select id from municipality where code = ?", DemoData.CODE).orElseThrow(), "id");
        cloud.database().client().execute().insert("insert into identity_link (account_id, municipality_id, provider,"
                + " residency, verified_at) values (?, ?, 'xid', 'resident', ?)", account, town,
                Sql.at(Instant.now()));
        pages.open("/groups");
        pages.click(By.linkText("団体を登録する"));
        pages.check("group-new");
        pages.submit("下書きを作成する");
        assertThat(pages.text()).contains("団体名を入力してください");
        pages.check("group-new-error");
        pages.fill("name", "山吹混声合唱団");
        pages.fill("nameKana", "やまぶきこんせいがっしょうだん");
        new Select(pages.waitFor(By.id("categoryCode"))).selectByValue("social-education");
        pages.submit("下書きを作成する");
        assertThat(pages.text()).contains("下書きを作成しました");
        pages.check("group-draft");

        pages.fill("member-0-name", "合唱 花子");
        pages.fill("member-1-name", "合唱\u200e 太郎");
        new Select(pages.waitFor(By.id("member-1-age"))).selectByValue("75+");
        pages.submit("保存する");
        assertThat(pages.driver().findElement(By.id("members-error")).getText()).contains("制御文字");
        pages.check("group-roster-error");
        pages.fill("member-1-name", "合唱 太郎");
        new Select(pages.waitFor(By.id("member-2-residency"))).selectByValue("non-resident");
        pages.fill("member-2-name", "市外 次郎");
        pages.submit("保存する");
        assertThat(pages.text()).contains("保存しました");

        Path html = Files.createTempFile("rules", ".pdf");
        Files.writeString(html, "<html><body>not a pdf</body></html>");
        pages.waitFor(By.id("evidence-file")).sendKeys(html.toString());
        pages.submit("添付する");
        assertThat(pages.driver().findElement(By.id("evidence-error")).getText()).contains("PDF・JPEG・PNG");
        pages.check("group-evidence-error");
        Path pdf = Files.createTempFile("kaisoku", ".pdf");
        Files.write(pdf, "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        pages.waitFor(By.id("evidence-file")).sendKeys(pdf.toString());
        pages.submit("添付する");
        assertThat(pages.text()).contains("書類を添付しました", pdf.getFileName().toString());
        pages.submit("審査に送信する");
        assertThat(pages.text()).contains("審査に送信しました", "審査中");
        pages.check("group-pending");
        String groupUrl = pages.driver().getCurrentUrl().replaceAll("\\?.*", "");

        pages.open("/staff/login");
        pages.fill("email", DemoData.ADMIN_EMAIL);
        pages.fill("password", DemoData.ADMIN_PASSWORD);
        pages.submit("ログイン");
        pages.click(By.linkText("団体審査"));
        assertThat(pages.text()).contains("山吹混声合唱団", "合唱 花子");
        pages.check("staff-groups");
        pages.click(By.linkText("山吹混声合唱団"));
        assertThat(pages.text()).contains("合唱 太郎", "市外 次郎", "会員数");
        pages.check("staff-group");
        pages.submit("差し戻す");
        assertThat(pages.driver().findElement(By.id("note-error")).getText()).isNotBlank();
        pages.check("staff-group-error");
        pages.submit("承認する");
        assertThat(pages.text()).contains("承認しました");
        pages.check("staff-group-approved");

        pages.driver().get(groupUrl);
        LocalDate until = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusMonths(12);
        assertThat(pages.text()).contains("承認済み", until.toString());
        pages.check("group-approved");
        assertThat(pages.violations()).isEmpty();
    }
}
