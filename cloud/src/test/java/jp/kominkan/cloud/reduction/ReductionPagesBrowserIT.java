package jp.kominkan.cloud.reduction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
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
 * A 減免 journey in a real browser (Debian's headless Chromium): the demo resident books the 大会議室 for the demo
 * group 山吹コーラス (six members, three 75+), ticks "apply for a reduction", applies as a senior citizens' group
 * with a PDF; the booking's page says it is under review; the main administrator opens it from the list, sees the
 * roster rule met and the fee before and after, and approves; the resident's page shows the recomputed fee and the
 * mail arrives. Every page is checked with axe-core (WCAG 2.1 A/AA) at 360 and 1280 px, with screenshots under
 * target/screenshots/.
 */
class ReductionPagesBrowserIT {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static GreenMail smtp;
    static Cloud cloud;
    static ChromePages pages;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        int port = TestCloud.freePort();
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true,
                TestCloud.mailingTo(smtp, Map.of("server.port", Integer.toString(port))));
        pages = new ChromePages("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("axe-summary-reductions.txt");
            pages.close();
        }
        cloud.close();
        smtp.stop();
    }

    @Test
    void aResidentAppliesWithEvidenceStaffApproveAndTheFeeIsRecomputedAndMailed() throws Exception {
        long town = Sql.longValue(cloud.database().client().execute()
                .get("select id from municipality where code = ?", DemoData.CODE).orElseThrow(), "id");
        long room = Sql.longValue(cloud.database().client().execute()
                .get("select id from room where municipality_id = ? and name = ?", town, "大会議室").orElseThrow(), "id");
        LocalDate day = LocalDate.now(TOKYO).plusDays(10);
        while (day.getDayOfWeek() == DayOfWeek.MONDAY || cloud.database().client().execute().get(
                "select 1 as x from facility_closed_day f join room r on r.facility_id = f.facility_id"
                        + " where r.id = ? and f.closed_on = ?", room, day).isPresent()) {
            day = day.plusDays(1);
        }

        pages.open("/login");
        pages.fill("email", DemoData.RESIDENT_EMAIL);
        pages.fill("password", DemoData.RESIDENT_PASSWORD);
        pages.submit("ログイン");
        pages.open("/rooms/" + room + "/book?date=" + day + "&start=09%3A00");
        new Select(pages.waitFor(By.id("end"))).selectByValue("12:00");
        pages.fill("purpose", "合唱の練習");
        pages.fill("attendees", "6");
        new Select(pages.waitFor(By.id("groupId"))).selectByVisibleText("山吹コーラス");
        pages.check("reduction-book");
        pages.submit("確認画面へ");
        assertThat(pages.text()).contains("山吹コーラス", "減免を申請する");
        pages.waitFor(By.id("reduction")).click();
        pages.check("reduction-review");
        pages.submit("仮予約する");
        pages.waitForPath("/reduction");
        String reservationUrl = pages.driver().getCurrentUrl().replaceAll("/reduction$", "");
        UUID id = UUID.fromString(reservationUrl.replaceAll(".*/", ""));
        long before = amount(id);
        assertThat(before).isPositive();
        assertThat(pages.text()).contains("高齢者団体", String.format("%,d", before));
        pages.check("reduction-form");

        pages.waitFor(By.id("category-elderly-group")).click();
        pages.submit("減免を申請する");
        assertThat(pages.text()).contains("申請の理由");
        pages.check("reduction-form-error");
        pages.waitFor(By.id("category-elderly-group")).click();
        pages.fill("reason", "会員6名のうち3名が75歳以上の高齢者団体です");
        Path pdf = Files.createTempFile("meibo", ".pdf");
        Files.write(pdf, "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        pages.waitFor(By.id("evidence-file")).sendKeys(pdf.toString());
        pages.submit("減免を申請する");
        assertThat(pages.text()).contains("減免を申請しました").doesNotContain("お支払いへ進む");
        pages.check("reduction-pending");

        pages.open("/staff/login");
        pages.fill("email", DemoData.ADMIN_EMAIL);
        pages.fill("password", DemoData.ADMIN_PASSWORD);
        pages.submit("ログイン");
        pages.click(By.linkText("減免審査"));
        assertThat(pages.text()).contains("中央公民館 大会議室", "高齢者団体");
        pages.check("staff-reductions");
        pages.click(By.partialLinkText(String.valueOf(day.getMonthValue())));
        assertThat(pages.text()).contains("山吹コーラス", "3 / 6", "満たす", "会員6名のうち3名が75歳以上", "冷暖房費は対象外");
        assertThat(pages.driver().findElement(By.partialLinkText(".pdf")).getAttribute("href")).endsWith("/evidence");
        pages.check("staff-reduction");
        pages.submit("承認する");
        assertThat(pages.text()).contains("承認しました");
        pages.check("staff-reduction-approved");

        long after = amount(id);
        assertThat(after).isLessThan(before).isPositive();
        pages.driver().get(reservationUrl);
        assertThat(pages.text()).contains("減免が承認されました（50%）", after + " 円", "お支払いへ進む");
        pages.check("reduction-approved");

        MimeMessage mail = null;
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mail == null && System.nanoTime() < until) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getAllRecipients()[0].toString().equals(DemoData.RESIDENT_EMAIL) && m.getSubject().contains("減免")) {
                    mail = m;
                }
            }
            smtp.waitForIncomingEmail(500, smtp.getReceivedMessages().length + 1);
        }
        assertThat(mail).as("the approval mail").isNotNull();
        assertThat(mail.getSubject()).contains("承認");
        assertThat((String) mail.getContent()).contains(String.format("%,d", before) + " 円 → " + String.format("%,d", after)
                + " 円");
        assertThat(pages.violations()).isEmpty();
    }

    static long amount(UUID id) {
        return Sql.longValue(cloud.database().client().execute().get("select amount from reservation where id = ?", id)
                .orElseThrow(), "amount");
    }
}
