package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The staff pages attacked over real HTTP, the way an attacker would: without a session, with a
 * resident's session, with another municipality's host, without or with forged CSRF tokens, with a
 * role or a facility scope that does not allow it, with open redirects, stored markup, malformed ids
 * and oversized fields. Each attack asserts its exact answer and that the database is exactly as it
 * was before (every row of every table the staff pages write, compared column by column).
 *
 * <p>The client here sends each request by hand (its own cookie jar, any {@code Host} header, no
 * redirects followed), so a test sees every status, header and cookie as a browser would receive it.
 */
class StaffPagesAttackIT {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a long staff password";
    static final String XSS_FACILITY = "<script>alert(1)</script>";
    static final String XSS_FACILITY_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";
    static final String XSS_BOOKER = "<img src=x onerror=alert(1)>";
    static final String XSS_BOOKER_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;";
    static final String B_NAME = "標的 秘子";
    static final String B_PHONE = "0551-98-7654";
    static final String FORBIDDEN = "この操作は、あなたの権限ではできません";
    static final String CSRF_EXPIRED = "フォームの有効期限が切れました";
    static final String NOT_FOUND = "ページが見つかりません";

    /** Every table a staff page writes; compared row by row and column by column. */
    static final List<String> TABLES = List.of("staff_operation", "reservation", "facility", "room", "room_block",
            "facility_photo", "photo_file", "facility_closed_day", "facility_equipment", "room_opening_hours",
            "room_slot", "gateway", "resident_note", "staff_account", "staff_facility_scope", "staff_invitation",
            "staff_invitation_facility", "account", "access_grant", "door");
    /** Tables whose rows a background worker may touch: only counted. */
    static final List<String> COUNTED = List.of("mail_outbox");

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    static TestDatabases.Jdbc jdbc;
    static Cloud cloud;
    static String base;
    static long town;
    static long facilityA;
    static long facilityB;
    static long roomA;
    static long roomB;
    static long xssFacility;
    static long xssRoom;
    static UUID reservationA;
    static UUID reservationB;
    static UUID residentId;
    static UUID clerkId;
    static LocalDate dayA;
    static LocalDate dayB;

