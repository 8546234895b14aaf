package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.event.DoorEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The caretakers' door board and alarms pages in a real browser (Debian's headless Chromium) on a real cloud: a door
 * forced open through the real pipeline (the event stored, then {@code DoorWatch.stored} as the gateway bridge calls
 * it) turns to こじ開け on the open page without a reload, its alarm appears and is announced; the alarm is
 * acknowledged through the alarms page; a remote unlock of a door whose gateway was never heard from is refused in
 * Japanese next to its form, which gets the focus; a caretaker of one facility sees none of another's doors, on the
 * page or on the live stream; a booking's page reads its door events as 「解錠 10:02:00」 lines with its alarms.
 * axe-core (WCAG 2.1 A/AA) at 360 and 1280 px on every page state, with screenshots
 * under target/screenshots/ (the board's also copied to /tmp/board-*.png). The tests share one cloud and run in
 * order, so the first sees the library's alarms empty and the second the hall's; the last sends a remote unlock to a
 * door whose gateway is heard, refused first for 61 minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoorBoardBrowserIT {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String STAFF_PASSWORD = "a long staff password";
    static final Duration WAIT = Duration.ofSeconds(15);
    static MutableClock clock;
    static Cloud cloud;
    static ChromePages pages;
    static String base;
    static long town;
    static long library;
    static long hall;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        int port = TestCloud.freePort();
        clock = new MutableClock(Instant.now());
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), clock, true,
                Map.of("server.port", Integer.toString(port)));
        base = "http://127.0.0.1:" + port;
        pages = new ChromePages(base);
        town = Sql.longValue(db("select id from municipality where code = ?", DemoData.CODE), "id");
        library = facility("駅前学習センター");
        hall = facility("中央公民館");
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.writeSummary("axe-summary-door-board.txt");
            pages.close();
        }
        cloud.close();
    }

    @Test
    @Order(1)
    void aForcedDoorTurnsToForcedOpenLiveWithItsAlarmAndTheAlarmIsAcknowledgedThroughThePage() throws Exception {
        String study = DemoData.CODE + "-door-study";
        heard(DemoData.CODE + "-gw-ekimae");
        signIn(givenStaff(StaffRole.CARETAKER, library));
        pages.click(By.linkText("扉の状態"));
        assertThat(pages.text()).contains("扉の状態", "駅前学習センター", "自習室 入口", "グループ学習室 入口", "不明",
                "最終通信", "未確認の警報はありません");
        waitForText(By.id("live-text"), "ライブ更新中");
        pages.check("door-board");
        pages.script("window.kominkanNotReloaded = true;");

        forced(study, DemoData.CODE + "-gw-ekimae");

        waitForText(By.cssSelector("#door-" + study + " .door-status"), "こじ開け");
        waitForText(By.id("open-alarms"), "こじ開け（解錠なしの開扉）");
        new WebDriverWait(pages.driver(), WAIT).until(d -> String.valueOf(pages.script(
                "return document.getElementById('announcer').textContent")).contains("こじ開けを検知: 自習室 入口"));
        assertThat(pages.script("return window.kominkanNotReloaded === true")).isEqualTo(true);
        assertThat(pages.driver().findElement(By.id("door-" + study)).getAttribute("class")).contains("tone-alarm");
        assertThat(pages.driver().findElement(By.cssSelector("#door-" + study + " .fact-last")).getText())
                .contains("こじ開け");
        assertThat(pages.driver().findElement(By.id("alarm-count")).getText()).contains("1");
        pages.check("door-board-forced");
        copyShots("door-board-forced", "board");

        pages.click(By.partialLinkText("確認する"));
        assertThat(pages.text()).contains("警報", "未確認（1 件）", "こじ開け（解錠なしの開扉）", "自習室 入口", "駅前学習センター");
        pages.check("alarms-open");
        String alarm = Sql.text(db("select id from door_alarm where door_id = ? and kind = 'forced-open'", study), "id");
        pages.submit("確認済みにする");
        assertThat(pages.text()).contains("対応メモ（1〜500文字");
        assertThat(pages.script("return document.activeElement.id")).isEqualTo("note-error-" + alarm);
        assertThat(Sql.optionalInstant(db("select acknowledged_at from door_alarm where id = ?", alarm),
                "acknowledged_at")).isEmpty();
        pages.check("alarms-note-missing");
        pages.fill("note-" + alarm, "現地で確認。扉を閉めて施錠しました");
        pages.submit("確認済みにする");
        pages.waitForPath("done=acknowledged");
        assertThat(pages.text()).contains("警報を確認済みにしました", "未確認（0 件）", "確認済み", "職員 管理人",
                "現地で確認。扉を閉めて施錠しました");
        assertThat(Sql.optionalInstant(db("select acknowledged_at from door_alarm where id = ?", alarm),
                "acknowledged_at")).isPresent();
        pages.check("alarms-acknowledged");
        assertThat(pages.violations()).isEmpty();
        pages.submit("ログアウト");
    }

    @Test
    @Order(2)
    void aRemoteUnlockOfADoorWhoseGatewayWasNeverHeardFromIsRefusedInJapaneseNextToItsForm() throws Exception {
        String door = DemoData.CODE + "-door-hall";
        signIn(givenStaff(StaffRole.CARETAKER, hall));
        pages.open("/staff/doors");
        assertThat(pages.text()).contains("中央公民館", "大会議室 入口", "通信途絶", "最終通信 なし");
        pages.driver().findElement(By.cssSelector("#door-" + door + " summary")).click();
        pages.fill("reason-" + door, "利用者から鍵が開かないと電話があったため");
        pages.driver().findElement(By.cssSelector("#door-" + door + " button[type=submit]")).click();
        waitForText(By.id("unlock-error-" + door), "通信できないため、遠隔解錠できません");
        assertThat(pages.text()).contains("この扉のゲートウェイ（中央公民館 ゲートウェイ）と通信できないため、遠隔解錠できません"
                + "（最終通信: なし）。現地で対応してください。");
        assertThat(pages.script("return document.activeElement.id")).isEqualTo("unlock-error-" + door);
        assertThat(pages.driver().findElement(By.id("reason-" + door)).getAttribute("value"))
                .isEqualTo("利用者から鍵が開かないと電話があったため");
        assertThat(Sql.longValue(db("select count(*) as n from remote_unlock where door_id = ?", door), "n")).isZero();
        pages.check("door-board-unlock-refused");
        assertThat(pages.violations()).isEmpty();
        pages.open("/staff");
        pages.submit("ログアウト");
    }

    @Test
    @Order(3)
    void aCaretakerOfOneFacilitySeesNoneOfAnothersDoorsOnThePageNorOnTheLiveStream() throws Exception {
        String mine = DemoData.CODE + "-door-group";
        String theirs = DemoData.CODE + "-door-hall";
        String token = new Api(cloud.port()).staffLogin(givenStaff(StaffRole.CARETAKER, library), STAFF_PASSWORD);

        HttpResponse<String> page = HTTP.send(request("/staff/doors", token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"door-" + mine + "\"", "グループ学習室 入口", "最終通信")
                .doesNotContain(theirs, "大会議室 入口", "中央公民館");
        HttpResponse<String> english = HTTP.send(request("/staff/doors", token)
                .setHeader("Cookie", StaffAuthenticator.COOKIE + "=" + token + "; " + PageSupport.LANG_COOKIE + "=en")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(english.body()).contains("<html lang=\"en\"", "Door board", "Open alarms", "Gateway", "Last event",
                "Next booking", "Remote unlock").doesNotContain("最終通信", "次の予約");

        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = HTTP.send(request("/api/v1/staff/doors/stream", token).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                stream.body().forEach(lines::add);
            } catch (UncheckedIOException ended) {
                // the test closed it
            }
        });
        try {
            assertThat(lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("retry: 3000");
            forced(theirs, DemoData.CODE + "-gw-chuo");
            forced(mine, DemoData.CODE + "-gw-ekimae");
            List<String> seen = new ArrayList<>();
            Instant until = Instant.now().plus(WAIT);
            while (seen.stream().noneMatch(l -> l.startsWith("data:") && l.contains("\"id\":\"" + mine + "\""))) {
                String line = lines.poll(Math.max(1, Duration.between(Instant.now(), until).toMillis()),
                        TimeUnit.MILLISECONDS);
                assertThat(line).as("the stream's next line after %s", seen).isNotNull();
                seen.add(line);
            }
            assertThat(seen).contains("event: door").noneMatch(l -> l.contains(theirs) || l.contains("大会議室"));
        } finally {
            stream.body().close();
            reader.interrupt();
        }
    }

    @Test
    @Order(4)
    void aBookingsPageReadsItsDoorEventsAsLinesInJapaneseWithItsAlarms() throws Exception {
        String study = DemoData.CODE + "-door-study";
        String gateway = DemoData.CODE + "-gw-ekimae";
        long room = Sql.longValue(db("select room_id from door where id = ?", study), "room_id");
        Api api = new Api(cloud.port());
        OffsetDateTime start = LocalDate.ofInstant(clock.instant(), TOKYO).plusDays(2).atTime(10, 0).atZone(TOKYO)
                .toOffsetDateTime();
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + room + ",\"start\":\"" + start
                        + "\",\"end\":\"" + start.plusMinutes(90) + "\",\"purpose\":\"自習\",\"attendees\":1}")
                .token(api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD))
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        UUID reservation = UUID.fromString(booked.json().get("id").asText());
        Instant at = start.toInstant();
        during(reservation, study, gateway, DoorEvent.Type.UNLOCKED, at.plusSeconds(120));
        during(reservation, study, gateway, DoorEvent.Type.OPENED, at.plusSeconds(123));
        during(reservation, study, gateway, DoorEvent.Type.CLOSED, at.plusSeconds(130));
        during(reservation, study, gateway, DoorEvent.Type.FORCED_OPEN, at.plusSeconds(91 * 60));

        String token = api.staffLogin(givenStaff(StaffRole.CARETAKER, library), STAFF_PASSWORD);
        HttpResponse<String> page = HTTP.send(request("/staff/reservations/" + reservation, token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("入退室の記録", "<li>解錠 10:02:00 ", "<li>開扉 10:02:03 ", "<li>閉扉 10:02:10 ",
                "<li>こじ開け 11:31:00 ", "この予約の警報", "<li>こじ開け（解錠なしの開扉） 11:31:00 ", study);
    }

    @Test
    @Order(5)
    void aRemoteUnlockOfADoorWhoseGatewayIsHeardIsSentForTheMinutesAskedAndSaysUntilWhen() throws Exception {
        String door = DemoData.CODE + "-door-group";
        heard(DemoData.CODE + "-gw-ekimae");
        signIn(givenStaff(StaffRole.CARETAKER, library));
        pages.open("/staff/doors");
        pages.driver().findElement(By.cssSelector("#door-" + door + " summary")).click();
        pages.fill("reason-" + door, "清掃業者の入室のため");
        pages.fill("minutes-" + door, "61");
        pages.driver().findElement(By.cssSelector("#door-" + door + " button[type=submit]")).click();
        waitForText(By.id("unlock-error-" + door), "解錠する時間は1〜60分で指定してください");
        assertThat(pages.driver().findElement(By.id("minutes-" + door)).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(Sql.longValue(db("select count(*) as n from remote_unlock where door_id = ?", door), "n")).isZero();
        pages.fill("minutes-" + door, "10");
        pages.driver().findElement(By.cssSelector("#door-" + door + " button[type=submit]")).click();
        pages.waitForPath("done=unlocked");
        String until = java.time.format.DateTimeFormatter.ofPattern("H:mm").format(clock.instant()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(Duration.ofMinutes(10)).atZone(TOKYO));
        assertThat(pages.text()).contains("遠隔解錠を送りました（〜" + until + "）。扉: グループ学習室 入口");
        assertThat(Sql.text(db("select reason from remote_unlock where door_id = ?", door), "reason"))
                .isEqualTo("清掃業者の入室のため");
        pages.check("door-board-unlock-sent");
        assertThat(pages.violations()).isEmpty();
        pages.submit("ログアウト");
    }

    /** A door event that belongs to a booking, stored and told to the desk. */
    static void during(UUID reservation, String door, String gateway, DoorEvent.Type type, Instant at) {
        DoorEvent event = new DoorEvent(UUID.randomUUID(), door, type, at, Optional.empty(), Optional.empty());
        new DoorEventRepository(cloud.database().client()).storeOnce(event, gateway, Optional.of(reservation), at);
        cloud.services().caretaking().watch().stored(gateway, event, Optional.of(reservation));
    }

    /** A door forced open, as the gateway bridge hands it on: stored, then told to the caretaking desk. */
    static void forced(String door, String gateway) {
        DoorEvent event = new DoorEvent(UUID.randomUUID(), door, DoorEvent.Type.FORCED_OPEN, clock.instant(),
                Optional.empty(), Optional.empty());
        assertThat(new DoorEventRepository(cloud.database().client()).storeOnce(event, gateway, Optional.empty(),
                clock.instant())).isTrue();
        cloud.services().caretaking().watch().stored(gateway, event, Optional.empty());
    }

    /** The gateway was heard from just now, saying it takes unlock entries (what its heartbeat does). */
    static void heard(String gateway) {
        cloud.database().client().execute().dml("update gateway set last_seen_at = ?, features = ? where id = ?",
                Sql.at(clock.instant()), jp.kominkan.shared.stream.StreamMessage.Ack.FEATURES, gateway);
    }

    static String givenStaff(StaffRole role, long facility) {
        String email = role.wire() + "-" + UUID.randomUUID() + "@city.yamabuki.example.lg.jp";
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), town, email,
                "職員 " + role.japanese(), role, Set.of(facility)), PasswordHasher.DEFAULT.hash(STAFF_PASSWORD),
                clock.instant());
        return email;
    }

    static void signIn(String email) {
        pages.open("/staff/login");
        pages.fill("email", email);
        pages.fill("password", STAFF_PASSWORD);
        pages.submit("ログイン");
    }

    static void waitForText(By by, String text) {
        new WebDriverWait(pages.driver(), WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    static void copyShots(String name, String as) throws IOException {
        for (int width : List.of(360, 1280)) {
            Files.copy(ChromePages.SHOTS.resolve(name + "-" + width + ".png"), Path.of("/tmp", as + "-" + width + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static HttpRequest.Builder request(String path, String staffToken) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", StaffAuthenticator.COOKIE + "=" + staffToken);
    }

    static long facility(String name) {
        return Sql.longValue(db("select id from facility where municipality_id = ? and name = ?", town, name), "id");
    }

    static io.helidon.dbclient.DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }
}
