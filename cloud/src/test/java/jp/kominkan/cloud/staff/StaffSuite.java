package jp.kominkan.cloud.staff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.crypto.Tokens;
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
 * Staff log in separately; a main administrator invites a facility administrator by e-mail through a
 * real SMTP server (GreenMail), the mail going through the outbox; every staff API checks the facility scope and the municipality on
 * the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StaffSuite {

    static final Pattern LINK = Pattern.compile("/staff/invitation#token=([A-Za-z0-9_-]{43})");
    static GreenMail smtp;
    static MutableClock clock;
    static Cloud cloud;
    static Api api;
    static String main;
    static long ekimae;
    static long chuo;
    static int serial;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        // Whole seconds: the clock stands still, and a time the database rounds up to its microseconds would
        // never be due for the mail worker.
        clock = new MutableClock(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true, TestCloud.mailingTo(smtp, Map.of()));
        api = new Api(cloud.port());
        main = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        ekimae = facilityOfGateway(DemoData.CODE + "-gw-ekimae");
        chuo = facilityOfGateway(DemoData.CODE + "-gw-chuo");
    }

    @AfterAll
    void stop() {
        cloud.close();
        smtp.stop();
    }

    @Test
    void aChildAdministratorInvitedByMailSeesOnlyTheirFacility() throws Exception {
        String email = "child" + (++serial) + "@city.yamabuki.example.lg.jp";
        Api.Response invited = api.post("/api/v1/staff/invitations",
                "{\"email\":\"" + email + "\",\"role\":\"facility\",\"facilities\":[" + ekimae + "]}").token(main).send();
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        String token = tokenMailedTo(email);
        // Only the hash of the link's token is stored.
        assertThat(count("select count(*) as n from staff_invitation where token_hash = ?", Tokens.sha256Hex(token)))
                .isEqualTo(1);
        assertThat(count("select count(*) as n from staff_invitation where token_hash = ?", token)).isZero();

        Api.Response accepted = api.post("/api/v1/staff/invitations/accept",
                "{\"token\":\"" + token + "\",\"name\":\"駅前 担当\",\"password\":\"a long staff password\"}").send();
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(accepted.json().get("role").asText()).isEqualTo("facility");
        Api.Response again = api.post("/api/v1/staff/invitations/accept",
                "{\"token\":\"" + token + "\",\"name\":\"誰か\",\"password\":\"another long password\"}").send();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("すでに使われています");

        String child = api.staffLogin(email, "a long staff password");
        JsonNode me = api.get("/api/v1/staff/me").token(child).send().json();
        assertThat(me.get("facilities").toString()).isEqualTo("[" + ekimae + "]");
        JsonNode gateways = api.get("/api/v1/staff/gateways").token(child).send().json().get("gateways");
        assertThat(gateways.findValuesAsText("id")).containsExactly(DemoData.CODE + "-gw-ekimae");
        assertThat(api.get("/api/v1/staff/gateways").token(main).send().json().get("gateways").size()).isEqualTo(2);
        assertThat(api.get("/api/v1/staff/doors/" + DemoData.CODE + "-door-study/events").token(child).send().status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/staff/doors/" + DemoData.CODE + "-door-hall/events").token(child).send().status())
                .isEqualTo(404);

        // A held booking in the other facility: invisible to the child administrator, confirmable by the main one.
        String reservation = heldBookingInTheHall();
        String confirm = "/api/v1/staff/reservations/" + reservation + "/confirm";
        assertThat(api.post(confirm, null).token(child).send().status()).isEqualTo(404);
        assertThat(api.post(confirm, null).token(main).send().status()).isEqualTo(200);

        // Gateways of another facility: no enrollment token, no decommissioning, no registration there.
        String chuoGateway = "/api/v1/staff/gateways/" + DemoData.CODE + "-gw-chuo";
        assertThat(api.post(chuoGateway + "/enrollment", null).token(child).send().status()).isEqualTo(403);
        assertThat(api.post(chuoGateway + "/decommission", null).token(child).send().status()).isEqualTo(403);
        assertThat(api.post("/api/v1/staff/gateways", "{\"id\":\"" + DemoData.CODE + "-gw-child\",\"facilityId\":" + chuo
                + ",\"name\":\"x\"}").token(child).send().status()).isEqualTo(403);
        assertThat(api.post("/api/v1/staff/gateways/" + DemoData.CODE + "-gw-ekimae/enrollment", null).token(child).send()
                .status()).as("their own facility's gateway").isEqualTo(201);

        // A child administrator cannot invite anyone.
        Api.Response refused = api.post("/api/v1/staff/invitations",
                "{\"email\":\"x@city.yamabuki.example.lg.jp\",\"role\":\"main\"}").token(child).send();
        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void theInvitationPageCreatesTheAccount() throws Exception {
        String email = "page" + (++serial) + "@city.yamabuki.example.lg.jp";
        assertThat(api.post("/api/v1/staff/invitations", "{\"email\":\"" + email + "\",\"role\":\"main\"}")
                .token(main).send().status()).isEqualTo(201);
        String token = tokenMailedTo(email);
        jp.kominkan.cloud.support.Browser browser = new jp.kominkan.cloud.support.Browser();
        String base = "http://127.0.0.1:" + cloud.port();
        String form = browser.get(base + "/staff/invitation").body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([A-Za-z0-9_-]{43})\"").matcher(form);
        assertThat(csrf.find()).isTrue();
        jp.kominkan.cloud.support.Browser.Page weak = browser.postForm(base + "/staff/invitation",
                Map.of("_csrf", csrf.group(1), "token", token, "name", "ページ 太郎", "password", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.body()).contains("12", "ページ 太郎").doesNotContain("short\"");
        jp.kominkan.cloud.support.Browser.Page done = browser.postForm(base + "/staff/invitation",
                Map.of("_csrf", csrf.group(1), "token", token, "name", "ページ 太郎", "password", "a long staff password"));
        assertThat(done.status()).isEqualTo(201);
        assertThat(done.body()).contains("登録しました");
        assertThat(api.staffLogin(email, "a long staff password")).isNotBlank();
    }

    @Test
    void anInvitationLinkExpires() throws Exception {
        String email = "late" + (++serial) + "@city.yamabuki.example.lg.jp";
        assertThat(api.post("/api/v1/staff/invitations", "{\"email\":\"" + email + "\",\"role\":\"facility\",\"facilities\":["
                + chuo + "]}").token(main).send().status()).isEqualTo(201);
        String token = tokenMailedTo(email);
        clock.advance(Duration.ofHours(73));
        try {
            Api.Response late = api.post("/api/v1/staff/invitations/accept",
                    "{\"token\":\"" + token + "\",\"name\":\"遅い 人\",\"password\":\"a long staff password\"}").send();
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.json().get("detail").asText()).contains("有効期限");
            assertThat(count("select count(*) as n from staff_account where email = ?", email)).isZero();
        } finally {
            clock.advance(Duration.ofHours(-73));
        }
    }

    @Test
    void badInvitationsAreExplainedAndMakeNothing() {
        long before = count("select count(*) as n from staff_invitation");
        Api.Response noFacility = api.post("/api/v1/staff/invitations",
                "{\"email\":\"a@city.yamabuki.example.lg.jp\",\"role\":\"facility\",\"facilities\":[]}").token(main).send();
        assertThat(noFacility.status()).isEqualTo(400);
        assertThat(noFacility.json().get("field").asText()).isEqualTo("facilities");
        long otherTown = cloud.database().client().execute().get(
                "select f.id from facility f join municipality m on m.id = f.municipality_id where m.code = ?",
                TestCloud.OTHER_CODE).map(r -> Sql.longValue(r, "id")).orElseThrow();
        assertThat(api.post("/api/v1/staff/invitations", "{\"email\":\"a@city.yamabuki.example.lg.jp\",\"role\":\"facility\","
                + "\"facilities\":[" + otherTown + "]}").token(main).send().status()).isEqualTo(400);
        assertThat(api.post("/api/v1/staff/invitations", "{\"email\":\"not an address\",\"role\":\"main\"}")
                .token(main).send().json().get("field").asText()).isEqualTo("email");
        assertThat(api.post("/api/v1/staff/invitations", "{\"email\":\"a@city.yamabuki.example.lg.jp\",\"role\":\"boss\"}")
                .token(main).send().json().get("field").asText()).isEqualTo("role");
        assertThat(count("select count(*) as n from staff_invitation")).isEqualTo(before);
    }

    @Test
    void staffOfOneMunicipalitySeeNothingOfAnother() {
        assertThat(api.get("/api/v1/staff/gateways").token(main).header("Host", TestCloud.OTHER_HOST).send().status())
                .isEqualTo(401);
        String otherMain = api.post("/api/v1/staff/session", "{\"email\":\"" + DemoData.ADMIN_EMAIL + "\",\"password\":\""
                + DemoData.ADMIN_PASSWORD + "\"}").header("Host", TestCloud.OTHER_HOST).send().json().get("token").asText();
        JsonNode theirs = api.get("/api/v1/staff/gateways").token(otherMain).header("Host", TestCloud.OTHER_HOST).send()
                .json().get("gateways");
        assertThat(theirs.findValuesAsText("id")).allMatch(id -> id.startsWith(TestCloud.OTHER_CODE + "-"));
        assertThat(api.get("/api/v1/staff/gateways").token(otherMain).send().status()).isEqualTo(401);
    }

    @Test
    void residentAndStaffSessionsAreSeparate() {
        String resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        assertThat(api.get("/api/v1/staff/gateways").token(resident).send().status()).isEqualTo(401);
        assertThat(api.get("/api/v1/me").token(main).send().status()).isEqualTo(401);
        // Resident passwords do not open staff accounts and the other way round.
        assertThat(api.post("/api/v1/session", "{\"email\":\"" + DemoData.ADMIN_EMAIL + "\",\"password\":\""
                + DemoData.ADMIN_PASSWORD + "\"}").send().status()).isEqualTo(401);
    }

    @Test
    void aMailServerOutageDelaysTheInvitationButLosesNothing() throws Exception {
        String email = "outage" + (++serial) + "@city.yamabuki.example.lg.jp";
        int port = smtp.getSmtp().getPort();
        smtp.stop();
        try {
            Api.Response invited = api.post("/api/v1/staff/invitations",
                    "{\"email\":\"" + email + "\",\"role\":\"main\"}").token(main).send();
            assertThat(invited.status()).as(invited.body()).isEqualTo(201);
            assertThat(count("select count(*) as n from staff_invitation where email = ?", email)).isEqualTo(1);
            // The worker tried, the server was away: the mail waits with its body, to be tried again.
            waitFor("a failed attempt", () -> count("select count(*) as n from mail_outbox where recipient = ?"
                    + " and attempts >= 1 and last_error is not null and sent_at is null and failed_at is null"
                    + " and body is not null", email) == 1);
            assertThat(count("select count(*) as n from mail_outbox where recipient = ? and kind = 'staff-invitation'",
                    email)).isEqualTo(1);
        } finally {
            smtp = new GreenMail(ServerSetupTest.SMTP.port(port));
            smtp.start();
        }
        // Past the pause after the first failure (30 s by default); the server is back.
        clock.advance(Duration.ofMinutes(2));
        String token = tokenMailedTo(email);
        // The worker records the delivery just after the server took the message.
        waitFor("the delivery recorded", () -> count("select count(*) as n from mail_outbox where recipient = ?"
                + " and sent_at is not null and body is null", email) == 1);
        Api.Response accepted = api.post("/api/v1/staff/invitations/accept",
                "{\"token\":\"" + token + "\",\"name\":\"復旧 太郎\",\"password\":\"a long staff password\"}").send();
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(api.staffLogin(email, "a long staff password")).isNotBlank();
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String tokenMailedTo(String email) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage message : smtp.getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().equals(email)) {
                    assertThat(message.getSubject()).contains("招待");
                    String body = (String) message.getContent();
                    // The link points at the site the invitation was made on (this municipality's host).
                    assertThat(body).contains("http://127.0.0.1:" + cloud.port() + "/staff/invitation#token=");
                    Matcher m = LINK.matcher(body);
                    assertThat(m.find()).isTrue();
                    return m.group(1);
                }
            }
            smtp.waitForIncomingEmail(200, smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no invitation mail reached " + email);
    }

    private static String heldBookingInTheHall() {
        String resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        long hall = cloud.database().client().execute().get("select id from room where facility_id = ? and name = ?",
                chuo, "大会議室").map(r -> Sql.longValue(r, "id")).orElseThrow();
        LocalDate day = LocalDate.now(clock.withZone(ZoneId.of("Asia/Tokyo"))).plusDays(3);
        while (day.getDayOfWeek() == java.time.DayOfWeek.MONDAY) {
            day = day.plusDays(1);
        }
        Api.Response booked = api.post("/api/v1/reservations", """
                {"roomId": %d, "start": "%sT10:00:00+09:00", "end": "%sT11:00:00+09:00", "purpose": "会議", "attendees": 5}"""
                .formatted(hall, day, day)).token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        assertThat(booked.json().get("status").asText()).isEqualTo("held");
        return booked.json().get("id").asText();
    }

    private static long facilityOfGateway(String gateway) {
        return cloud.database().client().execute().get("select facility_id from gateway where id = ?", gateway)
                .map(r -> Sql.longValue(r, "facility_id")).orElseThrow();
    }

    private static long count(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).map(r -> Sql.longValue(r, "n")).orElseThrow();
    }
}
