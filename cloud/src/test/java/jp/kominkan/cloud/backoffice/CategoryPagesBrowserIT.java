package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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

/**
 * The 減免 and group category pages in Debian's headless Chromium: the main administrator reaches them from the
 * staff menu, is shown a bad rate next to its field, adds a category, opens one whose code is in use (read-only),
 * retires one; the same for group categories. Every page state is checked with axe-core (WCAG 2.1 A/AA) at 360
 * and 1280 px, with screenshots under target/screenshots/category-*.png.
 */
class CategoryPagesBrowserIT {

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
            pages.writeSummary("axe-summary-categories.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void theMainAdministratorEditsBothListsWithNoAccessibilityViolations() {
        pages.open("/staff/login");
        pages.fill("email", DemoData.ADMIN_EMAIL);
        pages.fill("password", DemoData.ADMIN_PASSWORD);
        pages.submit("ログイン");
        pages.click(By.linkText("減免区分"));
        assertThat(pages.text()).contains("減免区分の設定", "社会教育関係団体（5割）", "100 %");
        pages.check("category-reduction-list");

        pages.fill("code", "sports-youth");
        pages.fill("nameJa", "スポーツ少年団（3割）");
        pages.fill("nameEn", "Youth sports club (30 % off)");
        pages.fill("percent", "150");
        pages.submit("追加する");
        assertThat(pages.driver().findElement(By.id("percent-error")).getText()).startsWith("減免率は 0〜100 の整数で");
        assertThat(pages.driver().findElement(By.id("percent")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(count("select count(*) as n from reduction_category where code = 'sports-youth'")).isZero();
        pages.check("category-reduction-error");
        pages.fill("percent", "30");
        pages.submit("追加する");
        assertThat(pages.text()).contains("区分を追加しました", "スポーツ少年団（3割）");
        pages.check("category-reduction-added");

        pages.click(By.linkText("社会教育関係団体（5割）"));
        assertThat(pages.driver().findElement(By.id("code")).getAttribute("readonly")).isNotNull();
        pages.check("category-reduction-in-use");
        pages.open("/staff/reduction-categories/sports-youth");
        pages.submit("この区分を廃止する");
        assertThat(pages.text()).contains("廃止しました", "受付を再開する");
        pages.check("category-reduction-retired");

        pages.click(By.linkText("団体区分"));
        assertThat(pages.text()).contains("団体区分の設定", "一般団体", "12 か月");
        pages.check("category-group-list");
        pages.fill("code", "youth-sports");
        pages.fill("nameJa", "スポーツ少年団");
        pages.fill("nameEn", "Youth sports club");
        pages.fill("validityMonths", "0");
        new org.openqa.selenium.support.ui.Select(pages.waitFor(By.id("reductionCode")))
                .selectByVisibleText("全額免除（市の主催・共催事業）");
        pages.submit("追加する");
        assertThat(pages.driver().findElement(By.id("validityMonths-error")).getText()).startsWith("承認の有効期間は");
        pages.check("category-group-error");
        pages.fill("validityMonths", "24");
        pages.submit("追加する");
        assertThat(pages.text()).contains("区分を追加しました", "スポーツ少年団");
        assertThat(Sql.text(cloud.database().client().execute().get("select reduction_code from group_category"
                + " where code = 'youth-sports'").orElseThrow(), "reduction_code")).isEqualTo("city-event");
        pages.click(By.linkText("社会教育関係団体"));
        assertThat(pages.text()).contains("この区分で登録された団体があるため変更できません");
        pages.check("category-group-in-use");

        assertThat(pages.violations()).isEmpty();
    }

    static long count(String sql) {
        return Sql.longValue(cloud.database().client().execute().get(sql).orElseThrow(), "n");
    }
}
