package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The back office over real sockets, a real database and a real SMTP server (GreenMail): staff of each
 * role, invited by mail, are refused everything their role, their facilities and their municipality do
 * not allow — with the exact status and problem, and nothing written — and run a facility from its
 * creation to a resident's booking, counter bookings, moves, cancellations and cash; every write is in
 * the hash-chained operation log, which shows tampering and holds no resident's personal data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BackOfficeSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final Pattern LINK = Pattern.compile("/staff/invitation#token=([A-Za-z0-9_-]{43})");
    static final String RESIDENT_NAME = "予約 次郎";
    static final String RESIDENT_PHONE = "090-4321-8765";
    static final String WALK_IN_NAME = "窓口 三郎";
    static final String WALK_IN_PHONE = "080-5555-1212";
    static final String STAFF_PASSWORD = "a long staff password";

    GreenMail smtp;
    MutableClock clock;
    Cloud cloud;
    Api api;
    String main;
    long town;
    long ekimae;
    long chuo;
    long studyRoom;
    long groupRoom;
    long hall;
    Staff facilityAdmin;
    Staff clerk;
    Staff secondClerk;
    Staff caretaker;
    Staff otherFacilityAdmin;
    String residentEmail;
    String resident;
    final AtomicInteger serial = new AtomicInteger();
    final AtomicInteger hours = new AtomicInteger();

    abstract TestDatabases.Kind kind();

    /** A member of staff the test made through the invitation flow. */
    record Staff(UUID id, String email, String token) {
    }

    @BeforeAll
    void start() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        // Whole seconds: the clock stands still, and the database keeps microseconds.
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true, TestCloud.mailingTo(smtp, Map.of()));
        api = new Api(cloud.port());
        main = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        town = longValue("select id as n from municipality where code = ?", DemoData.CODE);
        ekimae = longValue("select facility_id as n from gateway where id = ?", DemoData.CODE + "-gw-ekimae");
        chuo = longValue("select facility_id as n from gateway where id = ?", DemoData.CODE + "-gw-chuo");
        studyRoom = longValue("select room_id as n from door where id = ?", DemoData.CODE + "-door-study");
        groupRoom = longValue("select room_id as n from door where id = ?", DemoData.CODE + "-door-group");
        hall = longValue("select room_id as n from door where id = ?", DemoData.CODE + "-door-hall");
        facilityAdmin = givenStaff("facility", ekimae);
        clerk = givenStaff("clerk", ekimae);
        secondClerk = givenStaff("clerk", ekimae);
        caretaker = givenStaff("caretaker", ekimae);
        otherFacilityAdmin = givenStaff("facility", chuo);

        residentEmail = "jiro@example.jp";
        Api.Response registered = api.post("/api/v1/accounts", "{\"email\":\"" + residentEmail
                + "\",\"password\":\"a resident password\",\"name\":\"" + RESIDENT_NAME + "\"}").send();
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        resident = api.login(residentEmail, "a resident password");
        Api.Response phone = api.patch("/api/v1/me", "{\"phone\":\"" + RESIDENT_PHONE + "\"}").token(resident).send();
        assertThat(phone.status()).as(phone.body()).isEqualTo(200);
        assertThat(phone.json().get("phone").asText()).isEqualTo(RESIDENT_PHONE);
    }

    @AfterAll
    void stop() {
        cloud.close();
        smtp.stop();
    }

    // ---------------------------------------------------------------- attacks

    @Test
    @Order(1)
    void withoutAStaffTokenEveryEndpointAnswers401AndWritesNothing() {
        UUID reservation = residentBooks(studyRoom, nextHour(), 1).id();
        Map<String, Long> before = tables();
        for (String[] call : everyEndpoint(reservation, ekimae, studyRoom)) {
            Api.Response anonymous = send(call, null);
            assertProblem(anonymous, 401, "unauthorized", null, call);
            Api.Response asResident = send(call, resident);
            assertProblem(asResident, 401, "unauthorized", null, call);
            Api.Response badToken = send(call, "x".repeat(43));
            assertProblem(badToken, 401, "unauthorized", null, call);
        }
        assertThat(tables()).isEqualTo(before);
        assertThat(status(reservation)).isEqualTo("confirmed");
    }

    @Test
    @Order(2)
    void eachRoleIsRefusedWhatItMayNotDoAndNothingChanges() {
        Booked booked = residentBooks(studyRoom, nextHour(), 1);
        UUID id = booked.id();
        List<Instant> slots = slotsOf(id);
        String facilityBefore = facilityRow(ekimae);
        Map<String, Long> before = tables();
        String validFacility = facilityBody("駅前学習センター 改", "えきまえがくしゅうせんたー");
        String validRoom = roomBody("自習室 改");
        String move = moveBody(studyRoom, nextHour(), 1);

        // The caretaker sees bookings and doors, and changes nothing.
        assertThat(api.get("/api/v1/staff/reservations/" + id).token(caretaker.token()).send().status()).isEqualTo(200);
        assertThat(ids(api.get(listOn(booked.start().toLocalDate())).token(caretaker.token()).send())).contains(id);
        assertThat(api.get("/api/v1/staff/doors/" + DemoData.CODE + "-door-study/events").token(caretaker.token()).send()
                .status()).isEqualTo(200);
        forbidden(api.post("/api/v1/staff/reservations/" + id + "/cancel", "{\"reason\":\"点検のため\"}")
                .token(caretaker.token()).send());
        forbidden(api.post("/api/v1/staff/reservations/" + id + "/move", move).token(caretaker.token()).send());
        forbidden(api.post("/api/v1/staff/reservations/" + id + "/cash", "{\"amountReceived\":0}")
                .token(caretaker.token()).send());
        forbidden(api.post("/api/v1/staff/reservations/" + id + "/confirm", null).token(caretaker.token()).send());
        forbidden(api.post("/api/v1/staff/reservations", counterBody(groupRoom, nextHour(), "\"name\":\"" + WALK_IN_NAME
                + "\",\"phone\":\"" + WALK_IN_PHONE + "\"")).token(caretaker.token())
                .header("Idempotency-Key", UUID.randomUUID().toString()).send());
        forbidden(api.put("/api/v1/staff/facilities/" + ekimae, validFacility).token(caretaker.token()).send());
        forbidden(api.get("/api/v1/staff/operations").token(caretaker.token()).send());

        // The clerk books and cancels, but does not edit the facility or read the log.
        forbidden(api.put("/api/v1/staff/facilities/" + ekimae, validFacility).token(clerk.token()).send());
        forbidden(api.post("/api/v1/staff/facilities/" + ekimae + "/publish", null).token(clerk.token()).send());
        forbidden(api.post("/api/v1/staff/facilities/" + ekimae + "/unpublish", null).token(clerk.token()).send());
        forbidden(api.post("/api/v1/staff/facilities/" + ekimae + "/rooms", validRoom).token(clerk.token()).send());
        forbidden(api.put("/api/v1/staff/rooms/" + studyRoom, validRoom).token(clerk.token()).send());
        forbidden(api.post("/api/v1/staff/facilities/" + ekimae + "/closed-days",
                "{\"date\":\"" + LocalDate.now(clock.withZone(TOKYO)).plusDays(40) + "\",\"reason\":\"点検\"}")
                .token(clerk.token()).send());
        forbidden(api.delete("/api/v1/staff/facilities/" + ekimae + "/closed-days/"
                + LocalDate.now(clock.withZone(TOKYO)).plusDays(40)).token(clerk.token()).send());
        forbidden(api.post("/api/v1/staff/facilities/" + ekimae + "/photos", "{}").token(clerk.token()).send());
        forbidden(api.delete("/api/v1/staff/facilities/" + ekimae + "/photos/" + UUID.randomUUID())
                .token(clerk.token()).send());
        forbidden(api.post("/api/v1/staff/facilities", validFacility).token(clerk.token()).send());
        forbidden(api.get("/api/v1/staff/operations").token(clerk.token()).send());
        forbidden(api.get("/api/v1/staff/operations?format=csv").token(clerk.token()).send());
        forbidden(api.get("/api/v1/staff/operations/verify").token(clerk.token()).send());

        // The facility administrator runs their facility, but creates none and does not verify the chain.
        forbidden(api.post("/api/v1/staff/facilities", validFacility).token(facilityAdmin.token()).send());
        forbidden(api.get("/api/v1/staff/operations/verify").token(facilityAdmin.token()).send());
        forbidden(api.post("/api/v1/staff/invitations", "{\"email\":\"x@city.yamabuki.example.lg.jp\",\"role\":\"clerk\","
                + "\"facilities\":[" + ekimae + "]}").token(facilityAdmin.token()).send());
        Api.Response theirLog = api.get("/api/v1/staff/operations").token(facilityAdmin.token()).send();
        assertThat(theirLog.status()).isEqualTo(200);
        assertThat(theirLog.json().get("operations").findValuesAsText("facilityId")).allMatch(f -> f.equals(
                Long.toString(ekimae)));

        assertThat(tables()).isEqualTo(before);
        assertThat(facilityRow(ekimae)).isEqualTo(facilityBefore);
        assertThat(status(id)).isEqualTo("confirmed");
        assertThat(slotsOf(id)).isEqualTo(slots);
    }

    @Test
    @Order(3)
    void anotherFacilitysReservationsAndRoomsAreNotFoundAndNotListed() {
        Booked booked = residentBooks(studyRoom, nextHour(), 1);
        UUID id = booked.id();
        String number = id.toString().substring(0, 8).toUpperCase();
        List<Instant> slots = slotsOf(id);
        String facilityBefore = facilityRow(ekimae);
        String other = otherFacilityAdmin.token();
        Map<String, Long> before = tables();

        for (String[] call : everyEndpoint(id, ekimae, studyRoom)) {
            if (call[1].equals("/api/v1/staff/reservations") && call[0].equals("GET")
                    || call[1].startsWith("/api/v1/staff/operations") || call[1].equals("/api/v1/staff/facilities")) {
                continue; // lists, and what their role may not do at all: below
            }
            Api.Response refused = send(call, other);
            assertProblem(refused, 404, "not-found", null, call);
        }
        forbidden(api.post("/api/v1/staff/facilities", facilityBody("乗っ取り会館", "のっとりかいかん")).token(other).send());
        forbidden(api.get("/api/v1/staff/operations/verify").token(other).send());
        // Nor are they listed or found by number.
        LocalDate day = booked.start().toLocalDate();
        assertThat(ids(api.get(listOn(day)).token(other).send())).doesNotContain(id);
        assertThat(ids(api.get(listOn(day) + "&q=" + number).token(other).send())).isEmpty();
        assertThat(ids(api.get(listOn(day) + "&facility=" + ekimae).token(other).send())).isEmpty();
        assertThat(facilityIds(api.get("/api/v1/staff/facilities").token(other).send()))
                .containsExactly(Long.toString(chuo));
        assertThat(api.get("/api/v1/staff/operations?target=" + id).token(other).send().json().get("operations"))
                .isEmpty();
        assertThat(api.get("/api/v1/staff/operations").token(other).send().json().get("operations")
                .findValuesAsText("facilityId")).allMatch(f -> f.equals(Long.toString(chuo)));
        assertThat(api.get("/api/v1/staff/doors/" + DemoData.CODE + "-door-study/events").token(other).send().status())
                .isEqualTo(404);

        assertThat(tables()).isEqualTo(before);
        assertThat(facilityRow(ekimae)).isEqualTo(facilityBefore);
        assertThat(status(id)).isEqualTo("confirmed");
        assertThat(slotsOf(id)).isEqualTo(slots);
    }

    @Test
    @Order(4)
    void anotherMunicipalitysHostSeesNothingWithTheSameIds() {
        Booked booked = residentBooks(studyRoom, nextHour(), 1);
        UUID id = booked.id();
        Map<String, Long> before = tables();
        String facilityBefore = facilityRow(ekimae);
        // This municipality's token is no token there.
        assertProblem(api.get("/api/v1/staff/reservations/" + id).token(main).header("Host", TestCloud.OTHER_HOST)
                .send(), 401, "unauthorized", null, null);
        String theirMain = api.post("/api/v1/staff/session", "{\"email\":\"" + DemoData.ADMIN_EMAIL + "\",\"password\":\""
                + DemoData.ADMIN_PASSWORD + "\"}").header("Host", TestCloud.OTHER_HOST).send().json().get("token").asText();
        for (String[] call : everyEndpoint(id, ekimae, studyRoom)) {
            if (call[1].equals("/api/v1/staff/reservations") || call[1].startsWith("/api/v1/staff/operations")
                    || call[1].equals("/api/v1/staff/facilities")) {
                continue;
            }
            Api.Call request = call(call).token(theirMain).header("Host", TestCloud.OTHER_HOST);
            assertProblem(request.send(), 404, "not-found", null, call);
        }
        LocalDate day = booked.start().toLocalDate();
        assertThat(ids(api.get(listOn(day)).token(theirMain).header("Host", TestCloud.OTHER_HOST).send()))
                .doesNotContain(id);
        assertThat(facilityIds(api.get("/api/v1/staff/facilities").token(theirMain).header("Host", TestCloud.OTHER_HOST)
                .send())).hasSize(3).doesNotContain(Long.toString(ekimae), Long.toString(chuo));
        assertThat(api.get("/api/v1/staff/operations?target=" + id).token(theirMain).header("Host", TestCloud.OTHER_HOST)
                .send().json().get("operations")).isEmpty();
        // Nor can their admin book this town's room at their counter.
        assertProblem(api.post("/api/v1/staff/reservations", counterBody(studyRoom, nextHour(), "\"name\":\""
                        + WALK_IN_NAME + "\",\"phone\":\"" + WALK_IN_PHONE + "\"")).token(theirMain)
                .header("Host", TestCloud.OTHER_HOST).header("Idempotency-Key", UUID.randomUUID().toString()).send(),
                404, "not-found", null, null);
        assertThat(api.get("/api/v1/facilities/" + ekimae).header("Host", TestCloud.OTHER_HOST).send().status())
                .isEqualTo(404);
        assertThat(tables()).isEqualTo(before);
        assertThat(facilityRow(ekimae)).isEqualTo(facilityBefore);
        assertThat(status(id)).isEqualTo("confirmed");
    }

    @Test
    @Order(5)
    void malformedIdsDatesTextAndJsonAreRefusedWithTheFieldNamed() {
        Booked booked = residentBooks(studyRoom, nextHour(), 1);
        UUID id = booked.id();
        String r = "/api/v1/staff/reservations/";
        String f = "/api/v1/staff/facilities/";
        Map<String, Long> before = tables();
        String facilityBefore = facilityRow(ekimae);

        // Ids that cannot exist are simply not found.
        for (String path : List.of(r + "not-a-uuid", r + "1", r + UUID.randomUUID(), r + "%27%20or%201=1--")) {
            assertProblem(api.get(path).token(main).send(), 404, "not-found", null, null);
            assertProblem(api.post(path + "/cancel", "{\"reason\":\"x\"}").token(main).send(), 404, "not-found", null, null);
        }
        for (String path : List.of(f + "abc", f + "-1", f + "0", f + "99999999", f + "1.5", f + "99999999999999999999")) {
            assertProblem(api.get(path).token(main).send(), 404, "not-found", null, null);
            assertProblem(api.put(path, facilityBody("x", "えっくす")).token(main).send(), 404, "not-found", null, null);
        }
        assertProblem(api.put("/api/v1/staff/rooms/abc", roomBody("x")).token(main).send(), 404, "not-found", null, null);
        assertProblem(api.put("/api/v1/staff/rooms/99999999", roomBody("x")).token(main).send(), 404, "not-found", null,
                null);
        assertProblem(api.delete(f + ekimae + "/photos/not-a-uuid").token(main).send(), 404, "not-found", null, null);
        assertProblem(api.delete(f + ekimae + "/photos/" + UUID.randomUUID()).token(main).send(), 404, "not-found", null,
                null);

        // Dates.
        assertProblem(api.get("/api/v1/staff/reservations?from=2026-13-01").token(main).send(), 400, "invalid-field",
                "from", null);
        assertProblem(api.get("/api/v1/staff/reservations?from=2026-12-10&to=2026-12-01").token(main).send(), 400,
                "invalid-field", "to", null);
        assertProblem(api.get("/api/v1/staff/reservations?from=2026-01-01&to=2026-12-31").token(main).send(), 400,
                "invalid-field", "to", null);
        assertProblem(api.get("/api/v1/staff/reservations?status=paid").token(main).send(), 400, "invalid-field",
                "status", null);
        assertProblem(api.get("/api/v1/staff/reservations?facility=one").token(main).send(), 400, "invalid-field",
                "facility", null);
        assertProblem(api.get("/api/v1/staff/operations?from=yesterday").token(main).send(), 400, "invalid-field",
                "from", null);
        assertProblem(api.get("/api/v1/staff/operations?staff=bob").token(main).send(), 400, "invalid-field", "staff",
                null);
        assertProblem(api.post(f + ekimae + "/closed-days", "{\"date\":\"2026-02-30\",\"reason\":\"点検\"}").token(main)
                .send(), 400, "invalid-field", "date", null);
        assertProblem(api.post(f + ekimae + "/closed-days", "{\"reason\":\"点検\"}").token(main).send(), 400,
                "invalid-field", "date", null);
        assertProblem(api.delete(f + ekimae + "/closed-days/someday").token(main).send(), 400, "invalid-field", "date",
                null);
        assertProblem(api.post(r + id + "/move", "{\"roomId\":" + studyRoom + ",\"start\":\"tomorrow\",\"end\":\""
                + booked.end() + "\"}").token(main).send(), 400, "invalid-field", "start", null);
        assertProblem(api.post(r + id + "/move", "{\"roomId\":" + studyRoom + ",\"start\":\"" + booked.start()
                + "\",\"end\":\"" + booked.start().plusMinutes(10) + "\"}").token(main).send(), 400, "invalid-field",
                "end", null);
        assertProblem(api.post(r + id + "/move", "{\"start\":\"" + booked.start() + "\",\"end\":\"" + booked.end()
                + "\"}").token(main).send(), 400, "invalid-field", "roomId", null);

        // Oversized text.
        assertProblem(api.post(r + id + "/cancel", "{\"reason\":\"" + "理".repeat(401) + "\"}").token(main).send(), 400,
                "invalid-field", "reason", null);
        assertProblem(api.put(f + ekimae, facilityBody("名".repeat(201), "えきまえ")).token(main).send(), 400,
                "invalid-field", "name", null);
        assertProblem(api.post(f + ekimae + "/closed-days", "{\"date\":\"" + LocalDate.now(clock.withZone(TOKYO))
                .plusDays(50) + "\",\"reason\":\"" + "理".repeat(201) + "\"}").token(main).send(), 400, "invalid-field",
                "reason", null);
        assertProblem(api.post(r, counterBody(groupRoom, nextHour(), "\"name\":\"" + "名".repeat(300) + "\",\"phone\":\""
                + WALK_IN_PHONE + "\"")).token(main).header("Idempotency-Key", UUID.randomUUID().toString()).send(), 400,
                "invalid-field", "name", null);
        assertProblem(api.post(r + id + "/cancel", "{\"reason\":\"" + "x".repeat(70_000) + "\"}").token(main).send(), 413,
                "payload-too-large", null, null);

        // JSON that is not JSON, not an object, or of the wrong type.
        assertProblem(api.post(r + id + "/cancel", "{\"reason\":").token(main).send(), 400, "malformed-json", null, null);
        assertProblem(api.post(r + id + "/cancel", "").token(main).send(), 400, "malformed-json", null, null);
        assertProblem(api.put(f + ekimae, "[1,2,3]").token(main).send(), 400, "malformed-json", null, null);
        assertProblem(api.post(r + id + "/cancel", "{\"reason\":\"x\"}").contentType("text/plain").token(main).send(), 415,
                "unsupported-media-type", null, null);
        assertProblem(api.post(r + id + "/cash", "{\"amountReceived\":\"1000\"}").token(main).send(), 400,
                "invalid-field", "amountReceived", null);
        assertProblem(api.post(r + id + "/move", "{\"roomId\":\"" + studyRoom + "\",\"start\":\"" + booked.start()
                + "\",\"end\":\"" + booked.end() + "\"}").token(main).send(), 400, "invalid-field", "roomId", null);
        assertProblem(api.post(r, counterBody(groupRoom, nextHour(), "\"name\":\"" + WALK_IN_NAME + "\",\"phone\":\""
                + WALK_IN_PHONE + "\"").replace("\"attendees\":3", "\"attendees\":\"three\"")).token(main)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send(), 400, "invalid-field", "attendees", null);
        assertProblem(api.post(r, counterBody(groupRoom, nextHour(), "\"name\":\"" + WALK_IN_NAME + "\",\"phone\":\""
                + WALK_IN_PHONE + "\"")).token(main).send(), 400, "idempotency-key-required", null, null);

        assertThat(tables()).isEqualTo(before);
        assertThat(facilityRow(ekimae)).isEqualTo(facilityBefore);
        assertThat(status(id)).isEqualTo("confirmed");
    }

    // ---------------------------------------------------------------- journeys

    @Test
    @Order(10)
    void aNewFacilityIsHiddenUntilPublishedThenBookedFoundAtTheCounterAndPaidInCash() throws Exception {
        // Created unpublished: residents do not see it.
        Api.Response created = api.post("/api/v1/staff/facilities", facilityBody("北公民館", "きたこうみんかん")).token(main)
                .send();
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long facility = created.json().get("id").asLong();
        assertThat(api.get("/api/v1/staff/facilities/" + facility).token(main).send().json().get("published").asBoolean())
                .isFalse();
        assertThat(api.get("/api/v1/facilities/" + facility).send().status()).isEqualTo(404);
        assertThat(facilityIds(api.get("/api/v1/facilities").send())).doesNotContain(Long.toString(facility))
                .contains(Long.toString(ekimae));
        assertProblem(api.post("/api/v1/staff/facilities/" + facility + "/publish", null).token(main).send(), 409,
                "no-rooms", null, null);

        Api.Response room = api.post("/api/v1/staff/facilities/" + facility + "/rooms", roomBody("集会室")).token(main)
                .send();
        assertThat(room.status()).as(room.body()).isEqualTo(201);
        long roomId = room.json().get("id").asLong();
        assertThat(room.json().get("openingHours")).hasSize(7);
        assertThat(room.json().get("openingHours").get(0).get("opens").asText()).isEqualTo("09:00");
        assertThat(room.json().get("openingHours").get(0).get("closes").asText()).isEqualTo("21:00");
        LocalDate day = LocalDate.now(clock.withZone(TOKYO)).plusDays(5);
        OffsetDateTime ten = day.atTime(10, 0).atZone(TOKYO).toOffsetDateTime();
        // Still unpublished: no availability, no booking.
        assertThat(api.get("/api/v1/rooms/" + roomId + "/availability").send().status()).isEqualTo(404);
        assertThat(api.post("/api/v1/reservations", bookingBody(roomId, ten, 2)).token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send().status()).isEqualTo(404);

        Api.Response published = api.post("/api/v1/staff/facilities/" + facility + "/publish", null).token(main).send();
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        assertThat(published.json().get("published").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/facilities/" + facility).send().status()).isEqualTo(200);

        // A resident books it (paid: held until paid at the counter).
        Api.Response booked = api.post("/api/v1/reservations", bookingBody(roomId, ten, 2)).token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        assertThat(booked.json().get("status").asText()).isEqualTo("held");
        UUID id = UUID.fromString(booked.json().get("id").asText());
        String number = id.toString().substring(0, 8).toUpperCase();
        int fee = booked.json().get("amount").asInt();
        assertThat(fee).isEqualTo(3000); // two hours at the non-resident fee

        // A clerk of the new facility finds it by phone digits, by part of the number, by reservation number, by name.
        Staff northClerk = givenStaff("clerk", facility);
        String list = "/api/v1/staff/reservations?from=" + day + "&to=" + day;
        assertThat(ids(api.get(list + "&q=" + RESIDENT_PHONE.replace("-", "")).token(northClerk.token()).send()))
                .containsExactly(id);
        assertThat(ids(api.get(list + "&q=4321-87").token(northClerk.token()).send())).containsExactly(id);
        assertThat(ids(api.get(list + "&q=" + number).token(northClerk.token()).send())).containsExactly(id);
        assertThat(ids(api.get(list + "&q=" + number.substring(0, 5).toLowerCase()).token(northClerk.token()).send()))
                .containsExactly(id);
        // A walk-in on the same day, so that a search that matches everything shows.
        UUID walkIn = counterBooks(northClerk, roomId, day.atTime(15, 0).atZone(TOKYO).toOffsetDateTime(), 1,
                WALK_IN_NAME, WALK_IN_PHONE);
        assertThat(ids(api.get(list).token(northClerk.token()).send())).containsExactlyInAnyOrder(id, walkIn);
        assertThat(ids(api.get(list + "&q=" + java.net.URLEncoder.encode("次郎", java.nio.charset.StandardCharsets.UTF_8))
                .token(northClerk.token()).send())).as("by name").containsExactly(id);
        assertThat(ids(api.get(list + "&q=" + residentEmail).token(northClerk.token()).send())).as("by e-mail")
                .containsExactly(id);
        assertThat(ids(api.get(list + "&q=" + WALK_IN_PHONE).token(northClerk.token()).send())).containsExactly(walkIn);
        JsonNode row = api.get("/api/v1/staff/reservations/" + id).token(northClerk.token()).send().json();
        assertThat(row.get("phone").asText()).isEqualTo(RESIDENT_PHONE);
        assertThat(row.get("name").asText()).isEqualTo(RESIDENT_NAME);
        // The clerk of the study centre does not see the new facility's bookings.
        assertThat(ids(api.get(list).token(clerk.token()).send())).isEmpty();

        // Cash: too little is refused and confirms nothing; enough confirms with the year's first receipt number.
        int year = clock.instant().atZone(TOKYO).getYear();
        assertProblem(api.post("/api/v1/staff/reservations/" + id + "/cash", "{\"amountReceived\":" + (fee - 1) + "}")
                .token(northClerk.token()).send(), 400, "invalid-field", "amountReceived", null);
        assertThat(status(id)).isEqualTo("held");
        assertThat(count("select count(*) as n from receipt_counter")).isZero();
        Api.Response paid = api.post("/api/v1/staff/reservations/" + id + "/cash", "{\"amountReceived\":5000}")
                .token(northClerk.token()).send();
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        assertThat(paid.json().get("status").asText()).isEqualTo("confirmed");
        assertThat(paid.json().get("receiptNumber").asText()).isEqualTo("R" + year + "-000001");
        assertThat(paid.json().get("amountReceived").asInt()).isEqualTo(5000);
        Api.Response again = api.post("/api/v1/staff/reservations/" + id + "/cash", "{\"amountReceived\":5000}")
                .token(northClerk.token()).send();
        assertThat(again.json().get("receiptNumber").asText()).as("recorded once").isEqualTo("R" + year + "-000001");
        Api.Response next = api.post("/api/v1/staff/reservations/" + walkIn + "/cash", "{\"amountReceived\":1500}")
                .token(northClerk.token()).send();
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(next.json().get("receiptNumber").asText()).isEqualTo("R" + year + "-000002");
        assertThat(count("select count(*) as n from reservation where receipt_number is not null")).isEqualTo(2);

        // No closed day over a booking; another day closes and opens again.
        Map<String, Long> beforeClosing = tables();
        assertProblem(api.post("/api/v1/staff/facilities/" + facility + "/closed-days", "{\"date\":\"" + day
                + "\",\"reason\":\"設備点検\"}").token(main).send(), 409, "bookings-on-day", null, null);
        assertThat(tables()).isEqualTo(beforeClosing);
        assertThat(api.post("/api/v1/staff/facilities/" + facility + "/closed-days", "{\"date\":\"" + day.plusDays(1)
                + "\",\"reason\":\"設備点検\"}").token(main).send().status()).isEqualTo(204);
        assertProblem(api.post("/api/v1/reservations", bookingBody(roomId, ten.plusDays(1), 1)).token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send(), 400, "closed-day", null, null);
        assertThat(api.delete("/api/v1/staff/facilities/" + facility + "/closed-days/" + day.plusDays(1)).token(main)
                .send().status()).isEqualTo(204);

        // Every write is in the log, with its action, target and role.
        assertThat(entries("facility", String.valueOf(facility))).containsExactly(
                "facility.create main", "facility.publish main", "closed-day.add main", "closed-day.remove main");
        assertThat(entries("room", String.valueOf(roomId))).containsExactly("room.create main");
        assertThat(entries("reservation", id.toString())).containsExactly("reservation.cash clerk");
        assertThat(entries("reservation", walkIn.toString()))
                .containsExactly("reservation.counter-book clerk", "reservation.cash clerk");
        JsonNode cash = operations("?target=" + id).get(0);
        assertThat(cash.get("staffId").asText()).isEqualTo(northClerk.id().toString());
        assertThat(cash.get("facilityId").asLong()).isEqualTo(facility);
        assertThat(cash.get("after").asText()).contains("R" + year + "-000001");
    }

    @Test
    @Order(11)
    void aWalkInIsBookedAtTheCounterAndAWalkInWithoutANameWritesNothing() {
        OffsetDateTime start = nextHour();
        Map<String, Long> before = tables();
        Api.Response noName = api.post("/api/v1/staff/reservations", counterBody(groupRoom, start,
                "\"phone\":\"" + WALK_IN_PHONE + "\"")).token(clerk.token())
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertProblem(noName, 400, "invalid-field", "name", null);
        Api.Response blankName = api.post("/api/v1/staff/reservations", counterBody(groupRoom, start,
                "\"name\":\"  \",\"phone\":\"" + WALK_IN_PHONE + "\"")).token(clerk.token())
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertProblem(blankName, 400, "invalid-field", "name", null);
        Api.Response noPhone = api.post("/api/v1/staff/reservations", counterBody(groupRoom, start,
                "\"name\":\"" + WALK_IN_NAME + "\"")).token(clerk.token())
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertProblem(noPhone, 400, "invalid-field", "phone", null);
        Api.Response nobody = api.post("/api/v1/staff/reservations", counterBody(groupRoom, start,
                "\"accountId\":\"" + UUID.randomUUID() + "\"")).token(clerk.token())
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertProblem(nobody, 400, "invalid-field", "accountId", null);
        assertThat(tables()).isEqualTo(before);

        String key = UUID.randomUUID().toString();
        Api.Response made = api.post("/api/v1/staff/reservations", counterBody(groupRoom, start,
                "\"name\":\"" + WALK_IN_NAME + "\",\"phone\":\"" + WALK_IN_PHONE + "\"")).token(clerk.token())
                .header("Idempotency-Key", key).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().get("walkIn").asBoolean()).isTrue();
        assertThat(made.json().get("status").asText()).isEqualTo("confirmed"); // the group room is free of charge
        assertThat(made.json().get("name").asText()).isEqualTo(WALK_IN_NAME);
        UUID id = UUID.fromString(made.json().get("id").asText());
        assertThat(count("select count(*) as n from account a join reservation r on r.account_id = a.id"
                + " where r.id = ? and a.walk_in = true and a.email is null and a.password_hash is null and a.phone = ?",
                id, WALK_IN_PHONE)).isEqualTo(1);
        assertThat(count("select count(*) as n from reservation where id = ? and booked_by = ?", id, clerk.id()))
                .isEqualTo(1);
        assertThat(tables().get("reservation")).isEqualTo(before.get("reservation") + 1);
        assertThat(tables().get("account")).isEqualTo(before.get("account") + 1);
        assertThat(entries("reservation", id.toString())).containsExactly("reservation.counter-book clerk");
    }

    @Test
    @Order(12)
    void aMoveOntoATakenSlotChangesNothingAndAMoveToAFreeSlotFreesTheOldOnesAndTellsTheResident() throws Exception {
        Booked mine = residentBooks(studyRoom, nextHour(), 1);
        Booked theirs = residentBooks(studyRoom, nextHour(), 1);
        List<Instant> slots = slotsOf(mine.id());
        List<Instant> theirSlots = slotsOf(theirs.id());
        assertThat(slots).hasSize(4);
        long liveGrants = count("select count(*) as n from access_grant where reservation_id = ? and revoked_at is null",
                mine.id());
        assertThat(liveGrants).isPositive();
        Map<String, Long> before = tables();

        Api.Response taken = api.post("/api/v1/staff/reservations/" + mine.id() + "/move",
                moveBody(studyRoom, theirs.start(), 1)).token(clerk.token()).send();
        assertProblem(taken, 409, "slot-taken", null, null);
        assertThat(slotsOf(mine.id())).isEqualTo(slots);
        assertThat(slotsOf(theirs.id())).isEqualTo(theirSlots);
        assertThat(times(mine.id())).isEqualTo(List.of(mine.start().toInstant(), mine.end().toInstant()));
        assertThat(count("select count(*) as n from access_grant where reservation_id = ? and revoked_at is null",
                mine.id())).isEqualTo(liveGrants);
        assertThat(tables()).isEqualTo(before);
        assertThat(entries("reservation", mine.id().toString())).isEmpty();

        OffsetDateTime free = nextTwoHours();
        Api.Response moved = api.post("/api/v1/staff/reservations/" + mine.id() + "/move", moveBody(studyRoom, free, 2))
                .token(clerk.token()).send();
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(OffsetDateTime.parse(moved.json().get("start").asText()).toInstant()).isEqualTo(free.toInstant());
        assertThat(times(mine.id())).isEqualTo(List.of(free.toInstant(), free.plusHours(2).toInstant()));
        List<Instant> now = slotsOf(mine.id());
        assertThat(now).hasSize(8).first().isEqualTo(free.toInstant());
        assertThat(now).doesNotContainAnyElementsOf(slots);
        assertThat(count("select count(*) as n from room_slot where room_id = ? and slot_start >= ? and slot_start < ?",
                studyRoom, Sql.at(mine.start().toInstant()), Sql.at(mine.end().toInstant()))).as("old slots freed").isZero();
        // The door grants follow the booking: the old ones revoked, new ones for the new time.
        assertThat(count("select count(*) as n from access_grant where reservation_id = ? and revoked_at is not null",
                mine.id())).isEqualTo(liveGrants);
        assertThat(count("select count(*) as n from access_grant where reservation_id = ? and revoked_at is null"
                + " and valid_until >= ?", mine.id(), Sql.at(free.plusHours(2).toInstant()))).isEqualTo(liveGrants);

        MimeMessage mail = mailTo(residentEmail, "変更");
        String body = (String) mail.getContent();
        assertThat(body).contains(RESIDENT_NAME + " 様", mine.id().toString().substring(0, 8).toUpperCase(), "変更前",
                "変更後");
        assertThat(entries("reservation", mine.id().toString())).containsExactly("reservation.move clerk");
    }

    @Test
    @Order(13)
    void aStaffCancelNeedsAReasonFreesTheSlotsRevokesTheDoorCodeAndTellsTheResident() throws Exception {
        Booked booked = residentBooks(studyRoom, nextHour(), 1);
        UUID id = booked.id();
        List<Instant> slots = slotsOf(id);
        long grants = count("select count(*) as n from access_grant where reservation_id = ? and revoked_at is null", id);
        assertThat(grants).isPositive();
        Map<String, Long> before = tables();
        assertProblem(api.post("/api/v1/staff/reservations/" + id + "/cancel", "{}").token(clerk.token()).send(), 400,
                "invalid-field", "reason", null);
        assertProblem(api.post("/api/v1/staff/reservations/" + id + "/cancel", "{\"reason\":\"   \"}").token(clerk.token())
                .send(), 400, "invalid-field", "reason", null);
        assertThat(tables()).isEqualTo(before);
        assertThat(status(id)).isEqualTo("confirmed");
        assertThat(slotsOf(id)).isEqualTo(slots);

        Api.Response cancelled = api.post("/api/v1/staff/reservations/" + id + "/cancel",
                "{\"reason\":\"空調設備の故障のため\"}").token(clerk.token()).send();
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().get("cancelReason").asText()).isEqualTo("空調設備の故障のため");
        assertThat(status(id)).isEqualTo("cancelled");
        assertThat(slotsOf(id)).isEmpty();
        assertThat(count("select count(*) as n from room_slot where room_id = ? and slot_start >= ? and slot_start < ?",
                studyRoom, Sql.at(booked.start().toInstant()), Sql.at(booked.end().toInstant()))).isZero();
        assertThat(count("select count(*) as n from access_grant where reservation_id = ? and revoked_at is null", id))
                .isZero();
        assertThat(count("select count(*) as n from grant_stream s join access_grant g on g.id = s.grant_id"
                + " where g.reservation_id = ? and s.kind = 'revoke'", id)).isEqualTo(grants);
        assertThat(count("select count(*) as n from reservation where id = ? and access_code_sealed is null", id))
                .isEqualTo(1);
        MimeMessage mail = mailTo(residentEmail, "取消");
        assertThat((String) mail.getContent()).contains("空調設備の故障のため", id.toString().substring(0, 8).toUpperCase());
        // Cancelling again is refused; the slot can be booked by someone else.
        assertProblem(api.post("/api/v1/staff/reservations/" + id + "/cancel", "{\"reason\":\"再度\"}")
                .token(clerk.token()).send(), 409, "not-cancellable", null, null);
        assertThat(residentBooks(studyRoom, booked.start(), 1).id()).isNotEqualTo(id);
        assertThat(entries("reservation", id.toString())).containsExactly("reservation.cancel clerk");
    }

    @Test
    @Order(14)
    void twoClerksMovingTwoReservationsOntoTheSameFreeSlotAtOnceOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                Booked first = residentBooks(studyRoom, nextHour(), 1);
                Booked second = residentBooks(studyRoom, nextHour(), 1);
                List<Instant> firstSlots = slotsOf(first.id());
                List<Instant> secondSlots = slotsOf(second.id());
                OffsetDateTime target = nextHour();
                CountDownLatch ready = new CountDownLatch(2);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Api.Response>> moves = new ArrayList<>();
                for (Object[] who : new Object[][] {{clerk, first}, {secondClerk, second}}) {
                    moves.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        return api.post("/api/v1/staff/reservations/" + ((Booked) who[1]).id() + "/move",
                                moveBody(studyRoom, target, 1)).token(((Staff) who[0]).token()).send();
                    }));
                }
                assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
                go.countDown();
                Api.Response a = moves.get(0).get(60, TimeUnit.SECONDS);
                Api.Response b = moves.get(1).get(60, TimeUnit.SECONDS);
                assertThat(List.of(a.status(), b.status())).as(a.body() + " / " + b.body())
                        .containsExactlyInAnyOrder(200, 409);
                Booked winner = a.status() == 200 ? first : second;
                Booked loser = a.status() == 200 ? second : first;
                assertProblem(a.status() == 200 ? b : a, 409, "slot-taken", null, null);
                assertThat(count("select count(*) as n from room_slot where room_id = ? and slot_start >= ?"
                        + " and slot_start < ? and reservation_id = ?", studyRoom, Sql.at(target.toInstant()),
                        Sql.at(target.plusHours(1).toInstant()), winner.id())).isEqualTo(4);
                assertThat(slotsOf(loser.id())).isEqualTo(loser == first ? firstSlots : secondSlots);
                assertThat(times(loser.id())).isEqualTo(List.of(loser.start().toInstant(), loser.end().toInstant()));
                assertThat(entries("reservation", winner.id().toString())).containsExactly("reservation.move clerk");
                assertThat(entries("reservation", loser.id().toString())).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(15)
    void aCounterBookingSentTwiceWithTheSameKeyBooksOnce() {
        OffsetDateTime start = nextHour();
        String key = UUID.randomUUID().toString();
        String body = counterBody(groupRoom, start, "\"name\":\"" + WALK_IN_NAME + "\",\"phone\":\"" + WALK_IN_PHONE
                + "\"");
        Api.Response first = api.post("/api/v1/staff/reservations", body).token(clerk.token())
                .header("Idempotency-Key", key).send();
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        Map<String, Long> before = tables();
        // The clerk's double click, or a retry after a lost answer: the same booking, not a second one or a refusal.
        Api.Response again = api.post("/api/v1/staff/reservations", body).token(clerk.token())
                .header("Idempotency-Key", key).send();
        assertThat(again.status()).as(again.body()).isIn(200, 201);
        assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(tables()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- the operation log

    @Test
    @Order(20)
    void theOperationLogIsAnIntactChainExportedAsCsvWithoutResidentsDataAndShowsTampering() throws Exception {
        // A write of the facility administrator, so that each role has written something by now.
        Api.Response edited = api.put("/api/v1/staff/facilities/" + ekimae, facilityBody("駅前学習センター",
                "エキマエガクシュウセンター")).token(facilityAdmin.token()).send();
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(entries("facility", String.valueOf(ekimae))).contains("facility.update facility");

        JsonNode verified = api.get("/api/v1/staff/operations/verify").token(main).send().json();
        assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
        long total = count("select count(*) as n from staff_operation where municipality_id = ?", town);
        assertThat(verified.get("entries").asLong()).isEqualTo(total);
        assertThat(total).isGreaterThanOrEqualTo(10);
        assertThat(verified.get("brokenAt").asText()).isEmpty();

        // CSV: a BOM, a header line, one record per entry, the same entries as the JSON.
        Api.Response csv = api.get("/api/v1/staff/operations?format=csv").token(main).send();
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("\uFEFFseq,occurred_at,staff_id,role,action,target_type,target_id,facility_id,"
                + "before,after,source,prev_hash,hash\r\n");
        List<String> jsonSeqs = operations("").findValuesAsText("seq");
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.body().substring(1)))) {
            List<CSVRecord> records = parser.getRecords();
            assertThat(records).hasSize((int) total);
            assertThat(records.stream().map(r -> r.get("seq")).toList()).isEqualTo(jsonSeqs);
            assertThat(records).allSatisfy(r -> {
                assertThat(r.size()).isEqualTo(13);
                assertThat(r.get("hash")).matches("[0-9a-f]{64}");
            });
            assertThat(records.stream().map(r -> r.get("role")).distinct().toList())
                    .contains("main", "facility", "clerk");
        }

        // No resident's name, e-mail or phone anywhere in the log.
        StringBuilder text = new StringBuilder();
        for (String column : List.of("action", "target_type", "target_id", "before_state", "after_state",
                "source_address", "staff_role")) {
            Sql.list(cloud.database().client().execute().query("select " + column + " as v from staff_operation"),
                    row -> Sql.optionalText(row, "v").orElse("")).forEach(v -> text.append(v).append('\n'));
        }
        assertThat(text.toString()).contains("reservation.move")
                .doesNotContain(RESIDENT_NAME, "次郎", residentEmail, RESIDENT_PHONE, RESIDENT_PHONE.replace("-", ""),
                        WALK_IN_NAME, WALK_IN_PHONE, DemoData.RESIDENT_EMAIL, "山吹 花子");

        // Tampering with one entry breaks the chain exactly there.
        long seq = longValue("select min(seq) as n from staff_operation where municipality_id = ? and action = ?", town,
                "reservation.cancel");
        String original = cloud.database().client().execute().get(
                "select after_state from staff_operation where municipality_id = ? and seq = ?", town, seq)
                .flatMap(row -> Sql.optionalText(row, "after_state")).orElseThrow();
        cloud.database().client().execute().update("update staff_operation set after_state = ? where municipality_id = ?"
                + " and seq = ?", original.replace("空調設備の故障のため", "利用者の都合"), town, seq);
        try {
            JsonNode broken = api.get("/api/v1/staff/operations/verify").token(main).send().json();
            assertThat(broken.get("intact").asBoolean()).isFalse();
            assertThat(broken.get("brokenAt").asText()).isEqualTo(Long.toString(seq));
            assertThat(broken.get("entries").asLong()).isEqualTo(seq - 1);
        } finally {
            cloud.database().client().execute().update("update staff_operation set after_state = ?"
                    + " where municipality_id = ? and seq = ?", original, town, seq);
        }
        assertThat(api.get("/api/v1/staff/operations/verify").token(main).send().json().get("intact").asBoolean())
                .isTrue();
    }

    // ---------------------------------------------------------------- fixtures

    /** A staff member invited by the main administrator, who follows the mailed link and logs in. */
    Staff givenStaff(String role, long facility) throws Exception {
        String email = role + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        Api.Response invited = api.post("/api/v1/staff/invitations", "{\"email\":\"" + email + "\",\"role\":\"" + role
                + "\",\"facilities\":[" + facility + "]}").token(main).send();
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        Matcher link = LINK.matcher((String) mailTo(email, "招待").getContent());
        assertThat(link.find()).isTrue();
        Api.Response accepted = api.post("/api/v1/staff/invitations/accept", "{\"token\":\"" + link.group(1)
                + "\",\"name\":\"職員 " + serial.get() + "\",\"password\":\"" + STAFF_PASSWORD + "\"}").send();
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(accepted.json().get("role").asText()).isEqualTo(role);
        return new Staff(UUID.fromString(accepted.json().get("id").asText()), email, api.staffLogin(email, STAFF_PASSWORD));
    }

    /** A booking the resident made. */
    record Booked(UUID id, OffsetDateTime start, OffsetDateTime end) {
    }

    Booked residentBooks(long room, OffsetDateTime start, int hoursLong) {
        Api.Response booked = api.post("/api/v1/reservations", bookingBody(room, start, hoursLong)).token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        return new Booked(UUID.fromString(booked.json().get("id").asText()), start, start.plusHours(hoursLong));
    }

    UUID counterBooks(Staff who, long room, OffsetDateTime start, int hoursLong, String name, String phone) {
        Api.Response made = api.post("/api/v1/staff/reservations", counterBody(room, start, hoursLong, "\"name\":\""
                + name + "\",\"phone\":\"" + phone + "\"")).token(who.token())
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return UUID.fromString(made.json().get("id").asText());
    }

    /** The next unused hour in the 24-hour study room (and the group room, open 9–20, when it falls there). */
    OffsetDateTime nextHour() {
        int n = hours.getAndIncrement();
        LocalDate day = LocalDate.now(clock.withZone(TOKYO)).plusDays(2 + n / 11);
        return day.atTime(9 + n % 11, 0).atZone(TOKYO).toOffsetDateTime();
    }

    /** Two unused hours in a row. */
    OffsetDateTime nextTwoHours() {
        OffsetDateTime first = nextHour();
        OffsetDateTime second = nextHour();
        while (!second.equals(first.plusHours(1))) {
            first = second;
            second = nextHour();
        }
        return first;
    }

    static String bookingBody(long room, OffsetDateTime start, int hoursLong) {
        return "{\"roomId\":" + room + ",\"start\":\"" + start + "\",\"end\":\"" + start.plusHours(hoursLong)
                + "\",\"purpose\":\"自習\",\"attendees\":1}";
    }

    static String counterBody(long room, OffsetDateTime start, String booker) {
        return counterBody(room, start, 1, booker);
    }

    static String counterBody(long room, OffsetDateTime start, int hoursLong, String booker) {
        return "{\"roomId\":" + room + ",\"start\":\"" + start + "\",\"end\":\"" + start.plusHours(hoursLong)
                + "\",\"purpose\":\"打合せ\",\"attendees\":3" + (booker.isEmpty() ? "" : "," + booker) + "}";
    }

    static String moveBody(long room, OffsetDateTime start, int hoursLong) {
        return "{\"roomId\":" + room + ",\"start\":\"" + start + "\",\"end\":\"" + start.plusHours(hoursLong) + "\"}";
    }

    static String facilityBody(String name, String kana) {
        return "{\"name\":\"" + name + "\",\"kana\":\"" + kana + "\",\"address\":\"山吹市北町1-1\","
                + "\"type\":\"community-center\",\"description\":\"地域の集会所です。\",\"accessNotes\":\"北駅から徒歩3分\","
                + "\"usageRules\":\"土足禁止\",\"equipment\":[\"机\",\"椅子\"]}";
    }

    static String roomBody(String name) {
        StringBuilder hours = new StringBuilder();
        for (int day = 1; day <= 7; day++) {
            hours.append(day == 1 ? "" : ",").append("\"").append(day).append("\":\"09:00-21:00\"");
        }
        return "{\"name\":\"" + name + "\",\"capacity\":30,\"horizonDays\":60,\"priceResident\":1000,"
                + "\"priceNonResident\":1500,\"hours\":{" + hours + "}}";
    }

    /** Every staff endpoint of the back office, as method, path and body, about the given things. */
    List<String[]> everyEndpoint(UUID reservation, long facility, long room) {
        String r = "/api/v1/staff/reservations/" + reservation;
        String f = "/api/v1/staff/facilities/" + facility;
        String day = LocalDate.now(clock.withZone(TOKYO)).plusDays(45).toString();
        return List.of(
                new String[] {"GET", "/api/v1/staff/reservations", null},
                new String[] {"POST", "/api/v1/staff/reservations", counterBody(room, nextHour(), "\"name\":\""
                        + WALK_IN_NAME + "\",\"phone\":\"" + WALK_IN_PHONE + "\"")},
                new String[] {"GET", r, null},
                new String[] {"POST", r + "/cancel", "{\"reason\":\"点検のため\"}"},
                new String[] {"POST", r + "/move", moveBody(room, nextHour(), 1)},
                new String[] {"POST", r + "/cash", "{\"amountReceived\":100000}"},
                new String[] {"POST", r + "/confirm", null},
                new String[] {"GET", "/api/v1/staff/facilities", null},
                new String[] {"POST", "/api/v1/staff/facilities", facilityBody("乗っ取り会館", "のっとりかいかん")},
                new String[] {"GET", f, null},
                new String[] {"PUT", f, facilityBody("乗っ取り会館", "のっとりかいかん")},
                new String[] {"POST", f + "/publish", null},
                new String[] {"POST", f + "/unpublish", null},
                new String[] {"POST", f + "/rooms", roomBody("乗っ取り室")},
                new String[] {"PUT", "/api/v1/staff/rooms/" + room, roomBody("乗っ取り室")},
                new String[] {"POST", f + "/closed-days", "{\"date\":\"" + day + "\",\"reason\":\"乗っ取り\"}"},
                new String[] {"DELETE", f + "/closed-days/" + day, null},
                new String[] {"POST", f + "/photos", "{}"},
                new String[] {"DELETE", f + "/photos/" + UUID.randomUUID(), null},
                new String[] {"GET", "/api/v1/staff/operations", null},
                new String[] {"GET", "/api/v1/staff/operations?format=csv", null},
                new String[] {"GET", "/api/v1/staff/operations/verify", null});
    }

    Api.Call call(String[] call) {
        return switch (call[0]) {
            case "GET" -> api.get(call[1]);
            case "DELETE" -> api.delete(call[1]);
            case "PUT" -> api.put(call[1], call[2]);
            default -> api.post(call[1], call[2]);
        };
    }

    Api.Response send(String[] call, String token) {
        Api.Call request = call(call).header("Idempotency-Key", UUID.randomUUID().toString());
        return (token == null ? request : request.token(token)).send();
    }

    static void forbidden(Api.Response response) {
        assertProblem(response, 403, "forbidden", null, null);
    }

    static void assertProblem(Api.Response response, int status, String code, String field, String[] call) {
        String what = (call == null ? "" : call[0] + " " + call[1] + ": ") + response.body();
        assertThat(response.status()).as(what).isEqualTo(status);
        assertThat(response.contentType()).as(what).hasValue("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asText()).as(what).isEqualTo("urn:kominkan:problem:" + code);
        assertThat(problem.get("status").asInt()).as(what).isEqualTo(status);
        assertThat(problem.get("detail").asText()).as(what).isNotBlank();
        if (field == null) {
            assertThat(problem.has("field")).as(what).isFalse();
        } else {
            assertThat(problem.get("field").asText()).as(what).isEqualTo(field);
        }
    }

    String listOn(LocalDate day) {
        return "/api/v1/staff/reservations?from=" + day + "&to=" + day;
    }

    static List<UUID> ids(Api.Response list) {
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        return list.json().get("reservations").findValuesAsText("id").stream().map(UUID::fromString).toList();
    }

    /** The log's entries about one record, oldest first, as "action role". */
    List<String> entries(String targetType, String targetId) {
        List<String> found = new ArrayList<>();
        for (JsonNode entry : operations("?target=" + targetId)) {
            if (entry.get("targetType").asText().equals(targetType) && entry.get("targetId").asText().equals(targetId)) {
                found.add(0, entry.get("action").asText() + " " + entry.get("role").asText());
            }
        }
        return found;
    }

    JsonNode operations(String query) {
        Api.Response response = api.get("/api/v1/staff/operations" + query).token(main).send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("operations");
    }

    /** Row counts of what staff write, and of the mail queued (the worker changes rows, never their number). */
    Map<String, Long> tables() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("reservation", "account", "room_slot", "access_grant", "grant_stream", "facility",
                "room", "room_opening_hours", "facility_closed_day", "facility_photo", "staff_operation",
                "staff_invitation", "staff_account", "receipt_counter")) {
            counts.put(table, count("select count(*) as n from " + table));
        }
        counts.put("revoked grants", count("select count(*) as n from access_grant where revoked_at is not null"));
        counts.put("cancelled", count("select count(*) as n from reservation where status = 'cancelled'"));
        counts.put("mail queued", count("select count(*) as n from mail_outbox"));
        return counts;
    }

    String facilityRow(long id) {
        return cloud.database().client().execute().get("select name, name_kana, address, facility_type, description,"
                + " access_notes, usage_rules, published from facility where id = ?", id)
                .map(row -> List.of("name", "name_kana", "address", "facility_type", "description", "access_notes",
                        "usage_rules", "published").stream().map(c -> String.valueOf(Sql.value(row, c).orElse(null)))
                        .toList().toString()).orElseThrow()
                + Sql.list(cloud.database().client().execute().query("select r.name, h.iso_weekday, h.opens_minute,"
                        + " h.closes_minute from room r join room_opening_hours h on h.room_id = r.id where r.facility_id = ?"
                        + " order by r.id, h.iso_weekday", id), row -> Sql.text(row, "name") + Sql.integer(row, "iso_weekday")
                        + Sql.integer(row, "opens_minute") + "-" + Sql.integer(row, "closes_minute"))
                + Sql.list(cloud.database().client().execute().query("select name from facility_equipment"
                        + " where facility_id = ? order by sort_order", id), row -> Sql.text(row, "name"));
    }

    static List<String> facilityIds(Api.Response list) {
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().get("facilities").forEach(f -> ids.add(f.get("id").asText()));
        return ids;
    }

    String status(UUID reservation) {
        return cloud.database().client().execute().get("select status from reservation where id = ?", reservation)
                .map(row -> Sql.text(row, "status")).orElseThrow();
    }

    List<Instant> times(UUID reservation) {
        return cloud.database().client().execute().get("select starts_at, ends_at from reservation where id = ?",
                reservation).map(row -> List.of(Sql.instant(row, "starts_at"), Sql.instant(row, "ends_at")))
                .orElseThrow();
    }

    List<Instant> slotsOf(UUID reservation) {
        return Sql.list(cloud.database().client().execute().query(
                "select slot_start from room_slot where reservation_id = ? order by slot_start", reservation),
                row -> Sql.instant(row, "slot_start"));
    }

    long count(String sql, Object... params) {
        return longValue(sql, params);
    }

    long longValue(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).map(row -> Sql.longValue(row, "n")).orElseThrow();
    }

    /** Waits for a mail to this address whose subject contains the words; fails after 20 s. */
    MimeMessage mailTo(String email, String subject) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage message : smtp.getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().equals(email) && message.getSubject().contains(subject)) {
                    return message;
                }
            }
            smtp.waitForIncomingEmail(200, smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no mail about " + subject + " reached " + email);
    }
}
