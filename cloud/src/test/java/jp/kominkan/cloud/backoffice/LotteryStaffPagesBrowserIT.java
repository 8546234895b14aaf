package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.lottery.Applications;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.calendar.JapaneseHolidays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.support.ui.Select;

/**
 * The staff's lottery pages in a real browser (Debian's headless Chromium): the main administrator defines a round
 * for the 大会議室 through the form — refused first with no room, then with the period backwards, writing nothing —
 * sees its units and what was left out, and finds it listed; a counter clerk is refused every lottery page and a
 * facility administrator of another facility finds the round nowhere; two verified residents apply through the
 * domain; after the close and the freeze the administrator sees the commitments, the applications by tier and the
 * household cluster, draws through the form and reads the results table and its CSV. Every page is checked with
 * axe-core (WCAG 2.1 A/AA) at 360 and 1280 px, with screenshots under target/screenshots/.
 */
class LotteryStaffPagesBrowserIT {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String STAFF_PASSWORD = "a long staff password";
    static MutableClock clock;
    static Cloud cloud;
    static ChromePages pages;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        int port = TestCloud.freePort();
        clock = new MutableClock(Instant.now());
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), clock, true,
                Map.of("server.port", Integer.toString(port)));
        base = "http://127.0.0.1:" + port;
        pages = new ChromePages(base);
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("axe-summary-lottery-staff.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void staffDefineARoundWatchItDrawItAndExportTheResults() throws Exception {
        long town = Sql.longValue(db("select id from municipality where code = ?", DemoData.CODE), "id");
        long room = Sql.longValue(db("select id from room where municipality_id = ? and name = ?", town, "大会議室"),
                "id");
        long hall = Sql.longValue(db("select facility_id from room where id = ?", room), "facility_id");
        long library = Sql.longValue(db("select id from facility where municipality_id = ? and name = ?", town,
                "駅前学習センター"), "id");
        YearMonth month = YearMonth.now(TOKYO).plusMonths(3);
        String name = month.getYear() + "年" + month.getMonthValue() + "月 土日 大会議室";

        signIn(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        pages.click(By.linkText("抽選"));
        assertThat(pages.text()).contains("担当の施設の抽選回はまだありません", "新しい抽選回を作る");
        pages.check("staff-lottery-empty");
        pages.click(By.linkText("新しい抽選回を作る"));
        new Select(pages.waitFor(By.id("facility"))).selectByVisibleText("中央公民館");
        pages.check("staff-lottery-facility");
        pages.submit("次へ");
        assertThat(pages.text()).contains("新しい抽選回", "中央公民館", "大会議室", "和室");
        assertThat(value("band-0-label")).isEqualTo("午前");
        assertThat(value("band-2-end")).isEqualTo("21:00");
        assertThat(pages.driver().findElement(By.id("day-6")).isSelected()).isTrue();
        assertThat(pages.driver().findElement(By.id("day-holiday")).isSelected()).isTrue();
        assertThat(pages.driver().findElement(By.id("day-1")).isSelected()).isFalse();
        assertThat(new Select(pages.driver().findElement(By.id("template"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("two-months");
        pages.check("staff-lottery-new");

        // No room, and the period backwards: refused one after the other, values kept, nothing written.
        pages.fill("name", name);
        pages.fill("from", month.atDay(14).toString());
        pages.fill("to", month.atDay(1).toString());
        pages.waitFor(By.id("day-1")).click();
        pages.submit("抽選回を作る");
        assertThat(pages.text()).contains("作成していません", "部屋を 1〜50 室選んでください");
        assertThat(pages.driver().findElement(By.cssSelector("#error-summary a")).getAttribute("href"))
                .endsWith("#room-" + room);
        assertThat(value("name")).isEqualTo(name);
        assertThat(pages.driver().findElement(By.id("day-1")).isSelected()).isTrue();
        assertThat(rounds()).isZero();
        pages.check("staff-lottery-new-no-room");
        pages.waitFor(By.id("room-" + room)).click();
        pages.submit("抽選回を作る");
        assertThat(pages.text()).contains("期間は開始日から終了日まで、93 日以内で指定してください");
        assertThat(pages.driver().findElement(By.cssSelector("#error-summary a")).getAttribute("href")).endsWith("#to");
        assertThat(pages.driver().findElement(By.id("to")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(rounds()).isZero();
        pages.check("staff-lottery-new-backwards");
        fullShot("staff-lottery-new-backwards");

        // Mondays are outside the 大会議室's hours: left out and named.
        pages.fill("from", month.atDay(1).toString());
        pages.fill("to", month.atDay(14).toString());
        pages.submit("抽選回を作る");
        pages.waitForPath("done=created");
        long id = Long.parseLong(pages.driver().getCurrentUrl().replaceAll(".*/staff/lottery/(\\d+).*", "$1"));
        int units = 0;
        int skipped = 0;
        for (LocalDate d = month.atDay(1); !d.isAfter(month.atDay(14)); d = d.plusDays(1)) {
            boolean holiday = JapaneseHolidays.isHoliday(d);
            int weekday = d.getDayOfWeek().getValue();
            if (!(weekday == 1 || weekday >= 6 || holiday)) {
                continue;
            }
            if (cloud.database().client().execute().get("select 1 as x from facility_closed_day where facility_id = ?"
                    + " and closed_on = ?", hall, d).isPresent()) {
                skipped++;
            } else if (weekday == 1) {
                skipped += 3;
            } else {
                units += 3;
            }
        }
        assertThat(Sql.longValue(db("select count(*) as n from lottery_unit where round_id = ?", id), "n"))
                .isEqualTo(units);
        assertThat(pages.text()).contains(name, "抽選回を作りました。" + units + " 枠を抽選用に確保しました",
                skipped + " 件は枠にしていません", "利用時間外", "受付", "申込 0 件", "確保中");
        pages.check("staff-lottery-round-created");
        fullShot("staff-lottery-round-created");
        pages.click(By.linkText("抽選回の一覧へ"));
        assertThat(pages.text()).contains(name, "中央公民館", "受付");
        pages.check("staff-lottery-list");

        // A counter clerk has no lottery pages; another facility's administrator finds the round nowhere.
        String clerk = givenStaff(town, StaffRole.CLERK, hall);
        pages.submit("ログアウト");
        signIn(clerk, STAFF_PASSWORD);
        assertThat(pages.driver().findElements(By.linkText("抽選"))).isEmpty();
        pages.open("/staff/lottery");
        assertThat(pages.text()).contains("この操作は、あなたの権限ではできません");
        pages.check("staff-lottery-forbidden");
        String clerkCookie = staffCookie();
        for (String path : List.of("/staff/lottery", "/staff/lottery/new", "/staff/lottery/" + id,
                "/staff/lottery/" + id + "/results.csv")) {
            assertThat(get(path, clerkCookie).statusCode()).as(path).isEqualTo(403);
        }
        pages.open("/staff");
        pages.submit("ログアウト");
        String other = new Api(cloud.port()).staffLogin(givenStaff(town, StaffRole.FACILITY, library), STAFF_PASSWORD);
        HttpResponse<byte[]> list = get("/staff/lottery", other);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(new String(list.body(), StandardCharsets.UTF_8)).doesNotContain(name);
        assertThat(get("/staff/lottery/" + id, other).statusCode()).isEqualTo(404);
        assertThat(get("/staff/lottery/" + id + "/results.csv", other).statusCode()).isEqualTo(404);
        assertThat(new String(get("/staff/lottery/new?facility=" + hall, other).body(), StandardCharsets.UTF_8))
                .doesNotContain("大会議室");

        // Two verified residents at one address apply for the first unit while applications are open.
        Instant opens = month.minusMonths(2).atDay(1).atStartOfDay(TOKYO).toInstant();
        Instant closes = month.minusMonths(2).atDay(8).atStartOfDay(TOKYO).toInstant();
        clock.advance(Duration.between(clock.instant(), opens.plus(Duration.ofHours(1))));
        Municipality yamabuki = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
        long unit = Sql.longValue(db("select min(id) as id from lottery_unit where round_id = ?", id), "id");
        String first = apply(yamabuki, town, id, unit, "抽選 花子", LocalDate.of(1975, 5, 5));
        String second = apply(yamabuki, town, id, unit, "抽選 次郎", LocalDate.of(1982, 8, 8));

        clock.advance(Duration.between(clock.instant(), closes.plus(Duration.ofHours(10))));
        cloud.services().lottery().afterDraw().sweep();
        assertThat(Sql.text(db("select status from lottery_round where id = ?", id), "status")).isEqualTo("closed");

        signIn(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        pages.open("/staff/lottery/" + id);
        assertThat(pages.text()).contains("抽選待ち", "申込 2 件", "市内の個人", "申込一覧（SHA-256）", "同じ住所",
                first, second, "抽選前", "乱数（公開の場で決めた数字など）");
        pages.check("staff-lottery-round-closed");
        fullShot("staff-lottery-round-closed");
        pages.fill("randomness", "123");
        pages.submit("抽選する");
        assertThat(pages.text()).contains("実行していません", "8〜200 文字");
        assertThat(Sql.text(db("select status from lottery_round where id = ?", id), "status")).isEqualTo("closed");
        pages.check("staff-lottery-draw-error");
        pages.fill("randomness", "31415926 公開抽選会のさいころ");
        pages.submit("抽選する");
        pages.waitForPath("done=drawn");
        assertThat(pages.text()).contains("抽選しました。当選 1 件（申込 2 件）", "抽選済み", "当選（第1希望）", "落選・補欠",
                "抽選 花子", "抽選 次郎", "乱数の種（シード）", "31415926 公開抽選会のさいころ", "仮予約");
        assertThat(pages.driver().findElements(By.id("randomness"))).isEmpty();
        assertThat(pages.driver().findElements(By.id("confirm"))).isEmpty();
        pages.check("staff-lottery-round-drawn");
        fullShot("staff-lottery-round-drawn");

        HttpResponse<byte[]> csv = get("/staff/lottery/" + id + "/results.csv", staffCookie());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
        assertThat(csv.headers().firstValue("Cache-Control")).hasValue("no-store");
        String text = new String(csv.body(), StandardCharsets.UTF_8).replace("\uFEFF", "");
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("申込番号,氏名,団体,優先区分,居住,申込日時,結果,当選希望順位,予約の状態");
        assertThat(text).contains(first, second, "当選", "落選・補欠");
        assertThat(pages.violations()).isEmpty();
    }

    /** A verified resident (name, birth date, the demo town's address) who applies for one unit. */
    static String apply(Municipality town, long townId, long round, long unit, String name, LocalDate born) {
        String email = "lottery-" + UUID.randomUUID() + "@example.jp";
        Account made = cloud.services().accounts().register(town, email, "a long resident password", name);
        cloud.database().client().execute().update("update account set birth_date = ?, address_prefecture = ?,"
                + " address_city = ?, address_rest = ? where id = ?", born, "東京都", "山吹市", "中央1-1-1", made.id());
        // What IdentityStore writes after a verification (the OIDC journey is IdentitySuite's).
        cloud.database().client().execute().insert("insert into identity_link (account_id, municipality_id, provider,"
                + " residency, verified_at) values (?, ?, 'xid', 'resident', ?)", made.id(), townId,
                Sql.at(clock.instant()));
        Account account = cloud.services().accounts().find(made.id()).orElseThrow();
        return cloud.services().lottery().applications().apply(town, account, round,
                new Applications.Request(Optional.empty(), "合唱の練習", 10, List.of(List.of(unit))));
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

    static HttpResponse<byte[]> get(String path, String staffToken) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Cookie", StaffAuthenticator.COOKIE + "=" + staffToken).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String value(String id) {
        return pages.driver().findElement(By.id(id)).getAttribute("value");
    }

    static long rounds() {
        return Sql.longValue(db("select count(*) as n from lottery_round"), "n");
    }

    static DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }
}
