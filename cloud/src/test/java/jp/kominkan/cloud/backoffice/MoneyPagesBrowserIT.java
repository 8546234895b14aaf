package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The money pages in Debian's headless Chromium: an administrator opens a room's fee schedule from the facility
 * page, checks a broken document (the path is shown next to the field), checks a good one with a sample quote,
 * saves it; adds equipment; sets a refund schedule; takes cash and reads the day's takings and the month's sales;
 * pays a cash refund out. Every page state is checked with axe-core (WCAG 2.1 A/AA) at 360 and 1280 px, with
 * screenshots under target/screenshots/money-*.png.
 */
class MoneyPagesBrowserIT {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static Cloud cloud;
    static String base;
    static ChromePages pages;

    @BeforeAll
    static void start() {
        int port = TestCloud.freePort();
        base = "http://127.0.0.1:" + port;
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true,
                Map.of("server.port", Integer.toString(port)));
        pages = new ChromePages(base);
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("axe-summary-money.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void anAdministratorSetsFeesAndReadsTheTakingsWithNoAccessibilityViolations() {
        long town = number("select id from municipality where code = '" + DemoData.CODE + "'");
        long facility = number("select id from facility where municipality_id = " + town + " and name = '中央公民館'");
        long room = number("select id from room where facility_id = " + facility + " and name = '大会議室'");
        pages.open("/staff/login");
        pages.fill("email", DemoData.ADMIN_EMAIL);
        pages.fill("password", DemoData.ADMIN_PASSWORD);
        pages.submit("ログイン");
        pages.open("/staff/facilities/" + facility);
        pages.click(By.cssSelector("a[href='/staff/rooms/" + room + "/fees']"));
        assertThat(pages.text()).contains("料金表と支払期限");
        pages.check("money-fee-schedule");
        long versions = number("select count(*) as n from fee_schedule where room_id = " + room);

        // A broken document: the path is shown and nothing is stored.
        String hokota = MoneyPagesAttackIT.fixture("/fee/hokota-daishukaishitsu.json");
        setDocument(hokota.replace("\"毎日\": 1570", "\"毎日\": -1"));
        pages.submit("検証");
        assertThat(pages.driver().findElement(By.id("document-error")).getText()).startsWith("units[2].prices.毎日: ");
        assertThat(pages.driver().findElement(By.id("document")).getAttribute("aria-invalid")).isEqualTo("true");
        pages.check("money-fee-schedule-error");

        // A good one, checked with a full day's quote, then saved.
        setDocument(hokota);
        pages.fill("previewDate", "2026-12-01");
        new org.openqa.selenium.support.ui.Select(pages.waitFor(By.id("previewEnd"))).selectByVisibleText("22:00");
        pages.submit("検証");
        assertThat(pages.text()).contains("正しい形式", "2,620");
        pages.check("money-fee-schedule-quote");
        pages.submit("保存");
        assertThat(pages.text()).contains("保存しました");
        assertThat(number("select count(*) as n from fee_schedule where room_id = " + room)).isEqualTo(versions + 1);

        // Equipment and the refund schedule.
        pages.open("/staff/facilities/" + facility + "/equipment");
        pages.fill("code", "projector");
        pages.fill("name", "プロジェクター");
        pages.fill("yen", "500");
        pages.fill("stock", "2");
        pages.submit("保存する");
        assertThat(pages.text()).contains("保存しました", "プロジェクター");
        pages.check("money-equipment");
        pages.open("/staff/facilities/" + facility + "/refund-schedule");
        setDocument(MoneyPagesAttackIT.fixture("/fee/refund-mima.json"));
        pages.submit("保存する");
        assertThat(pages.text()).contains("保存しました", "この施設独自の還付規定");
        pages.check("money-refund-schedule");

        // Cash for two bookings, one cancelled by the city: the takings, the sales, the refund to pay out.
        FormClient admin = FormClient.staff(base, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        LocalDate day = LocalDate.now(TOKYO).plusDays(10);
        while (day.getDayOfWeek() == DayOfWeek.MONDAY) {
            day = day.plusDays(1);
        }
        paid(admin, room, day, "09:00", "13:00");
        UUID cancelled = paid(admin, room, day, "13:00", "17:00");
        assertThat(admin.json("POST", "/api/v1/staff/reservations/" + cancelled + "/cancel",
                "{\"reason\":\"市の行事のため\"}").status()).isEqualTo(200);
        pages.open("/staff/refunds");
        assertThat(pages.text()).contains("返金済みにする", "1,050");
        pages.check("money-refunds");
        pages.waitFor(By.cssSelector("form[action$='/paid'] button")).click();
        pages.waitForPath("done=paid");
        assertThat(pages.text()).contains("返金済みにしました");
        pages.open("/staff/takings?facility=" + facility);
        pages.waitForPath("/takings?date=");
        assertThat(pages.driver().findElement(By.id("day-total")).getText()).contains("2,100", "1,050");
        pages.check("money-takings");
        pages.click(By.linkText("この月の売上"));
        assertThat(pages.driver().findElement(By.id("month-total")).getText()).contains("1,050");
        pages.check("money-sales");

        assertThat(pages.violations()).isEmpty();
    }

    private static void setDocument(String text) {
        // sendKeys would take seconds for a whole document; the field is set as a paste would set it.
        pages.script("arguments[0].value = arguments[1];", pages.waitFor(By.id("document")), text);
    }

    private static UUID paid(FormClient admin, long room, LocalDate day, String start, String end) {
        FormClient.Response made = admin.json("POST", "/api/v1/staff/reservations", "{\"roomId\":" + room
                + ",\"start\":\"" + day + "T" + start + ":00+09:00\",\"end\":\"" + day + "T" + end
                + ":00+09:00\",\"purpose\":\"自治会の会合\",\"attendees\":12,\"name\":\"窓口 太郎\",\"phone\":\"090-0000-1111\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String id = made.body().replaceAll("(?s).*\"id\":\"([0-9a-f-]{36})\".*", "$1");
        assertThat(admin.json("POST", "/api/v1/staff/reservations/" + id + "/cash", "{\"amountReceived\":2000}")
                .status()).isEqualTo(200);
        return UUID.fromString(id);
    }

    static long number(String sql) {
        return Sql.longValue(cloud.database().client().execute().get(sql).orElseThrow(), sql.contains(" as n") ? "n" : "id");
    }
}
