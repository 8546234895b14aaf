package jp.kominkan.cloud.reduction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
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
import jp.kominkan.cloud.group.GroupRepository;
import jp.kominkan.cloud.group.Member;
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
 * 減免 over real sockets, a real database and a real SMTP server: a 5割 approval halves the room fee but never the
 * heating (冷暖房費), with the ledger's charge less the reduction equal to the new amount and the resident told by
 * mail; a 全額免除 confirms the booking free with its door grants; a rejection keeps the fee and needs a note;
 * approval is refused when admission is charged or the roster falls short; another resident's booking is 404,
 * staff without the permission 403 and outside their facilities 404; evidence judged by its bytes and bounded in
 * size, the page's form CSRF-checked, one application per booking, none on a confirmed or lapsed booking, a group
 * booking only for one's own approved group; and the slot stays held while the application waits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReductionsSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a resident password";
    static final String STAFF_PASSWORD = "a long staff password";
    static final String CSRF = "r".repeat(43);
    static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    GreenMail smtp;
    MutableClock clock;
    Cloud cloud;
    Api api;
    final HttpClient http = HttpClient.newHttpClient();
    long town;
    long hall;
    long heatedRoom;
    long plainRoom;
    long freeRoom;
    String main;
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
        hall = Sql.longValue(db("select id from facility where municipality_id = ? and name = ?", town, "中央公民館"), "id");
        heatedRoom = room("和室");
        plainRoom = room("大会議室");
        freeRoom = room("グループ学習室");
        Sql.inTransaction(cloud.database().client(), tx -> {
            RoomFees.save(tx, town, heatedRoom, resource("/fee/reduction-heated.json"), null, clock.instant());
            return RoomFees.save(tx, town, plainRoom, resource("/fee/reduction-plain.json"), null, clock.instant());
        });
        main = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        nextDay = LocalDate.now(clock.withZone(TOKYO)).plusDays(10);
    }

    @AfterAll
    void stop() {
        cloud.close();
        smtp.stop();
    }

    @Test
    @Order(1)
    void aHalfReductionHalvesTheRoomFeeButNeverTheHeatingAndIsMailed() throws Exception {
        Resident r = givenResident();
        long group = givenGroup(r, "山吹太極拳の会", List.of(Member.AgeBand.ADULT, Member.AgeBand.ELDERLY));
        UUID id = book(r, heatedRoom, nextDay(), "09:00", "12:00", ",\"groupId\":" + group);
        assertThat(db("select group_id from reservation where id = ?", id).column("group_id").getLong()).isEqualTo(group);
        assertThat(amount(id)).isEqualTo(1600); // 午前 1,000 + 冷暖房 3 h × 200
        String reason = "公民館の社会教育関係団体として登録済みの練習会です";
        HttpResponse<String> sent = applyPage(r, id, "social-education", reason, PDF, "会則.pdf", CSRF);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(303);
        Instant start = Sql.instant(db("select starts_at from reservation where id = ?", id), "starts_at");
        assertThat(holds(id)).containsOnly(start);

        UUID application = UUID.fromString(api.get("/api/v1/reservations/" + id + "/reduction").token(r.token()).send()
                .json().get("id").asText());
        JsonNode detail = api.get("/api/v1/staff/reductions/" + application).token(main).send().json();
        assertThat(detail.get("feeBefore").asLong()).isEqualTo(1600);
        assertThat(detail.get("feeAfter").asLong()).isEqualTo(1100);
        assertThat(detail.get("roster").get("total").asInt()).isEqualTo(2);
        assertThat(detail.get("group").asText()).isEqualTo("山吹太極拳の会");
        HttpResponse<byte[]> evidence = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/staff/reductions/"
                + application + "/evidence")).header("Authorization", "Bearer " + main).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(evidence.body()).isEqualTo(PDF);
        assertThat(evidence.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
        assertThat(evidence.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        Instant decided = clock.instant();
        Api.Response approved = decide(main, application, "approve", "");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("percentApplied").asInt()).isEqualTo(50);
        assertThat(amount(id)).isEqualTo(1100);
        String quote = Sql.text(db("select fee_quote from reservation where id = ?", id), "fee_quote");
        assertThat(quote).contains("冷暖房", "-500", "社会教育関係団体");
        assertThat(ledger(id, "charge") - ledger(id, "reduction")).isEqualTo(amount(id));
        assertThat(ledger(id, "reduction")).isEqualTo(500);
        Instant deadline = expectedDeadline(start, decided);
        assertThat(Sql.instant(db("select hold_expires_at from reservation where id = ?", id), "hold_expires_at"))
                .isEqualTo(deadline);
        assertThat(holds(id)).containsOnly(deadline);
        String body = mailTo(r.email(), "承認");
        assertThat(body).contains("1,600 円 → 1,100 円", "お支払い期限");
        String logged = Sql.text(db("select after_state from staff_operation where action = 'reduction.approve'"
                + " and target_id = ?", application.toString()), "after_state");
        assertThat(logged).contains("percent", "50", "approved").doesNotContain(reason);
        assertThat(decide(main, application, "approve", "").status()).isEqualTo(409);
    }

    @Test
    @Order(2)
    void aFullExemptionConfirmsTheBookingFreeWithItsDoorGrants() throws Exception {
        Resident r = givenResident();
        UUID id = book(r, plainRoom, nextDay(), "09:00", "12:00", "");
        assertThat(amount(id)).isEqualTo(2000);
        assertThat(applyJson(r, id, "city-event", "市と共催の防災講座です").status()).isEqualTo(201);
        UUID application = applicationOf(r, id);
        assertThat(decide(main, application, "approve", "共催の決定通知を確認しました").status()).isEqualTo(200);
        JsonNode booking = api.get("/api/v1/reservations/" + id).token(r.token()).send().json();
        assertThat(booking.get("status").asText()).isEqualTo("confirmed");
        assertThat(booking.get("amount").asInt()).isZero();
        assertThat(booking.get("accessCode").asText()).matches("\\d+");
        assertThat(count("select count(*) as n from access_grant where reservation_id = ?", id)).isPositive();
        assertThat(holds(id)).containsOnly((Instant) null);
        assertThat(ledger(id, "charge")).isEqualTo(2000);
        assertThat(ledger(id, "reduction")).isEqualTo(2000);
        assertThat(mailTo(r.email(), "承認")).contains("2,000 円 → 0 円", "予約は確定しました");
    }

    @Test
    @Order(3)
    void aRejectionNeedsANoteAndKeepsTheFee() throws Exception {
        Resident r = givenResident();
        UUID id = book(r, heatedRoom, nextDay(), "13:00", "15:00", "");
        long before = amount(id);
        assertThat(applyJson(r, id, "city-event", "自治会の行事です").status()).isEqualTo(201);
        UUID application = applicationOf(r, id);
        Api.Response noNote = decide(main, application, "reject", "");
        assertThat(noNote.status()).isEqualTo(400);
        assertThat(noNote.json().get("field").asText()).isEqualTo("note");
        Instant decided = clock.instant();
        Api.Response rejected = decide(main, application, "reject", "市の主催・共催ではないため対象外です");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(rejected.json().get("status").asText()).isEqualTo("rejected");
        assertThat(amount(id)).isEqualTo(before);
        assertThat(ledger(id, "reduction")).isZero();
        Instant start = Sql.instant(db("select starts_at from reservation where id = ?", id), "starts_at");
        assertThat(holds(id)).containsOnly(expectedDeadline(start, decided));
        assertThat(mailTo(r.email(), "不承認")).contains("市の主催・共催ではないため対象外です", "お支払い期限");
    }

    @Test
    @Order(4)
    void approvalIsRefusedWhenAdmissionIsChargedOrTheRosterFallsShort() {
        Resident r = givenResident();
        long group = givenGroup(r, "山吹演劇部", List.of(Member.AgeBand.ADULT, Member.AgeBand.ADULT,
                Member.AgeBand.ELDERLY));
        UUID withAdmission = book(r, heatedRoom, nextDay(), "09:00", "12:00",
                ",\"groupId\":" + group + ",\"admissionYen\":500");
        long fee = amount(withAdmission);
        assertThat(applyJson(r, withAdmission, "social-education", "定期公演です").status()).isEqualTo(201);
        UUID first = applicationOf(r, withAdmission);
        Api.Response refused = decide(main, first, "approve", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asText()).isEqualTo("urn:kominkan:problem:reduction-not-with-admission");
        assertThat(refused.json().get("detail").asText()).contains("入場料");
        assertThat(amount(withAdmission)).isEqualTo(fee);
        assertThat(api.get("/api/v1/reservations/" + withAdmission + "/reduction").token(r.token()).send().json()
                .get("status").asText()).isEqualTo("pending");

        UUID elderly = book(r, heatedRoom, nextDay(), "09:00", "12:00", ",\"groupId\":" + group);
        assertThat(applyJson(r, elderly, "elderly-group", "高齢の会員が多い会です").status()).isEqualTo(201);
        UUID second = applicationOf(r, elderly);
        assertThat(api.get("/api/v1/staff/reductions/" + second).token(main).send().json().get("rosterRule")
                .get("holds").asBoolean()).isFalse();
        Api.Response roster = decide(main, second, "approve", "");
        assertThat(roster.status()).isEqualTo(409);
        assertThat(roster.json().get("type").asText()).isEqualTo("urn:kominkan:problem:reduction-roster-rule");
        assertThat(roster.json().get("detail").asText()).contains("1 / 3");
        assertThat(ledger(elderly, "reduction")).isZero();
    }

    @Test
    @Order(5)
    void attacksAreRefusedAndWriteNothing() throws Exception {
        Resident owner = givenResident();
        Resident other = givenResident();
        UUID id = book(owner, heatedRoom, nextDay(), "09:00", "12:00", "");
        assertThat(api.get("/api/v1/reservations/" + id + "/reduction").token(other.token()).send().status()).isEqualTo(404);
        assertThat(applyJson(other, id, "city-event", "乗っ取り").status()).isEqualTo(404);
        assertThat(applyPage(other, id, "city-event", "乗っ取り", PDF, "a.pdf", CSRF).statusCode()).isEqualTo(404);

        HttpResponse<String> html = applyPage(owner, id, "city-event", "理由", "<html><script>alert(1)</script></html>"
                .getBytes(StandardCharsets.UTF_8), "rules.pdf", CSRF);
        assertThat(html.statusCode()).isEqualTo(400);
        assertThat(html.body()).contains("PDF・JPEG・PNG");
        assertThat(applyPage(owner, id, "city-event", "理由", new byte[5 * 1024 * 1024 + 1], "big.pdf", CSRF)
                .statusCode()).isEqualTo(413);
        assertThat(applyPage(owner, id, "city-event", "理由", PDF, "a.pdf", "").statusCode()).isEqualTo(403);
        assertThat(applyPage(owner, id, "city-event", "理由", new byte[0], "", CSRF).statusCode()).isEqualTo(400);
        Api.Response unknown = applyJson(owner, id, "no-such", "理由");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("field").asText()).isEqualTo("categoryCode");
        Api.Response needsGroup = applyJson(owner, id, "social-education", "個人の予約");
        assertThat(needsGroup.status()).isEqualTo(400);
        assertThat(needsGroup.json().get("field").asText()).isEqualTo("categoryCode");
        assertThat(count("select count(*) as n from reduction_application where reservation_id = ?", id)).isZero();

        assertThat(applyJson(owner, id, "city-event", "市の共催事業です").status()).isEqualTo(201);
        assertThat(applyJson(owner, id, "city-event", "二度目").status()).isEqualTo(409);
        assertThat(applyPage(owner, id, "city-event", "二度目", PDF, "a.pdf", CSRF).statusCode()).isEqualTo(409);
        UUID application = applicationOf(owner, id);

        String clerk = givenStaff(StaffRole.CLERK, hall);
        assertThat(api.get("/api/v1/staff/reductions").token(clerk).send().status()).isEqualTo(403);
        assertThat(decide(clerk, application, "approve", "").status()).isEqualTo(403);
        long library = Sql.longValue(db("select id from facility where municipality_id = ? and name = ?", town,
                "駅前学習センター"), "id");
        String elsewhere = givenStaff(StaffRole.FACILITY, library);
        assertThat(api.get("/api/v1/staff/reductions/" + application).token(elsewhere).send().status()).isEqualTo(404);
        assertThat(decide(elsewhere, application, "approve", "").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/staff/reductions").token(elsewhere).send().json().get("applications")).isEmpty();
        String here = givenStaff(StaffRole.FACILITY, hall);
        assertThat(api.get("/api/v1/staff/reductions").token(here).send().body()).contains(application.toString());
        assertThat(api.get("/api/v1/reservations/" + id + "/reduction").token(owner.token()).send().json()
                .get("status").asText()).isEqualTo("pending");

        UUID free = book(owner, freeRoom, nextDay(), "10:00", "11:00", "");
        assertThat(api.get("/api/v1/reservations/" + free).token(owner.token()).send().json().get("status").asText())
                .isEqualTo("confirmed");
        assertThat(applyJson(owner, free, "city-event", "無料の部屋").status()).isEqualTo(409);

        long othersGroup = givenGroup(other, "他人の会", List.of(Member.AgeBand.ADULT));
        Api.Response notMine = bookCall(owner, heatedRoom, nextDay(), "09:00", "12:00", ",\"groupId\":" + othersGroup);
        assertThat(notMine.status()).isEqualTo(400);
        assertThat(notMine.json().get("field").asText()).isEqualTo("groupId");
    }

    @Test
    @Order(99)
    void theSlotStaysHeldWhileTheApplicationWaitsAndALapsedHoldCannotApply() {
        Resident r = givenResident();
        LocalDate soon = LocalDate.now(clock.withZone(TOKYO)).plusDays(2);
        while (soon.getDayOfWeek() == DayOfWeek.MONDAY || closed(soon)) {
            soon = soon.plusDays(1);
        }
        UUID waiting = book(r, heatedRoom, soon, "09:00", "12:00", "");
        UUID lapsing = book(r, heatedRoom, soon, "13:00", "15:00", "");
        Instant oldDeadline = holds(waiting).iterator().next();
        assertThat(oldDeadline).isBefore(clock.instant().plus(Duration.ofHours(1))); // inside the pay-at-once window
        assertThat(applyJson(r, waiting, "city-event", "市の共催事業です").status()).isEqualTo(201);

        clock.advance(Duration.ofHours(2));
        cloud.services().bookings().expireOverdueHolds();
        JsonNode held = api.get("/api/v1/reservations/" + waiting).token(r.token()).send().json();
        assertThat(held.get("status").asText()).isEqualTo("held");
        assertThat(count("select count(*) as n from room_slot where reservation_id = ?", waiting)).isEqualTo(12);
        Api.Response taken = bookCall(givenResident(), heatedRoom, soon, "10:00", "11:00", "");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/reservations/" + lapsing).token(r.token()).send().json().get("status").asText())
                .isEqualTo("expired");
        assertThat(applyJson(r, lapsing, "city-event", "期限切れ").status()).isEqualTo(409);
    }

    // ---- fixtures --------------------------------------------------------------------------------

    record Resident(UUID id, String email, String token) {
    }

    Resident givenResident() {
        String email = "reduction" + serial.incrementAndGet() + "@example.jp";
        Api.Response made = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"減免 申請" + serial.get() + "\"}").send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String token = api.login(email, PASSWORD);
        return new Resident(UUID.fromString(api.get("/api/v1/me").token(token).send().json().get("id").asText()), email,
                token);
    }

    long givenGroup(Resident r, String name, List<Member.AgeBand> ages) {
        return Sql.inTransaction(cloud.database().client(), tx -> GroupRepository.insertApproved(tx, town, r.id(), name,
                "かな", "social-education", LocalDate.now(clock.withZone(TOKYO)).plusMonths(6),
                ages.stream().map(age -> new Member("会員" + serial.incrementAndGet(), Member.Residency.RESIDENT, age))
                        .toList(), clock.instant()));
    }

    String givenStaff(StaffRole role, long facility) {
        String email = role.wire() + "-r" + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), town, email,
                "職員 " + serial.get(), role, Set.of(facility)), PasswordHasher.DEFAULT.hash(STAFF_PASSWORD), clock.instant());
        return api.staffLogin(email, STAFF_PASSWORD);
    }

    /** A bookable day at least ten days ahead (outside the pay-at-once window), one per booking. */
    LocalDate nextDay() {
        LocalDate day = nextDay;
        while (day.getDayOfWeek() == DayOfWeek.MONDAY || closed(day)) {
            day = day.plusDays(1);
        }
        nextDay = day.plusDays(1);
        return day;
    }

    boolean closed(LocalDate day) {
        return count("select count(*) as n from facility_closed_day where facility_id = ? and closed_on = ?", hall,
                day) > 0;
    }

    Api.Response bookCall(Resident r, long room, LocalDate day, String from, String to, String extra) {
        return api.post("/api/v1/reservations", "{\"roomId\":" + room + ",\"start\":\"" + day + "T" + from
                + ":00+09:00\",\"end\":\"" + day + "T" + to + ":00+09:00\",\"purpose\":\"練習\",\"attendees\":5" + extra
                + "}").token(r.token()).header("Idempotency-Key", UUID.randomUUID().toString()).send();
    }

    UUID book(Resident r, long room, LocalDate day, String from, String to, String extra) {
        Api.Response made = bookCall(r, room, day, from, to, extra);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return UUID.fromString(made.json().get("id").asText());
    }

    Api.Response applyJson(Resident r, UUID id, String category, String reason) {
        return api.post("/api/v1/reservations/" + id + "/reduction", "{\"categoryCode\":\"" + category
                + "\",\"reason\":\"" + reason + "\"}").token(r.token()).send();
    }

    /**
     * The page's multipart form, with the session cookie and the CSRF cookie; csrf {@link #CSRF} sends the token the
     * page shows this browser (it is bound to both cookies), empty leaves the token out, anything else is sent as is.
     */
    HttpResponse<String> applyPage(Resident r, UUID id, String category, String reason, byte[] file, String name,
                                   String csrf) throws Exception {
        String boundary = "r3ductionB0undary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (!csrf.isEmpty()) {
            String token = csrf.equals(CSRF) ? pageToken(r) : csrf;
            part(body, boundary, "Content-Disposition: form-data; name=\"_csrf\"", token.getBytes(StandardCharsets.UTF_8));
        }
        part(body, boundary, "Content-Disposition: form-data; name=\"categoryCode\"", category.getBytes(StandardCharsets.UTF_8));
        part(body, boundary, "Content-Disposition: form-data; name=\"reason\"", reason.getBytes(StandardCharsets.UTF_8));
        part(body, boundary, "Content-Disposition: form-data; name=\"evidence\"; filename=\"" + name
                + "\"\r\nContent-Type: application/pdf", file);
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/reservations/" + id + "/reduction"))
                .header("Cookie", "kominkan_session=" + r.token() + "; kominkan_csrf=" + CSRF)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The CSRF token a page shows this resident's browser (its session cookie and the CSRF cookie {@link #CSRF}). */
    String pageToken(Resident r) throws Exception {
        String page = http.send(HttpRequest.newBuilder(URI.create(base() + "/mypage"))
                .header("Cookie", "kominkan_session=" + r.token() + "; kominkan_csrf=" + CSRF).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([A-Za-z0-9_-]{43})\"")
                .matcher(page);
        if (!token.find()) {
            throw new AssertionError("no CSRF token on my page");
        }
        return token.group(1);
    }

    private static void part(ByteArrayOutputStream out, String boundary, String headers, byte[] content)
            throws IOException {
        out.write(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(content);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    UUID applicationOf(Resident r, UUID reservation) {
        Api.Response res = api.get("/api/v1/reservations/" + reservation + "/reduction").token(r.token()).send();
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        return UUID.fromString(res.json().get("id").asText());
    }

    Api.Response decide(String staff, UUID application, String decision, String note) {
        return api.post("/api/v1/staff/reductions/" + application + "/decision", "{\"decision\":\"" + decision
                + "\",\"note\":\"" + note + "\"}").token(staff).send();
    }

    /** The room's rule: the end of the day 3 days before use, at most 72 hours from the decision, never past the start. */
    static Instant expectedDeadline(Instant start, Instant decided) {
        Instant payBy = start.atZone(TOKYO).toLocalDate().minusDays(2).atStartOfDay(TOKYO).toInstant();
        Instant deadline = payBy.isAfter(decided.plus(Duration.ofMinutes(30))) ? payBy : decided.plus(Duration.ofMinutes(30));
        if (deadline.isAfter(decided.plus(Duration.ofHours(72)))) {
            deadline = decided.plus(Duration.ofHours(72));
        }
        return deadline.isAfter(start) ? start : deadline;
    }

    long amount(UUID id) {
        return Sql.longValue(db("select amount from reservation where id = ?", id), "amount");
    }

    long ledger(UUID id, String kind) {
        return Sql.longValue(db("select coalesce(sum(amount), 0) as total from ledger_entry where reservation_id = ?"
                + " and kind = ?", id, kind), "total");
    }

    /** The distinct hold deadlines of a booking's room slots (null once confirmed). */
    Set<Instant> holds(UUID id) {
        Set<Instant> deadlines = new java.util.HashSet<>();
        try (var rows = cloud.database().client().execute().query(
                "select hold_expires_at from room_slot where reservation_id = ?", id)) {
            rows.forEach(row -> deadlines.add(Sql.optionalInstant(row, "hold_expires_at").orElse(null)));
        }
        return deadlines;
    }

    String mailTo(String email, String subjectPart) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getAllRecipients()[0].toString().equals(email) && m.getSubject().contains(subjectPart)) {
                    Object content = m.getContent();
                    return content instanceof String text ? text : GreenMailUtil.getBody(m);
                }
            }
            smtp.waitForIncomingEmail(500, smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no mail to " + email + " about " + subjectPart);
    }

    long room(String name) {
        return Sql.longValue(db("select id from room where municipality_id = ? and name = ?", town, name), "id");
    }

    DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }

    long count(String sql, Object... params) {
        return Sql.longValue(db(sql, params), "n");
    }

    String base() {
        return "http://127.0.0.1:" + cloud.port();
    }

    static String resource(String name) {
        try (InputStream in = ReductionsSuite.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
