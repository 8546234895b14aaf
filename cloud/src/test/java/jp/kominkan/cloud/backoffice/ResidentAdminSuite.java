package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Resident management and staff management over real sockets, a real database and a real SMTP server:
 * every endpoint refuses a missing token, a role without the permission, another municipality and bad
 * input, writing nothing; a suspended resident is logged out at once and cannot log in until reinstated;
 * a clerk's new scope counts from their next request; a disabled member's token stops working; the last
 * main administrator stays; a re-sent invitation replaces the earlier link. Every write is in the
 * operation log, which holds no resident's name, e-mail or phone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ResidentAdminSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final Pattern LINK = Pattern.compile("/staff/invitation#token=([A-Za-z0-9_-]{43})");
    static final String NAME = "利用 一郎";
    static final String EMAIL = "ichiro@example.jp";
    static final String PHONE = "090-1111-2233";
    static final String PASSWORD = "a resident password";
    static final String STAFF_PASSWORD = "a long staff password";

    GreenMail smtp;
    MutableClock clock;
    Cloud cloud;
    Api api;
    String main;
    UUID mainId;
    long town;
    long ekimae;
    long chuo;
    long studyRoom;
    long chuoRoom;
    Staff facilityAdmin;
    Staff clerk;
    Staff secondClerk;
    Staff caretaker;
    UUID resident;
    String residentToken;
    final AtomicInteger serial = new AtomicInteger();
    final AtomicInteger days = new AtomicInteger(3);

    abstract TestDatabases.Kind kind();

    /** A member of staff made for the test, logged in. */
    record Staff(UUID id, String email, String token) {
    }

    @BeforeAll
    void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true, TestCloud.mailingTo(smtp, Map.of()));
        api = new Api(cloud.port());
        main = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        mainId = UUID.fromString(api.get("/api/v1/staff/me").token(main).send().json().get("id").asText());
        town = longValue("select id as n from municipality where code = ?", DemoData.CODE);
        ekimae = longValue("select facility_id as n from gateway where id = ?", DemoData.CODE + "-gw-ekimae");
        chuo = longValue("select facility_id as n from gateway where id = ?", DemoData.CODE + "-gw-chuo");
        studyRoom = longValue("select room_id as n from door where id = ?", DemoData.CODE + "-door-study");
        chuoRoom = longValue("select min(id) as n from room where facility_id = ?", chuo);
        facilityAdmin = givenStaff(StaffRole.FACILITY, ekimae);
        clerk = givenStaff(StaffRole.CLERK, ekimae);
        secondClerk = givenStaff(StaffRole.CLERK, ekimae);
        caretaker = givenStaff(StaffRole.CARETAKER, ekimae);

        Api.Response registered = api.post("/api/v1/accounts", "{\"email\":\"" + EMAIL + "\",\"password\":\""
                + PASSWORD + "\",\"name\":\"" + NAME + "\"}").send();
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        residentToken = api.login(EMAIL, PASSWORD);
        assertThat(api.patch("/api/v1/me", "{\"phone\":\"" + PHONE + "\"}").token(residentToken).send().status())
                .isEqualTo(200);
        resident = UUID.fromString(api.get("/api/v1/me").token(residentToken).send().json().get("id").asText());
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
        Map<String, Long> before = tables();
        for (String[] call : everyEndpoint(resident, clerk.id())) {
            assertProblem(send(call, null), 401, "unauthorized", null, call);
            assertProblem(send(call, residentToken), 401, "unauthorized", null, call);
            assertProblem(send(call, "x".repeat(43)), 401, "unauthorized", null, call);
        }
        assertThat(tables()).isEqualTo(before);
        assertThat(api.get("/api/v1/me").token(residentToken).send().status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void eachRoleIsRefusedWhatItMayNotDoAndNothingChanges() {
        Map<String, Long> before = tables();
        // The caretaker sees bookings and doors, not residents or staff.
        for (String[] call : everyEndpoint(resident, clerk.id())) {
            assertProblem(send(call, caretaker.token()), 403, "forbidden", null, call);
        }
        // The clerk finds residents and reads their file, and writes nothing about them.
        assertThat(api.get("/api/v1/staff/residents?q=" + EMAIL).token(clerk.token()).send().status()).isEqualTo(200);
        assertThat(api.get("/api/v1/staff/residents/" + resident).token(clerk.token()).send().status()).isEqualTo(200);
        for (String[] call : everyEndpoint(resident, clerk.id())) {
            if (call[0].equals("POST") || call[0].equals("PUT") || call[1].startsWith("/api/v1/staff/members")) {
                assertProblem(send(call, clerk.token()), 403, "forbidden", null, call);
            }
        }
        // The facility administrator manages residents but not staff.
        for (String[] call : everyEndpoint(resident, clerk.id())) {
            if (call[1].startsWith("/api/v1/staff/members")) {
                assertProblem(send(call, facilityAdmin.token()), 403, "forbidden", null, call);
            }
        }
        assertThat(tables()).isEqualTo(before);
        assertThat(suspendedAt(resident)).isEmpty();
        assertThat(role(clerk.id())).isEqualTo("clerk");
    }

    @Test
    @Order(3)
    void anotherMunicipalitysHostFindsNoneOfThem() {
        Map<String, Long> before = tables();
        assertProblem(api.get("/api/v1/staff/residents/" + resident).token(main).header("Host", TestCloud.OTHER_HOST)
                .send(), 401, "unauthorized", null, null);
        String theirMain = api.post("/api/v1/staff/session", "{\"email\":\"" + DemoData.ADMIN_EMAIL + "\",\"password\":\""
                + DemoData.ADMIN_PASSWORD + "\"}").header("Host", TestCloud.OTHER_HOST).send().json().get("token").asText();
        for (String[] call : everyEndpoint(resident, clerk.id())) {
            if (call[1].contains("?q=") || call[1].endsWith("/members") || call[1].contains("/invitations")) {
                continue;
            }
            assertProblem(call(call).token(theirMain).header("Host", TestCloud.OTHER_HOST).send(), 404, "not-found",
                    null, call);
        }
        JsonNode found = api.get("/api/v1/staff/residents?q=" + EMAIL).token(theirMain)
                .header("Host", TestCloud.OTHER_HOST).send().json();
        assertThat(found.get("residents")).isEmpty();
        JsonNode staff = api.get("/api/v1/staff/members").token(theirMain).header("Host", TestCloud.OTHER_HOST).send()
                .json();
        assertThat(staff.get("members").findValuesAsText("id")).doesNotContain(clerk.id().toString(), mainId.toString());
        assertProblem(api.post("/api/v1/staff/members/invitations/resend", "{\"email\":\"" + clerk.email() + "\"}")
                .token(theirMain).header("Host", TestCloud.OTHER_HOST).send(), 404, "no-invitation", null, null);
        assertThat(tables()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void malformedIdsAndBadInputAreRefusedWithTheFieldNamed() {
        Map<String, Long> before = tables();
        String r = "/api/v1/staff/residents/";
        for (String id : List.of("not-a-uuid", UUID.randomUUID().toString(), clerk.id().toString(), "1")) {
            assertProblem(api.get(r + id).token(main).send(), 404, "not-found", null, null);
            assertProblem(api.post(r + id + "/suspend", "{\"reason\":\"x\"}").token(main).send(), 404, "not-found",
                    null, null);
        }
        assertProblem(api.get(r + "?q=" + "a".repeat(101)).token(main).send(), 400, "invalid-field", "q", null);
        assertProblem(api.get(r + "?page=abc").token(main).send(), 400, "invalid-field", "page", null);
        assertProblem(api.get(r + "?page=1000").token(main).send(), 400, "invalid-field", "page", null);
        assertProblem(api.get(r + "?page=-1").token(main).send(), 400, "invalid-field", "page", null);
        assertProblem(api.post(r + resident + "/notes", "{\"note\":\"  \"}").token(main).send(), 400, "invalid-field",
                "note", null);
        assertProblem(api.post(r + resident + "/notes", "{\"note\":\"" + "メ".repeat(2001) + "\"}").token(main).send(),
                400, "invalid-field", "note", null);
        assertProblem(api.post(r + resident + "/notes", "{\"note\":42}").token(main).send(), 400, "invalid-field",
                "note", null);
        assertProblem(api.post(r + resident + "/notes", "{\"note\":").token(main).send(), 400, "malformed-json", null,
                null);
        assertProblem(api.post(r + resident + "/notes", "note=x").contentType("application/x-www-form-urlencoded")
                .token(main).send(), 415, "unsupported-media-type", null, null);
        assertProblem(api.post(r + resident + "/notes", "{\"note\":\"" + "x".repeat(70_000) + "\"}").token(main).send(),
                413, "payload-too-large", null, null);
        assertProblem(api.post(r + resident + "/suspend", "{}").token(main).send(), 400, "invalid-field", "reason",
                null);
        assertProblem(api.post(r + resident + "/suspend", "{\"reason\":\"" + "理".repeat(401) + "\"}").token(main)
                .send(), 400, "invalid-field", "reason", null);
        assertProblem(api.post(r + resident + "/reinstate", "{\"reason\":\"再開\"}").token(main).send(), 409,
                "not-suspended", null, null);

        String m = "/api/v1/staff/members/";
        assertProblem(api.get(m + "not-a-uuid").token(main).send(), 404, "not-found", null, null);
        assertProblem(api.get(m + resident).token(main).send(), 404, "not-found", null, null);
        assertProblem(api.put(m + clerk.id(), "{\"role\":\"boss\",\"facilities\":[" + ekimae + "]}").token(main).send(),
                400, "invalid-field", "role", null);
        assertProblem(api.put(m + clerk.id(), "{\"role\":\"clerk\",\"facilities\":[]}").token(main).send(), 400,
                "invalid-field", "facilities", null);
        assertProblem(api.put(m + clerk.id(), "{\"role\":\"clerk\"}").token(main).send(), 400, "invalid-field",
                "facilities", null);
        long theirs = longValue("select min(f.id) as n from facility f join municipality m on m.id = f.municipality_id"
                + " where m.code = ?", TestCloud.OTHER_CODE);
        assertProblem(api.put(m + clerk.id(), "{\"role\":\"clerk\",\"facilities\":[" + theirs + "]}").token(main).send(),
                400, "invalid-field", "facilities", null);
        assertProblem(api.put(m + clerk.id(), "{\"role\":\"clerk\",\"facilities\":[null]}").token(main).send(), 400,
                "invalid-field", "facilities", null);
        Api.Response typed = api.put(m + clerk.id(), "{\"role\":\"clerk\",\"facilities\":[\"" + ekimae + "\"]}")
                .token(main).send();
        assertThat(typed.status()).as(typed.body()).isEqualTo(400);
        assertThat(typed.json().get("field").asText()).startsWith("facilities");
        assertProblem(api.post(m + "invitations", "{\"email\":\"not-an-email\",\"role\":\"clerk\",\"facilities\":["
                + ekimae + "]}").token(main).send(), 400, "invalid-field", "email", null);
        assertProblem(api.post(m + "invitations", "{\"email\":\"" + clerk.email() + "\",\"role\":\"clerk\","
                + "\"facilities\":[" + ekimae + "]}").token(main).send(), 409, "email-taken", null, null);
        assertProblem(api.post(m + "invitations/resend", "{\"email\":\"nobody@city.yamabuki.example.lg.jp\"}")
                .token(main).send(), 404, "no-invitation", null, null);
        assertProblem(api.post(m + "invitations/resend", "{\"email\":\"x\"}").token(main).send(), 400, "invalid-field",
                "email", null);
        assertProblem(api.post(m + clerk.id() + "/enable", null).token(main).send(), 409, "not-disabled", null, null);
        assertThat(tables()).isEqualTo(before);
        assertThat(role(clerk.id())).isEqualTo("clerk");
    }

    // ---------------------------------------------------------------- residents

    @Test
    @Order(10)
    void theSearchFindsResidentsByNameEmailAndPhoneDigitsAndPagesByFifty() {
        for (String q : List.of("一郎", "ICHIRO@example", "09011112233", "1111-22")) {
            JsonNode found = api.get("/api/v1/staff/residents?q=" + encode(q)).token(clerk.token()).send().json();
            assertThat(found.get("residents").findValuesAsText("id")).as(q).containsExactly(resident.toString());
            assertThat(found.get("residents").get(0).get("phone").asText()).isEqualTo(PHONE);
        }
        // Short digit runs and wildcards match no phone or every name.
        assertThat(api.get("/api/v1/staff/residents?q=11").token(clerk.token()).send().json().get("residents")
                .findValuesAsText("id")).doesNotContain(resident.toString());
        assertThat(api.get("/api/v1/staff/residents?q=%25").token(clerk.token()).send().json().get("residents"))
                .isEmpty();

        for (int i = 0; i < 55; i++) {
            cloud.database().client().execute().insert("insert into account (id, municipality_id, email, password_hash,"
                    + " name, created_at) values (?, ?, ?, null, ?, ?)", UUID.randomUUID(), town,
                    "page" + i + "@example.jp", "頁送 " + String.format("%02d", i), Sql.at(clock.instant()));
        }
        JsonNode first = api.get("/api/v1/staff/residents?q=" + encode("頁送")).token(clerk.token()).send().json();
        JsonNode second = api.get("/api/v1/staff/residents?q=" + encode("頁送") + "&page=1").token(clerk.token()).send()
                .json();
        assertThat(first.get("residents")).hasSize(50);
        assertThat(first.get("more").asBoolean()).isTrue();
        assertThat(second.get("residents")).hasSize(5);
        assertThat(second.get("more").asBoolean()).isFalse();
        List<String> all = new ArrayList<>(first.get("residents").findValuesAsText("id"));
        all.addAll(second.get("residents").findValuesAsText("id"));
        assertThat(all).doesNotHaveDuplicates().hasSize(55);
    }

    @Test
    @Order(11)
    void aScopedMemberFindsAnyResidentButSeesOnlyTheBookingsOfTheirFacilities() {
        UUID here = residentBooks(studyRoom, nextDay(10));
        UUID there = residentBooks(chuoRoom, nextDay(10));
        JsonNode asClerk = file(clerk.token(), resident);
        assertThat(asClerk.get("name").asText()).isEqualTo(NAME);
        assertThat(asClerk.get("email").asText()).isEqualTo(EMAIL);
        assertThat(asClerk.get("phone").asText()).isEqualTo(PHONE);
        assertThat(asClerk.get("verification").asText()).isEqualTo("unverified");
        assertThat(asClerk.get("residency").asText()).isEqualTo("unknown");
        assertThat(asClerk.get("walkIn").asBoolean()).isFalse();
        assertThat(asClerk.get("bookings").findValuesAsText("id")).contains(here.toString())
                .doesNotContain(there.toString());
        assertThat(file(main, resident).get("bookings").findValuesAsText("id")).contains(here.toString(),
                there.toString());
    }

    @Test
    @Order(12)
    void aSuspendedResidentIsLoggedOutAtOnceCannotLogInAndIsReinstatedWithTheirBookingsKept() {
        UUID upcoming = residentBooks(studyRoom, nextDay(14));
        String otherSession = api.login(EMAIL, PASSWORD);
        assertThat(api.get("/api/v1/me").token(residentToken).send().status()).isEqualTo(200);
        forbidden(api.post("/api/v1/staff/residents/" + resident + "/suspend", "{\"reason\":\"無断キャンセルが続くため\"}")
                .token(clerk.token()).send());

        Api.Response suspended = api.post("/api/v1/staff/residents/" + resident + "/suspend",
                "{\"reason\":\"無断キャンセルが続くため\"}").token(facilityAdmin.token()).send();
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        assertThat(suspended.json().get("suspended").asBoolean()).isTrue();
        assertThat(suspended.json().get("suspensionReason").asText()).isEqualTo("無断キャンセルが続くため");
        assertThat(suspended.json().get("upcoming").findValuesAsText("id")).contains(upcoming.toString());
        assertThat(suspended.json().get("upcoming").findValuesAsText("staffPage"))
                .contains("/staff/reservations/" + upcoming);
        assertThat(count("select count(*) as n from login_session where account_id = ?", resident)).isZero();

        assertProblem(api.get("/api/v1/me").token(residentToken).send(), 401, "unauthorized", null, null);
        assertProblem(api.get("/api/v1/me").token(otherSession).send(), 401, "unauthorized", null, null);
        assertProblem(api.post("/api/v1/session", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}")
                .send(), 401, "unauthorized", null, null);
        assertProblem(api.post("/api/v1/staff/residents/" + resident + "/suspend", "{\"reason\":\"再度\"}").token(main)
                .send(), 409, "already-suspended", null, null);
        // Staff decide on the bookings; suspending cancels none.
        assertThat(text("select status as v from reservation where id = ?", upcoming)).isEqualTo("confirmed");
        assertThat(api.get("/api/v1/staff/residents?q=" + EMAIL).token(clerk.token()).send().json().get("residents")
                .get(0).get("suspended").asBoolean()).isTrue();

        Api.Response reinstated = api.post("/api/v1/staff/residents/" + resident + "/reinstate",
                "{\"reason\":\"本人と面談し改善を確認\"}").token(main).send();
        assertThat(reinstated.status()).as(reinstated.body()).isEqualTo(200);
        assertThat(reinstated.json().get("suspended").asBoolean()).isFalse();
        residentToken = api.login(EMAIL, PASSWORD);
        assertThat(api.get("/api/v1/me").token(residentToken).send().status()).isEqualTo(200);

        assertThat(entries("account", resident.toString())).containsSubsequence("resident.suspend facility",
                "resident.reinstate main");
        String logged = loggedText();
        assertThat(logged).contains("無断キャンセルが続くため");
        assertNoPersonalData(logged);
    }

    @Test
    @Order(13)
    void aNoteIsKeptForStaffAndLoggedOnlyByReference() {
        Api.Response noted = api.post("/api/v1/staff/residents/" + resident + "/notes",
                "{\"note\":\"車椅子で来館。1階の部屋を希望。\"}").token(facilityAdmin.token()).send();
        assertThat(noted.status()).as(noted.body()).isEqualTo(201);
        assertThat(noted.json().get("notes").get(0).get("note").asText()).isEqualTo("車椅子で来館。1階の部屋を希望。");
        assertThat(file(clerk.token(), resident).get("notes").findValuesAsText("note"))
                .contains("車椅子で来館。1階の部屋を希望。");
        assertThat(entries("account", resident.toString())).endsWith("resident.note facility");
        assertThat(loggedText()).doesNotContain("車椅子");
        // The resident's own view has no notes.
        assertThat(api.get("/api/v1/me").token(residentToken).send().body()).doesNotContain("車椅子");
    }

    // ---------------------------------------------------------------- staff

    @Test
    @Order(20)
    void aClerksNewScopeCountsFromTheirNextRequest() {
        UUID here = residentBooks(studyRoom, nextDay(16));
        UUID there = residentBooks(chuoRoom, nextDay(16));
        assertThat(api.get("/api/v1/staff/reservations/" + here).token(clerk.token()).send().status()).isEqualTo(200);
        assertThat(api.get("/api/v1/staff/reservations/" + there).token(clerk.token()).send().status()).isEqualTo(404);

        Api.Response changed = api.put("/api/v1/staff/members/" + clerk.id(), "{\"role\":\"clerk\",\"facilities\":["
                + chuo + "]}").token(main).send();
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("facilities").toString()).isEqualTo("[" + chuo + "]");

        assertThat(api.get("/api/v1/staff/reservations/" + there).token(clerk.token()).send().status()).isEqualTo(200);
        assertProblem(api.get("/api/v1/staff/reservations/" + here).token(clerk.token()).send(), 404, "not-found", null,
                null);
        assertThat(file(clerk.token(), resident).get("bookings").findValuesAsText("id")).contains(there.toString())
                .doesNotContain(here.toString());
        assertThat(entries("staff", clerk.id().toString())).containsExactly("staff.change-role main");
        assertThat(api.get("/api/v1/staff/members/" + clerk.id()).token(main).send().json().get("facilities").toString())
                .isEqualTo("[" + chuo + "]");
    }

    @Test
    @Order(21)
    void aDisabledMembersTokenStopsWorkingAtOnceAndEnablingLetsThemLogInAgain() {
        assertThat(api.get("/api/v1/staff/me").token(secondClerk.token()).send().status()).isEqualTo(200);
        Api.Response disabled = api.post("/api/v1/staff/members/" + secondClerk.id() + "/disable", null).token(main)
                .send();
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json().get("disabled").asBoolean()).isTrue();
        assertProblem(api.get("/api/v1/staff/me").token(secondClerk.token()).send(), 401, "unauthorized", null, null);
        assertProblem(api.post("/api/v1/staff/session", "{\"email\":\"" + secondClerk.email() + "\",\"password\":\""
                + STAFF_PASSWORD + "\"}").send(), 401, "unauthorized", null, null);
        assertThat(count("select count(*) as n from staff_session where staff_id = ?", secondClerk.id())).isZero();
        assertProblem(api.post("/api/v1/staff/members/" + secondClerk.id() + "/disable", null).token(main).send(), 409,
                "already-disabled", null, null);
        List<Boolean> listed = new ArrayList<>();
        api.get("/api/v1/staff/members").token(main).send().json().get("members").forEach(member -> {
            if (member.get("id").asText().equals(secondClerk.id().toString())) {
                listed.add(member.get("disabled").asBoolean());
            }
        });
        assertThat(listed).containsExactly(true);

        Api.Response enabled = api.post("/api/v1/staff/members/" + secondClerk.id() + "/enable", null).token(main)
                .send();
        assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
        String again = api.staffLogin(secondClerk.email(), STAFF_PASSWORD);
        assertThat(api.get("/api/v1/staff/me").token(again).send().status()).isEqualTo(200);
        assertThat(entries("staff", secondClerk.id().toString())).containsExactly("staff.disable main",
                "staff.enable main");
    }

    @Test
    @Order(22)
    void theLastEnabledMainAdministratorCanNeitherBeDisabledNorDemoted() throws Exception {
        Map<String, Long> before = tables();
        assertProblem(api.post("/api/v1/staff/members/" + mainId + "/disable", null).token(main).send(), 409,
                "last-main-administrator", null, null);
        assertProblem(api.put("/api/v1/staff/members/" + mainId, "{\"role\":\"facility\",\"facilities\":[" + ekimae
                + "]}").token(main).send(), 409, "last-main-administrator", null, null);
        assertThat(tables()).isEqualTo(before);

        // With a second main administrator, neither may disable themself, and one may be demoted.
        Staff second = invitedAndAccepted("main", List.of());
        assertProblem(api.post("/api/v1/staff/members/" + mainId + "/disable", null).token(main).send(), 409,
                "own-account", null, null);
        Api.Response demoted = api.put("/api/v1/staff/members/" + second.id(), "{\"role\":\"facility\",\"facilities\":["
                + ekimae + "]}").token(main).send();
        assertThat(demoted.status()).as(demoted.body()).isEqualTo(200);
        forbidden(api.get("/api/v1/staff/members").token(second.token()).send());
        assertProblem(api.put("/api/v1/staff/members/" + mainId, "{\"role\":\"clerk\",\"facilities\":[" + ekimae + "]}")
                .token(main).send(), 409, "last-main-administrator", null, null);
        assertThat(role(mainId)).isEqualTo("main");
    }

    @Test
    @Order(23)
    void aReSentInvitationSendsANewLinkAndTheEarlierOneStopsWorking() throws Exception {
        String email = "resend" + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        Api.Response invited = api.post("/api/v1/staff/members/invitations", "{\"email\":\"" + email
                + "\",\"role\":\"caretaker\",\"facilities\":[" + chuo + "]}").token(main).send();
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        String firstLink = link(mail(email, 1));
        JsonNode pending = api.get("/api/v1/staff/members").token(main).send().json().get("invitations");
        assertThat(pending.findValuesAsText("email")).contains(email);

        Api.Response resent = api.post("/api/v1/staff/members/invitations/resend", "{\"email\":\"" + email + "\"}")
                .token(main).send();
        assertThat(resent.status()).as(resent.body()).isEqualTo(201);
        assertThat(resent.json().get("role").asText()).isEqualTo("caretaker");
        assertThat(resent.json().get("facilities").toString()).isEqualTo("[" + chuo + "]");
        String secondLink = link(mail(email, 2));
        assertThat(secondLink).isNotEqualTo(firstLink);
        // The list shows the new link's invitation, still usable; the earlier one is withdrawn.
        List<String> listed = new ArrayList<>();
        api.get("/api/v1/staff/members").token(main).send().json().get("invitations").forEach(i -> {
            if (i.get("email").asText().equals(email)) {
                listed.add(i.get("usable").asText() + " " + i.get("expiresAt").asText());
            }
        });
        assertThat(listed).containsExactly("true " + resent.json().get("expiresAt").asText());

        assertProblem(api.post("/api/v1/staff/invitations/accept", "{\"token\":\"" + firstLink + "\",\"name\":\"管理 五郎\","
                + "\"password\":\"" + STAFF_PASSWORD + "\"}").send(), 409, "invitation-not-usable", null, null);
        Api.Response accepted = api.post("/api/v1/staff/invitations/accept", "{\"token\":\"" + secondLink
                + "\",\"name\":\"管理 五郎\",\"password\":\"" + STAFF_PASSWORD + "\"}").send();
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(accepted.json().get("role").asText()).isEqualTo("caretaker");
        assertThat(api.get("/api/v1/staff/members").token(main).send().json().get("invitations")
                .findValuesAsText("email")).doesNotContain(email);
        assertThat(operations().stream().map(e -> e.get("action").asText()).toList()).contains("staff.invite",
                "staff.reinvite");
    }

    @Test
    @Order(30)
    void theOperationLogStaysAnIntactChainWithoutResidentsPersonalData() {
        JsonNode verified = api.get("/api/v1/staff/operations/verify").token(main).send().json();
        assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
        List<String> actions = operations().stream().map(e -> e.get("action").asText()).toList();
        assertThat(actions).contains("resident.suspend", "resident.reinstate", "resident.note", "staff.change-role",
                "staff.disable", "staff.enable", "staff.invite", "staff.reinvite");
        assertNoPersonalData(loggedText());
    }

    // ---------------------------------------------------------------- fixtures

    Staff givenStaff(StaffRole role, long facility) {
        String email = role.wire() + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        UUID id = UUID.randomUUID();
        new StaffRepository(cloud.database().client()).insert(new StaffMember(id, town, email, "職員 " + serial.get(),
                role, Set.of(facility)), PasswordHasher.DEFAULT.hash(STAFF_PASSWORD), clock.instant());
        return new Staff(id, email, api.staffLogin(email, STAFF_PASSWORD));
    }

    /** Invited through the staff API, by mail, and accepted. */
    Staff invitedAndAccepted(String role, List<Long> facilities) throws Exception {
        String email = role + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        Api.Response invited = api.post("/api/v1/staff/members/invitations", "{\"email\":\"" + email + "\",\"role\":\""
                + role + "\",\"facilities\":" + facilities + "}").token(main).send();
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        Api.Response accepted = api.post("/api/v1/staff/invitations/accept", "{\"token\":\"" + link(mail(email, 1))
                + "\",\"name\":\"職員 " + serial.get() + "\",\"password\":\"" + STAFF_PASSWORD + "\"}").send();
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        return new Staff(UUID.fromString(accepted.json().get("id").asText()), email, api.staffLogin(email, STAFF_PASSWORD));
    }

    UUID residentBooks(long room, OffsetDateTime start) {
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + room + ",\"start\":\"" + start
                + "\",\"end\":\"" + start.plusHours(1) + "\",\"purpose\":\"自習\",\"attendees\":1}").token(residentToken)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        return UUID.fromString(booked.json().get("id").asText());
    }

    OffsetDateTime nextDay(int hour) {
        LocalDate day;
        do {
            day = LocalDate.now(clock.withZone(TOKYO)).plusDays(days.getAndIncrement());
        } while (day.getDayOfWeek() == java.time.DayOfWeek.MONDAY); // the demo's study room is closed on Mondays
        return day.atTime(hour, 0).atZone(TOKYO).toOffsetDateTime();
    }

    /** Every resident and staff management endpoint, as method, path and body. */
    List<String[]> everyEndpoint(UUID account, UUID member) {
        String r = "/api/v1/staff/residents/" + account;
        String m = "/api/v1/staff/members/" + member;
        return List.of(
                new String[] {"GET", "/api/v1/staff/residents?q=" + encode(NAME), null},
                new String[] {"GET", r, null},
                new String[] {"POST", r + "/notes", "{\"note\":\"乗っ取り\"}"},
                new String[] {"POST", r + "/suspend", "{\"reason\":\"乗っ取り\"}"},
                new String[] {"POST", r + "/reinstate", "{\"reason\":\"乗っ取り\"}"},
                new String[] {"GET", "/api/v1/staff/members", null},
                new String[] {"GET", m, null},
                new String[] {"PUT", m, "{\"role\":\"main\",\"facilities\":[]}"},
                new String[] {"POST", m + "/disable", null},
                new String[] {"POST", m + "/enable", null},
                new String[] {"POST", "/api/v1/staff/members/invitations", "{\"email\":\"evil@example.jp\","
                        + "\"role\":\"main\",\"facilities\":[]}"},
                new String[] {"POST", "/api/v1/staff/members/invitations/resend", "{\"email\":\"evil@example.jp\"}"});
    }

    Api.Call call(String[] call) {
        return switch (call[0]) {
            case "GET" -> api.get(call[1]);
            case "PUT" -> api.put(call[1], call[2]);
            default -> api.post(call[1], call[2]);
        };
    }

    Api.Response send(String[] call, String token) {
        Api.Call request = call(call);
        return (token == null ? request : request.token(token)).send();
    }

    JsonNode file(String token, UUID account) {
        Api.Response response = api.get("/api/v1/staff/residents/" + account).token(token).send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    static void forbidden(Api.Response response) {
        assertProblem(response, 403, "forbidden", null, null);
    }

    static void assertProblem(Api.Response response, int status, String code, String field, String[] call) {
        BackOfficeSuite.assertProblem(response, status, code, field, call);
    }

    void assertNoPersonalData(String logged) {
        assertThat(logged).doesNotContain(NAME, "一郎", EMAIL, PHONE, PHONE.replace("-", ""), DemoData.RESIDENT_EMAIL,
                "山吹 花子");
    }

    /** Every text column of the operation log. */
    String loggedText() {
        StringBuilder text = new StringBuilder();
        for (String column : List.of("action", "target_type", "target_id", "before_state", "after_state",
                "source_address", "staff_role")) {
            Sql.list(cloud.database().client().execute().query("select " + column + " as v from staff_operation"),
                    row -> Sql.optionalText(row, "v").orElse("")).forEach(v -> text.append(v).append('\n'));
        }
        return text.toString();
    }

    List<JsonNode> operations() {
        Api.Response response = api.get("/api/v1/staff/operations").token(main).send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> all = new ArrayList<>();
        response.json().get("operations").forEach(all::add);
        return all;
    }

    /** The log's entries about one record, oldest first, as "action role". */
    List<String> entries(String targetType, String targetId) {
        List<String> found = new ArrayList<>();
        for (JsonNode entry : operations()) {
            if (entry.get("targetType").asText().equals(targetType) && entry.get("targetId").asText().equals(targetId)) {
                found.add(0, entry.get("action").asText() + " " + entry.get("role").asText());
            }
        }
        return found;
    }

    /** Row counts of what these endpoints write. */
    Map<String, Long> tables() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("account", "resident_note", "login_session", "staff_account",
                "staff_facility_scope", "staff_invitation", "staff_operation", "mail_outbox", "reservation")) {
            counts.put(table, count("select count(*) as n from " + table));
        }
        counts.put("suspended", count("select count(*) as n from account where suspended_at is not null"));
        counts.put("disabled", count("select count(*) as n from staff_account where disabled_at is not null"));
        return counts;
    }

    java.util.Optional<Instant> suspendedAt(UUID account) {
        return cloud.database().client().execute().get("select suspended_at from account where id = ?", account)
                .flatMap(row -> Sql.optionalInstant(row, "suspended_at"));
    }

    String role(UUID staff) {
        return text("select staff_role as v from staff_account where id = ?", staff);
    }

    String text(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).map(row -> Sql.text(row, "v")).orElseThrow();
    }

    long count(String sql, Object... params) {
        return longValue(sql, params);
    }

    long longValue(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).map(row -> Sql.longValue(row, "n")).orElseThrow();
    }

    static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String link(MimeMessage message) throws Exception {
        Matcher link = LINK.matcher((String) message.getContent());
        assertThat(link.find()).isTrue();
        return link.group(1);
    }

    /** Waits for the n-th invitation mail to this address; fails after 20 s. */
    MimeMessage mail(String email, int nth) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<MimeMessage> found = new ArrayList<>();
            for (MimeMessage message : smtp.getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().equals(email) && message.getSubject().contains("招待")) {
                    found.add(message);
                }
            }
            if (found.size() >= nth) {
                return found.get(nth - 1);
            }
            smtp.waitForIncomingEmail(200, smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no invitation number " + nth + " reached " + email);
    }
}
