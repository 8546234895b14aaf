package jp.kominkan.cloud.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.Contrast;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * My bookings, the door code and the focus ring in a real browser (issue 16): the upcoming and past pages and a
 * booking with its door code pass axe-core (WCAG 2.1 A/AA) at each width; the code is read out digit by digit
 * yet selected and copied as its 8 digits, and its copy button says it copied; the focus ring, reached with Tab,
 * stands out by at least 3:1 from what it is drawn on, in the resident and staff headers and in the page.
 */
class MyBookingsBrowserIT {

    private static final String PASSWORD = "correct horse battery";

    static final MutableClock CLOCK = new MutableClock(Instant.now());
    static Cloud cloud;
    static ChromePages pages;
    static Api api;

    @BeforeAll
    static void start() {
        int port = TestCloud.freePort();
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), CLOCK, true,
                Map.of("server.port", Integer.toString(port)));
        api = new Api(cloud.port());
        pages = new ChromePages("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("axe-summary-my-bookings.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void myBookingsAndTheDoorCodePassAxeAndTheCodeIsReadDigitByDigitButCopiedAsEightDigits() throws Exception {
        String email = "mybookings@example.jp";
        String token = givenResident(email);
        String booked = book(token, 9);
        UUID account = UUID.fromString(api.get("/api/v1/me").token(token).send().json().get("id").asText());
        Instant hour = CLOCK.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS); // slots start on the quarter
        for (int day = 10; day < 34; day++) {
            givenBooking(account, hour.plus(Duration.ofDays(day)), day % 2 == 0 ? "confirmed" : "cancelled");
        }
        for (int day = 1; day <= 3; day++) {
            givenBooking(account, hour.minus(Duration.ofDays(day)), "confirmed");
        }
        logIn(email);

        pages.open("/reservations");
        assertThat(pages.text()).contains("予約一覧", "全 25 件中 1–20 件", "過去の予約を見る", "次へ");
        assertThat(pages.driver().findElements(By.cssSelector("table.list tbody tr"))).hasSize(20);
        pages.check("my-bookings");
        pages.click(By.linkText("次へ"));
        assertThat(pages.text()).contains("全 25 件中 21–25 件");
        assertThat(pages.driver().findElement(By.cssSelector("nav.pages [aria-current=page]")).getText()).endsWith("2");
        pages.check("my-bookings-2");
        pages.click(By.linkText("過去の予約を見る"));
        assertThat(pages.text()).contains("過去の予約", "全 3 件中 1–3 件", "これからの予約に戻る");
        pages.check("my-bookings-past");

        pages.open("/reservations/" + booked);
        WebElement digits = pages.waitFor(By.cssSelector(".code .digits"));
        String code = digits.getText();
        assertThat(code).matches("[0-9]{8}");
        assertThat(digits.getDomAttribute("aria-hidden")).isEqualTo("true");
        assertThat(pages.script("return document.querySelector('.code .visually-hidden').textContent"))
                .isEqualTo(String.join("、", code.split("")));
        assertThat(pages.script("var range = document.createRange();"
                + " range.selectNodeContents(document.querySelector('.code'));"
                + " var selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);"
                + " return selection.toString().replace(/\\s/g, '');")).as("what selecting the code copies").isEqualTo(code);
        pages.script("window.getSelection().removeAllRanges()");
        pages.check("my-booking-code");
        shot("my-booking-code-1280");

        ((ChromeDriver) pages.driver()).executeCdpCommand("Browser.grantPermissions", Map.of("permissions",
                List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        WebElement copy = pages.waitFor(By.xpath("//button[normalize-space(.)='コードをコピー']"));
        copy.click();
        WebElement status = pages.driver().findElement(By.id("code-copied"));
        assertThat(status.getDomAttribute("role")).isEqualTo("status");
        new WebDriverWait(pages.driver(), Duration.ofSeconds(10)).until(d -> !status.getText().isEmpty());
        assertThat(status.getText()).contains("コピーしました");
        Object copied = ((org.openqa.selenium.JavascriptExecutor) pages.driver()).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + " navigator.clipboard.readText().then(done, function (e) { done('failed: ' + e); });");
        assertThat(copied).isEqualTo(code);
        assertThat(pages.violations()).as("axe-core violations by page").isEmpty();
    }

    @Test
    void theFocusRingStandsOutByThreeToOneInTheHeadersOnLinksAndOnPrimaryButtons() throws Exception {
        String email = "focus@example.jp";
        givenResident(email);
        logIn(email);
        pages.open("/reservations");
        List<String> findings = new ArrayList<>();
        findings.add(ring("resident header link", e -> e.getTagName().equals("a")
                && e.findElements(By.xpath("ancestor::header")).size() == 1));
        shot("focus-resident-header");
        findings.add(ring("link in the page", e -> e.getTagName().equals("a")
                && e.findElements(By.xpath("ancestor::main")).size() == 1));
        shot("focus-main-link");
        pages.submit("ログアウト");

        pages.open("/login");
        findings.add(ring("primary button", e -> e.getTagName().equals("button")
                && String.valueOf(e.getDomAttribute("class")).contains("primary")));
        shot("focus-primary-button");

        pages.open("/staff/login");
        pages.fill("email", DemoData.ADMIN_EMAIL);
        pages.fill("password", DemoData.ADMIN_PASSWORD);
        pages.submit("ログイン");
        pages.waitFor(By.cssSelector("header.site.staff"));
        findings.add(ring("staff header link", e -> e.getTagName().equals("a")
                && e.findElements(By.xpath("ancestor::header")).size() == 1));
        shot("focus-staff-header");
        Files.writeString(ChromePages.SHOTS.resolve("focus-rings.txt"), String.join("\n", findings) + "\n");
    }

    /**
     * Tabs from the top of the page to the first element that matches, and checks its focus ring: drawn, and one
     * of its tones at least 3:1 against what is behind it and against the element's own fill, the tones 3:1 apart.
     *
     * @return what was measured, for the summary file
     */
    private String ring(String what, Predicate<WebElement> wanted) {
        pages.script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
        WebElement focused = null;
        for (int i = 0; i < 60 && focused == null; i++) {
            new Actions(pages.driver()).sendKeys(Keys.TAB).perform();
            WebElement active = pages.driver().switchTo().activeElement();
            if (wanted.test(active)) {
                focused = active;
            }
        }
        assertThat(focused).as("reached with Tab: " + what).isNotNull();
        @SuppressWarnings("unchecked")
        List<String> style = (List<String>) pages.script("""
                var e = document.activeElement, s = getComputedStyle(e);
                function behind(n) {
                  for (; n; n = n.parentElement) {
                    var c = getComputedStyle(n).backgroundColor;
                    if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { return c; }
                  }
                  return 'rgb(255, 255, 255)';
                }
                return [e.matches(':focus-visible') + '', s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
                        behind(e.parentElement), s.backgroundColor];""");
        assertThat(style.get(0)).as(what + " :focus-visible").isEqualTo("true");
        assertThat(style.get(1)).as(what + " outline").isEqualTo("solid");
        assertThat(Double.parseDouble(style.get(2).replace("px", ""))).as(what + " outline width").isGreaterThanOrEqualTo(2);
        List<int[]> tones = new ArrayList<>();
        tones.add(Contrast.rgb(style.get(3)));
        Matcher shadow = Contrast.RGB.matcher(style.get(4));
        while (shadow.find()) {
            tones.add(Contrast.rgb(shadow.group()));
        }
        int[] behind = Contrast.rgb(style.get(5));
        double best = tones.stream().mapToDouble(t -> Contrast.ratio(t, behind)).max().orElse(0);
        String found = what + ": ring " + style.get(3) + " / " + style.get(4) + " on " + style.get(5) + " → "
                + String.format("%.2f", best);
        assertThat(best).as(found).isGreaterThanOrEqualTo(3.0);
        if (!style.get(6).equals("rgba(0, 0, 0, 0)")) {
            int[] fill = Contrast.rgb(style.get(6));
            double onFill = tones.stream().mapToDouble(t -> Contrast.ratio(t, fill)).max().orElse(0);
            found += ", on its own fill " + style.get(6) + " → " + String.format("%.2f", onFill);
            assertThat(onFill).as(found).isGreaterThanOrEqualTo(3.0);
        }
        if (tones.size() > 1) {
            assertThat(Contrast.ratio(tones.get(0), tones.get(1))).as(what + " tones apart").isGreaterThanOrEqualTo(3.0);
        }
        return found;
    }

    private static void shot(String name) throws IOException {
        Files.write(ChromePages.SHOTS.resolve(name + ".png"),
                ((TakesScreenshot) pages.driver()).getScreenshotAs(OutputType.BYTES));
    }

    private static void logIn(String email) {
        pages.driver().manage().deleteAllCookies();
        pages.open("/login");
        pages.fill("email", email);
        pages.fill("password", PASSWORD);
        pages.submit("ログイン");
    }

    private static String givenResident(String email) {
        Api.Response created = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"予約 確認\"}").send();
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return api.login(email, PASSWORD);
    }

    /** Books an hour in the 24-hour study room through the API; it is confirmed at once and has a door code. */
    private static String book(String token, int daysAhead) {
        long room = -1;
        for (JsonNode facility : api.get("/api/v1/facilities").send().json().get("facilities")) {
            for (JsonNode r : api.get("/api/v1/facilities/" + facility.get("id").asLong()).send().json().get("rooms")) {
                if (r.get("name").asText().equals("自習室（24時間）")) {
                    room = r.get("id").asLong();
                }
            }
        }
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        LocalDate day = LocalDate.ofInstant(CLOCK.instant(), tokyo).plusDays(daysAhead);
        DateTimeFormatter f = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + room + ",\"start\":\""
                        + f.format(day.atTime(20, 0).atZone(tokyo)) + "\",\"end\":\"" + f.format(day.atTime(21, 0).atZone(tokyo))
                        + "\",\"purpose\":\"自習\",\"attendees\":1}")
                .token(token).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        assertThat(booked.json().get("status").asText()).isEqualTo("confirmed");
        return booked.json().get("id").asText();
    }

    /** More bookings, stored as the booking service would without their slots, for the list's pages. */
    private static void givenBooking(UUID account, Instant start, String status) {
        var db = cloud.database().client().execute();
        long town = Sql.longValue(db.get("select municipality_id from account where id = ?", account).orElseThrow(),
                "municipality_id");
        long room = Sql.longValue(db.get("select min(r.id) as id from room r join facility f on f.id = r.facility_id"
                + " where f.municipality_id = ?", town).orElseThrow(), "id");
        UUID id = UUID.randomUUID();
        db.insert("""
                insert into reservation (id, municipality_id, room_id, account_id, status, starts_at, ends_at, purpose,
                                         attendees, amount, idempotency_key, request_hash, created_at)
                values (?, ?, ?, ?, ?, ?, ?, '会議', 4, 0, ?, ?, ?)""", id, town, room, account, status,
                Sql.at(start), Sql.at(start.plus(Duration.ofHours(2))), id.toString(), "0".repeat(64),
                Sql.at(CLOCK.instant()));
    }
}
