package jp.kominkan.cloud.waitlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
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
 * The waiting list (キャンセル待ち) over real HTTP, a real database and a real SMTP server (GreenMail): a cancellation
 * offers the range to the first in line as a hold with a mail; when its deadline passes the timer offers it to the
 * next; nobody else sees or leaves an entry; one entry per person per range, at most five.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WaitlistSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a long and rare passphrase 42";
    final MutableClock clock = new MutableClock(Instant.parse("2027-01-12T01:00:00Z"));
    final AtomicInteger serial = new AtomicInteger();
    GreenMail smtp;
    Cloud cloud;
    Api api;
    long town;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true, TestCloud.mailingTo(smtp,
                Map.of("kominkan.waitlist.sweep-interval", "PT0.2S", "kominkan.waitlist.offer-hold", "PT1H")));
        api = new Api(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), cloud.port());
        town = Sql.longValue(cloud.database().client().execute().get("select id from municipality where code = ?",
                DemoData.CODE).orElseThrow(), "id");
    }

    @AfterAll
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
        smtp.stop();
    }

    @Test
    void aCancellationOffersTheFirstInLineAHoldAndAMailAndALapsedOfferGoesToTheNext() throws Exception {
        long room = givenRoom();
        LocalDate day = LocalDate.of(2027, 1, 25);
        Person holder = givenPerson();
        Person first = givenPerson();
        Person second = givenPerson();
        Person stranger = givenPerson();
        Api.Response held = book(holder, room, day, "10:00", "12:00");
        assertThat(held.status()).as(held.body()).isEqualTo(201);

        Api.Response free = join(first, room, day, "13:00", "14:00");
        assertThat(free.status()).isEqualTo(409);
        assertThat(free.json().get("type").asText()).endsWith("slot-free");
        Api.Response a = join(first, room, day, "10:00", "12:00");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("position").asInt()).isEqualTo(1);
        assertThat(join(first, room, day, "10:00", "12:00").json().get("type").asText()).endsWith("already-waiting");
        Api.Response b = join(second, room, day, "10:00", "12:00");
        assertThat(b.json().get("position").asInt()).isEqualTo(2);
        String entryA = a.json().get("id").asText();
        String entryB = b.json().get("id").asText();

        // Nobody else sees or leaves an entry.
        assertThat(api.get("/api/v1/waitlist/" + entryA).token(stranger.token()).send().status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/waitlist/" + entryA).token(stranger.token()).send().status()).isEqualTo(404);
        assertThat(api.post("/api/v1/waitlist/" + entryA + "/accept", null).token(second.token()).send().status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/waitlist/" + entryA).send().status()).isEqualTo(401);
        assertThat(api.get("/api/v1/waitlist/not-a-uuid").token(first.token()).send().status()).isIn(400, 404);

        assertThat(api.post("/api/v1/reservations/" + held.json().get("id").asText() + "/cancel", null)
                .token(holder.token()).send().status()).isEqualTo(200);
        MimeMessage offer = mailTo(first.email(), 1);
        assertThat(offer.getSubject()).contains("キャンセル待ち");
        assertThat(GreenMailUtil.getBody(offer)).isNotBlank();
        Api.Response offered = api.get("/api/v1/waitlist/" + entryA).token(first.token()).send();
        assertThat(offered.json().get("status").asText()).isEqualTo("offered");
        String hold = offered.json().get("reservationId").asText();
        assertThat(api.get("/api/v1/reservations/" + hold).token(first.token()).send().json().get("status").asText())
                .isEqualTo("held");
        // The hold takes the slots: the holder cannot book them back.
        assertThat(book(holder, room, day, "10:00", "11:00").status()).isEqualTo(409);
        assertThat(smtp.getReceivedMessagesForDomain(second.email())).isEmpty();

        clock.advance(Duration.ofHours(2)); // the offer's deadline passes: the timer offers the next in line
        mailTo(second.email(), 1);
        // A sweep that began before the clock moved settles the lapsed offer on its next round.
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (api.get("/api/v1/waitlist/" + entryA).token(first.token()).send().status() != 404) {
            assertThat(System.nanoTime()).as("the lapsed entry is settled").isLessThan(until);
            smtp.waitForIncomingEmail(100, Integer.MAX_VALUE); // a short wait between polls
        }
        Api.Response accepted = api.post("/api/v1/waitlist/" + entryB + "/accept", null).token(second.token()).send();
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().get("status").asText()).isEqualTo("confirmed");
        assertThat(Sql.longValue(cloud.database().client().execute().get(
                "select count(*) as n from room_slot where room_id = ? and reservation_id = ?", room,
                UUID.fromString(accepted.json().get("reservationId").asText())).orElseThrow(), "n")).isEqualTo(8);
    }

    @Test
    void onePersonWaitsForAtMostFiveRangesAndLeavingFreesOne() {
        long room = givenRoom();
        LocalDate day = LocalDate.of(2027, 1, 26);
        Person holder = givenPerson();
        Person waiter = givenPerson();
        String last = null;
        for (int i = 0; i < 6; i++) {
            String from = LocalTime.of(8 + i, 0).toString();
            String to = LocalTime.of(8 + i, 30).toString();
            assertThat(book(holder, room, day, from, to).status()).isEqualTo(201);
            Api.Response joined = join(waiter, room, day, from, to);
            if (i < 5) {
                assertThat(joined.status()).as(joined.body()).isEqualTo(201);
                last = joined.json().get("id").asText();
            } else {
                assertThat(joined.status()).isEqualTo(409);
                assertThat(joined.json().get("type").asText()).endsWith("waitlist-full");
            }
        }
        assertThat(api.get("/api/v1/waitlist").token(waiter.token()).send().json().get("entries")).hasSize(5);
        assertThat(api.delete("/api/v1/waitlist/" + last).token(waiter.token()).send().status()).isEqualTo(204);
        assertThat(api.get("/api/v1/waitlist/" + last).token(waiter.token()).send().status()).isEqualTo(404);
        assertThat(join(waiter, room, day, "13:00", "13:30").status()).isEqualTo(201);
    }

    record Person(String email, String token) {
    }

    MimeMessage mailTo(String email, int nth) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (smtp.getReceivedMessagesForDomain(email).length < nth) {
            assertThat(System.nanoTime()).as("mail to " + email).isLessThan(until);
            smtp.waitForIncomingEmail(500, smtp.getReceivedMessages().length + 1);
        }
        return smtp.getReceivedMessagesForDomain(email)[nth - 1];
    }

    long givenRoom() {
        return Sql.inTransaction(cloud.database().client(), tx -> {
            int n = serial.incrementAndGet();
            tx.insert("""
                    insert into facility (municipality_id, name, name_kana, address, facility_type, description, access_notes)
                    values (?, ?, 'マチカイカン', '待町1', 'community-center', 'キャンセル待ちの試験用', '')""",
                    town, "待合会館 " + n);
            long facility = Sql.longValue(tx.get("select max(id) as id from facility where municipality_id = ?", town)
                    .orElseThrow(), "id");
            return DemoData.room(tx, town, facility, "集会室 " + n, 10, 90, 0, 0, List.of(DayOfWeek.values()), 0,
                    24 * 60);
        });
    }

    Person givenPerson() {
        String email = "wait" + serial.incrementAndGet() + "-" + kind().name().toLowerCase() + "@example.jp";
        Api.Response made = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"待合 花子\"}").send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return new Person(email, api.login(email, PASSWORD));
    }

    Api.Response book(Person p, long room, LocalDate day, String from, String to) {
        return api.post("/api/v1/reservations", body(room, day, from, to)).token(p.token())
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
    }

    Api.Response join(Person p, long room, LocalDate day, String from, String to) {
        return api.post("/api/v1/waitlist", body(room, day, from, to)).token(p.token()).send();
    }

    static String body(long room, LocalDate day, String from, String to) {
        return "{\"roomId\":" + room + ",\"start\":\"" + day.atTime(LocalTime.parse(from)).atZone(TOKYO).toOffsetDateTime()
                + "\",\"end\":\"" + day.atTime(LocalTime.parse(to)).atZone(TOKYO).toOffsetDateTime()
                + "\",\"purpose\":\"test\",\"attendees\":3}";
    }
}
