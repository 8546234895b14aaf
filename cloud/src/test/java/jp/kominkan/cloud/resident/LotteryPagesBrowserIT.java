package jp.kominkan.cloud.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.lottery.AuditCheck;
import jp.kominkan.cloud.lottery.AuditFile;
import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.RoundPlan;
import jp.kominkan.cloud.lottery.RoundSchedule;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The resident's lottery pages in a real browser (Debian's headless Chromium). A round of the demo's 大会議室 (two
 * weekends, three bands that follow one another) is defined through the domain, opening now. Signed out, the round
 * page asks to log in and comes back; a verified resident applies by keyboard — an application without 利用目的 is
 * refused in Japanese with an error summary linking to the field, keeping what was chosen and writing nothing — then
 * with 利用目的, a first wish of two units in a row and a second wish, and sees the 申込番号 and the application.
 * The clock passes the close (the sweep freezes the round: its commitments show, withdrawing is over) and the draw
 * time; staff draw with public dice; the resident's page shows 当選 with 支払って確定する and 辞退する, the round page
 * the seed and the audit file, which recomputes exactly. The explanation page renders. Every page is checked with
 * axe-core (WCAG 2.1 A/AA) at 360 and 1280 px, with screenshots under target/screenshots/.
 */
class LotteryPagesBrowserIT {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a resident password";
    static final String EMAIL = "lottery@example.jp";
    static MutableClock clock;
    static Cloud cloud;
    static ChromePages pages;

