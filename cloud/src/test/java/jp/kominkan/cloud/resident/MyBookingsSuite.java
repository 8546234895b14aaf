package jp.kominkan.cloud.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * My bookings (issue 16), over real HTTP against a real database: {@code /reservations} lists the bookings that
 * have not ended, soonest first, {@code /reservations/past} those that have, the latest first, 20 a page read
 * with LIMIT/OFFSET; the pager's links and numbers; a resident sees only their own; page numbers that are not
 * a page show the nearest page, never an error; anyone not logged in is sent to the login page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MyBookingsSuite {

    static final Instant NOW = Instant.parse("2027-01-12T01:00:00Z");
    private static final Pattern ROW_LINK = Pattern.compile("<a href=\"/reservations/([0-9a-f-]{36})\">");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    final MutableClock clock = new MutableClock(NOW);
    Cloud cloud;
    long town;
    long room;
    String resident;
    String other;
    /** The resident's bookings that have not ended, soonest first, as the page must list them. */
    final List<Booking> upcoming = new ArrayList<>();
    /** Those that have ended, the latest first. */
    final List<Booking> past = new ArrayList<>();
    UUID othersBooking;

    abstract TestDatabases.Kind kind();

    /** A booking as stored: what the lists are ordered by. */
    record Booking(UUID id, Instant start, Instant end) {
    }

    @BeforeAll
    void start() {
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true);
        Api api = new Api(HTTP, cloud.port());
        town = Sql.longValue(cloud.database().client().execute().get("select id from municipality where code = ?",
                DemoData.CODE).orElseThrow(), "id");
        room = Sql.longValue(cloud.database().client().execute().get("select min(r.id) as id from room r"
                + " join facility f on f.id = r.facility_id where f.municipality_id = ?", town).orElseThrow(), "id");
        resident = givenResident(api, "paging@example.jp");
        other = givenResident(api, "someone-else@example.jp");
        UUID account = account("paging@example.jp");
        List<Booking> all = new ArrayList<>();
        // 45 not ended: one under way (ends in 2 hours) and 44 ahead, a day apart at varying hours.
        upcoming.add(new Booking(UUID.randomUUID(), NOW.minusSeconds(3600), NOW.plusSeconds(2 * 3600)));
        for (int day = 1; day <= 44; day++) {
            Instant start = NOW.plus(Duration.ofDays(day)).plus(Duration.ofHours(day % 5));
            upcoming.add(new Booking(UUID.randomUUID(), start, start.plusSeconds(3600)));
        }
        // 25 ended: one ending right now (ended, not upcoming) and 24 before, a day apart.
        past.add(new Booking(UUID.randomUUID(), NOW.minusSeconds(3600), NOW));
        for (int day = 1; day <= 24; day++) {
            Instant start = NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(day % 3));
            past.add(new Booking(UUID.randomUUID(), start, start.plusSeconds(5400)));
        }
        all.addAll(upcoming);
        all.addAll(past);
        Collections.shuffle(all, new Random(16)); // stored in no particular order
        String[] statuses = {"confirmed", "cancelled", "held", "expired"};
        for (int i = 0; i < all.size(); i++) {
            givenBooking(account, all.get(i), statuses[i % statuses.length]);
        }
        othersBooking = UUID.randomUUID();
        givenBooking(account("someone-else@example.jp"),
                new Booking(othersBooking, NOW.plus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(2)).plusSeconds(3600)),
                "confirmed");
        upcoming.sort(Comparator.comparing(Booking::start));
        past.sort(Comparator.comparing(Booking::start).reversed());
    }

    @AfterAll
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void upcomingBookingsAreListedSoonestFirstTwentyAPageWithTheOneUnderWayFirst() {
        String first = shown("/reservations", resident);
        assertThat(ids(first)).containsExactlyElementsOf(ids(upcoming.subList(0, 20)));
        assertThat(first).contains("全 45 件中 1–20 件", "<a href=\"/reservations/past\">過去の予約を見る</a>")
                .contains("<title>予約一覧（1 / 3 ページ）");
        assertThat(ids(shown("/reservations?page=2", resident))).containsExactlyElementsOf(ids(upcoming.subList(20, 40)));
        String last = shown("/reservations?page=3", resident);
        assertThat(ids(last)).containsExactlyElementsOf(ids(upcoming.subList(40, 45)));
        assertThat(last).contains("全 45 件中 41–45 件");
    }

    @Test
    void pastBookingsHaveTheirOwnPagesTheLatestFirstStartingWithTheOneThatEndedJustNow() {
        String first = shown("/reservations/past", resident);
        assertThat(ids(first)).containsExactlyElementsOf(ids(past.subList(0, 20)));
        assertThat(ids(first).get(0)).isEqualTo(past.get(0).id().toString());
        assertThat(first).contains("<h1>過去の予約</h1>", "全 25 件中 1–20 件",
                "<a href=\"/reservations\">これからの予約に戻る</a>");
        assertThat(ids(shown("/reservations/past?page=2", resident)))
                .containsExactlyElementsOf(ids(past.subList(20, 25)));
    }

    @Test
    void thePagerLinksPreviousNextAndEachNumberAndMarksTheCurrentPage() {
        String first = shown("/reservations", resident);
        assertThat(first).doesNotContain("rel=\"prev\"")
                .contains("<a href=\"/reservations?page=2\" rel=\"next\">次へ</a>")
                .containsPattern("<a href=\"/reservations\" aria-current=\"page\">[^<]*<span[^>]*>[^<]*</span>1</a>");
        assertThat(first.split("aria-current=", -1)).hasSize(2);
        String middle = shown("/reservations?page=2", resident);
        assertThat(middle).contains("<a href=\"/reservations\" rel=\"prev\">前へ</a>",
                "<a href=\"/reservations?page=3\" rel=\"next\">次へ</a>")
                .containsPattern("<a href=\"/reservations\\?page=2\" aria-current=\"page\">");
        String last = shown("/reservations/past?page=2", resident);
        assertThat(last).contains("<a href=\"/reservations/past\" rel=\"prev\">前へ</a>").doesNotContain("rel=\"next\"")
                .containsPattern("<a href=\"/reservations/past\\?page=2\" aria-current=\"page\">");
    }

    @Test
    void aResidentSeesOnlyTheirOwnBookings() {
        String theirs = shown("/reservations", other);
        assertThat(ids(theirs)).containsExactly(othersBooking.toString());
        assertThat(ids(shown("/reservations/past", other))).isEmpty();
        assertThat(shown("/reservations/past", other)).contains("過去の予約はありません。");
        for (int n = 1; n <= 3; n++) {
            assertThat(ids(shown("/reservations?page=" + n, resident))).doesNotContain(othersBooking.toString());
        }
    }

    @Test
    void pageNumbersThatAreNotAPageShowTheNearestPageNeverAnError() {
        List<String> firstPage = ids(upcoming.subList(0, 20));
        List<String> lastPage = ids(upcoming.subList(40, 45));
        for (String bad : List.of("0", "-1", "abc", "", "2.5", "1e3", "%E4%B8%80")) {
            HttpResponse<String> shown = page("/reservations?page=" + bad, resident);
            assertThat(shown.statusCode()).as(bad).isEqualTo(200);
            assertThat(ids(shown.body())).as(bad).containsExactlyElementsOf(firstPage);
        }
        for (String beyond : List.of("4", "999999", "99999999999999999999")) {
            HttpResponse<String> shown = page("/reservations?page=" + beyond, resident);
            assertThat(shown.statusCode()).as(beyond).isEqualTo(200);
            assertThat(ids(shown.body())).as(beyond).containsExactlyElementsOf(lastPage);
        }
        assertThat(page("/reservations/past?page=7", other).statusCode()).isEqualTo(200);
    }

    @Test
    void anyoneNotLoggedInIsSentToTheLoginPageWhichComesBack() {
        for (String path : List.of("/reservations", "/reservations/past?page=2")) {
            HttpResponse<String> shown = page(path, null);
            assertThat(shown.statusCode()).as(path).isEqualTo(303);
            assertThat(shown.headers().firstValue("Location")).as(path).hasValueSatisfying(location ->
                    assertThat(location).startsWith("/login?next=%2Freservations"));
        }
        assertThat(page("/reservations", "not-a-session").statusCode()).isEqualTo(303);
    }

    @Test
    void aBookingMovesToThePastPageOnceItsEndHasPassed() {
        clock.advance(Duration.ofDays(2).plusHours(2));
        try {
            assertThat(ids(shown("/reservations", other))).isEmpty();
            assertThat(ids(shown("/reservations/past", other))).containsExactly(othersBooking.toString());
        } finally {
            clock.advance(Duration.ofDays(2).plusHours(2).negated());
        }
        assertThat(ids(shown("/reservations", other))).containsExactly(othersBooking.toString());
    }

    static List<String> ids(String html) {
        return ROW_LINK.matcher(html).results().map(m -> m.group(1)).toList();
    }

    static List<String> ids(List<Booking> bookings) {
        return bookings.stream().map(b -> b.id().toString()).toList();
    }

    /** @return the page's HTML, which must be there */
    String shown(String path, String session) {
        HttpResponse<String> shown = page(path, session);
        assertThat(shown.statusCode()).as(path).isEqualTo(200);
        return shown.body();
    }

    HttpResponse<String> page(String path, String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path))
                .header("Accept", "text/html").timeout(Duration.ofSeconds(30));
        if (session != null) {
            request.header("Cookie", "kominkan_session=" + session);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String givenResident(Api api, String email) {
        Api.Response created = api.post("/api/v1/accounts", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\",\"name\":\"予約 一覧\"}").send();
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return api.login(email, "correct horse battery");
    }

    private UUID account(String email) {
        return Sql.uuid(cloud.database().client().execute().get("select id from account where municipality_id = ?"
                + " and email = ?", town, email).orElseThrow(), "id");
    }

    /** Stores a booking as the booking service would, without its slots: the lists read the reservation alone. */
    private void givenBooking(UUID account, Booking b, String status) {
        cloud.database().client().execute().insert("""
                insert into reservation (id, municipality_id, room_id, account_id, status, starts_at, ends_at, purpose,
                                         attendees, amount, hold_expires_at, idempotency_key, request_hash, created_at)
                values (?, ?, ?, ?, ?, ?, ?, '一覧の試験', 3, 0, ?, ?, ?, ?)""",
                b.id(), town, room, account, status, Sql.at(b.start()), Sql.at(b.end()),
                status.equals("held") ? Sql.at(NOW.plus(Duration.ofDays(1))) : null, b.id().toString(), "0".repeat(64),
                Sql.at(NOW.minus(Duration.ofDays(60))));
    }
}
