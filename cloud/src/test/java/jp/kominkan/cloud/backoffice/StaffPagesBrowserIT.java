package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.imageio.ImageIO;

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

/**
 * The back office in a real browser (Debian's headless Chromium): an administrator creates a
 * facility and a room, uploads a photo and publishes it; a resident books it; a counter clerk finds
 * the booking by phone number, moves it and records cash; a facility administrator of another
 * facility sees none of it; the operation log shows each write. Every staff page is checked with
 * axe-core (WCAG 2.1 A/AA) at 360 and 1280 px, with a screenshot of each under target/screenshots/.
 */
class StaffPagesBrowserIT {

    static final String PASSWORD = "a long staff password";
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
    static void stop() throws IOException {
        if (pages != null) {
            pages.writeSummary("axe-summary-staff.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void anAdministratorSetsUpAFacilityAClerkRunsItsBookingsAndAnotherFacilitySeesNothing() throws Exception {
        // The main administrator logs in and creates a facility, unpublished.
        pages.open("/staff");
        assertThat(pages.driver().getCurrentUrl()).contains("/staff/login");
        pages.check("staff-login");
        login(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        pages.check("staff-home");
        pages.click(By.linkText("施設"));
        pages.check("staff-facilities");
        pages.click(By.linkText("施設を登録する"));
        pages.check("staff-facility-new");
        pages.submit("登録する");
        assertThat(pages.text()).contains("名称を入力してください");
        pages.check("staff-facility-new-error");
        pages.fill("name", "北山コミュニティセンター");
        pages.fill("kana", "きたやまこみゅにてぃせんたー");
        pages.fill("address", "山梨県山吹市北山3-1");
        pages.fill("equipment", "プロジェクター\nホワイトボード");
        pages.submit("登録する");
        assertThat(pages.text()).contains("北山コミュニティセンター", "非公開");
        long facilityId = Long.parseLong(pages.driver().getCurrentUrl().replaceAll(".*/staff/facilities/(\\d+).*", "$1"));
        pages.check("staff-facility");

        // A photo: a text file is refused with a clear message; a PNG with its alt text is added.
        Path notImage = Files.createTempFile("not-a-photo", ".jpg");
        Files.writeString(notImage, "<html>not a photo</html>");
        pages.waitFor(By.id("photo")).sendKeys(notImage.toString());
        pages.fill("alt", "入口の写真");
        pages.submit("写真を追加する");
        assertThat(pages.driver().findElement(By.id("photo-error")).getText()).isNotBlank();
        assertThat(count("select count(*) as n from facility_photo where facility_id = ?", facilityId)).isZero();
        Path png = Files.createTempFile("kitayama", ".png");
        BufferedImage image = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
        image.getGraphics().fillRect(10, 10, 100, 100);
        ImageIO.write(image, "png", png.toFile());
        pages.waitFor(By.id("photo")).sendKeys(png.toString());
        pages.fill("alt", "北山コミュニティセンターの入口");
        pages.submit("写真を追加する");
        assertThat(pages.driver().findElement(By.cssSelector("img[alt='北山コミュニティセンターの入口']")).getAttribute("src"))
                .contains("/photos/");

        // Publishing without a room is refused; a room is added; then it is published.
        pages.submit("公開する");
        assertThat(pages.text()).contains("部屋を 1 つ以上登録してください");
        pages.click(By.linkText("部屋を登録する"));
        pages.check("staff-room");
        pages.fill("name", "多目的室");
        pages.fill("capacity", "30");
        pages.fill("priceResident", "600");
        pages.fill("priceNonResident", "900");
        pages.submit("保存する");
        pages.submit("公開する");
        assertThat(pages.text()).contains("公開中");
        long roomId = Sql.longValue(cloud.database().client().execute()
                .get("select id from room where facility_id = ?", facilityId).orElseThrow(), "id");

        // A resident with a phone number books it.
        Api api = new Api(cloud.port());
        String resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        assertThat(api.patch("/api/v1/me", "{\"phone\":\"090-4321-8765\"}").token(resident).send().status()).isEqualTo(200);
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        LocalDate day = LocalDate.now(tokyo).plusDays(5);
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + roomId + ",\"start\":\"" + day
                + "T10:00:00+09:00\",\"end\":\"" + day + "T12:00:00+09:00\",\"purpose\":\"自治会の会合\",\"attendees\":12}")
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        String reservationId = booked.json().get("id").asText();

        // A counter clerk of that facility finds it by phone number, moves it and records cash.
        StaffRepository staff = new StaffRepository(cloud.database().client());
        staff.insert(new StaffMember(UUID.randomUUID(), municipalityId(), "clerk@city.yamabuki.example.lg.jp", "窓口 花子",
                StaffRole.CLERK, Set.of(facilityId)), PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());
        pages.submit("ログアウト");
        login("clerk@city.yamabuki.example.lg.jp", PASSWORD);
        pages.click(By.linkText("予約管理"));
        pages.fill("to", day.plusDays(1).toString());
        pages.fill("q", "09043218765");
        pages.submit("検索");
        pages.check("staff-reservations");
        assertThat(pages.driver().findElements(By.cssSelector("table.list tbody tr"))).hasSize(1);
        pages.click(By.linkText(reservationId.substring(0, 8).toUpperCase()));
        pages.check("staff-reservation");
        assertThat(pages.text()).contains("山吹 花子", "090-4321-8765", "自治会の会合");
        pages.fill("start", "14:00");
        pages.fill("end", "16:00");
        pages.submit("変更する");
        assertThat(pages.text()).contains("予約を変更しました", "14:00–16:00");
        pages.fill("amountReceived", "1000");
        pages.submit("受領を記録して確定する");
        // An unverified resident pays the non-resident fee: 900 yen an hour for two hours.
        assertThat(pages.driver().findElement(By.id("amountReceived-error")).getText()).contains("1800");
        assertThat(count("select count(*) as n from reservation where receipt_number is not null", null)).isZero();
        pages.fill("amountReceived", "2000");
        pages.submit("受領を記録して確定する");
        assertThat(pages.text()).contains("現金の受領を記録し", "確定", "R" + LocalDate.now(tokyo).getYear() + "-");
        pages.check("staff-reservation-paid");

        // The counter form: no name → the error is next to the field and nothing is written.
        pages.click(By.linkText("窓口予約"));
        pages.check("staff-counter");
        long before = count("select count(*) as n from reservation", null);
        pages.fill("date", day.plusDays(1).toString());
        pages.fill("purpose", "卓球");
        pages.fill("phone", "0551-22-3333");
        pages.submit("予約を登録する");
        assertThat(pages.driver().findElement(By.id("name-error")).getText()).isNotBlank();
        assertThat(count("select count(*) as n from reservation", null)).isEqualTo(before);
        pages.check("staff-counter-error");
        pages.click(By.linkText("予約カレンダー"));
        pages.check("staff-calendar");
        assertThat(pages.text()).contains("14:00–16:00");
        pages.open("/staff/calendar?facility=" + facilityId + "&week=" + day + "&days=1");
        assertThat(pages.text()).contains("（1 日）", "14:00–16:00");
        pages.open("/staff/calendar?facility=" + facilityId + "&week=" + day.plusDays(1) + "&days=1");
        assertThat(pages.text()).contains("（1 日）").doesNotContain("14:00–16:00");
        pages.check("staff-calendar-day");

        // The clerk may not edit the facility or read the log.
        pages.open("/staff/facilities/" + facilityId);
        assertThat(pages.text()).contains("権限");
        pages.open("/staff/operations");
        assertThat(pages.text()).contains("権限");

        // A facility administrator of another facility sees none of it.
        long other = Sql.longValue(cloud.database().client().execute().get(
                "select min(id) as id from facility where municipality_id = ? and id <> ?", municipalityId(), facilityId)
                .orElseThrow(), "id");
        staff.insert(new StaffMember(UUID.randomUUID(), municipalityId(), "other@city.yamabuki.example.lg.jp", "別施設 次郎",
                StaffRole.FACILITY, Set.of(other)), PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());
        pages.open("/staff");
        pages.submit("ログアウト");
        login("other@city.yamabuki.example.lg.jp", PASSWORD);
        for (String page : List.of("/staff/reservations/" + reservationId, "/staff/facilities/" + facilityId,
                "/staff/rooms/" + roomId, "/staff/calendar?facility=" + facilityId)) {
            pages.open(page);
            assertThat(pages.text()).as(page).doesNotContain("山吹 花子", "090-4321-8765");
        }
        pages.open("/staff/reservations?to=" + day.plusDays(1) + "&q=09043218765");
        assertThat(pages.driver().findElements(By.cssSelector("table.list tbody tr"))).isEmpty();
        String otherToken = api.staffLogin("other@city.yamabuki.example.lg.jp", PASSWORD);
        assertThat(api.get("/api/v1/staff/reservations/" + reservationId).token(otherToken).send().status()).isEqualTo(404);
        assertThat(api.put("/api/v1/staff/facilities/" + facilityId, "{\"name\":\"x\"}").token(otherToken).send().status())
                .isEqualTo(404);

        // The main administrator's operation log shows each write.
        pages.submit("ログアウト");
        login(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        // A city-use block over the booking: the per-date report names it and nothing is written.
        pages.open("/staff/facilities/" + facilityId);
        long slots = count("select count(*) as n from room_slot where room_id = ?", roomId);
        new org.openqa.selenium.support.ui.Select(pages.waitFor(By.id("kind"))).selectByValue("city-use");
        pages.fill("note", "期日前投票所");
        pages.fill("date", day.toString());
        pages.fill("start", "13:00");
        pages.fill("end", "17:00");
        pages.submit("確認する");
        assertThat(pages.driver().findElement(By.id("block-report")).getText()).contains(day.toString(), "予約あり",
                reservationId.substring(0, 8).toUpperCase());
        pages.check("staff-facility-blocks");
        pages.submit("ブロックを登録する");
        assertThat(pages.text()).contains("何も登録していません");
        assertThat(count("select count(*) as n from room_slot where room_id = ?", roomId)).isEqualTo(slots);

        // A gateway for the building: registered, then its one-time enrollment token with a QR code.
        pages.open("/staff/facilities/" + facilityId);
        pages.fill("gatewayId", DemoData.CODE + "-gw-kitayama");
        pages.fill("gatewayName", "北山コミュニティセンター");
        pages.submit("ゲートウェイを登録する");
        // Its door: a wrong id is refused next to the field; a good one is listed.
        pages.fill("doorId", "door-without-town");
        pages.fill("doorName", "多目的室 入口");
        pages.submit("扉を登録する");
        assertThat(pages.driver().findElement(By.id("doorId-error")).getText()).contains(DemoData.CODE + "-");
        pages.fill("doorId", DemoData.CODE + "-door-kitayama");
        pages.fill("doorName", "多目的室 入口");
        pages.submit("扉を登録する");
        assertThat(pages.text()).contains("多目的室：多目的室 入口（" + DemoData.CODE + "-door-kitayama）");
        pages.submit("登録用トークンを発行（" + DemoData.CODE + "-gw-kitayama）");
        assertThat(pages.text()).contains("kominkan-gateway enroll --cloud", "--token");
        pages.check("staff-facility-gateway-token");

        pages.click(By.linkText("操作ログ"));
        pages.check("staff-operations");
        assertThat(pages.text()).contains("facility.create", "photo.add", "room.create", "facility.publish",
                "reservation.move", "reservation.cash", "gateway.register", "gateway.enrollment-token", "door.add");
        assertThat(pages.violations()).as("axe-core violations per page").isEmpty();
    }

    private static long municipalityId() {
        return Sql.longValue(cloud.database().client().execute().get("select id from municipality where code = ?",
                DemoData.CODE).orElseThrow(), "id");
    }

    private static long count(String sql, Object param) {
        var row = param == null ? cloud.database().client().execute().get(sql).orElseThrow()
                : cloud.database().client().execute().get(sql, param).orElseThrow();
        return Sql.longValue(row, "n");
    }

    private static void login(String email, String password) {
        pages.fill("email", email);
        pages.fill("password", password);
        pages.submit("ログイン");
        assertThat(pages.driver().getCurrentUrl()).doesNotContain("/staff/login");
    }
}