    @BeforeAll
    static void start() {
        int port = TestCloud.freePort();
        // Whole seconds: the database keeps microseconds and H2 rounds, which could move a time past "now".
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), clock, true,
                Map.of("server.port", Integer.toString(port)));
        pages = new ChromePages("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("axe-summary-lottery.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void aVerifiedResidentAppliesByKeyboardIsDrawnAndCanCheckTheDraw() throws Exception {
        Municipality town = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
        StaffMember admin = cloud.services().staff().findByEmail(town, DemoData.ADMIN_EMAIL).orElseThrow();
        var db = cloud.database().client().execute();
        long room = Sql.longValue(db.get("select id from room where municipality_id = ? and name = ?", town.id(),
                "大会議室").orElseThrow(), "id");
        long facility = Sql.longValue(db.get("select facility_id from room where id = ?", room).orElseThrow(),
                "facility_id");
        Instant now = clock.instant();
        RoundSchedule schedule = new RoundSchedule(now, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)),
                now.plus(Duration.ofDays(9)), now.plus(Duration.ofDays(10)));
        LocalDate from = LocalDate.ofInstant(now, TOKYO).plusDays(14);
        long roundId = cloud.services().lottery().rounds().create(town, admin, Actor.commandLine(), new RoundPlan(
                facility, "2週間後の土日 大会議室", List.of(room), from, from.plusDays(13),
                Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), false,
                List.of(new RoundPlan.Band("午前", 9 * 60, 12 * 60), new RoundPlan.Band("午後", 12 * 60, 17 * 60),
                        new RoundPlan.Band("夜間", 17 * 60, 21 * 60)),
                schedule, LotteryRules.STANDARD, Optional.empty())).round().id();
        String roundPath = "/lottery/rounds/" + roundId;

        Api api = new Api(cloud.port());
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"抽選 花子\"}").send().status()).isEqualTo(201);
        UUID account = UUID.fromString(api.get("/api/v1/me").token(api.login(EMAIL, PASSWORD)).send().json()
                .get("id").asText());
        // What IdentityStore writes after an xID verification, and the verified birth date the lottery keys on.
        db.insert("insert into identity_link (account_id, municipality_id, provider, residency, verified_at)"
                + " values (?, ?, 'xid', 'resident', ?)", account, town.id(), Sql.at(now));
        db.update("update account set birth_date = ? where id = ?", LocalDate.of(1980, 4, 1), account);

        pages.open("/lottery");
        assertThat(pages.text()).contains("抽選の一覧", "2週間後の土日 大会議室", "受付", "申込受付中", "抽選のしくみ")
                .doesNotContain("自分の申込");
        pages.check("lottery-list-signed-out");
        pages.click(By.linkText("2週間後の土日 大会議室"));
        assertThat(pages.text()).contains("第3希望まで", "連続 3 枠まで", "市内の団体", "市内の個人", "市外の団体", "その他",
                "申込数", "ログインして申し込む");
        pages.check("lottery-round-signed-out");
        pages.open("/lottery/applications");
        pages.waitForPath("/login");
        pages.open(roundPath);
        pages.click(By.linkText("ログインして申し込む"));
        pages.fill("email", EMAIL);
        pages.fill("password", PASSWORD);
        pages.submit("ログイン");
        pages.waitForPath(roundPath);
        pages.script("document.getElementById('apply').scrollIntoView()");
        pages.check("lottery-round-form");

        // By keyboard: arrow keys choose in the selects, Enter in a field sends the form. First without 利用目的, and
        // a second wish of two units from an evening unit, which nothing follows.
        String firstUnit = choose(pages.waitFor(By.id("wish-1")), o -> o.getText().contains("午前"));
        choose(pages.waitFor(By.id("wish-1-length")), o -> o.getAttribute("value").equals("2"));
        String evening = choose(pages.waitFor(By.id("wish-2")), o -> o.getText().contains("夜間"));
        choose(pages.waitFor(By.id("wish-2-length")), o -> o.getAttribute("value").equals("2"));
        WebElement attendees = pages.waitFor(By.id("attendees"));
        attendees.clear();
        attendees.sendKeys("12");
        WebElement form = pages.driver().findElement(By.cssSelector("form[action$='/apply']"));
        attendees.sendKeys(Keys.ENTER);
        waitUntilReplaced(form);
        assertThat(pages.driver().getTitle()).startsWith("【入力エラー】");
        assertThat(pages.text()).contains("入力内容を確認してください（2 件）", "利用目的を入力してください。",
                "から続けて 2 枠は選べません");
        WebElement link = pages.waitFor(By.linkText("利用目的を入力してください。"));
        assertThat(link.getAttribute("href")).endsWith("#purpose");
        assertThat(pages.waitFor(By.partialLinkText("から続けて 2 枠は選べません")).getAttribute("href"))
                .endsWith("#wish-2-length");
        assertThat(pages.waitFor(By.id("purpose")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(pages.waitFor(By.id("wish-2-length")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(selected("wish-1")).isEqualTo(firstUnit);
        assertThat(selected("wish-1-length")).isEqualTo("2");
        assertThat(selected("wish-2")).isEqualTo(evening);
        assertThat(pages.waitFor(By.id("attendees")).getAttribute("value")).isEqualTo("12");
        assertThat(count("select count(*) as n from lottery_application where round_id = ?", roundId)).isZero();
        pages.script("document.getElementById('apply').scrollIntoView()");
        pages.check("lottery-apply-error");
        link.sendKeys(Keys.ENTER);
        assertThat(pages.script("return document.activeElement.id")).isEqualTo("purpose");

        pages.driver().switchTo().activeElement().sendKeys("合唱の練習");
        long secondUnit = Long.parseLong(choose(pages.waitFor(By.id("wish-2")), o -> o.getText().contains("午前")));
        choose(pages.waitFor(By.id("wish-2-length")), o -> o.getAttribute("value").equals("1"));
        WebElement button = pages.waitFor(By.xpath("//button[normalize-space(.)='抽選に申し込む']"));
        pages.script("arguments[0].focus()", pages.waitFor(By.id("wish-3-length"))); // the last field before it
        for (int i = 0; i < 5 && !button.equals(pages.driver().switchTo().activeElement()); i++) {
            pages.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(pages.driver().switchTo().activeElement()).isEqualTo(button);
        button.sendKeys(Keys.ENTER);
        pages.waitForPath("/lottery/applications?applied=");
        String publicId = pages.driver().getCurrentUrl().replaceAll(".*applied=", "");
        assertThat(publicId).matches("[0-9A-Z]{5}-[0-9A-Z]{5}");
        assertThat(pages.text()).contains("抽選に申し込みました", "申込番号: " + publicId, "2週間後の土日 大会議室",
                "申込済み", "市内の個人", "第1希望", "第2希望");
        pages.waitFor(By.xpath("//button[normalize-space(.)='取り下げる']"));
        long application = Sql.longValue(db.get("select id from lottery_application where public_id = ?", publicId)
                .orElseThrow(), "id");
        assertThat(count("select count(*) as n from lottery_application where round_id = ?", roundId)).isEqualTo(1);
        assertThat(count("select count(*) as n from lottery_wish where application_id = ? and wish_rank = 1",
                application)).isEqualTo(2);
        assertThat(Sql.longValue(db.get("select unit_id from lottery_wish where application_id = ? and wish_rank = 2",
                application).orElseThrow(), "unit_id")).isEqualTo(secondUnit);
        pages.check("lottery-applied");
        pages.click(By.linkText("抽選の一覧"));
        assertThat(pages.text()).contains("自分の申込");

        clock.advance(Duration.ofDays(1).plusMinutes(1));
        cloud.services().lottery().afterDraw().sweep();
        pages.open(roundPath);
        assertThat(pages.text()).contains("抽選待ち", "申込のコミットメント", "シードのコミットメント", "申込期間は終わりました")
                .doesNotContain("監査ファイル（JSON）をダウンロード");
        pages.script("document.getElementById('commitments-title').scrollIntoView()");
        pages.check("lottery-round-closed");
        pages.open("/lottery/applications");
        assertThat(pages.driver().findElements(By.xpath("//button[normalize-space(.)='取り下げる']"))).isEmpty();

        clock.advance(Duration.ofDays(1));
        cloud.services().lottery().drawing().draw(town, admin, Actor.commandLine(), roundId, "public dice 3 1 4 1 5 9");
        pages.open("/lottery/applications");
        assertThat(pages.text()).contains(publicId, "当選", "当選（確定待ち）", "確定期限", "支払って確定する", "辞退する");
        UUID reservation = Sql.uuid(db.get("select reservation_id from lottery_win where application_id = ?",
                application).orElseThrow(), "reservation_id");
        assertThat(pages.waitFor(By.linkText("支払って確定する")).getAttribute("href"))
                .endsWith("/reservations/" + reservation + "/payment");
        pages.check("lottery-won");

        pages.open(roundPath);
        assertThat(pages.text()).contains("抽選済み", "申込のコミットメント", "公開の場で入力した乱数", "public dice 3 1 4 1 5 9",
                "シード");
        String audit = pages.waitFor(By.linkText("監査ファイル（JSON）をダウンロード")).getAttribute("href");
        assertThat(audit).endsWith("/api/v1/lottery/rounds/" + roundId + "/audit");
        pages.script("document.getElementById('commitments-title').scrollIntoView()");
        pages.check("lottery-round-drawn");
        Api.Response file = api.get("/api/v1/lottery/rounds/" + roundId + "/audit").send();
        assertThat(file.status()).isEqualTo(200);
        AuditFile parsed = AuditFile.read(new ByteArrayInputStream(file.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(AuditCheck.differences(parsed)).isEmpty();
        assertThat(file.body()).contains(publicId).doesNotContain("抽選 花子");

        pages.click(By.linkText("抽選のしくみ"));
        assertThat(pages.text()).contains("抽選のしくみ", "SHA-256", "第1希望", "補欠", "先着順",
                "./kominkan lottery verify audit.json", "マイナンバーカード");
        pages.check("lottery-how");
        pages.open("/lang/en?back=%2Flottery%2Frounds%2F" + roundId);
        assertThat(pages.text()).contains("Schedule", "Priority", "Download the audit file");
        pages.check("lottery-round-drawn-en");
        pages.open("/lang/ja?back=%2Flottery");
        assertThat(pages.violations()).isEmpty();
    }

    /** Moves a select's choice with the arrow keys until the wanted option is chosen; returns its value. */
    static String choose(WebElement select, Predicate<WebElement> wanted) {
        Select choice = new Select(select);
        boolean up = !choice.getOptions().subList(choice.getOptions().indexOf(choice.getFirstSelectedOption()),
                choice.getOptions().size()).stream().anyMatch(wanted);
        for (int i = 0; i < 200 && !wanted.test(choice.getFirstSelectedOption()); i++) {
            select.sendKeys(up ? Keys.ARROW_UP : Keys.ARROW_DOWN);
        }
        assertThat(wanted.test(choice.getFirstSelectedOption())).as("chose by keyboard").isTrue();
        return choice.getFirstSelectedOption().getAttribute("value");
    }

    static String selected(String id) {
        return new Select(pages.waitFor(By.id(id))).getFirstSelectedOption().getAttribute("value");
    }

    static long count(String sql, Object... args) {
        return Sql.longValue(cloud.database().client().execute().get(sql, args).orElseThrow(), "n");
    }

    static void waitUntilReplaced(WebElement element) {
        new org.openqa.selenium.support.ui.WebDriverWait(pages.driver(), Duration.ofSeconds(15)).until(d -> {
            try {
                element.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return true;
            }
        });
        pages.waitFor(By.tagName("body"));
    }
}
