package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.imageio.ImageIO;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The back office in a real browser (Debian's headless Chromium): an administrator creates a
 * facility and a room, uploads a photo and publishes it; a resident books it; a counter clerk finds
 * the booking by phone number, moves it and records cash; a facility administrator of another
 * facility sees none of it; the operation log shows each write. Every staff page is checked with
 * axe-core (WCAG 2.1 A/AA) at 360 and 1280 px, with a screenshot of each under target/screenshots/.
 */
class StaffPagesBrowserIT {

    static final Path SHOTS = Path.of("target", "screenshots");
    static final List<Integer> WIDTHS = List.of(1280, 360);
    static final String PASSWORD = "a long staff password";
    static Cloud cloud;
    static String base;
    static WebDriver browser;
    static final List<String> checked = new ArrayList<>();
    static final Map<String, Integer> violations = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        int port = TestCloud.freePort();
        base = "http://127.0.0.1:" + port;
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true,
                Map.of("server.port", Integer.toString(port)));
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--lang=ja", "--window-size=1280,1600");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        cloud.close();
        Files.writeString(SHOTS.resolve("axe-summary-staff.txt"), "axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa)"
                + " violations per staff page and width:\n" + String.join("\n", checked) + "\n");
    }

    @Test
    void anAdministratorSetsUpAFacilityAClerkRunsItsBookingsAndAnotherFacilitySeesNothing() throws Exception {
        // The main administrator logs in and creates a facility, unpublished.
        open("/staff");
        assertThat(browser.getCurrentUrl()).contains("/staff/login");
        check("staff-login");
        login(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        check("staff-home");
        click(By.linkText("施設"));
        check("staff-facilities");
        click(By.linkText("施設を登録する"));
        check("staff-facility-new");
        submit("登録する");
        assertThat(text()).contains("名称を入力してください");
        check("staff-facility-new-error");
        fill("name", "北山コミュニティセンター");
        fill("kana", "きたやまこみゅにてぃせんたー");
        fill("address", "山梨県山吹市北山3-1");
        fill("equipment", "プロジェクター\nホワイトボード");
        submit("登録する");
        assertThat(text()).contains("北山コミュニティセンター", "非公開");
        long facilityId = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/staff/facilities/(\\d+).*", "$1"));
        check("staff-facility");

        // A photo: a text file is refused with a clear message; a PNG with its alt text is added.
        Path notImage = Files.createTempFile("not-a-photo", ".jpg");
        Files.writeString(notImage, "<html>not a photo</html>");
        waitFor(By.id("photo")).sendKeys(notImage.toString());
        fill("alt", "入口の写真");
        submit("写真を追加する");
        assertThat(browser.findElement(By.id("photo-error")).getText()).isNotBlank();
        assertThat(count("select count(*) as n from facility_photo where facility_id = ?", facilityId)).isZero();
        Path png = Files.createTempFile("kitayama", ".png");
        BufferedImage image = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
        image.getGraphics().fillRect(10, 10, 100, 100);
        ImageIO.write(image, "png", png.toFile());
        waitFor(By.id("photo")).sendKeys(png.toString());
        fill("alt", "北山コミュニティセンターの入口");
        submit("写真を追加する");
        assertThat(browser.findElement(By.cssSelector("img[alt='北山コミュニティセンターの入口']")).getAttribute("src"))
                .contains("/photos/");

        // Publishing without a room is refused; a room is added; then it is published.
        submit("公開する");
        assertThat(text()).contains("部屋を 1 つ以上登録してください");
        click(By.linkText("部屋を登録する"));
        check("staff-room");
        fill("name", "多目的室");
        fill("capacity", "30");
        fill("priceResident", "600");
        fill("priceNonResident", "900");
        submit("保存する");
        submit("公開する");
        assertThat(text()).contains("公開中");
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
        submit("ログアウト");
        login("clerk@city.yamabuki.example.lg.jp", PASSWORD);
        click(By.linkText("予約管理"));
        fill("to", day.plusDays(1).toString());
        fill("q", "09043218765");
        submit("検索");
        check("staff-reservations");
        assertThat(browser.findElements(By.cssSelector("table.list tbody tr"))).hasSize(1);
        click(By.linkText(reservationId.substring(0, 8).toUpperCase()));
        check("staff-reservation");
        assertThat(text()).contains("山吹 花子", "090-4321-8765", "自治会の会合");
        fill("start", "14:00");
        fill("end", "16:00");
        submit("変更する");
        assertThat(text()).contains("予約を変更しました", "14:00–16:00");
        fill("amountReceived", "1000");
        submit("受領を記録して確定する");
        // An unverified resident pays the non-resident fee: 900 yen an hour for two hours.
        assertThat(browser.findElement(By.id("amountReceived-error")).getText()).contains("1800");
        assertThat(count("select count(*) as n from reservation where receipt_number is not null", null)).isZero();
        fill("amountReceived", "2000");
        submit("受領を記録して確定する");
        assertThat(text()).contains("現金の受領を記録し", "確定", "R" + LocalDate.now(tokyo).getYear() + "-");
        check("staff-reservation-paid");

        // The counter form: no name → the error is next to the field and nothing is written.
        click(By.linkText("窓口予約"));
        check("staff-counter");
        long before = count("select count(*) as n from reservation", null);
        fill("date", day.plusDays(1).toString());
        fill("purpose", "卓球");
        fill("phone", "0551-22-3333");
        submit("予約を登録する");
        assertThat(browser.findElement(By.id("name-error")).getText()).isNotBlank();
        assertThat(count("select count(*) as n from reservation", null)).isEqualTo(before);
        check("staff-counter-error");
        click(By.linkText("予約カレンダー"));
        check("staff-calendar");
        assertThat(text()).contains("14:00–16:00");

        // The clerk may not edit the facility or read the log.
        open("/staff/facilities/" + facilityId);
        assertThat(text()).contains("権限");
        open("/staff/operations");
        assertThat(text()).contains("権限");

        // A facility administrator of another facility sees none of it.
        long other = Sql.longValue(cloud.database().client().execute().get(
                "select min(id) as id from facility where municipality_id = ? and id <> ?", municipalityId(), facilityId)
                .orElseThrow(), "id");
        staff.insert(new StaffMember(UUID.randomUUID(), municipalityId(), "other@city.yamabuki.example.lg.jp", "別施設 次郎",
                StaffRole.FACILITY, Set.of(other)), PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());
        open("/staff");
        submit("ログアウト");
        login("other@city.yamabuki.example.lg.jp", PASSWORD);
        for (String page : List.of("/staff/reservations/" + reservationId, "/staff/facilities/" + facilityId,
                "/staff/rooms/" + roomId, "/staff/calendar?facility=" + facilityId)) {
            open(page);
            assertThat(text()).as(page).doesNotContain("山吹 花子", "090-4321-8765");
        }
        open("/staff/reservations?to=" + day.plusDays(1) + "&q=09043218765");
        assertThat(browser.findElements(By.cssSelector("table.list tbody tr"))).isEmpty();
        String otherToken = api.staffLogin("other@city.yamabuki.example.lg.jp", PASSWORD);
        assertThat(api.get("/api/v1/staff/reservations/" + reservationId).token(otherToken).send().status()).isEqualTo(404);
        assertThat(api.put("/api/v1/staff/facilities/" + facilityId, "{\"name\":\"x\"}").token(otherToken).send().status())
                .isEqualTo(404);

        // The main administrator's operation log shows each write.
        submit("ログアウト");
        login(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        // A city-use block over the booking: the per-date report names it and nothing is written.
        open("/staff/facilities/" + facilityId);
        long slots = count("select count(*) as n from room_slot where room_id = ?", roomId);
        new org.openqa.selenium.support.ui.Select(waitFor(By.id("kind"))).selectByValue("city-use");
        fill("note", "期日前投票所");
        fill("date", day.toString());
        fill("start", "13:00");
        fill("end", "17:00");
        submit("確認する");
        assertThat(browser.findElement(By.id("block-report")).getText()).contains(day.toString(), "予約あり",
                reservationId.substring(0, 8).toUpperCase());
        check("staff-facility-blocks");
        submit("ブロックを登録する");
        assertThat(text()).contains("何も登録していません");
        assertThat(count("select count(*) as n from room_slot where room_id = ?", roomId)).isEqualTo(slots);

        // A gateway for the building: registered, then its one-time enrollment token with a QR code.
        open("/staff/facilities/" + facilityId);
        fill("gatewayId", DemoData.CODE + "-gw-kitayama");
        fill("gatewayName", "北山コミュニティセンター");
        submit("ゲートウェイを登録する");
        submit("登録用トークンを発行（" + DemoData.CODE + "-gw-kitayama）");
        assertThat(text()).contains("kominkan-gateway enroll --cloud", "--token");
        check("staff-facility-gateway-token");

        click(By.linkText("操作ログ"));
        check("staff-operations");
        assertThat(text()).contains("facility.create", "photo.add", "room.create", "facility.publish",
                "reservation.move", "reservation.cash", "gateway.register", "gateway.enrollment-token");
        assertThat(violations).as("axe-core violations per page").isEmpty();
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
        fill("email", email);
        fill("password", password);
        submit("ログイン");
        assertThat(browser.getCurrentUrl()).doesNotContain("/staff/login");
    }

    /** axe-core and a screenshot at each width, and no sideways scrolling at the narrow one. */
    private static void check(String name) {
        for (int width : WIDTHS) {
            browser.manage().window().setSize(new Dimension(width, 1600));
            Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                    .analyze(browser);
            List<Rule> found = results.getViolations();
            checked.add(name + " @" + width + "px: " + found.size()
                    + (found.isEmpty() ? "" : " " + found.stream().map(r -> r.getId() + " " + r.getNodes().stream()
                    .map(n -> String.valueOf(n.getTarget())).toList()).toList()));
            if (!found.isEmpty()) {
                violations.merge(name + "@" + width, found.size(), Integer::sum);
            }
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth");
            if (((Number) overflow).intValue() > 0) {
                Object wide = ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
                        + "'body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth)"
                        + ".map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 5).join(' ')");
                violations.merge(name + "@" + width + " scrolls sideways: " + wide, 1, Integer::sum);
            }
            try {
                Files.write(SHOTS.resolve(name + "-" + width + ".png"),
                        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        browser.manage().window().setSize(new Dimension(1280, 1600));
    }

    private static void open(String path) {
        browser.get(base + path);
    }

    private static void click(By by) {
        WebElement link = waitFor(by);
        link.click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(replaced(link));
        waitFor(By.tagName("body"));
    }

    private static void submit(String label) {
        WebElement button = waitFor(By.xpath("//button[normalize-space(.)='" + label + "']"));
        button.click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(replaced(button));
        waitFor(By.tagName("body"));
    }

    private static ExpectedCondition<Boolean> replaced(WebElement element) {
        return driver -> {
            try {
                element.isEnabled();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        };
    }

    /** Types into a field; date and time pickers, whose typing depends on the locale, get their value set. */
    private static void fill(String id, String value) {
        WebElement field = waitFor(By.id(id));
        String type = String.valueOf(field.getAttribute("type"));
        if (type.equals("date") || type.equals("time")) {
            ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", field, value);
            return;
        }
        field.clear();
        field.sendKeys(value);
    }

    private static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private static WebElement waitFor(By by) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(by));
        } catch (org.openqa.selenium.TimeoutException e) {
            try {
                Files.writeString(SHOTS.resolve("staff-failure.html"), browser.getCurrentUrl() + "\n" + browser.getPageSource());
            } catch (IOException ignored) {
                // the assertion says enough
            }
            throw new AssertionError("waited 15 s for " + by + " on " + browser.getCurrentUrl(), e);
        }
    }
}
