package jp.kominkan.cloud.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
 * Search by date and time (issue 15): {@code GET /api/v1/rooms?date=…&from=…&to=…} lists the rooms free on that
 * day, free throughout the range when one is given, over real HTTP against a real database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RoomSearchSuite {

    final MutableClock clock = new MutableClock(Instant.parse("2027-01-12T01:00:00Z"));
    static final LocalDate DAY = LocalDate.of(2027, 1, 20);
    Cloud cloud;
    Api api;
    long town;
    long freeRoom;
    long eveningTaken;
    long closedRoom;
    long hiddenRoom;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true);
        api = new Api(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), cloud.port());
        town = Sql.longValue(cloud.database().client().execute().get("select id from municipality where code = ?",
                DemoData.CODE).orElseThrow(), "id");
        freeRoom = givenRoom("空室会館", true);
        eveningTaken = givenRoom("夜満室会館", true);
        closedRoom = givenRoom("休館会館", true);
        hiddenRoom = givenRoom("非公開会館", false);
        long closedFacility = Sql.longValue(cloud.database().client().execute().get(
                "select facility_id from room where id = ?", closedRoom).orElseThrow(), "facility_id");
        cloud.database().client().execute().insert("insert into facility_closed_day (facility_id, closed_on, reason)"
                + " values (?, ?, '点検')", closedFacility, DAY);
        String resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        Api.Response booked = api.post("/api/v1/reservations", FairBookingSuite.body(eveningTaken, DAY, "18:00", "19:00"))
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void aDayListsRoomsWithAnyFreeTimeAndTheirFreeRuns() {
        JsonNode rooms = search("?date=" + DAY).json().get("rooms");
        assertThat(ids(rooms)).contains(freeRoom, eveningTaken).doesNotContain(closedRoom, hiddenRoom);
        JsonNode evening = find(rooms, eveningTaken);
        assertThat(evening.get("free")).hasSize(2);
        assertThat(evening.get("free").get(0).get("end").asText()).isEqualTo("2027-01-20T18:00+09:00");
        assertThat(evening.get("free").get(1).get("start").asText()).isEqualTo("2027-01-20T19:00+09:00");
        assertThat(find(rooms, freeRoom).get("facilityName").asText()).isEqualTo("空室会館");
    }

    @Test
    void aTimeRangeKeepsOnlyRoomsFreeThroughout() {
        List<Long> evening = ids(search("?date=" + DAY + "&from=18:00&to=21:00").json().get("rooms"));
        assertThat(evening).contains(freeRoom).doesNotContain(eveningTaken, closedRoom, hiddenRoom);
        assertThat(ids(search("?date=" + DAY + "&from=19:00&to=24:00").json().get("rooms"))).contains(freeRoom, eveningTaken);
        assertThat(ids(search("?date=" + DAY + "&minutes=1140").json().get("rooms"))).contains(freeRoom)
                .doesNotContain(eveningTaken); // 19 hours in one run: only 19:00–24:00 and 0:00–18:00 are left
    }

    @Test
    void badQueriesAreProblemsInJapanese() {
        for (String bad : List.of("", "?date=2027-13-01", "?date=" + DAY + "&from=18:00", "?date=" + DAY + "&from=21:00&to=18:00",
                "?date=" + DAY + "&from=18:10&to=19:00", "?date=" + DAY + "&from=25:00&to=26:00", "?date=" + DAY + "&minutes=7",
                "?date=" + DAY + "&minutes=abc", "?date=2031-01-01")) {
            Api.Response r = search(bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.contentType()).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
            assertThat(r.json().get("detail").asText()).as(bad).containsPattern("[ぁ-んァ-ン一-龥]");
        }
    }

    Api.Response search(String query) {
        return api.get("/api/v1/rooms" + query.replace(":", "%3A")).send();
    }

    static List<Long> ids(JsonNode rooms) {
        List<Long> ids = new ArrayList<>();
        rooms.forEach(r -> ids.add(r.get("roomId").asLong()));
        return ids;
    }

    static JsonNode find(JsonNode rooms, long id) {
        for (JsonNode r : rooms) {
            if (r.get("roomId").asLong() == id) {
                return r;
            }
        }
        throw new AssertionError("room " + id + " not listed");
    }

    long givenRoom(String facilityName, boolean published) {
        return Sql.inTransaction(cloud.database().client(), tx -> {
            tx.insert("""
                    insert into facility (municipality_id, name, name_kana, address, facility_type, description,
                                          access_notes, published)
                    values (?, ?, 'ケンサクカイカン', '検索町1', 'community-center', '検索の試験用', '', ?)""",
                    town, facilityName, published);
            long facility = Sql.longValue(tx.get("select max(id) as id from facility where municipality_id = ?", town)
                    .orElseThrow(), "id");
            return DemoData.room(tx, town, facility, "集会室", 10, 90, 0, 0, List.of(DayOfWeek.values()), 0, 24 * 60);
        });
    }
}
