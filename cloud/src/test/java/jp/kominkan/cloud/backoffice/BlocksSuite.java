package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Blocks for maintenance and city use: a per-date report before anything is written, overlapping
 * blocks and bookings refused without a decision (nothing written), skip and cancel-bookings as
 * explicit decisions, and a blocked slot refused to residents by the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BlocksSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    Cloud cloud;
    Api api;
    String main;
    String resident;
    long room;
    long otherTownRoom;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        cloud = TestCloud.start(TestDatabases.fresh(kind()), new MutableClock(Instant.now().truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS)), true, Map.of());
        api = new Api(cloud.port());
        main = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        room = number("select room_id as n from door where id = ?", DemoData.CODE + "-door-group");
        otherTownRoom = number("select min(r.id) as n from room r join municipality m on m.id = r.municipality_id"
                + " where m.code = ?", TestCloud.OTHER_CODE);
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    @Test
    void aRecurringBlockOverABookingIsReportedThenWrittenOnlyByDecision() {
        LocalDate first = nextWeekday(DayOfWeek.WEDNESDAY, 2);
        String booking = book(first.plusWeeks(1), "10:00", "11:00");
        String body = block(first, "weekly", first.plusWeeks(3), "09:00", "12:00", "city-use", null);

        // The report first (dryRun), nothing written.
        long slots = slots();
        JsonNode report = api.post("/api/v1/staff/blocks", body.replace("}", ",\"dryRun\":true}")).token(main).send().json();
        assertThat(report.get("dates")).hasSize(4);
        assertThat(report.get("dates").get(1).get("state").asText()).isEqualTo("booked");
        assertThat(report.get("dates").get(1).get("reservations").get(0).asText()).isEqualTo(booking);
        assertThat(slots()).isEqualTo(slots);

        // Without a decision: 409 with the same report, nothing written.
        Api.Response refused = api.post("/api/v1/staff/blocks", body).token(main).send();
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("dates").get(1).get("state").asText()).isEqualTo("booked");
        assertThat(slots()).isEqualTo(slots);

        // Skip: the three free dates are blocked, the booked one is left alone.
        Api.Response skipped = api.post("/api/v1/staff/blocks", body.replace("}", ",\"onConflict\":\"skip\"}"))
                .token(main).send();
        assertThat(skipped.status()).as(skipped.body()).isEqualTo(201);
        assertThat(slots()).isEqualTo(slots + 3 * 12);
        assertThat(status(booking)).isEqualTo("confirmed");

        // An overlapping series is refused whole: its dates are blocked already; nothing written.
        long blocked = slots();
        Api.Response overlapping = api.post("/api/v1/staff/blocks", block(first, "weekly", first.plusWeeks(3), "11:00",
                "13:00", "maintenance", null)).token(main).send();
        assertThat(overlapping.status()).isEqualTo(409);
        assertThat(overlapping.json().get("dates").get(0).get("state").asText()).isEqualTo("blocked");
        assertThat(slots()).isEqualTo(blocked);

        // Cancel-bookings on the booked date: the booking is cancelled with the note as its reason.
        Api.Response cancelled = api.post("/api/v1/staff/blocks", block(first.plusWeeks(1), "none", null, "09:00",
                "12:00", "city-use", "cancel-bookings")).token(main).send();
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(201);
        assertThat(status(booking)).isEqualTo("cancelled");
        assertThat(text("select cancel_reason as t from reservation where id = ?", UUID.fromString(booking)))
                .isEqualTo("選挙の期日前投票所");

        // A resident cannot book a blocked slot: the database refuses it.
        Api.Response taken = api.post("/api/v1/reservations", "{\"roomId\":" + room + ",\"start\":\"" + first
                + "T10:00:00+09:00\",\"end\":\"" + first + "T11:00:00+09:00\",\"purpose\":\"会議\",\"attendees\":2}")
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("type").asText()).endsWith("slot-blocked");

        // Every write is in the operation log.
        assertThat(number("select count(*) as n from staff_operation where action = 'block.create'", null)).isEqualTo(2);
    }

    @Test
    void attacksOnBlocksChangeNothing() {
        LocalDate day = nextWeekday(DayOfWeek.THURSDAY, 3);
        String body = block(day, "none", null, "09:00", "10:00", "maintenance", null);
        long slots = slots();
        assertThat(api.post("/api/v1/staff/blocks", body).send().status()).isEqualTo(401);
        assertThat(api.post("/api/v1/staff/blocks", body).token(resident).send().status()).isEqualTo(401);
        assertThat(api.post("/api/v1/staff/blocks", body.replace("\"roomId\":" + room, "\"roomId\":" + otherTownRoom))
                .token(main).send().status()).isEqualTo(404);
        Api.Response past = api.post("/api/v1/staff/blocks", block(LocalDate.now(TOKYO).minusDays(1), "none", null,
                "09:00", "10:00", "maintenance", null)).token(main).send();
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("field").asText()).isEqualTo("date");
        for (String[] bad : new String[][] {{"\"kind\":\"maintenance\"", "\"kind\":\"party\"", "kind"},
                {"\"start\":\"09:00\"", "\"start\":\"09:10\"", "start"},
                {"\"repeat\":\"none\"", "\"repeat\":\"daily\"", "repeat"},
                {"\"note\":\"選挙の期日前投票所\"", "\"note\":\"" + "x".repeat(401) + "\"", "note"},
                {"\"note\":\"選挙の期日前投票所\"", "\"note\":\"  \"", "note"}}) {
            Api.Response refused = api.post("/api/v1/staff/blocks", body.replace(bad[0], bad[1])).token(main).send();
            assertThat(refused.status()).as(bad[1]).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).as(bad[1]).isEqualTo(bad[2]);
        }
        Api.Response tooMany = api.post("/api/v1/staff/blocks", block(day, "weekly", day.plusMonths(13), "09:00",
                "10:00", "maintenance", null)).token(main).send();
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(api.post("/api/v1/staff/blocks", "{not json").token(main).send().status()).isEqualTo(400);
        assertThat(api.delete("/api/v1/staff/blocks/series/" + UUID.randomUUID()).token(main).send().status())
                .isEqualTo(404);
        assertThat(slots()).isEqualTo(slots);
    }

    private String block(LocalDate date, String repeat, LocalDate until, String start, String end, String kind,
                         String onConflict) {
        return "{\"roomId\":" + room + ",\"kind\":\"" + kind + "\",\"note\":\"選挙の期日前投票所\",\"date\":\"" + date
                + "\",\"start\":\"" + start + "\",\"end\":\"" + end + "\",\"repeat\":\"" + repeat + "\""
                + (until == null ? "" : ",\"until\":\"" + until + "\"")
                + (onConflict == null ? "" : ",\"onConflict\":\"" + onConflict + "\"") + "}";
    }

    private String book(LocalDate day, String start, String end) {
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + room + ",\"start\":\"" + day + "T" + start
                + ":00+09:00\",\"end\":\"" + day + "T" + end + ":00+09:00\",\"purpose\":\"会議\",\"attendees\":2}")
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        return booked.json().get("id").asText();
    }

    private static LocalDate nextWeekday(DayOfWeek day, int weeksAhead) {
        return LocalDate.now(TOKYO).plusWeeks(weeksAhead).with(TemporalAdjusters.nextOrSame(day));
    }

    private long slots() {
        return number("select count(*) as n from room_slot where room_id = ?", room);
    }

    private String status(String id) {
        return text("select status as t from reservation where id = ?", UUID.fromString(id));
    }

    private long number(String sql, Object param) {
        var exec = cloud.database().client().execute();
        return Sql.longValue((param == null ? exec.get(sql) : exec.get(sql, param)).orElseThrow(), "n");
    }

    private String text(String sql, Object param) {
        return Sql.text(cloud.database().client().execute().get(sql, param).orElseThrow(), "t");
    }
}
