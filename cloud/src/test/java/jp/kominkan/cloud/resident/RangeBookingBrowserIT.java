package jp.kominkan.cloud.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Booking a time as a range, by keyboard only, in Debian's headless Chromium: the room page's range picker
 * (the day's free ranges in words, starts that are free, ends that fit), the week grid as a WAI-ARIA grid
 * (one Tab stop, arrow keys, Page Up/Down, Home/End), errors that take focus, and pages titled for what
 * happened. Each state is checked with axe-core at 1280, 640 (200 % zoom), 360 and 320 px; screenshots
 * under target/screenshots/range-*.png, key presses in target/screenshots/keyboard-journey.txt.
 */
class RangeBookingBrowserIT {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** The cloud's today: a Monday, 10:00 in Tokyo, so this week's Saturday is the sixth day shown. */
    static final LocalDate MONDAY = LocalDate.now(TOKYO).with(TemporalAdjusters.next(DayOfWeek.MONDAY));
    static final LocalDate SATURDAY = MONDAY.plusDays(5);
    static Cloud cloud;
    static ChromePages pages;
    static Api api;
    static long studyRoom;

    @BeforeAll
    static void start() {
        int port = TestCloud.freePort();
        Instant now = MONDAY.atTime(10, 0).atZone(TOKYO).toInstant();
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(now), true,
                Map.of("server.port", Integer.toString(port)));
        studyRoom = Sql.longValue(cloud.database().client().execute().get(
                "select id from room where name = '自習室（24時間）'").orElseThrow(), "id");
        api = new Api(port);
        pages = new ChromePages("http://127.0.0.1:" + port);
        pages.open("/login");
        pages.fill("email", DemoData.RESIDENT_EMAIL);
        pages.fill("password", DemoData.RESIDENT_PASSWORD);
        pages.submit("ログイン");
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("range-axe-summary.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    void aResidentBooksSaturdayEveningByKeyboardInFewKeyPressesAndCancels() throws IOException {
        pages.open("/rooms/" + studyRoom);
        pages.check("range-room", ChromePages.ZOOM_WIDTHS);
        pages.open("/rooms/" + studyRoom);
        Keyboard keys = new Keyboard(pages.driver());

        keys.press(Keys.TAB);
        assertThat(keys.focused().getText()).isEqualTo("本文へ移動");
        keys.press(Keys.ENTER);
        keys.press(Keys.TAB);
        assertThat(keys.focused().getDomAttribute("id")).isEqualTo("date");
        keys.press(Keys.ARROW_DOWN, 5);
        assertThat(keys.focused().getDomProperty("value")).isEqualTo(SATURDAY.toString());
        assertThat(pages.driver().findElement(By.id("free-words")).getText().replace("\u2060", "")).isEqualTo("空き 0:00–24:00");
        keys.press(Keys.TAB);
        assertThat(keys.focused().getDomAttribute("id")).isEqualTo("start");
        keys.type("19");
        assertThat(keys.focused().getDomProperty("value")).isEqualTo("19:00");
        keys.press(Keys.TAB);
        assertThat(keys.focused().getDomAttribute("id")).isEqualTo("end");
        keys.type("21");
        assertThat(keys.focused().getDomProperty("value")).isEqualTo("21:00");
        keys.press(Keys.TAB);
        assertThat(keys.focused().getText()).isEqualTo("この時間で予約する");
        int roomPage = keys.presses();
        keys.pressToNextPage(Keys.ENTER);

        // The booking form: the chosen time is kept, and focus is in the first field still to fill.
        assertThat(pages.driver().findElement(By.id("start")).getDomProperty("value")).isEqualTo("19:00");
        assertThat(pages.driver().findElement(By.id("end")).getDomProperty("value")).isEqualTo("21:00");
        assertThat(keys.focused().getDomAttribute("id")).isEqualTo("purpose");
        keys.type("自習");
        keys.pressToNextPage(Keys.ENTER);
        int bookPage = keys.presses() - roomPage;

        assertThat(pages.driver().getTitle()).startsWith("予約内容の確認");
        assertThat(pages.text()).contains("19:00–21:00", "自習", "無料");
        keys.press(Keys.TAB);
        keys.press(Keys.ENTER);
        keys.press(Keys.TAB);
        assertThat(keys.focused().getText()).isEqualTo("予約する");
        keys.pressToNextPage(Keys.ENTER);
        int reviewPage = keys.presses() - roomPage - bookPage;

        assertThat(pages.driver().getTitle()).startsWith("予約が確定しました");
        assertThat(pages.driver().findElement(By.tagName("h1")).getText()).isEqualTo("予約が確定しました");
        assertThat(pages.driver().findElement(By.cssSelector("[role=status].success")).getText()).contains("予約が確定しました");
        assertThat(pages.text()).contains("19:00–21:00");
        String summary = "Keyboard-only booking of " + SATURDAY + " (Saturday) 19:00–21:00 in the free 24-hour study room,"
                + " from the room page (week from " + MONDAY + ") to 「予約が確定しました」:\n"
                + "  room page " + roomPage + ", booking form " + bookPage + ", review " + reviewPage + " = "
                + keys.presses() + " key presses, of which " + keys.typed() + " are characters typed"
                + " (19, 21 in the time lists; 自習 as the purpose)\n";
        Files.writeString(ChromePages.SHOTS.resolve("keyboard-journey.txt"), summary);
        System.out.print(summary);
        assertThat(keys.presses()).as(summary).isLessThanOrEqualTo(25);
        pages.check("range-booked", ChromePages.ZOOM_WIDTHS);
        String booking = pages.driver().getCurrentUrl().replaceAll(".*/reservations/([0-9a-f-]{36}).*", "$1");

        pages.click(By.partialLinkText("この予約を取り消す"));
        pages.submit("取り消す");
        assertThat(pages.driver().getTitle()).startsWith("予約を取り消しました");
        assertThat(pages.driver().findElement(By.cssSelector("[role=status].success")).getText()).contains("予約を取り消しました");
        pages.check("range-cancelled", ChromePages.ZOOM_WIDTHS);
        // The outcome comes from the booking, not from the link: a cancelled booking never says it was booked.
        pages.open("/reservations/" + booking + "?done=booked");
        assertThat(pages.driver().getTitle()).startsWith("予約の詳細");
        assertThat(pages.driver().findElements(By.cssSelector(".success"))).isEmpty();
        assertThat(pages.violations()).as("axe-core violations by page").isEmpty();
    }

    @Test
    void theWeekGridIsOneTabStopWithArrowKeysAndKeepsItsHeadersInView() {
        pages.open("/rooms/" + studyRoom);
        WebElement table = pages.waitFor(By.cssSelector("table.grid"));
        assertThat(table.getDomAttribute("role")).isEqualTo("grid");
        assertThat(table.findElements(By.cssSelector("[tabindex='0']"))).hasSize(1);
        assertThat(table.findElements(By.cssSelector("td a:not([tabindex='-1'])"))).hasSize(1);
        // Only the opening hours: the 24-hour room shows 96 rows; every time label stays on one line at 320 px.
        assertThat(table.findElements(By.cssSelector("tbody tr"))).hasSize(96);
        pages.driver().manage().window().setSize(new org.openqa.selenium.Dimension(320, 1600));
        assertThat(pages.script("return Array.from(document.querySelectorAll('table.grid th.time')).filter(th => {"
                + " const r = document.createRange(); r.selectNodeContents(th); return r.getClientRects().length !== 1; })"
                + ".map(th => th.textContent)")).asList().isEmpty();
        pages.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1600));

        pages.script("document.querySelector('.weeknav a:last-child').focus()");
        Keyboard keys = new Keyboard(pages.driver());
        keys.press(Keys.TAB);
        assertThat(cell(keys)).as("the earliest free cell").isEqualTo(MONDAY + " 10:00");
        keys.press(Keys.ARROW_RIGHT);
        assertThat(cell(keys)).isEqualTo(MONDAY.plusDays(1) + " 10:00");
        keys.press(Keys.ARROW_DOWN);
        assertThat(cell(keys)).isEqualTo(MONDAY.plusDays(1) + " 10:15");
        keys.press(Keys.PAGE_DOWN);
        assertThat(cell(keys)).isEqualTo(MONDAY.plusDays(1) + " 11:15");
        keys.press(Keys.ARROW_UP);
        assertThat(cell(keys)).isEqualTo(MONDAY.plusDays(1) + " 11:00");
        keys.press(Keys.PAGE_UP);
        assertThat(cell(keys)).isEqualTo(MONDAY.plusDays(1) + " 10:00");
        keys.press(Keys.END);
        assertThat(cell(keys)).isEqualTo(MONDAY.plusDays(6) + " 10:00");
        keys.press(Keys.ARROW_RIGHT);
        assertThat(cell(keys)).as("the last day stays").isEqualTo(MONDAY.plusDays(6) + " 10:00");
        keys.press(Keys.HOME);
        assertThat(cell(keys)).isEqualTo(MONDAY + " 10:00");
        keys.ctrl(Keys.END);
        assertThat(cell(keys)).isEqualTo(MONDAY.plusDays(6) + " 23:45");
        // Scrolled to the bottom of the grid, the date header is still at the top of the grid's box.
        Object gap = pages.script("const wrap = document.querySelector('.grid-wrap');"
                + " const th = document.querySelector('table.grid thead th:nth-child(2)');"
                + " return [wrap.scrollTop, th.getBoundingClientRect().top - wrap.getBoundingClientRect().top];");
        assertThat(((Number) ((List<?>) gap).get(0)).intValue()).as("the grid scrolled").isGreaterThan(1000);
        assertThat(((Number) ((List<?>) gap).get(1)).doubleValue()).as("header offset in its box").isBetween(-1.0, 2.0);
        assertThat(table.findElements(By.cssSelector("[tabindex='0']"))).hasSize(1);
        keys.ctrl(Keys.HOME);
        assertThat(keys.focused().getAttribute("class")).isEqualTo("past");
        keys.press(Keys.TAB);
        assertThat(pages.script("return document.querySelector('table.grid').contains(document.activeElement)"))
                .as("one Tab leaves the grid").isEqualTo(false);
        // Enter on a free cell opens the booking form at that time.
        pages.open("/rooms/" + studyRoom);
        pages.script("document.querySelector('.weeknav a:last-child').focus()");
        keys.press(Keys.TAB);
        keys.press(Keys.PAGE_DOWN);
        keys.pressToNextPage(Keys.ENTER);
        assertThat(pages.driver().findElement(By.id("start")).getDomProperty("value")).isEqualTo("11:00");
        assertThat(pages.driver().findElement(By.id("end")).getDomProperty("value")).isEqualTo("12:00");
    }

    @Test
    void theRangePickerNeverOffersAnEndThatOverlapsTheNextBooking() {
        LocalDate saturday = SATURDAY.plusDays(7);
        String other = otherResident();
        book(other, saturday, "20:00", "21:00");
        pages.open("/rooms/" + studyRoom + "?week=" + MONDAY.plusDays(7));
        new Select(pages.waitFor(By.id("date"))).selectByValue(saturday.toString());
        assertThat(pages.driver().findElement(By.id("free-words")).getText().replace("\u2060", "")).isEqualTo("空き 0:00–20:00、21:00–24:00");
        Select start = new Select(pages.driver().findElement(By.id("start")));
        assertThat(values(start)).contains("19:45", "21:00").doesNotContain("20:00", "20:15", "20:30", "20:45");
        for (String from : List.of("18:00", "19:00", "19:45")) {
            start.selectByValue(from);
            List<String> ends = values(new Select(pages.driver().findElement(By.id("end"))));
            assertThat(ends).as("ends from " + from).last().isEqualTo("20:00");
            assertThat(ends).as("ends from " + from).allMatch(e -> e.compareTo(from) > 0 && e.compareTo("20:00") <= 0);
        }
        start.selectByValue("21:00");
        assertThat(values(new Select(pages.driver().findElement(By.id("end"))))).first().isEqualTo("21:15");
        pages.check("range-room-booked", ChromePages.ZOOM_WIDTHS);
        // The booking form offers the same: from 19:30 the end offered first is 20:00, not an hour later.
        pages.open("/rooms/" + studyRoom + "/book?date=" + saturday + "&start=19%3A30");
        Select end = new Select(pages.waitFor(By.id("end")));
        assertThat(end.getFirstSelectedOption().getDomAttribute("value")).isEqualTo("20:00");
        assertThat(values(end)).containsExactly("19:45", "20:00");
        // A start that is taken is not offered; the form says so and focus goes to the error summary.
        pages.open("/rooms/" + studyRoom + "/book?date=" + saturday + "&start=20%3A15");
        assertThat(pages.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("error-summary");
        assertThat(pages.driver().findElement(By.id("start-error")).getText()).contains("空いていません");
        pages.check("range-book-taken", ChromePages.ZOOM_WIDTHS);
        assertThat(pages.violations()).as("axe-core violations by page").isEmpty();
    }

    @Test
    void aBadSubmitPutsFocusOnTheErrorSummaryWhichLinksToTheField() {
        pages.open("/rooms/" + studyRoom + "/book?date=" + SATURDAY.plusDays(1) + "&start=09%3A00");
        WebElement purpose = pages.waitFor(By.id("purpose"));
        assertThat(purpose.getDomAttribute("aria-required")).isEqualTo("true");
        assertThat(pages.driver().findElement(By.cssSelector("label[for=purpose]")).getText()).contains("必須");
        assertThat(pages.driver().findElement(By.id("attendees")).getDomAttribute("aria-required")).isEqualTo("true");
        assertThat(pages.driver().findElement(By.id("start")).getDomAttribute("aria-required")).isEqualTo("true");
        pages.check("range-book", ChromePages.ZOOM_WIDTHS);
        pages.submit("確認画面へ");
        assertThat(pages.driver().getTitle()).startsWith("【入力エラー】");
        WebElement focused = pages.driver().switchTo().activeElement();
        assertThat(focused.getDomAttribute("id")).isEqualTo("error-summary");
        WebElement link = focused.findElement(By.cssSelector("a[href='#purpose']"));
        assertThat(link.getText()).contains("利用目的");
        pages.check("range-book-error", ChromePages.ZOOM_WIDTHS);
        link.click();
        assertThat(pages.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("purpose");
        assertThat(pages.violations()).as("axe-core violations by page").isEmpty();
    }

    @Test
    void freeBookedAndBlockedCellsDifferByShapeAndByAtLeastThreeToOne() {
        pages.open("/rooms/" + studyRoom);
        Map<String, String> backgrounds = new java.util.HashMap<>();
        for (String state : List.of("free", "booked", "blocked")) {
            WebElement key = pages.waitFor(By.cssSelector(".legend .key." + state));
            backgrounds.put(state, key.getCssValue("background-color"));
            assertThat(key.getText()).isEqualTo(switch (state) {
                case "free" -> "○";
                case "booked" -> "×";
                default -> "■";
            });
        }
        assertThat(pages.driver().findElement(By.cssSelector("td.free")).getCssValue("background-color"))
                .isEqualTo(backgrounds.get("free"));
        for (String[] pair : List.of(new String[] {"free", "booked"}, new String[] {"booked", "blocked"},
                new String[] {"free", "blocked"})) {
            assertThat(Contrast.ratio(backgrounds.get(pair[0]), backgrounds.get(pair[1])))
                    .as(pair[0] + " against " + pair[1]).isGreaterThanOrEqualTo(3.0);
        }
    }

    private static String cell(Keyboard keys) {
        WebElement focused = keys.focused();
        String href = String.valueOf(focused.getDomAttribute("href"));
        return href.replaceAll(".*date=([0-9-]+)&start=([0-9]{2})%3A([0-9]{2}).*", "$1 $2:$3");
    }

    private static List<String> values(Select select) {
        return select.getOptions().stream().map(o -> o.getDomAttribute("value")).toList();
    }

    private static String otherResident() {
        String email = "range-" + UUID.randomUUID() + "@example.jp";
        String password = "a long and rare passphrase 42";
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\","
                + "\"name\":\"範囲 花子\"}").send().status()).isEqualTo(201);
        return api.login(email, password);
    }

    private static void book(String token, LocalDate day, String start, String end) {
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + studyRoom + ",\"start\":\"" + day + "T"
                + start + ":00+09:00\",\"end\":\"" + day + "T" + end + ":00+09:00\",\"purpose\":\"自習\",\"attendees\":1}")
                .token(token).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
    }
}
