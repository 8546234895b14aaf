package jp.kominkan.cloud.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

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
import org.openqa.selenium.support.ui.Select;

/**
 * The top page's search by 利用日 and 時間帯, and the facility administrator's booking-rules page, in Debian's headless
 * Chromium, each state checked with axe-core (WCAG 2.1 A/AA) at 360 and 1280 px; screenshots under
 * target/screenshots/fair-*.png.
 */
class FairPagesBrowserIT {

    static final LocalDate DAY = LocalDate.of(2027, 1, 20);
    static Cloud cloud;
    static ChromePages pages;
    static long closedFacility;

    @BeforeAll
    static void start() {
        int port = TestCloud.freePort();
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2),
                new MutableClock(Instant.parse("2027-01-12T01:00:00Z")), true, Map.of("server.port", Integer.toString(port)));
        long town = Sql.longValue(cloud.database().client().execute().get("select id from municipality where code = ?",
                DemoData.CODE).orElseThrow(), "id");
        closedFacility = Sql.inTransaction(cloud.database().client(), tx -> {
            tx.insert("""
                    insert into facility (municipality_id, name, name_kana, address, facility_type, description, access_notes)
                    values (?, '点検中会館', 'テンケンチュウカイカン', '山吹町9', 'community-center', '試験用', '')""", town);
            long id = Sql.longValue(tx.get("select max(id) as id from facility where municipality_id = ?", town)
                    .orElseThrow(), "id");
            DemoData.room(tx, town, id, "集会室", 10, 90, 0, 0, List.of(DayOfWeek.values()), 0, 24 * 60);
            tx.insert("insert into facility_closed_day (facility_id, closed_on, reason) values (?, ?, '点検')", id, DAY);
            return id;
        });
        pages = new ChromePages("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("axe-summary-fair.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void theTopPageFindsOnlyFacilitiesWithARoomFreeThatDayAndSaysSo() {
        pages.open("/");
        assertThat(pages.text()).contains("その日に空き時間のある部屋がある施設だけを表示します", "点検中会館");
        pages.check("fair-top");
        pages.fill("date", DAY.toString());
        pages.submit("検索する");
        assertThat(pages.driver().findElement(By.id("search-summary")).getText())
                .isEqualTo("2027-01-20 に空き時間のある部屋がある施設だけを表示しています。");
        assertThat(pages.text()).doesNotContain("点検中会館").contains("空いている部屋");
        pages.check("fair-search-day");

        pages.open("/");
        pages.fill("date", DAY.toString());
        new Select(pages.waitFor(By.id("from"))).selectByValue("18:00");
        new Select(pages.waitFor(By.id("to"))).selectByValue("21:00");
        pages.submit("検索する");
        assertThat(pages.text()).contains("2027-01-20 の 18:00〜21:00 がずっと空いている部屋がある施設だけを表示しています");
        pages.check("fair-search-evening");

        pages.open("/facilities?date=2027-01-20&from=21%3A00&to=18%3A00");
        assertThat(pages.text()).contains("時間帯は開始と終了の両方を選び");
        pages.check("fair-search-error");
    }

    @Test
    void aResidentJoinsTheWaitingListFromATakenCellAndSeesTheirPosition() {
        jp.kominkan.cloud.support.Api api = new jp.kominkan.cloud.support.Api(cloud.port());
        long room = Sql.longValue(cloud.database().client().execute().get(
                "select id from room where name = '自習室（24時間）'").orElseThrow(), "id");
        String other = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        jp.kominkan.cloud.support.Api.Response booked = api.post("/api/v1/reservations",
                "{\"roomId\":" + room + ",\"start\":\"2027-01-14T10:00:00+09:00\",\"end\":\"2027-01-14T11:00:00+09:00\","
                        + "\"purpose\":\"自習\",\"attendees\":1}").token(other)
                .header("Idempotency-Key", java.util.UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        String email = "waiter-browser@example.jp";
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"a long and rare passphrase 42\","
                + "\"name\":\"待合 次郎\"}").send().status()).isEqualTo(201);
        pages.open("/login");
        pages.fill("email", email);
        pages.fill("password", "a long and rare passphrase 42");
        pages.submit("ログイン");
        pages.open("/rooms/" + room + "?week=2027-01-12");
        pages.check("fair-room-week");
        pages.click(By.xpath("//td[@class='booked']/a[contains(@href, 'date=2027-01-14')]"));
        assertThat(pages.text()).contains("キャンセル待ちに登録");
        pages.check("fair-waitlist-join");
        pages.submit("キャンセル待ちに登録する");
        assertThat(pages.driver().findElement(By.id("purpose-error")).getText()).contains("利用目的");
        pages.check("fair-waitlist-join-error");
        pages.fill("purpose", "自習");
        pages.submit("キャンセル待ちに登録する");
        assertThat(pages.text()).contains("キャンセル待ちに登録しました", "順番: 1 番目");
        pages.check("fair-waitlist-list");
        pages.submit("キャンセル待ちを取り消す");
        assertThat(pages.text()).contains("キャンセル待ちを取り消しました", "キャンセル待ちはありません");
        assertThat(pages.violations()).isEmpty();
    }

    @Test
    void aFacilityAdministratorSetsTheWindowAndLimitsOnThePage() {
        pages.open("/staff/login");
        pages.fill("email", DemoData.ADMIN_EMAIL);
        pages.fill("password", DemoData.ADMIN_PASSWORD);
        pages.submit("ログイン");
        pages.open("/staff/facilities/" + closedFacility);
        pages.click(By.linkText("予約の受付期間と上限"));
        assertThat(pages.text()).contains("予約の受付期間と上限：点検中会館", "市外の方（か月前から）");
        pages.check("fair-rules");
        pages.waitFor(By.id("window")).click(); // a checkbox: no page load to wait for
        pages.fill("opensDay", "31");
        pages.fill("cap0", "4");
        pages.fill("unverified0", "2");
        pages.submit("保存する");
        assertThat(pages.driver().findElement(By.id("opensDay-error")).getText()).startsWith("受付開始日は 1〜28 の整数");
        assertThat(Sql.longValue(cloud.database().client().execute().get(
                "select count(*) as n from booking_quota where facility_id = ?", closedFacility).orElseThrow(), "n"))
                .isZero();
        pages.check("fair-rules-error");
        pages.fill("opensDay", "1");
        pages.submit("保存する");
        assertThat(pages.text()).contains("保存しました");
        assertThat(pages.driver().findElement(By.id("cap0")).getAttribute("value")).isEqualTo("4");
        assertThat(Sql.integer(cloud.database().client().execute().get(
                "select resident_months from booking_window where facility_id = ?", closedFacility).orElseThrow(),
                "resident_months")).isEqualTo(3);
        pages.check("fair-rules-saved");
        assertThat(pages.violations()).isEmpty();
    }
}
