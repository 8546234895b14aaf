package jp.kominkan.cloud.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
 * The booking core over real HTTP against a real database; run once on H2 and once on
 * PostgreSQL by its subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BookingApiSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String STUDY_ROOM = "自習室（24時間）";
    static final String HALL = "大会議室";
    static final String ARENA = "アリーナ";

    final MutableClock clock = new MutableClock(java.time.Instant.now());
    TestDatabases.Jdbc jdbc;
    Cloud cloud;
    Api api;
    String resident;
    String staff;
    Map<String, Long> rooms;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void startCloud() {
        jdbc = TestDatabases.fresh(kind());
        cloud = TestCloud.start(jdbc, clock, true);
        api = new Api(cloud.port());
        resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        staff = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        rooms = new ConcurrentHashMap<>();
        for (JsonNode facility : api.get("/api/v1/facilities").send().json().get("facilities")) {
            for (JsonNode room : api.get("/api/v1/facilities/" + facility.get("id").asLong()).send().json().get("rooms")) {
                rooms.put(room.get("name").asText(), room.get("id").asLong());
            }
        }
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    // ---- facilities -------------------------------------------------------------------------

    @Test
    void facilitiesListTheDemoTownsFacilitiesWithRooms() {
        JsonNode list = api.get("/api/v1/facilities").send().json().get("facilities");
        assertThat(list).hasSize(3);
        assertThat(rooms).hasSize(8).containsKeys(STUDY_ROOM, HALL, ARENA);
        long hallFacility = list.findValues("id").stream()
                .filter(id -> api.get("/api/v1/facilities/" + id.asLong()).send().body().contains(HALL))
                .findFirst().orElseThrow().asLong();
        JsonNode detail = api.get("/api/v1/facilities/" + hallFacility).send().json();
        assertThat(detail.get("equipment").size()).isPositive();
        JsonNode hall = detail.get("rooms").get(0);
        assertThat(hall.get("pricePerHourResident").asInt()).isLessThan(hall.get("pricePerHourNonResident").asInt());
        assertThat(hall.get("openingHours")).hasSize(6);
    }

    @Test
    void unknownAndOtherMunicipalitiesFacilitiesAreNotFound() {
        assertThat(api.get("/api/v1/facilities/999999").send().status()).isEqualTo(404);
        assertThat(api.get("/api/v1/facilities/abc").send().status()).isEqualTo(404);
        JsonNode other = api.get("/api/v1/facilities").header("Host", TestCloud.OTHER_HOST).send().json();
        long otherFacility = other.get("facilities").get(0).get("id").asLong();
        assertThat(api.get("/api/v1/facilities/" + otherFacility).header("Host", TestCloud.OTHER_HOST).send().status())
                .isEqualTo(200);
        Api.Response fromDemoHost = api.get("/api/v1/facilities/" + otherFacility).send();
        assertThat(fromDemoHost.status()).isEqualTo(404);
        assertThat(fromDemoHost.contentType()).contains("application/problem+json");
    }

    // ---- operations ------------------------------------------------------------------------

    @Test
    void healthReportsTheDatabaseAndOpenApiDescribesTheApi() {
        Api.Response health = api.get("/observe/health").send();
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(health.json().get("checks").findValuesAsText("name")).contains("database");
        Api.Response openapi = api.get("/openapi").send();
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.body()).contains("/api/v1/reservations/{id}/cancel").contains("Idempotency-Key");
    }

    // ---- accounts ---------------------------------------------------------------------------

    @Test
    void registrationCreatesAnAccountThatCanLogInWithACookieOrToken() {
        String email = "Hanako." + UUID.randomUUID() + "@Example.JP";
        Api.Response created = api.post("/api/v1/accounts", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\",\"name\":\" 山田 花子 \"}").send();
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("email").asText()).isEqualTo(email.toLowerCase(java.util.Locale.ROOT));
        assertThat(created.json().get("name").asText()).isEqualTo("山田 花子");
        assertThat(created.json().get("residency").asText()).isEqualTo("unknown");
        assertThat(created.body()).doesNotContain("correct horse").doesNotContain("argon2");

        Api.Response login = api.post("/api/v1/session", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\"}").send();
        assertThat(login.status()).isEqualTo(200);
        String token = login.json().get("token").asText();
        assertThat(login.cookies()).singleElement().satisfies(cookie -> assertThat(cookie)
                .startsWith("kominkan_session=" + token).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/"));
        assertThat(api.get("/api/v1/reservations/mine").header("Cookie", "kominkan_session=" + token).send().status())
                .isEqualTo(200);
        Api.Response logout = api.delete("/api/v1/session").token(token).send();
        assertThat(logout.status()).isEqualTo(204);
        assertThat(api.get("/api/v1/reservations/mine").token(token).send().status()).isEqualTo(401);
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        Api.Response wrongPassword = api.post("/api/v1/session", "{\"email\":\"" + DemoData.RESIDENT_EMAIL
                + "\",\"password\":\"not the password\"}").send();
        Api.Response unknown = api.post("/api/v1/session", "{\"email\":\"nobody@kominkan.example\","
                + "\"password\":\"not the password\"}").send();
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrongPassword.body());
        assertThat(wrongPassword.cookies()).isEmpty();
    }

    @Test
    void registrationRefusesBadFieldsAndDuplicateEmails() {
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"" + DemoData.RESIDENT_EMAIL.toUpperCase(java.util.Locale.ROOT)
                + "\",\"password\":\"correct horse battery\",\"name\":\"二人目\"}").send().status()).isEqualTo(409);
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"no-at-sign\",\"password\":\"correct horse battery\","
                + "\"name\":\"x\"}").send().json().get("field").asText()).isEqualTo("email");
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"short@example.jp\",\"password\":\"short\","
                + "\"name\":\"x\"}").send().json().get("field").asText()).isEqualTo("password");
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"noname@example.jp\",\"password\":\"correct horse battery\","
                + "\"name\":\"  \"}").send().json().get("field").asText()).isEqualTo("name");
        assertThat(api.post("/api/v1/accounts", "[1,2]").send().status()).isEqualTo(400);
        assertThat(api.post("/api/v1/session", "{\"email\":\"noname@example.jp\",\"password\":\"correct horse battery\"}")
                .send().status()).isEqualTo(401);
    }

    // ---- availability -----------------------------------------------------------------------

    @Test
    void availabilityHasEverySlotOfTheRangeInOrder() {
        LocalDate from = today().plusDays(2);
        JsonNode body = api.get("/api/v1/rooms/" + rooms.get(STUDY_ROOM) + "/availability?from=" + from + "&days=3")
                .send().json();
        JsonNode slots = body.get("slots");
        assertThat(slots).hasSize(3 * 96);
        assertThat(slots.get(0).get("start").asText()).isEqualTo(from + "T00:00:00+09:00");
        assertThat(slots.get(0).get("end").asText()).isEqualTo(from + "T00:15:00+09:00");
        assertThat(slots.get(287).get("end").asText()).isEqualTo(from.plusDays(3) + "T00:00:00+09:00");
    }

    @Test
    void availabilityShowsClosedHoursBlocksBookingsAndThePast() {
        LocalDate wednesday = today().plusDays(1);
        while (wednesday.getDayOfWeek() != DayOfWeek.WEDNESDAY) {
            wednesday = wednesday.plusDays(1);
        }
        Map<String, String> arena = states(ARENA, wednesday, 1);
        assertThat(arena.get("08:45")).isEqualTo("closed");
        assertThat(arena.get("09:00")).isEqualTo("blocked");
        assertThat(arena.get("11:45")).isEqualTo("blocked");
        assertThat(arena.get("12:00")).isEqualTo("free");
        assertThat(arena.get("21:00")).isEqualTo("closed");

        LocalDate day = openDay(5);
        book(HALL, day, "13:00", "14:00", 10).assertStatus(201);
        Map<String, String> hall = states(HALL, day, 1);
        assertThat(hall.get("12:45")).isEqualTo("free");
        assertThat(hall.get("13:00")).isEqualTo("booked");
        assertThat(hall.get("13:45")).isEqualTo("booked");
        assertThat(hall.get("14:00")).isEqualTo("free");

        JsonNode todaySlots = api.get("/api/v1/rooms/" + rooms.get(STUDY_ROOM) + "/availability?days=1").send().json()
                .get("slots");
        assertThat(todaySlots.get(0).get("state").asText()).isEqualTo("past");
        // Today's last quarter hour is still ahead, unless the test runs in it (23:45–24:00 in Tokyo).
        if (java.time.LocalTime.now(java.time.ZoneId.of("Asia/Tokyo")).isBefore(java.time.LocalTime.of(23, 45))) {
            assertThat(todaySlots.get(95).get("state").asText()).isIn("free", "booked");
        }
    }

    @Test
    void availabilityRejectsBadRanges() {
        long room = rooms.get(STUDY_ROOM);
        assertThat(api.get("/api/v1/rooms/" + room + "/availability?days=0").send().json().get("field").asText())
                .isEqualTo("days");
        assertThat(api.get("/api/v1/rooms/" + room + "/availability?days=63").send().status()).isEqualTo(400);
        assertThat(api.get("/api/v1/rooms/" + room + "/availability?from=tomorrow").send().json().get("field").asText())
                .isEqualTo("from");
        assertThat(api.get("/api/v1/rooms/424242/availability").send().status()).isEqualTo(404);
        assertThat(api.get("/api/v1/rooms/" + room + "/availability?from=%2B999999999-12-31").send().json()
                .get("field").asText()).isEqualTo("from");
    }

    // ---- booking ----------------------------------------------------------------------------

    @Test
    void aFreeRoomIsConfirmedAtOnce() {
        Booking booking = book(STUDY_ROOM, today().plusDays(3), "22:00", "23:30", 1);
        booking.assertStatus(201);
        assertThat(booking.json().get("status").asText()).isEqualTo("confirmed");
        assertThat(booking.json().get("amount").asInt()).isZero();
        assertThat(booking.json().has("holdExpiresAt")).isFalse();
    }

    @Test
    void aPaidRoomIsHeldAtTheNonResidentPriceUntilPaid() {
        // The 和室 keeps the demo's hourly prices (the 大会議室 is priced by its ordinance-style schedule).
        Booking booking = book("和室", openDay(6), "09:00", "10:30", 10);
        booking.assertStatus(201);
        assertThat(booking.json().get("status").asText()).isEqualTo("held");
        // Unverified residents pay the non-resident price: 900 yen an hour for 1.5 hours.
        assertThat(booking.json().get("amount").asInt()).isEqualTo(1350);
        assertThat(booking.json().get("holdExpiresAt").asText()).endsWith("+09:00");
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameReservation() {
        String key = UUID.randomUUID().toString();
        LocalDate day = openDay(7);
        Booking first = book(HALL, day, "15:00", "16:00", 5, key, resident);
        Booking again = book(HALL, day, "15:00", "16:00", 5, key, resident);
        first.assertStatus(201);
        again.assertStatus(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        Booking different = book(HALL, day, "16:00", "17:00", 5, key, resident);
        different.assertStatus(422);
        assertThat(states(HALL, day, 1).get("16:00")).isEqualTo("free");
    }

    @Test
    void aTakenSlotIsAConflict() {
        LocalDate day = openDay(8);
        book(HALL, day, "10:00", "12:00", 5).assertStatus(201);
        Booking overlapping = book(HALL, day, "11:45", "12:30", 5);
        overlapping.assertStatus(409);
        assertThat(overlapping.json().get("type").asText()).endsWith("slot-taken");
        assertThat(states(HALL, day, 1).get("12:00")).isEqualTo("free");
        book(HALL, day, "12:00", "12:30", 5).assertStatus(201);
    }

    @Test
    void aBlockedSlotIsAConflictNamingTheBlock() {
        LocalDate wednesday = today().plusDays(1);
        while (wednesday.getDayOfWeek() != DayOfWeek.WEDNESDAY) {
            wednesday = wednesday.plusDays(1);
        }
        Booking booking = book(ARENA, wednesday, "11:00", "13:00", 10);
        booking.assertStatus(409);
        assertThat(booking.json().get("type").asText()).endsWith("slot-blocked");
    }

    @Test
    void bookingsOutsideTheRulesAreRefusedNamingTheRule() {
        LocalDate day = openDay(9);
        assertThat(book(HALL, day, "10:10", "11:00", 5).problem()).isEqualTo("slot-boundary");
        assertThat(book(HALL, day, "11:00", "10:00", 5).problem()).isEqualTo("end-before-start");
        assertThat(book(HALL, day, "08:00", "10:00", 5).problem()).isEqualTo("outside-opening-hours");
        assertThat(book(HALL, day, "20:00", "21:15", 5).problem()).isEqualTo("outside-opening-hours");
        assertThat(book(HALL, day, "10:00", "11:00", 61).problem()).isEqualTo("over-capacity");
        assertThat(book(HALL, today().minusDays(1), "10:00", "11:00", 5).problem()).isEqualTo("in-the-past");
        assertThat(book(HALL, today().plusDays(120), "10:00", "11:00", 5).problem()).isEqualTo("beyond-horizon");
        LocalDate monday = today().plusDays(1);
        while (monday.getDayOfWeek() != DayOfWeek.MONDAY) {
            monday = monday.plusDays(1);
        }
        assertThat(book(HALL, monday, "10:00", "11:00", 5).problem()).isEqualTo("outside-opening-hours");
        LocalDate newYear = LocalDate.of(today().getYear() + (today().getMonthValue() == 1 && today().getDayOfMonth() <= 3 ? 0 : 1), 1, 2);
        if (!newYear.isAfter(today().plusDays(90))) {
            assertThat(book(HALL, newYear, "10:00", "11:00", 5).problem()).isEqualTo("closed-day");
        }
        assertThat(states(HALL, day, 1).values()).doesNotContain("booked");
    }

    @Test
    void aBookingIsAtMostADay() {
        LocalDate day = today().plusDays(4);
        Api.Response tooLong = api.post("/api/v1/reservations", body(rooms.get(STUDY_ROOM),
                        at(day, "10:00"), at(day.plusDays(1), "10:15"), 1))
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("type").asText()).endsWith("too-long");
        // So long that its slot count would overflow an int: still refused, never confirmed.
        Api.Response absurd = api.post("/api/v1/reservations", "{\"roomId\":" + rooms.get(STUDY_ROOM)
                        + ",\"start\":\"" + at(day, "10:00").toOffsetDateTime() + "\",\"end\":\"+124515-01-01T00:00:00+09:00\","
                        + "\"purpose\":\"x\",\"attendees\":1}")
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(absurd.status()).isEqualTo(400);
        assertThat(absurd.json().get("type").asText()).endsWith("too-long");
    }

    @Test
    void residentsSeeTheirOwnReservationsOnly() {
        Booking booking = book(STUDY_ROOM, today().plusDays(5), "06:00", "07:00", 1);
        String id = booking.json().get("id").asText();
        assertThat(api.get("/api/v1/reservations/" + id).token(resident).send().json().get("id").asText()).isEqualTo(id);
        assertThat(api.get("/api/v1/reservations/mine").token(resident).send().json().get("reservations").findValuesAsText("id"))
                .contains(id);

        String stranger = register("stranger-" + UUID.randomUUID() + "@example.jp");
        assertThat(api.get("/api/v1/reservations/" + id).token(stranger).send().status()).isEqualTo(404);
        assertThat(api.post("/api/v1/reservations/" + id + "/cancel", null).token(stranger).send().status()).isEqualTo(404);
        assertThat(api.get("/api/v1/reservations/mine").token(stranger).send().json().get("reservations")).isEmpty();
        assertThat(api.get("/api/v1/reservations/" + UUID.randomUUID()).token(resident).send().status()).isEqualTo(404);
    }

    @Test
    void anotherMunicipalitysTokenAndRoomsDoNotWorkHere() {
        Api.Response otherLogin = api.post("/api/v1/session", "{\"email\":\"" + DemoData.RESIDENT_EMAIL
                + "\",\"password\":\"" + DemoData.RESIDENT_PASSWORD + "\"}").header("Host", TestCloud.OTHER_HOST).send();
        assertThat(otherLogin.status()).isEqualTo(200);
        String otherToken = otherLogin.json().get("token").asText();
        assertThat(api.get("/api/v1/reservations/mine").token(otherToken).send().status()).isEqualTo(401);

        long otherFacility = api.get("/api/v1/facilities").header("Host", TestCloud.OTHER_HOST).send().json()
                .get("facilities").get(0).get("id").asLong();
        long otherRoom = api.get("/api/v1/facilities/" + otherFacility).header("Host", TestCloud.OTHER_HOST).send().json()
                .get("rooms").get(0).get("id").asLong();
        LocalDate day = openDay(10);
        Api.Response wrongTown = api.post("/api/v1/reservations", body(otherRoom, at(day, "10:00"), at(day, "11:00"), 1))
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(wrongTown.status()).isEqualTo(404);
        assertThat(api.get("/api/v1/rooms/" + otherRoom + "/availability").send().status()).isEqualTo(404);
    }

    // ---- cancel, confirm, expire ------------------------------------------------------------

    @Test
    void cancellingFreesTheSlotsAndCanBeRepeated() {
        LocalDate day = openDay(11);
        Booking booking = book(HALL, day, "18:00", "19:00", 5);
        String id = booking.json().get("id").asText();
        Api.Response cancelled = api.post("/api/v1/reservations/" + id + "/cancel", null).token(resident).send();
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(api.post("/api/v1/reservations/" + id + "/cancel", null).token(resident).send().json()
                .get("status").asText()).isEqualTo("cancelled");
        assertThat(states(HALL, day, 1).get("18:00")).isEqualTo("free");
        book(HALL, day, "18:00", "19:00", 5).assertStatus(201);
    }

    @Test
    void staffConfirmACashPaymentAndResidentsCannot() {
        LocalDate day = openDay(12);
        Booking booking = book(HALL, day, "10:00", "11:00", 5);
        String id = booking.json().get("id").asText();
        String confirm = "/api/v1/staff/reservations/" + id + "/confirm";
        // A resident's session is not a staff session.
        assertThat(api.post(confirm, null).token(resident).send().status()).isEqualTo(401);
        assertThat(api.post(confirm, null).send().status()).isEqualTo(401);
        Api.Response confirmed = api.post(confirm, null).token(staff).send();
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.json().get("status").asText()).isEqualTo("confirmed");
        assertThat(api.get("/api/v1/reservations/" + id).token(resident).send().json().get("status").asText())
                .isEqualTo("confirmed");
        assertThat(api.post("/api/v1/staff/reservations/" + UUID.randomUUID() + "/confirm", null).token(staff).send()
                .status()).isEqualTo(404);
        // Paid and confirmed: the slots stay taken after the old payment deadline.
        clock.advance(Duration.ofHours(73));
        try {
            assertThat(states(HALL, day, 1).get("10:00")).isEqualTo("booked");
            book(HALL, day, "10:00", "11:00", 5).assertStatus(409);
        } finally {
            clock.advance(Duration.ofHours(-73));
        }
    }

    @Test
    void anUnpaidHoldExpiresAndFreesItsSlots() {
        LocalDate day = openDay(14);
        Booking held = book(HALL, day, "19:00", "20:00", 5);
        String id = held.json().get("id").asText();
        clock.advance(Duration.ofHours(73));
        try {
            assertThat(api.get("/api/v1/reservations/" + id).token(resident).send().json().get("status").asText())
                    .isEqualTo("expired");
            assertThat(states(HALL, day, 1).get("19:00")).isEqualTo("free");
            // Staff sessions last 12 hours: three days on, staff log in again.
            String staffNow = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
            Api.Response late = api.post("/api/v1/staff/reservations/" + id + "/confirm", null).token(staffNow).send();
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.json().get("type").asText()).endsWith("hold-expired");
            // Another booking may now take the slots: the overdue hold is released on the spot.
            book(HALL, day, "19:00", "20:00", 5).assertStatus(201);
            assertThat(cloud.services().bookings().expireOverdueHolds()).isGreaterThanOrEqualTo(0);
            assertThat(api.get("/api/v1/reservations/" + id).token(resident).send().json().get("status").asText())
                    .isEqualTo("expired");
        } finally {
            clock.advance(Duration.ofHours(-73));
        }
    }

    // ---- door grants ------------------------------------------------------------------------

    @Test
    void aConfirmedBookingOfARoomWithADoorGetsACodeAndASignedGrantInTheStream() {
        LocalDate day = today().plusDays(8);
        Booking booking = book(STUDY_ROOM, day, "20:00", "21:00", 1);
        booking.assertStatus(201);
        String code = booking.json().get("accessCode").asText();
        assertThat(code).matches("[0-9]{8}");
        assertThat(booking.json().get("doors").findValuesAsText("id")).containsExactly(DemoData.CODE + "-door-study");
        String id = booking.json().get("id").asText();
        assertThat(api.get("/api/v1/reservations/" + id).token(resident).send().json().get("accessCode").asText())
                .isEqualTo(code);

        var db = cloud.database().client();
        byte[] doorKey = cloud.services().keys().doorKey(DemoData.CODE + "-door-study");
        String signedHex = db.execute().get("""
                        select s.message from grant_stream s join access_grant g on g.id = s.grant_id
                         where g.reservation_id = ? and s.kind = 'issue'""", UUID.fromString(id))
                .map(row -> Sql.text(row, "message")).orElseThrow();
        var verification = new jp.kominkan.shared.grant.GrantVerifier(cloud.services().keys().publicKeys())
                .verify(java.util.HexFormat.of().parseHex(signedHex));
        assertThat(verification).isInstanceOf(jp.kominkan.shared.grant.GrantVerifier.Verification.Verified.class);
        var grant = ((jp.kominkan.shared.grant.GrantVerifier.Verification.Verified) verification).grant();
        assertThat(grant.reservationId()).isEqualTo(UUID.fromString(id));
        assertThat(grant.doorId()).isEqualTo(DemoData.CODE + "-door-study");
        assertThat(grant.municipalityCode()).isEqualTo(DemoData.CODE);
        // The demo study room's margin is 15 minutes on each side.
        assertThat(grant.validFrom()).isEqualTo(at(day, "19:45").toInstant());
        assertThat(grant.validUntil()).isEqualTo(at(day, "21:15").toInstant());
        assertThat(grant.codeVerifier()).isEqualTo(
                jp.kominkan.shared.grant.CodeVerifier.of(doorKey, DemoData.CODE + "-door-study", code));

        String sealed = db.execute().get("select access_code_sealed from reservation where id = ?", UUID.fromString(id))
                .map(row -> Sql.text(row, "access_code_sealed")).orElseThrow();
        assertThat(sealed).doesNotContain(code);
    }

    @Test
    void cancellingRevokesTheGrantsAndHidesTheCode() {
        Booking booking = book(STUDY_ROOM, today().plusDays(8), "05:00", "06:00", 1);
        String id = booking.json().get("id").asText();
        assertThat(booking.json().has("accessCode")).isTrue();
        api.post("/api/v1/reservations/" + id + "/cancel", null).token(resident).send();
        JsonNode after = api.get("/api/v1/reservations/" + id).token(resident).send().json();
        assertThat(after.has("accessCode")).isFalse();
        assertThat(after.has("doors")).isFalse();
        var db = cloud.database().client();
        UUID grantId = db.execute().get("select id from access_grant where reservation_id = ? and revoked_at is not null",
                UUID.fromString(id)).map(row -> Sql.uuid(row, "id")).orElseThrow();
        List<String> kinds = Sql.list(db.execute().query("select kind from grant_stream where grant_id = ? order by seq",
                grantId), row -> Sql.text(row, "kind"));
        assertThat(kinds).containsExactly("issue", "revoke");
        assertThat(db.execute().get("select access_code_sealed from reservation where id = ?", UUID.fromString(id))
                .flatMap(row -> Sql.value(row, "access_code_sealed"))).isEmpty();
    }

    @Test
    void aHeldBookingGetsItsCodeWhenStaffConfirmPayment() {
        Booking booking = book(HALL, openDay(16), "13:00", "14:00", 5);
        String id = booking.json().get("id").asText();
        assertThat(booking.json().has("accessCode")).isFalse();
        api.post("/api/v1/staff/reservations/" + id + "/confirm", null).token(staff).send();
        JsonNode confirmed = api.get("/api/v1/reservations/" + id).token(resident).send().json();
        assertThat(confirmed.get("accessCode").asText()).matches("[0-9]{8}");
        assertThat(confirmed.get("doors").findValuesAsText("id")).containsExactly(DemoData.CODE + "-door-hall");
        // A staff session is not a resident's: the resident API does not serve it, code or not.
        assertThat(api.get("/api/v1/reservations/" + id).token(staff).send().status()).isEqualTo(401);
    }

    @Test
    void streamNumbersStayGapFreeUnderConcurrentBookings() throws Exception {
        LocalDate day = today().plusDays(9);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int hour = 0; hour < 24; hour++) {
                String from = "%02d:00".formatted(hour);
                String to = hour == 23 ? "23:45" : "%02d:00".formatted(hour + 1);
                results.add(pool.submit(() -> book(STUDY_ROOM, day, from, to, 1).response().status()));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(201);
            }
        }
        String gateway = DemoData.CODE + "-gw-ekimae";
        List<Long> seqs = Sql.list(cloud.database().client().execute().query(
                "select seq from grant_stream where gateway_id = ? order by seq", gateway), row -> Sql.longValue(row, "seq"));
        assertThat(seqs).hasSizeGreaterThanOrEqualTo(24);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1L);
        }
        JsonNode gateways = api.get("/api/v1/staff/gateways").token(staff).send().json().get("gateways");
        JsonNode ekimae = null;
        for (JsonNode g : gateways) {
            if (g.get("id").asText().equals(gateway)) {
                ekimae = g;
            }
        }
        assertThat(ekimae).isNotNull();
        assertThat(ekimae.get("streamHead").asLong()).isGreaterThanOrEqualTo(seqs.getLast());
        assertThat(ekimae.get("lag").asLong()).isEqualTo(ekimae.get("streamHead").asLong() - ekimae.get("lastAck").asLong());
        assertThat(gateways.findValuesAsText("id")).allMatch(g -> g.startsWith(DemoData.CODE + "-"));
        assertThat(api.get("/api/v1/staff/gateways").token(resident).send().status()).isEqualTo(401);
    }

    // ---- bad input --------------------------------------------------------------------------

    @Test
    void badInputIsRefusedClearlyAndWritesNothing() {
        int before = reservationCount();
        LocalDate day = openDay(15);
        String valid = body(rooms.get(HALL), at(day, "10:00"), at(day, "11:00"), 5);

        Api.Response malformed = api.post("/api/v1/reservations", "{\"roomId\":").token(resident)
                .header("Idempotency-Key", "bad-1").send();
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).contains("application/problem+json");
        assertThat(malformed.json().get("detail").asText()).isNotBlank();

        Api.Response wrongType = api.post("/api/v1/reservations", valid.replace("\"attendees\":5", "\"attendees\":\"five\""))
                .token(resident).header("Idempotency-Key", "bad-2").header("Accept-Language", "en").send();
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("field").asText()).isEqualTo("attendees");
        assertThat(wrongType.json().get("detail").asText()).contains("attendees");

        assertThat(api.post("/api/v1/reservations", "null").token(resident).header("Idempotency-Key", "bad-0").send()
                .status()).isEqualTo(400);
        assertThat(api.post("/api/v1/accounts", "null").send().status()).isEqualTo(400);

        Api.Response missing = api.post("/api/v1/reservations", "{\"roomId\":" + rooms.get(HALL) + "}")
                .token(resident).header("Idempotency-Key", "bad-3").send();
        assertThat(missing.json().get("field").asText()).isEqualTo("start");

        Api.Response tooLarge = api.post("/api/v1/reservations", valid.replace("\"purpose\":\"test\"",
                "\"purpose\":\"" + "x".repeat(70_000) + "\"")).token(resident).header("Idempotency-Key", "bad-4").send();
        assertThat(tooLarge.status()).isEqualTo(413);

        assertThat(api.post("/api/v1/reservations", valid).header("Idempotency-Key", "bad-5").send().status())
                .isEqualTo(401);
        assertThat(api.post("/api/v1/reservations", valid).token("not-a-token").header("Idempotency-Key", "bad-6").send()
                .status()).isEqualTo(401);
        Api.Response noKey = api.post("/api/v1/reservations", valid).token(resident).send();
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.json().get("type").asText()).endsWith("idempotency-key-required");
        assertThat(api.post("/api/v1/reservations", body(424242L, at(day, "10:00"), at(day, "11:00"), 5)).token(resident)
                .header("Idempotency-Key", "bad-7").send().status()).isEqualTo(404);

        assertThat(reservationCount()).isEqualTo(before);
        assertThat(states(HALL, day, 1).values()).doesNotContain("booked");
    }

    @Test
    void unknownApiPathsAreProblemsToo() {
        Api.Response response = api.get("/api/v1/nothing-here").send();
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).contains("application/problem+json");
    }

    @Test
    void japaneseIsTheDefaultLanguageOfProblems() {
        Api.Response problem = api.get("/api/v1/reservations/mine").send();
        assertThat(problem.status()).isEqualTo(401);
        assertThat(problem.json().get("detail").asText()).isEqualTo("ログインしてください。");
        assertThat(api.get("/api/v1/reservations/mine").header("Accept-Language", "en-US,en;q=0.8").send().json()
                .get("detail").asText()).startsWith("Log in first");
    }

    // ---- the database decides ---------------------------------------------------------------

    @Test
    void twoHundredConcurrentRequestsForOneSlotHaveExactlyOneWinner() throws Exception {
        LocalDate day = today().plusDays(6);
        Map<Integer, AtomicInteger> statuses = race(List.of(cloud.port()), STUDY_ROOM, day, "13:00", "14:00", 200);
        assertThat(statuses.get(201)).hasValue(1);
        assertThat(statuses.get(409)).hasValue(199);
        assertThat(statuses.keySet()).containsOnly(201, 409);
        assertSlotHeldByOneReservation(rooms.get(STUDY_ROOM), day, "13:00", 4);
    }

    /** Races {@code racers} booking requests for one range, spread over the given instances. */
    Map<Integer, AtomicInteger> race(List<Integer> ports, String room, LocalDate day, String from, String to, int racers)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Api> apis = ports.stream().map(port -> new Api(client, port)).toList();
        String body = body(rooms.get(room), at(day, from), at(day, to), 1);
        CountDownLatch go = new CountDownLatch(1);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Api target = apis.get(i % apis.size());
                futures.add(pool.submit(() -> {
                    go.await();
                    int status = target.post("/api/v1/reservations", body).token(resident)
                            .header("Idempotency-Key", UUID.randomUUID().toString()).send().status();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return statuses;
    }

    void assertSlotHeldByOneReservation(long room, LocalDate day, String from, int slots) {
        var db = cloud.database().client();
        java.time.Instant start = at(day, from).toInstant();
        List<UUID> owners = Sql.list(db.execute().query(
                "select reservation_id from room_slot where room_id = ? and slot_start >= ? and slot_start < ?",
                room, Sql.at(start), Sql.at(start.plus(Duration.ofMinutes(15L * slots)))),
                row -> Sql.uuid(row, "reservation_id"));
        assertThat(owners).hasSize(slots);
        assertThat(owners.stream().distinct()).hasSize(1);
        long live = Sql.list(db.execute().query(
                "select id from reservation where room_id = ? and starts_at < ? and ends_at > ? and status in ('held', 'confirmed')",
                room, Sql.at(start.plus(Duration.ofMinutes(15L * slots))), Sql.at(start)), row -> row).size();
        assertThat(live).isEqualTo(1);
    }

    // ---- helpers ----------------------------------------------------------------------------

    LocalDate today() {
        return clock.instant().atZone(TOKYO).toLocalDate();
    }

    /** A day at least {@code days} ahead on which the hall is open (not Monday, not year-end). */
    LocalDate openDay(int days) {
        LocalDate day = today().plusDays(days);
        while (day.getDayOfWeek() == DayOfWeek.MONDAY || yearEnd(day)) {
            day = day.plusDays(1);
        }
        return day;
    }

    private static boolean yearEnd(LocalDate day) {
        MonthDay md = MonthDay.from(day);
        return !md.isBefore(MonthDay.of(12, 29)) || !md.isAfter(MonthDay.of(1, 3));
    }

    static ZonedDateTime at(LocalDate day, String time) {
        return day.atTime(LocalTime.parse(time)).atZone(TOKYO);
    }

    static String body(long room, ZonedDateTime start, ZonedDateTime end, int attendees) {
        DateTimeFormatter f = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        return "{\"roomId\":" + room + ",\"start\":\"" + f.format(start) + "\",\"end\":\"" + f.format(end)
                + "\",\"purpose\":\"test\",\"attendees\":" + attendees + "}";
    }

    Booking book(String room, LocalDate day, String from, String to, int attendees) {
        return book(room, day, from, to, attendees, UUID.randomUUID().toString(), resident);
    }

    Booking book(String room, LocalDate day, String from, String to, int attendees, String key, String token) {
        return new Booking(api.post("/api/v1/reservations", body(rooms.get(room), at(day, from), at(day, to), attendees))
                .token(token).header("Idempotency-Key", key).send());
    }

    /** Slot states of a room by local "HH:MM" for one day. */
    Map<String, String> states(String room, LocalDate day, int days) {
        Map<String, String> states = new java.util.HashMap<>();
        for (JsonNode slot : api.get("/api/v1/rooms/" + rooms.get(room) + "/availability?from=" + day + "&days=" + days)
                .send().json().get("slots")) {
            states.put(slot.get("start").asText().substring(11, 16), slot.get("state").asText());
        }
        return states;
    }

    String register(String email) {
        Api.Response created = api.post("/api/v1/accounts", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\",\"name\":\"試験 太郎\"}").send();
        assertThat(created.status()).isEqualTo(201);
        return api.login(email, "correct horse battery");
    }

    int reservationCount() {
        return Sql.list(cloud.database().client().execute().query("select id from reservation"), row -> row).size();
    }

    /** A booking response. */
    record Booking(Api.Response response) {

        void assertStatus(int status) {
            assertThat(response.status()).as(response.body()).isEqualTo(status);
        }

        JsonNode json() {
            return response.json();
        }

        String problem() {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            String type = response.json().get("type").asText();
            return type.substring(type.lastIndexOf(':') + 1);
        }
    }
}
