package jp.kominkan.cloud.reduction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.helidon.dbclient.DbRow;
import jakarta.mail.internet.MimeMessage;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.fee.RoomFees;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Staff are told of new work, over real sockets, a real database and a real SMTP server: a group sent for review
 * reaches the main and facility administrators of its municipality (groups are the municipality's) and no clerk,
 * caretaker, disabled member or other municipality's staff; a 減免 application reaches the main administrators and
 * the facility administrators whose scope includes the booking's facility, and no one else. Each message names the
 * group or the booking's number and links the review page, and carries none of the resident's personal data.
 * Cash at the counter waits for the 減免 decision (409, nothing written) and is taken after it, at the new fee.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StaffNoticesSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a resident password";
    static final String STAFF_PASSWORD = "a long staff password";
    static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    GreenMail smtp;
    MutableClock clock;
    Cloud cloud;
    Api api;
    final HttpClient http = HttpClient.newHttpClient();
    long town;
    long hall;
    long library;
    long room;
    String main;
    String mainExtra;
    String facilityHall;
    String facilityLibrary;
    String clerkHall;
    String caretakerHall;
    String disabledFacility;
    String otherTownMain;
    final AtomicInteger serial = new AtomicInteger();
    LocalDate nextDay;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true,
                TestCloud.mailingTo(smtp, Map.of("kominkan.groups.sweep-interval", "PT1000H")));
        api = new Api(cloud.port());
        town = Sql.longValue(db("select id from municipality where code = ?", DemoData.CODE), "id");
        long otherTown = Sql.longValue(db("select id from municipality where code = ?", TestCloud.OTHER_CODE), "id");
        hall = Sql.longValue(db("select id from facility where municipality_id = ? and name = ?", town, "中央公民館"), "id");
        library = Sql.longValue(db("select id from facility where municipality_id = ? and name = ?", town,
                "駅前学習センター"), "id");
        long otherFacility = Sql.longValue(db("select min(id) as id from facility where municipality_id = ?", otherTown),
                "id");
        room = Sql.longValue(db("select id from room where municipality_id = ? and name = ?", town, "大会議室"), "id");
        Sql.inTransaction(cloud.database().client(), tx -> {
            RoomFees.save(tx, town, room, resource("/fee/reduction-plain.json"), null, clock.instant());
            ReductionRepository.insertCategory(tx, town, new ReductionCategory("half-test", "試験用（5割）",
                    "Test (50 % off)", 50, false, false, false, Optional.empty()), 90);
            return null;
        });
        main = DemoData.ADMIN_EMAIL;
        mainExtra = givenStaff(town, StaffRole.MAIN, Set.of());
        facilityHall = givenStaff(town, StaffRole.FACILITY, Set.of(hall));
        facilityLibrary = givenStaff(town, StaffRole.FACILITY, Set.of(library));
        clerkHall = givenStaff(town, StaffRole.CLERK, Set.of(hall));
        caretakerHall = givenStaff(town, StaffRole.CARETAKER, Set.of(hall));
        disabledFacility = givenStaff(town, StaffRole.FACILITY, Set.of(hall));
        cloud.database().client().execute().update("update staff_account set disabled_at = ? where email = ?",
                Sql.at(clock.instant()), disabledFacility);
        otherTownMain = givenStaff(otherTown, StaffRole.MAIN, Set.of());
        givenStaff(otherTown, StaffRole.FACILITY, Set.of(otherFacility));
        nextDay = LocalDate.now(clock.withZone(TOKYO)).plusDays(10);
    }

    @AfterAll
    void stop() {
        cloud.close();
        smtp.stop();
    }

    @Test
    void aGroupSentForReviewIsMailedToItsMunicipalitysMainAndFacilityAdministratorsOnly() throws Exception {
        Resident r = givenVerifiedResident();
        String name = "山吹囲碁クラブ" + serial.incrementAndGet();
        Api.Response made = api.post("/api/v1/groups", "{\"name\":\"" + name + "\",\"nameKana\":\"やまぶきいご\","
                + "\"categoryCode\":\"social-education\"}").token(r.token()).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long id = made.json().get("id").asLong();
        String member = "会員 一郎" + serial.incrementAndGet();
        assertThat(api.post("/api/v1/groups/" + id + "/members", "{\"members\":[{\"name\":\"" + member
                + "\",\"residency\":\"resident\",\"ageBand\":\"75+\"}]}").token(r.token()).send().status()).isEqualTo(200);
        assertThat(uploadEvidence(r, id).statusCode()).isEqualTo(201);
        assertThat(noticesAbout("/staff/groups/" + id + "\n", List.of())).isEmpty(); // a draft tells no one

        Api.Response sent = api.post("/api/v1/groups/" + id + "/submit", "{}").token(r.token()).send();
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);

        List<MimeMessage> notices = noticesAbout("/staff/groups/" + id + "\n",
                List.of(main, mainExtra, facilityHall, facilityLibrary));
        assertThat(recipients(notices)).containsExactlyInAnyOrder(main, mainExtra, facilityHall, facilityLibrary)
                .doesNotContain(clerkHall, caretakerHall, disabledFacility, otherTownMain);
        for (MimeMessage m : notices) {
            assertThat(m.getSubject()).contains("団体登録の審査依頼", "新規登録");
            assertThat(body(m)).contains(name, "/staff/groups/" + id)
                    .doesNotContain(r.email(), r.name(), member, "やまぶきいご");
        }
    }

    @Test
    void aReductionApplicationIsMailedOnlyToThoseWhoMayReviewTheBookingsFacility() throws Exception {
        Resident r = givenResident();
        UUID booking = book(r);
        String reason = "市と共催する防災講座です" + serial.incrementAndGet();
        Api.Response applied = apply(r, booking, "city-event", reason);
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        String application = applied.json().get("id").asText();
        String number = booking.toString().substring(0, 8).toUpperCase(Locale.ROOT);

        List<MimeMessage> notices = noticesAbout("/staff/reductions/" + application + "\n",
                List.of(main, mainExtra, facilityHall));
        assertThat(recipients(notices)).containsExactlyInAnyOrder(main, mainExtra, facilityHall)
                .doesNotContain(facilityLibrary, clerkHall, caretakerHall, disabledFacility, otherTownMain);
        for (MimeMessage m : notices) {
            assertThat(m.getSubject()).contains("減免申請の審査依頼", number);
            assertThat(body(m)).contains("予約番号: " + number, "/staff/reductions/" + application, "全額免除")
                    .doesNotContain(r.email(), r.name(), reason, booking.toString());
        }
    }

    @Test
    void cashAtTheCounterWaitsForTheReductionDecisionAndIsTakenAtTheDecidedFee() {
        Resident r = givenResident();
        UUID booking = book(r);
        assertThat(amount(booking)).isEqualTo(2000);
        assertThat(apply(r, booking, "half-test", "試験の申請です").status()).isEqualTo(201);
        String application = api.get("/api/v1/reservations/" + booking + "/reduction").token(r.token()).send().json()
                .get("id").asText();
        String clerk = api.staffLogin(clerkHall, STAFF_PASSWORD);
        long paymentsBefore = count("select count(*) as n from ledger_entry where reservation_id = ? and kind = 'payment'",
                booking);

        Api.Response refused = cash(clerk, booking, 2000);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).isEqualTo("減免の審査中のため、審査が終わるまで受領できません。");
        Api.Response exact = api.post("/api/v1/staff/reservations/" + booking + "/confirm", "{}").token(clerk).send();
        assertThat(exact.status()).as(exact.body()).isEqualTo(409);
        assertThat(status(booking)).isEqualTo("held");
        assertThat(Sql.optionalText(db("select receipt_number from reservation where id = ?", booking), "receipt_number"))
                .isEmpty();
        assertThat(count("select count(*) as n from ledger_entry where reservation_id = ? and kind = 'payment'", booking))
                .isEqualTo(paymentsBefore);
        assertThat(count("select count(*) as n from staff_operation where action = 'reservation.cash' and target_id = ?",
                booking.toString())).isZero();

        String admin = api.staffLogin(main, DemoData.ADMIN_PASSWORD);
        Api.Response approved = api.post("/api/v1/staff/reductions/" + application + "/decision",
                "{\"decision\":\"approve\",\"note\":\"\"}").token(admin).send();
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(amount(booking)).isEqualTo(1000);

        Api.Response taken = cash(clerk, booking, 1000);
        assertThat(taken.status()).as(taken.body()).isEqualTo(200);
        assertThat(status(booking)).isEqualTo("confirmed");
        assertThat(Sql.optionalText(db("select receipt_number from reservation where id = ?", booking), "receipt_number"))
                .isPresent();
        assertThat(count("select count(*) as n from staff_operation where action = 'reservation.cash' and target_id = ?",
                booking.toString())).isEqualTo(1);
    }

    // ---- fixtures --------------------------------------------------------------------------------

    record Resident(UUID id, String email, String name, String token) {
    }

    Resident givenResident() {
        int n = serial.incrementAndGet();
        String email = "notice" + n + "@example.jp";
        String name = "通知 試験" + n;
        Api.Response made = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"" + name + "\"}").send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String token = api.login(email, PASSWORD);
        return new Resident(UUID.fromString(api.get("/api/v1/me").token(token).send().json().get("id").asText()), email,
                name, token);
    }

    /** A resident verified as living in the municipality, as IdentityStore writes it after xID. */
    Resident givenVerifiedResident() {
        Resident r = givenResident();
        cloud.database().client().execute().insert("insert into identity_link (account_id, municipality_id, provider,"
                + " residency, verified_at) values (?, ?, 'xid', 'resident', ?)", r.id(), town,
                Sql.at(clock.instant()));
        return r;
    }

    String givenStaff(long municipality, StaffRole role, Set<Long> facilities) {
        String email = role.wire() + "-n" + serial.incrementAndGet() + "@city.example.lg.jp";
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), municipality, email,
                "職員 " + serial.get(), role, facilities), PasswordHasher.DEFAULT.hash(STAFF_PASSWORD), clock.instant());
        return email;
    }

    UUID book(Resident r) {
        LocalDate day = nextDay;
        while (day.getDayOfWeek() == DayOfWeek.MONDAY || count("select count(*) as n from facility_closed_day"
                + " where facility_id = ? and closed_on = ?", hall, day) > 0) {
            day = day.plusDays(1);
        }
        nextDay = day.plusDays(1);
        Api.Response made = api.post("/api/v1/reservations", "{\"roomId\":" + room + ",\"start\":\"" + day
                + "T09:00:00+09:00\",\"end\":\"" + day + "T12:00:00+09:00\",\"purpose\":\"講座\",\"attendees\":5}")
                .token(r.token()).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return UUID.fromString(made.json().get("id").asText());
    }

    Api.Response apply(Resident r, UUID booking, String category, String reason) {
        return api.post("/api/v1/reservations/" + booking + "/reduction", "{\"categoryCode\":\"" + category
                + "\",\"reason\":\"" + reason + "\"}").token(r.token()).send();
    }

    Api.Response cash(String staff, UUID booking, int received) {
        return api.post("/api/v1/staff/reservations/" + booking + "/cash", "{\"amountReceived\":" + received + "}")
                .token(staff).send();
    }

    HttpResponse<String> uploadEvidence(Resident r, long id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + "/api/v1/groups/" + id
                        + "/evidence?name=kaisoku.pdf")).header("Authorization", "Bearer " + r.token())
                .header("Content-Type", "application/pdf").POST(HttpRequest.BodyPublishers.ofByteArray(PDF)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits until each expected address has a message whose body names {@code marker} and the outbox holds nothing
     * unsent, then answers every message naming it (a message to anyone else would be among them).
     */
    List<MimeMessage> noticesAbout(String marker, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<MimeMessage> found = new ArrayList<>();
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (body(m).replace("\r\n", "\n").contains(marker)) {
                    found.add(m);
                }
            }
            boolean drained = count("select count(*) as n from mail_outbox where sent_at is null and failed_at is null")
                    == 0;
            if (drained && recipients(found).containsAll(expected)) {
                return found;
            }
            assertThat(System.nanoTime()).as("notices about " + marker.strip() + " to " + expected).isLessThan(deadline);
            smtp.waitForIncomingEmail(300, smtp.getReceivedMessages().length + 1);
        }
    }

    static List<String> recipients(List<MimeMessage> messages) throws Exception {
        List<String> to = new ArrayList<>();
        for (MimeMessage m : messages) {
            to.add(m.getAllRecipients()[0].toString());
        }
        return to;
    }

    static String body(MimeMessage m) throws Exception {
        Object content = m.getContent();
        return content instanceof String text ? text : GreenMailUtil.getBody(m);
    }

    long amount(UUID id) {
        return Sql.longValue(db("select amount from reservation where id = ?", id), "amount");
    }

    String status(UUID id) {
        return Sql.text(db("select status from reservation where id = ?", id), "status");
    }

    DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }

    long count(String sql, Object... params) {
        return Sql.longValue(db(sql, params), "n");
    }

    static String resource(String name) {
        try (InputStream in = StaffNoticesSuite.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