    @BeforeAll
    static void start() throws IOException {
        jdbc = TestDatabases.fresh(TestDatabases.Kind.H2);
        cloud = TestCloud.start(jdbc, new MutableClock(Instant.now()), true);
        base = "http://127.0.0.1:" + cloud.port();
        town = number("select id from municipality where code = '" + DemoData.CODE + "'");
        facilityA = number("select id from facility where municipality_id = " + town + " and name = '中央公民館'");
        facilityB = number("select id from facility where municipality_id = " + town + " and name = '駅前学習センター'");
        roomA = number("select id from room where facility_id = " + facilityA + " and name = '大会議室'");
        roomB = number("select id from room where facility_id = " + facilityB + " and name = 'グループ学習室'");
        residentId = UUID.fromString(text("select id from account where municipality_id = " + town
                + " and email = '" + DemoData.RESIDENT_EMAIL + "'"));

        StaffRepository staff = new StaffRepository(cloud.database().client());
        staff.insert(new StaffMember(UUID.randomUUID(), town, "fa@city.yamabuki.example.lg.jp", "施設 管理子",
                StaffRole.FACILITY, Set.of(facilityA)), PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());
        clerkId = UUID.randomUUID();
        staff.insert(new StaffMember(clerkId, town, "clerk@city.yamabuki.example.lg.jp", "窓口 花子",
                StaffRole.CLERK, Set.of(facilityA)), PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());
        staff.insert(new StaffMember(UUID.randomUUID(), town, "caretaker@city.yamabuki.example.lg.jp", "管理 人男",
                StaffRole.CARETAKER, Set.of(facilityA)), PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());

        Client admin = staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        // B's reservation, whose name and phone a facility administrator of A must never see.
        dayB = LocalDate.now(TOKYO).plusDays(3);
        reservationB = counterBooking(admin, roomB, dayB, B_NAME, B_PHONE);
        // A counter booking in A whose booker's name is markup.
        dayA = LocalDate.now(TOKYO).plusDays(2);
        while (dayA.getDayOfWeek() == DayOfWeek.MONDAY || closedForNewYear(dayA)) {
            dayA = dayA.plusDays(1);
        }
        reservationA = counterBooking(admin, roomA, dayA, XSS_BOOKER, "090-1111-2222");
        // A facility and a room whose names are markup.
        Response made = admin.post("/staff/facilities", withCsrf(admin, facilityForm(XSS_FACILITY, "x".repeat(10))));
        assertThat(made.status()).as(made.body()).isEqualTo(303);
        xssFacility = Long.parseLong(made.location().replaceAll("^/staff/facilities/(\\d+)\\?done=created$", "$1"));
        Response room = admin.post("/staff/facilities/" + xssFacility + "/rooms", withCsrf(admin, roomForm(XSS_FACILITY)));
        assertThat(room.status()).as(room.body()).isEqualTo(303);
        xssRoom = number("select id from room where facility_id = " + xssFacility);
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    // ---- no session, a resident's session, another municipality ----------------------------------------

    @Test
    void withoutASessionEveryPageAndEveryFormSendsToTheLoginPageAndChangesNothing() {
        Client anonymous = new Client();
        anonymous.get("/staff/login"); // a CSRF cookie, so that only the session is missing
        Map<String, String> before = snapshot();
        for (String path : getRoutes()) {
            Response page = anonymous.get(path);
            assertThat(page.status()).as("GET " + path).isEqualTo(303);
            assertThat(page.location()).as("GET " + path)
                    .isEqualTo("/staff/login?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, Map<String, String>> form : postRoutes().entrySet()) {
            Response page = anonymous.post(form.getKey(), withCsrf(anonymous, form.getValue()));
            assertThat(page.status()).as("POST " + form.getKey()).isEqualTo(303);
            assertThat(page.location()).as("POST " + form.getKey())
                    .isEqualTo("/staff/login?next=" + URLEncoder.encode(form.getKey(), StandardCharsets.UTF_8));
        }
        Response upload = anonymous.upload("/staff/facilities/" + facilityA + "/photos", anonymous.csrf());
        assertThat(upload.status()).isEqualTo(303);
        assertThat(upload.location()).startsWith("/staff/login?next=");
        assertUnchanged(before);
    }

    @Test
    void aResidentsSessionOpensNoStaffPage() {
        Client resident = new Client();
        resident.get("/login");
        Response login = resident.post("/login", withCsrf(resident, Map.of("email", DemoData.RESIDENT_EMAIL,
                "password", DemoData.RESIDENT_PASSWORD)));
        assertThat(login.status()).as(login.body()).isEqualTo(303);
        assertThat(resident.cookies).containsKey("kominkan_session").doesNotContainKey("kominkan_staff");
        assertThat(resident.get("/mypage").status()).as("the resident is logged in").isEqualTo(200);
        Map<String, String> before = snapshot();
        for (String path : getRoutes()) {
            Response page = resident.get(path);
            assertThat(page.status()).as("GET " + path).isEqualTo(303);
            assertThat(page.location()).as("GET " + path).startsWith("/staff/login?next=");
        }
        for (Map.Entry<String, Map<String, String>> form : postRoutes().entrySet()) {
            Response page = resident.post(form.getKey(), withCsrf(resident, form.getValue()));
            assertThat(page.status()).as("POST " + form.getKey()).isEqualTo(303);
            assertThat(page.location()).as("POST " + form.getKey()).startsWith("/staff/login?next=");
        }
        // Nor does a resident's token put in the staff cookie.
        Client swapped = new Client();
        swapped.cookies.put("kominkan_staff", resident.cookies.get("kominkan_session"));
        assertThat(swapped.get("/staff").status()).isEqualTo(303);
        assertUnchanged(before);
    }

    @Test
    void thisTownsStaffCookieOpensNothingOnAnotherMunicipalitysHost() {
        Client admin = staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        assertThat(admin.get("/staff").status()).isEqualTo(200);
        Client elsewhere = admin.copy();
        elsewhere.host = TestCloud.OTHER_HOST;
        Response otherLogin = elsewhere.get("/staff/login");
        assertThat(otherLogin.status()).isEqualTo(200);
        assertThat(otherLogin.body()).contains("桜川町");
        Map<String, String> before = snapshot();
        for (String path : getRoutes()) {
            Response page = elsewhere.get(path);
            assertThat(page.status()).as("GET " + path + " on " + TestCloud.OTHER_HOST).isEqualTo(303);
            assertThat(page.location()).as("GET " + path).startsWith("/staff/login?next=");
        }
        for (Map.Entry<String, Map<String, String>> form : postRoutes().entrySet()) {
            Response page = elsewhere.post(form.getKey(), withCsrf(elsewhere, form.getValue()));
            assertThat(page.status()).as("POST " + form.getKey() + " on " + TestCloud.OTHER_HOST).isEqualTo(303);
            assertThat(page.location()).as("POST " + form.getKey()).startsWith("/staff/login?next=");
        }
        assertUnchanged(before);
        // The same cookie still works at home: it was refused for the host, not lost.
        assertThat(admin.get("/staff").status()).isEqualTo(200);
    }

    // ---- CSRF ---------------------------------------------------------------------------------------------

    @Test
    void everyFormWithoutItsCsrfTokenOrWithAWrongOneIsRefusedAndChangesNothing() {
        Client admin = staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        String real = admin.csrf();
        Map<String, String> before = snapshot();
        for (Map.Entry<String, Map<String, String>> route : postRoutes().entrySet()) {
            String path = route.getKey();
            // No field.
            assertCsrfRefused(admin.post(path, route.getValue()), "no _csrf: " + path);
            // A wrong field.
            Map<String, String> wrong = new LinkedHashMap<>(route.getValue());
            wrong.put("_csrf", real.substring(0, 42) + (real.endsWith("A") ? "B" : "A"));
            assertCsrfRefused(admin.post(path, wrong), "wrong _csrf: " + path);
            // The right field, but no cookie (a cross-site form of an attacker who learnt a token).
            Client noCookie = admin.copy();
            noCookie.cookies.remove("kominkan_csrf");
            Map<String, String> right = new LinkedHashMap<>(route.getValue());
            right.put("_csrf", real);
            assertCsrfRefused(noCookie.post(path, right), "no cookie: " + path);
            // A short cookie and the same short field.
            Client shortPair = admin.copy();
            shortPair.cookies.put("kominkan_csrf", "x");
            Map<String, String> shortField = new LinkedHashMap<>(route.getValue());
            shortField.put("_csrf", "x");
            assertCsrfRefused(shortPair.post(path, shortField), "short pair: " + path);
        }
        // Logging out is a form too: refused without the token, and the session lives on.
        assertCsrfRefused(admin.post("/staff/logout", Map.of()), "logout without _csrf");
        assertThat(admin.get("/staff").status()).isEqualTo(200);
        // The photo upload, read as multipart: refused without the token or with a wrong one, nothing stored.
        assertCsrfRefused(admin.upload("/staff/facilities/" + facilityA + "/photos", null), "upload without _csrf");
        assertCsrfRefused(admin.upload("/staff/facilities/" + facilityA + "/photos", "f".repeat(43)),
                "upload with a wrong _csrf");
        assertUnchanged(before);

        // The same upload with the real token is stored: the refusals above were for the token alone.
        Response stored = admin.upload("/staff/facilities/" + facilityA + "/photos", admin.csrf());
        assertThat(stored.status()).as(stored.body()).isEqualTo(303);
        assertThat(count("facility_photo")).isEqualTo(Long.parseLong(before.get("#facility_photo")) + 1);
    }

    /**
     * The CSRF token is bound to the browser's session (an HMAC of its CSRF cookie and session cookies under the
     * deployment's key), so a pair the attacker chose (any 43 characters, planted as the cookie and sent as the
     * field, e.g. from a sibling sub-domain) is refused, and so is a token made for another session: another
     * member's, or this browser's own before it logged in. Nothing is written.
     */
    @Test
    void aSelfChosenCsrfPairOrAnotherSessionsTokenIsRefusedAndChangesNothing() {
        Client admin = staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        Client forged = admin.copy();
        String chosen = "attacker-chosen-token-".repeat(2).substring(0, 43);
        assertThat(chosen).hasSize(43);
        forged.cookies.put("kominkan_csrf", chosen);
        long closedDays = count("facility_closed_day");
        LocalDate day = LocalDate.now(TOKYO).plusMonths(2).withDayOfMonth(10);
        String path = "/staff/facilities/" + facilityB + "/closed-days";
        assertCsrfRefused(forged.post(path, Map.of("_csrf", chosen, "closedOn", day.toString(), "reason", "forged")),
                "self-chosen pair");
        // Another member's real token, sent with the admin's own cookies.
        Client clerk = staffLogin("clerk@city.yamabuki.example.lg.jp", PASSWORD);
        assertCsrfRefused(admin.post(path, Map.of("_csrf", clerk.csrf(), "closedOn", day.toString(), "reason", "x")),
                "another session's token");
        // The token this browser had before it logged in.
        Client browser = new Client();
        String before = browser.csrf();
        assertThat(browser.post("/staff/login", Map.of("_csrf", before, "email", DemoData.ADMIN_EMAIL,
                "password", DemoData.ADMIN_PASSWORD)).status()).isEqualTo(303);
        assertCsrfRefused(browser.post(path, Map.of("_csrf", before, "closedOn", day.toString(), "reason", "x")),
                "the pre-login token after login");
        assertThat(count("facility_closed_day")).isEqualTo(closedDays);
        // The same form with this session's token is taken: the refusals were for the token alone.
        Response taken = browser.post(path, Map.of("_csrf", browser.csrf(), "closedOn", day.toString(),
                "reason", "real"));
        assertThat(taken.status()).as(taken.body()).isEqualTo(303);
        assertThat(count("facility_closed_day")).isEqualTo(closedDays + 1);
        assertThat(browser.post(path, Map.of("_csrf", browser.csrf(), "closedOn", day.toString(), "action", "remove"))
                .status()).isEqualTo(303);
        // The staff login form refuses a self-chosen pair too (login CSRF: a victim logged in as the attacker).
        Client fresh = new Client();
        fresh.cookies.put("kominkan_csrf", chosen);
        assertCsrfRefused(fresh.post("/staff/login", Map.of("_csrf", chosen, "email", DemoData.ADMIN_EMAIL,
                "password", DemoData.ADMIN_PASSWORD)), "self-chosen pair on the login form");
        assertThat(fresh.cookies).doesNotContainKey("kominkan_staff");
    }

    // ---- roles and scope ------------------------------------------------------------------------------------

    @Test
    void aCaretakerAndAClerkAreRefusedEveryFacilityEditingPageAndForm() {
        for (String email : List.of("caretaker@city.yamabuki.example.lg.jp", "clerk@city.yamabuki.example.lg.jp")) {
            Client member = staffLogin(email, PASSWORD);
            assertThat(member.get("/staff").status()).as(email).isEqualTo(200);
            Map<String, String> before = snapshot();
            for (String path : List.of("/staff/facilities/new", "/staff/facilities/" + facilityA,
                    "/staff/facilities/" + facilityA + "/rooms/new", "/staff/rooms/" + roomA, "/staff/operations",
                    "/staff/operations.csv", "/staff/members", "/staff/members/" + clerkId)) {
                assertForbidden(member.get(path), email + " GET " + path);
            }
            for (Map.Entry<String, Map<String, String>> form : facilityForms(facilityA, roomA).entrySet()) {
                assertForbidden(member.post(form.getKey(), withCsrf(member, form.getValue())),
                        email + " POST " + form.getKey());
            }
            assertForbidden(member.upload("/staff/facilities/" + facilityA + "/photos", member.csrf()),
                    email + " upload");
            for (Map.Entry<String, Map<String, String>> form : memberForms().entrySet()) {
                assertForbidden(member.post(form.getKey(), withCsrf(member, form.getValue())),
                        email + " POST " + form.getKey());
            }
            assertUnchanged(before);
            // The list of facilities is open to them, without the edit links.
            Response list = member.get("/staff/facilities");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains("中央公民館").doesNotContain("href=\"/staff/facilities/" + facilityA + "\"");
        }
        // The caretaker may not book, cancel, move, take cash or touch residents either.
        Client caretaker = staffLogin("caretaker@city.yamabuki.example.lg.jp", PASSWORD);
        Map<String, String> before = snapshot();
        assertForbidden(caretaker.get("/staff/counter"), "caretaker counter");
        assertForbidden(caretaker.get("/staff/residents"), "caretaker residents");
        for (Map.Entry<String, Map<String, String>> form : bookingForms(reservationA).entrySet()) {
            assertForbidden(caretaker.post(form.getKey(), withCsrf(caretaker, form.getValue())),
                    "caretaker POST " + form.getKey());
        }
        for (Map.Entry<String, Map<String, String>> form : residentForms().entrySet()) {
            assertForbidden(caretaker.post(form.getKey(), withCsrf(caretaker, form.getValue())),
                    "caretaker POST " + form.getKey());
        }
        // The clerk sees residents but may not note, suspend or reinstate.
        Client clerk = staffLogin("clerk@city.yamabuki.example.lg.jp", PASSWORD);
        for (Map.Entry<String, Map<String, String>> form : residentForms().entrySet()) {
            assertForbidden(clerk.post(form.getKey(), withCsrf(clerk, form.getValue())), "clerk POST " + form.getKey());
        }
        assertUnchanged(before);
    }

    @Test
    void aFacilityAdministratorOfAFindsNothingOfFacilityBAndChangesNothingThere() {
        Client fa = staffLogin("fa@city.yamabuki.example.lg.jp", PASSWORD);
        assertThat(fa.get("/staff/facilities/" + facilityA).status()).as("A is theirs").isEqualTo(200);
        Map<String, String> before = snapshot();
        for (String path : List.of("/staff/facilities/" + facilityB, "/staff/facilities/" + facilityB + "/rooms/new",
                "/staff/rooms/" + roomB, "/staff/reservations/" + reservationB)) {
            Response page = fa.get(path);
            assertNotFound(page, "GET " + path);
            assertNoBData(page, "GET " + path);
        }
        for (Map.Entry<String, Map<String, String>> form : facilityForms(facilityB, roomB).entrySet()) {
            if (form.getKey().equals("/staff/facilities")) {
                continue; // creating is the main administrator's (refused with 403 below)
            }
            Response page = fa.post(form.getKey(), withCsrf(fa, form.getValue()));
            assertNotFound(page, "POST " + form.getKey());
            assertNoBData(page, "POST " + form.getKey());
        }
        Response upload = fa.upload("/staff/facilities/" + facilityB + "/photos", fa.csrf());
        assertNotFound(upload, "upload to B");
        for (Map.Entry<String, Map<String, String>> form : bookingForms(reservationB).entrySet()) {
            Response page = fa.post(form.getKey(), withCsrf(fa, form.getValue()));
            assertNotFound(page, "POST " + form.getKey());
            assertNoBData(page, "POST " + form.getKey());
        }
        assertForbidden(fa.post("/staff/facilities", withCsrf(fa, facilityForm("乗っ取り会館", ""))), "create");
        // Through A's own forms, pointing at B's room: not found either, and nothing written.
        Response counter = fa.post("/staff/counter", withCsrf(fa, counterForm(roomB, dayB.plusDays(1), "別人",
                "0551-11-2233")));
        assertThat(counter.status()).as("counter booking in B's room").isEqualTo(404);
        assertNoBData(counter, "counter");
        Response move = fa.post("/staff/reservations/" + reservationA + "/move", withCsrf(fa,
                Map.of("roomId", "" + roomB, "date", dayB.toString(), "start", "15:00", "end", "16:00")));
        assertThat(move.status()).as("moving A's booking into B's room").isEqualTo(404);
        assertNoBData(move, "move");
        Map<String, String> blockInB = new LinkedHashMap<>(blockForm(roomB));
        Response block = fa.post("/staff/facilities/" + facilityA + "/blocks", withCsrf(fa, blockInB));
        assertThat(block.status()).as("a block on B's room through A's page").isEqualTo(404);
        assertNoBData(block, "block");
        // Lists and the calendar asked for B show only A.
        for (String path : List.of("/staff/calendar?facility=" + facilityB + "&week=" + dayB,
                "/staff/reservations?facility=" + facilityB + "&from=" + dayB + "&to=" + dayB,
                "/staff/counter",
                "/staff/facilities", "/staff", "/staff/operations", "/staff/operations.csv?target=" + reservationB)) {
            Response page = fa.get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertNoBData(page, path);
            assertThat(page.body()).as(path).doesNotContain("駅前学習センター");
        }
        // Searching for B's phone number (echoed in the search box, so only the name is looked for) finds nothing.
        Response search = fa.get("/staff/reservations?q=" + URLEncoder.encode(B_PHONE, StandardCharsets.UTF_8));
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.body()).doesNotContain(B_NAME).doesNotContain("/staff/reservations/" + reservationB);
        assertUnchanged(before);
        // The main administrator does see B's booking: the names above were absent because of the scope.
        Response seen = staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD).get("/staff/reservations/" + reservationB);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.body()).contains(B_NAME, B_PHONE);
    }

    // ---- login, logout, headers ------------------------------------------------------------------------------

    @Test
    void theLoginsNextParameterNeverLeavesTheStaffPages() {
        for (String next : List.of("//evil.example/", "https://evil.example/", "/\\evil.example", "\\\\evil.example",
                "/staff\\evil.example", "http:/evil.example", "/%2F%2Fevil.example", "/staff\r\nLocation: //evil",
                "javascript:alert(1)", "/login", " /staff")) {
            String query = "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
            Client browser = new Client();
            Response form = browser.get("/staff/login" + query);
            assertThat(form.status()).isEqualTo(200);
            // The form posts back to the bare login (the language link carries the query, but /lang checks it too).
            assertThat(form.body()).as(next).contains("action=\"/staff/login\"")
                    .doesNotContain("action=\"/staff/login?next=");
            Response login = browser.post("/staff/login" + query, withCsrf(browser, Map.of("email",
                    DemoData.ADMIN_EMAIL, "password", DemoData.ADMIN_PASSWORD)));
            assertThat(login.status()).as(next).isEqualTo(303);
            assertThat(login.location()).as(next).isEqualTo("/staff");
        }
        // A local next is kept.
        Client browser = new Client();
        browser.get("/staff/login");
        Response login = browser.post("/staff/login?next=%2Fstaff%2Freservations%3Fq%3D1", withCsrf(browser,
                Map.of("email", DemoData.ADMIN_EMAIL, "password", DemoData.ADMIN_PASSWORD)));
        assertThat(login.location()).isEqualTo("/staff/reservations?q=1");
    }

    @Test
    void staffPagesSendSafeHeadersAndTheSessionCookieIsHttpOnlyAndStrict() {
        Client browser = new Client();
        Response loginPage = browser.get("/staff/login");
        assertSafeHeaders(loginPage, "/staff/login");
        String csrfCookie = loginPage.setCookie("kominkan_csrf").orElseThrow();
        assertThat(csrfCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                .containsIgnoringCase("Path=/");
        Response login = browser.post("/staff/login", withCsrf(browser, Map.of("email", DemoData.ADMIN_EMAIL,
                "password", DemoData.ADMIN_PASSWORD)));
        String session = login.setCookie("kominkan_staff").orElseThrow();
        assertThat(session).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .containsIgnoringCase("Path=/");
        assertThat(login.setCookie("kominkan_csrf")).as("the CSRF token is rotated on login").isPresent();
        for (String path : getRoutes()) {
            Response page = browser.get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            if (path.endsWith(".csv")) {
                assertThat(page.header("Cache-Control")).as(path).contains("no-store");
                continue;
            }
            assertSafeHeaders(page, path);
        }
        // Error pages too.
        assertSafeHeaders(browser.get("/staff/rooms/abc"), "404 page");
        assertSafeHeaders(staffLogin("clerk@city.yamabuki.example.lg.jp", PASSWORD).get("/staff/operations"), "403 page");
        assertSafeHeaders(browser.post("/staff/counter", Map.of()), "CSRF 403 page");
    }

    @Test
    void logoutEndsTheSessionSoItsOldCookieOpensNothing() {
        Client admin = staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        String old = admin.cookies.get("kominkan_staff");
        assertThat(admin.get("/staff").status()).isEqualTo(200);
        Response logout = admin.post("/staff/logout", withCsrf(admin, Map.of()));
        assertThat(logout.status()).isEqualTo(303);
        assertThat(logout.location()).isEqualTo("/staff/login");
        // The cookie is emptied and expired (Expires in 1970: Helidon 4.1.7 sends no Max-Age=0), and the session
        // itself is deleted on the server, which is what the replay below checks.
        assertThat(logout.setCookie("kominkan_staff").orElseThrow()).startsWith("kominkan_staff=;").contains("1970");
        assertThat(admin.cookies).doesNotContainKey("kominkan_staff");
        Client replay = new Client();
        replay.get("/staff/login");
        replay.cookies.put("kominkan_staff", old);
        Response home = replay.get("/staff");
        assertThat(home.status()).isEqualTo(303);
        assertThat(home.location()).isEqualTo("/staff/login?next=%2Fstaff");
        Map<String, String> before = snapshot();
        Response cancel = replay.post("/staff/reservations/" + reservationA + "/cancel",
                withCsrf(replay, Map.of("reason", "replayed")));
        assertThat(cancel.status()).isEqualTo(303);
        assertThat(cancel.location()).startsWith("/staff/login");
        assertUnchanged(before);
    }

    // ---- stored markup --------------------------------------------------------------------------------------

    @Test
    void markupInAFacilityNameAndABookersNameIsEscapedOnEveryPage() {
        Client admin = staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        assertThat(text("select name from facility where id = " + xssFacility)).isEqualTo(XSS_FACILITY);
        Map<String, String> facilityPages = new LinkedHashMap<>();
        for (String path : List.of("/staff/facilities", "/staff/facilities/" + xssFacility,
                "/staff/facilities/" + xssFacility + "/rooms/new", "/staff/rooms/" + xssRoom,
                "/staff/calendar?facility=" + xssFacility, "/staff/counter", "/staff/reservations",
                "/staff/members/" + clerkId, "/staff/members")) {
            facilityPages.put(path, XSS_FACILITY_ESCAPED);
        }
        Map<String, String> bookerPages = new LinkedHashMap<>();
        for (String path : List.of("/staff/reservations", "/staff/reservations/" + reservationA,
                "/staff/reservations?q=" + URLEncoder.encode(XSS_BOOKER, StandardCharsets.UTF_8),
                "/staff/calendar?facility=" + facilityA + "&week=" + dayA)) {
            bookerPages.put(path, XSS_BOOKER_ESCAPED);
        }
        for (Map<String, String> pages : List.of(facilityPages, bookerPages)) {
            pages.forEach((path, escaped) -> {
                Response page = admin.get(path);
                assertThat(page.status()).as(path).isEqualTo(200);
                assertThat(page.body()).as(path).contains(escaped);
                assertNoRawMarkup(page, path);
            });
        }
        // Pages that may show them (home, the log, residents), and a form sent back with markup in it.
        for (String path : List.of("/staff", "/staff/operations", "/staff/residents",
                "/staff/residents?q=" + URLEncoder.encode(XSS_BOOKER, StandardCharsets.UTF_8),
                "/staff/operations?target=" + URLEncoder.encode(XSS_FACILITY, StandardCharsets.UTF_8))) {
            Response page = admin.get(path);
            assertThat(page.status()).as(path).isLessThan(500);
            assertNoRawMarkup(page, path);
        }
        Map<String, String> refused = facilityForm(XSS_FACILITY, "");
        refused.put("kana", XSS_BOOKER); // not kana: the form comes back with what was typed
        Response back = admin.post("/staff/facilities/" + xssFacility, withCsrf(admin, refused));
        assertThat(back.status()).isEqualTo(400);
        assertThat(back.body()).contains("value=\"&lt;img src=x onerror=alert(1)>\"");
        assertNoRawMarkup(back, "the refused form");
        Response reflected = admin.get("/staff/reservations?q=" + URLEncoder.encode("\"><script>alert(2)</script>",
                StandardCharsets.UTF_8));
        // The quote that would close the attribute is escaped, so the value stays a value.
        assertThat(reflected.body()).doesNotContain("<script>alert(2)")
                .contains("value=\"&#34;>&lt;script>alert(2)&lt;/script>\"");
    }

    // ---- malformed and oversized input --------------------------------------------------------------------

    @Test
    void malformedIdsAndOversizedFieldsGetAClearRefusalNeverAServerError() {
        Client admin = staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        Map<String, String> before = snapshot();
        for (String path : List.of("/staff/rooms/abc", "/staff/rooms/-1", "/staff/rooms/0",
                "/staff/rooms/99999999999999999999", "/staff/facilities/abc", "/staff/facilities/1e3",
                "/staff/facilities/999999/rooms/new", "/staff/reservations/not-a-uuid",
                "/staff/reservations/" + UUID.randomUUID(), "/staff/reservations/%27%20or%201=1--",
                "/staff/members/not-a-uuid", "/staff/residents/not-a-uuid", "/staff/residents/" + UUID.randomUUID())) {
            assertNotFound(admin.get(path), "GET " + path);
        }
        for (String path : List.of("/staff/rooms/abc", "/staff/facilities/abc", "/staff/facilities/abc/publish",
                "/staff/facilities/abc/rooms", "/staff/reservations/not-a-uuid/cancel",
                "/staff/reservations/not-a-uuid/cash", "/staff/members/not-a-uuid/disable",
                "/staff/residents/not-a-uuid/notes")) {
            assertNotFound(admin.post(path, withCsrf(admin, Map.of("reason", "x", "note", "x"))), "POST " + path);
        }
        // A description of 100 KB: refused next to the field, nothing saved.
        Map<String, String> huge = facilityForm("中央公民館", "a".repeat(100 * 1024));
        Response big = admin.post("/staff/facilities/" + facilityA, withCsrf(admin, huge));
        assertThat(big.status()).as("100 KB description").isEqualTo(400);
        assertThat(big.body()).contains("id=\"description-error\"");
        // Fields that are not what they should be.
        assertThat(admin.post("/staff/rooms/" + roomA, withCsrf(admin, Map.of("name", "x", "capacity", "many")))
                .status()).isEqualTo(400);
        assertThat(admin.post("/staff/counter", withCsrf(admin, Map.of("key", "../../etc", "room", "abc")))
                .status()).isEqualTo(400);
        assertThat(admin.post("/staff/counter", withCsrf(admin, counterForm(-5, dayA, "x", "abc"))).status())
                .isBetween(400, 499);
        assertThat(admin.post("/staff/reservations/" + reservationA + "/cash",
                withCsrf(admin, Map.of("amountReceived", "1e9"))).status()).isEqualTo(400);
        assertThat(admin.post("/staff/facilities/" + facilityA + "/closed-days",
                withCsrf(admin, Map.of("closedOn", "2026-02-30"))).status()).isEqualTo(400);
        // A form that is not a form, and one that cannot be decoded.
        Response json = admin.send("POST", "/staff/facilities/" + facilityA + "/publish", "application/json",
                "{\"published\":false}".getBytes(StandardCharsets.UTF_8));
        assertThat(json.status()).isEqualTo(400);
        Response broken = admin.send("POST", "/staff/facilities/" + facilityA + "/closed-days",
                "application/x-www-form-urlencoded", ("_csrf=" + admin.csrf() + "&closedOn=%zz%&reason=%")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(broken.status()).as(broken.body()).isBetween(400, 499);
        // An empty body (no entity at all) is an empty form: refused for its missing token, not a 500.
        assertCsrfRefused(admin.send("POST", "/staff/members/" + clerkId + "/disable",
                "application/x-www-form-urlencoded", new byte[0]), "empty form body");
        assertThat(admin.send("POST", "/staff/facilities/" + facilityA + "/photos", "multipart/form-data; boundary=x",
                new byte[0]).status()).as("empty multipart body").isBetween(400, 499);
        Response notMultipart = admin.send("POST", "/staff/facilities/" + facilityA + "/photos",
                "multipart/form-data; boundary=x", "garbage".getBytes(StandardCharsets.UTF_8));
        assertThat(notMultipart.status()).isBetween(400, 499);
        // Query strings of the lists.
        for (String path : List.of("/staff/reservations?from=yesterday&to=%00", "/staff/reservations?page=-1&status=x",
                "/staff/reservations?q=" + "x".repeat(1500), "/staff/calendar?week=2026-13-45",
                "/staff/calendar?facility=abc", "/staff/operations?from=notadate", "/staff/operations.csv?from=x",
                "/staff/counter?room=%3Cscript%3Ealert(1)%3C/script%3E&date=x")) {
            Response page = admin.get(path);
            assertThat(page.status()).as(path).isBetween(200, 499);
            assertNoRawMarkup(page, path);
        }
        assertUnchanged(before);
    }

    // ---- the routes -----------------------------------------------------------------------------------------

    static List<String> getRoutes() {
        return List.of("/staff", "/staff/reservations", "/staff/calendar", "/staff/counter",
                "/staff/reservations/" + reservationA, "/staff/facilities", "/staff/facilities/new",
                "/staff/facilities/" + facilityA, "/staff/facilities/" + facilityA + "/rooms/new", "/staff/rooms/" + roomA,
                "/staff/operations", "/staff/operations.csv", "/staff/residents", "/staff/residents/" + residentId,
                "/staff/members", "/staff/members/" + clerkId);
    }

    /** Every form route with a body that would write something if it were accepted. */
    static Map<String, Map<String, String>> postRoutes() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.putAll(bookingForms(reservationA));
        all.put("/staff/counter", counterForm(roomA, dayA, "攻撃 者", "090-0000-0000"));
        all.putAll(facilityForms(facilityA, roomA));
        all.putAll(residentForms());
        all.putAll(memberForms());
        return all;
    }

    static Map<String, Map<String, String>> bookingForms(UUID reservation) {
        Map<String, Map<String, String>> forms = new LinkedHashMap<>();
        forms.put("/staff/reservations/" + reservation + "/cancel", Map.of("reason", "attack"));
        forms.put("/staff/reservations/" + reservation + "/move", Map.of("roomId", "" + roomA, "date", dayA.toString(),
                "start", "17:00", "end", "18:00"));
        forms.put("/staff/reservations/" + reservation + "/cash", Map.of("amountReceived", "1200"));
        return forms;
    }

    static Map<String, Map<String, String>> facilityForms(long facility, long room) {
        Map<String, Map<String, String>> forms = new LinkedHashMap<>();
        forms.put("/staff/facilities", facilityForm("攻撃会館", ""));
        forms.put("/staff/facilities/" + facility, facilityForm("乗っ取られた館", "書き換え"));
        forms.put("/staff/facilities/" + facility + "/publish", Map.of("published", "false"));
        forms.put("/staff/facilities/" + facility + "/closed-days", Map.of("closedOn",
                LocalDate.now(TOKYO).plusDays(20).toString(), "reason", "attack"));
        forms.put("/staff/facilities/" + facility + "/blocks", blockForm(room));
        forms.put("/staff/facilities/" + facility + "/gateways", Map.of("action", "register", "gatewayId",
                DemoData.CODE + "-gw-attack", "gatewayName", "attack"));
        forms.put("/staff/facilities/" + facility + "/rooms", roomForm("攻撃室"));
        forms.put("/staff/rooms/" + room, roomForm("乗っ取られた室"));
        return forms;
    }

    static Map<String, Map<String, String>> residentForms() {
        Map<String, Map<String, String>> forms = new LinkedHashMap<>();
        forms.put("/staff/residents/" + residentId + "/notes", Map.of("note", "attack"));
        forms.put("/staff/residents/" + residentId + "/suspend", Map.of("reason", "attack"));
        forms.put("/staff/residents/" + residentId + "/reinstate", Map.of("reason", "attack"));
        return forms;
    }

    static Map<String, Map<String, String>> memberForms() {
        Map<String, Map<String, String>> forms = new LinkedHashMap<>();
        forms.put("/staff/members/invitations", Map.of("email", "attacker@evil.example", "role", "main"));
        forms.put("/staff/members/invitations/resend", Map.of("email", "attacker@evil.example"));
        forms.put("/staff/members/" + clerkId + "/role", Map.of("role", "facility", "facility-" + facilityA, "on",
                "facility-" + facilityB, "on"));
        forms.put("/staff/members/" + clerkId + "/disable", Map.of());
        forms.put("/staff/members/" + clerkId + "/enable", Map.of());
        return forms;
    }

    static Map<String, String> facilityForm(String name, String description) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("kana", "こうげきかいかん");
        form.put("address", "山梨県山吹市1-1");
        form.put("type", "community-center");
        form.put("description", description);
        form.put("accessNotes", "");
        form.put("usageRules", "");
        form.put("equipment", "");
        return form;
    }

    static Map<String, String> roomForm(String name) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("capacity", "10");
        form.put("horizonDays", "90");
        form.put("priceResident", "0");
        form.put("priceNonResident", "0");
        for (int day = 1; day <= 7; day++) {
            form.put("opens" + day, "09:00");
            form.put("closes" + day, "21:00");
        }
        return form;
    }

    static Map<String, String> blockForm(long room) {
        return Map.of("roomId", "" + room, "kind", "maintenance", "note", "attack", "date",
                LocalDate.now(TOKYO).plusDays(25).toString(), "start", "09:00", "end", "12:00", "repeat", "none",
                "action", "create", "onConflict", "skip");
    }

    static Map<String, String> counterForm(long room, LocalDate day, String name, String phone) {
        return Map.of("key", UUID.randomUUID().toString(), "room", "" + room, "date", day.toString(), "start", "10:00",
                "end", "11:00", "purpose", "会合", "attendees", "3", "name", name, "phone", phone);
    }

    static UUID counterBooking(Client admin, long room, LocalDate day, String name, String phone) {
        Response booked = admin.post("/staff/counter", withCsrf(admin, counterForm(room, day, name, phone)));
        assertThat(booked.status()).as(booked.body()).isEqualTo(303);
        return UUID.fromString(booked.location().replaceAll("^/staff/reservations/([0-9a-f-]{36})\\?done=booked$", "$1"));
    }

    static boolean closedForNewYear(LocalDate day) {
        MonthDay md = MonthDay.from(day);
        return !md.isBefore(MonthDay.of(12, 29)) || md.isBefore(MonthDay.of(1, 4));
    }

    // ---- assertions -----------------------------------------------------------------------------------------

    static void assertCsrfRefused(Response page, String what) {
        assertThat(page.status()).as(what + ": " + page.body()).isEqualTo(403);
        assertThat(page.body()).as(what).contains(CSRF_EXPIRED);
    }

    static void assertForbidden(Response page, String what) {
        assertThat(page.status()).as(what).isEqualTo(403);
        assertThat(page.header("Content-Type")).as(what).startsWith("text/html");
        assertThat(page.body()).as(what).contains(FORBIDDEN);
    }

    static void assertNotFound(Response page, String what) {
        assertThat(page.status()).as(what + ": " + page.body()).isEqualTo(404);
        assertThat(page.header("Content-Type")).as(what).startsWith("text/html");
        assertThat(page.body()).as(what).contains(NOT_FOUND);
    }

    static void assertNoBData(Response page, String what) {
        assertThat(page.body()).as(what).doesNotContain(B_NAME).doesNotContain(B_PHONE)
                .doesNotContain(B_PHONE.replace("-", ""));
    }

    static void assertNoRawMarkup(Response page, String what) {
        // JTE escapes < " ' & everywhere (a > inside a quoted attribute value is harmless).
        assertThat(page.body()).as(what).doesNotContain("<script>alert").doesNotContain("<img src=x")
                .doesNotContain("\"><script");
    }

    static void assertSafeHeaders(Response page, String what) {
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).as(what + " CSP").isNotEmpty().doesNotContain("unsafe-inline").doesNotContain("unsafe-eval")
                .contains("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(page.header("Cache-Control")).as(what).isEqualTo("no-store");
        assertThat(page.header("Content-Type")).as(what).isEqualTo("text/html; charset=utf-8");
    }

    static void assertUnchanged(Map<String, String> before) {
        Map<String, String> after = snapshot();
        for (String table : before.keySet()) {
            assertThat(after.get(table)).as("table " + table + " after the attack").isEqualTo(before.get(table));
        }
    }

    // ---- the database ---------------------------------------------------------------------------------------

    /** @return each table's row count ({@code #table}) and its rows as text ({@code table}) */
    static Map<String, String> snapshot() {
        Map<String, String> tables = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
             Statement s = c.createStatement()) {
            for (String table : TABLES) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("select * from " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            row.append(meta.getColumnName(i)).append('=')
                                    .append(value instanceof byte[] bytes ? "bytes#" + Arrays.hashCode(bytes) : value)
                                    .append(';');
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                tables.put("#" + table, Integer.toString(rows.size()));
                tables.put(table, String.join("\n", rows));
            }
            for (String table : COUNTED) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    tables.put("#" + table, Long.toString(rs.getLong(1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return tables;
    }

    static long count(String table) {
        return number("select count(*) from " + table);
    }

    static long number(String sql) {
        return Long.parseLong(text(sql));
    }

    static String text(String sql) {
        try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row for " + sql);
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the client -----------------------------------------------------------------------------------------

    static Client staffLogin(String email, String password) {
        Client client = new Client();
        assertThat(client.get("/staff/login").status()).isEqualTo(200);
        Response login = client.post("/staff/login", withCsrf(client, Map.of("email", email, "password", password)));
        assertThat(login.status()).as("login of " + email + ": " + login.body()).isEqualTo(303);
        assertThat(client.cookies).containsKey("kominkan_staff");
        return client;
    }

    static Map<String, String> withCsrf(Client client, Map<String, String> form) {
        Map<String, String> all = new LinkedHashMap<>(form);
        all.put("_csrf", client.csrf());
        return all;
    }

    /** A browser as an attacker drives it: its own cookie jar, any Host header, no redirects followed. */
    static final class Client {
        final Map<String, String> cookies = new LinkedHashMap<>();
        String host;

        Client copy() {
            Client copy = new Client();
            copy.cookies.putAll(cookies);
            copy.host = host;
            return copy;
        }

        /** @return the CSRF token a page shows this browser now (bound to its cookies, so read from a form) */
        String csrf() {
            java.util.regex.Matcher token = java.util.regex.Pattern
                    .compile("name=\"_csrf\" value=\"([A-Za-z0-9_-]{43})\"").matcher(get("/staff/login").body());
            if (!token.find()) {
                throw new AssertionError("no CSRF token on the login page");
            }
            return token.group(1);
        }

        Response get(String path) {
            return send("GET", path, null, null);
        }

        Response post(String path, Map<String, String> form) {
            String body = form.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return send("POST", path, "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8));
        }

        /** A photo upload as the facility page's form sends it; {@code csrf} null leaves the field out. */
        Response upload(String path, String csrf) {
            String boundary = "----attack" + UUID.randomUUID().toString().replace("-", "");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try {
                if (csrf != null) {
                    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf
                            + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n入口の写真\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\n"
                        + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                body.write(png());
                body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return send("POST", path, "multipart/form-data; boundary=" + boundary, body.toByteArray());
        }

        Response send(String method, String path, String contentType, byte[] body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Accept", "text/html,application/xhtml+xml");
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (host != null) {
                request.header("Host", host); // surefire runs with -Djdk.httpclient.allowRestrictedHeaders=host
            }
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                for (String set : response.headers().allValues("Set-Cookie")) {
                    String[] nameValue = set.split(";", 2)[0].split("=", 2);
                    String value = nameValue.length > 1 ? nameValue[1] : "";
                    if (value.isEmpty() || set.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                        cookies.remove(nameValue[0].strip());
                    } else {
                        cookies.put(nameValue[0].strip(), value);
                    }
                }
                return new Response(response.statusCode(), response.headers().map(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static byte[] png() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        image.getGraphics().fillRect(4, 4, 20, 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A response as received.
     *
     * @param status  status
     * @param headers every header
     * @param body    body
     */
    record Response(int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse("");
        }

        String location() {
            String location = header("Location");
            if (location.isEmpty()) {
                throw new AssertionError("no redirect: " + status + " " + body);
            }
            return location;
        }

        Optional<String> setCookie(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                    .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(name + "=")).findFirst();
        }
    }
}
