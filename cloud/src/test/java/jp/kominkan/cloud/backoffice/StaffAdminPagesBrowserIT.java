package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
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
 * Resident and staff management in a real browser (Debian's headless Chromium): the main administrator
 * finds a resident by phone number, is refused a suspension without a reason, suspends them (the
 * resident's session ends, the upcoming booking is listed with a link), notes and reinstates; invites a
 * clerk and sends the invitation again; changes a clerk's facilities, disables and enables them; the
 * clerk sees residents but neither staff nor the suspend form. Every page is checked with axe-core
 * (WCAG 2.1 A/AA) at 360 and 1280 px, with a screenshot of each under target/screenshots/.
 */
class StaffAdminPagesBrowserIT {

    static final String PASSWORD = "a long staff password";
    static final String CLERK = "madoguchi@city.yamabuki.example.lg.jp";
    static Cloud cloud;
    static String base;
    static ChromePages pages;

    @BeforeAll
    static void start() throws IOException {
        int port = TestCloud.freePort();
        base = "http://127.0.0.1:" + port;
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true,
                Map.of("server.port", Integer.toString(port)));
        pages = new ChromePages(base);
    }

    @AfterAll
    static void stop() throws IOException {
        if (pages != null) {
            pages.writeSummary("axe-summary-staff-admin.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void anAdministratorSuspendsAndReinstatesAResidentAndManagesStaff() {
        // A resident with a phone number and a booking to come.
        Api api = new Api(cloud.port());
        String resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        assertThat(api.patch("/api/v1/me", "{\"phone\":\"090-4321-8765\"}").token(resident).send().status()).isEqualTo(200);
        long room = Sql.longValue(cloud.database().client().execute().get("select room_id from door where id = ?",
                DemoData.CODE + "-door-study").orElseThrow(), "room_id");
        long facility = Sql.longValue(cloud.database().client().execute().get("select facility_id from room where id = ?",
                room).orElseThrow(), "facility_id");
        long otherFacility = Sql.longValue(cloud.database().client().execute().get(
                "select min(id) as id from facility where municipality_id = ? and id <> ?", municipalityId(), facility)
                .orElseThrow(), "id");
        LocalDate day = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(4);
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + room + ",\"start\":\"" + day
                + "T10:00:00+09:00\",\"end\":\"" + day + "T11:00:00+09:00\",\"purpose\":\"自習\",\"attendees\":1}")
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        String number = booked.json().get("id").asText().substring(0, 8).toUpperCase();

        // The main administrator finds the resident by phone digits.
        pages.open("/staff/residents");
        login(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        assertThat(pages.driver().getCurrentUrl()).contains("/staff/residents");
        pages.check("staff-residents");
        pages.fill("q", "09043218765");
        pages.submit("検索");
        assertThat(pages.driver().findElements(By.cssSelector("table.list tbody tr"))).hasSize(1);
        pages.check("staff-residents-found");
        pages.click(By.linkText("山吹 花子"));
        assertThat(pages.text()).contains("090-4321-8765", DemoData.RESIDENT_EMAIL, "未実施", number);
        pages.check("staff-resident");

        // A suspension needs a reason; with one, the resident is logged out and the booking is listed to decide on.
        pages.submit("利用を停止する");
        assertThat(pages.driver().findElement(By.id("reason-error")).getText()).contains("理由");
        pages.check("staff-resident-error");
        assertThat(api.get("/api/v1/me").token(resident).send().status()).isEqualTo(200);
        pages.fill("reason", "利用規約違反の確認のため");
        pages.submit("利用を停止する");
        assertThat(pages.text()).contains("利用を停止しました", "判断が必要な今後の予約", "利用規約違反の確認のため");
        assertThat(pages.driver().findElement(By.cssSelector("#upcoming a")).getAttribute("href"))
                .endsWith("/staff/reservations/" + booked.json().get("id").asText());
        assertThat(api.get("/api/v1/me").token(resident).send().status()).isEqualTo(401);
        pages.check("staff-resident-suspended");
        pages.fill("note", "電話で停止を連絡済み");
        pages.submit("メモを追加する");
        assertThat(pages.text()).contains("メモを追加しました", "電話で停止を連絡済み");
        pages.fill("reason", "確認が済んだため");
        pages.submit("利用を再開する");
        assertThat(pages.text()).contains("利用を再開しました");
        assertThat(api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD)).isNotBlank();

        // Staff: an invitation needs an e-mail; then it is sent, listed and sent again.
        StaffRepository staff = new StaffRepository(cloud.database().client());
        UUID clerkId = UUID.randomUUID();
        staff.insert(new StaffMember(clerkId, municipalityId(), CLERK, "窓口 花子", StaffRole.CLERK, Set.of(facility)),
                PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());
        pages.click(By.linkText("職員"));
        pages.check("staff-members");
        pages.submit("招待する");
        assertThat(pages.driver().findElement(By.id("email-error")).getText()).isNotBlank();
        pages.check("staff-members-error");
        pages.fill("email", "atarashii@city.yamabuki.example.lg.jp");
        new Select(pages.waitFor(By.id("role"))).selectByValue("caretaker");
        pages.waitFor(By.id("facility-" + facility)).click();
        pages.submit("招待する");
        assertThat(pages.text()).contains("招待メールを送信しました", "atarashii@city.yamabuki.example.lg.jp");
        pages.submit("再送する（atarashii@city.yamabuki.example.lg.jp）");
        assertThat(pages.text()).contains("新しい招待リンクを送信しました");
        pages.check("staff-members-invited");

        // The clerk's facilities change; disabled, the clerk is logged out; enabled, they log in again.
        String clerkToken = api.staffLogin(CLERK, PASSWORD);
        pages.click(By.linkText("窓口 花子"));
        pages.check("staff-member");
        pages.waitFor(By.id("facility-" + otherFacility)).click();
        pages.submit("保存する");
        assertThat(pages.text()).contains("権限と担当施設を保存しました");
        assertThat(api.get("/api/v1/staff/me").token(clerkToken).send().json().get("facilities").toString())
                .contains(Long.toString(otherFacility));
        pages.submit("無効にする");
        assertThat(pages.text()).contains("無効にしました");
        assertThat(api.get("/api/v1/staff/me").token(clerkToken).send().status()).isEqualTo(401);
        pages.check("staff-member-disabled");
        pages.submit("有効にする");
        assertThat(pages.text()).contains("有効にしました");

        // The clerk sees residents, not staff, and cannot suspend.
        pages.submit("ログアウト");
        login(CLERK, PASSWORD);
        assertThat(pages.driver().findElements(By.linkText("職員"))).isEmpty();
        pages.click(By.linkText("利用者"));
        pages.fill("q", "山吹");
        pages.submit("検索");
        pages.click(By.linkText("山吹 花子"));
        assertThat(pages.text()).contains("電話で停止を連絡済み").doesNotContain("利用を停止する");
        pages.check("staff-resident-clerk");
        pages.open("/staff/members");
        assertThat(pages.text()).contains("権限");
        assertThat(pages.violations()).as("axe-core violations per page").isEmpty();
    }

    private static long municipalityId() {
        return Sql.longValue(cloud.database().client().execute().get("select id from municipality where code = ?",
                DemoData.CODE).orElseThrow(), "id");
    }

    private static void login(String email, String password) {
        pages.fill("email", email);
        pages.fill("password", password);
        pages.submit("ログイン");
        assertThat(pages.driver().getCurrentUrl()).doesNotContain("/staff/login");
    }
}
