package jp.kominkan.cloud.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.municipality.Municipality;
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
 * Groups over real sockets, a real database and a real SMTP server: registration only by a verified
 * resident, the cap under a race, another resident's group answered 404, evidence sniffed by content,
 * bad rosters refused writing nothing, staff roles and municipalities kept apart, the decision with its
 * operation log entry (no member's name) and mail, the overlap flag, the counts other features read, and
 * the renewal reminder sent once before expiry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class GroupsSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a resident password";
    static final String STAFF_PASSWORD = "a long staff password";
    static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    GreenMail smtp;
    MutableClock clock;
    Cloud cloud;
    Api api;
    HttpClient http = HttpClient.newHttpClient();
    long town;
    String main;
    final AtomicInteger serial = new AtomicInteger();

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
        main = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    @AfterAll
    void stop() {
        cloud.close();
        smtp.stop();
    }

    @Test
    @Order(1)
    void tenRegistrationsAtOnceForACapOfThreeMakeExactlyThree() throws Exception {
        Resident r = givenResident("resident");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            Callable<Integer> call = () -> {
                go.await();
                return create(r, "同時登録 " + n).status();
            };
            calls.add(pool.submit(call));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : calls) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses.stream().filter(s -> s == 201).count()).as(statuses.toString()).isEqualTo(3);
        assertThat(statuses.stream().filter(s -> s == 409).count()).as(statuses.toString()).isEqualTo(7);
        assertThat(count("select count(*) as n from app_group where representative_id = ?", r.id())).isEqualTo(3);
    }

    @Test
    @Order(2)
    void onlyAVerifiedResidentRegistersAndIsToldHowToVerify() {
        Resident unverified = givenResident("none");
        Api.Response refused = create(unverified, "未確認の会");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("本人確認", "マイページ");
        Resident outsider = givenResident("non-resident");
        assertThat(create(outsider, "市外の会").json().get("detail").asText()).contains("市内在住");
        assertThat(count("select count(*) as n from app_group where representative_id in (?, ?)", unverified.id(),
                outsider.id())).isZero();
        assertThat(api.get("/api/v1/groups").send().status()).isEqualTo(401);
        assertThat(api.post("/api/v1/groups", "{}").send().status()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void anotherResidentsGroupIsNotFoundEverywhere() {
        Resident owner = givenResident("resident");
        Resident other = givenResident("resident");
        long id = createdGroup(owner, "持ち主の会");
        String[][] calls = {{"GET", ""}, {"PUT", "{\"name\":\"乗っ取り\",\"nameKana\":\"のっとり\",\"categoryCode\":\"general\"}"},
                {"POST/members", "{\"members\":[{\"name\":\"侵入\",\"residency\":\"resident\",\"ageBand\":\"18-64\"}]}"},
                {"POST/submit", "{}"}, {"POST/renew", "{}"}};
        for (String[] call : calls) {
            Api.Response res = switch (call[0]) {
                case "GET" -> api.get("/api/v1/groups/" + id).token(other.token()).send();
                case "PUT" -> api.put("/api/v1/groups/" + id, call[1]).token(other.token()).send();
                default -> api.post("/api/v1/groups/" + id + call[0].substring(4), call[1]).token(other.token()).send();
            };
            assertThat(res.status()).as(call[0]).isEqualTo(404);
        }
        assertThat(upload(other, id, PDF, "application/pdf", "x.pdf").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/groups/" + id).token(owner.token()).send().json().get("name").asText()).isEqualTo("持ち主の会");
        assertThat(count("select count(*) as n from group_member where group_id = ?", id)).isZero();
    }

    @Test
    @Order(4)
    void evidenceIsJudgedByItsBytesAndBoundedInSize() throws Exception {
        Resident r = givenResident("resident");
        long id = createdGroup(r, "書類の会");
        HttpResponse<String> html = upload(r, id, "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8),
                "application/pdf", "rules.pdf");
        assertThat(html.statusCode()).isEqualTo(400);
        assertThat(html.body()).contains("PDF・JPEG・PNG");
        HttpResponse<String> big = upload(r, id, new byte[5 * 1024 * 1024 + 1], "application/pdf", "big.pdf");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(upload(r, id, PDF, "text/html", "x.pdf").statusCode()).isEqualTo(400);
        assertThat(count("select count(*) as n from group_evidence where group_id = ?", id)).isZero();
        HttpResponse<String> ok = upload(r, id, PDF, "application/octet-stream", "会則\u202e.pdf");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        String evidenceId = api.get("/api/v1/groups/" + id).token(r.token()).send().json().get("evidence").get(0)
                .get("id").asText();
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/groups/" + id
                + "/evidence/" + evidenceId)).header("Authorization", "Bearer " + r.token()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.body()).isEqualTo(PDF);
        assertThat(download.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;")
                .doesNotContain("\u202e");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/pdf");
    }

    @Test
    @Order(5)
    void badRostersAndNamesAreRefusedWritingNothing() {
        Resident r = givenResident("resident");
        long id = createdGroup(r, "名簿の会");
        String tooMany = IntStream.range(0, 201).mapToObj(i -> "{\"name\":\"会員" + i + "\",\"residency\":\"resident\","
                + "\"ageBand\":\"18-64\"}").collect(Collectors.joining(",", "{\"members\":[", "]}"));
        assertProblem(api.post("/api/v1/groups/" + id + "/members", tooMany).token(r.token()).send(), 400, "members");
        assertProblem(api.post("/api/v1/groups/" + id + "/members", "{\"members\":[{\"name\":\"悪\\u0000い\","
                + "\"residency\":\"resident\",\"ageBand\":\"18-64\"}]}").token(r.token()).send(), 400, "members");
        assertProblem(api.post("/api/v1/groups/" + id + "/members", "{\"members\":[{\"name\":\"向き\\u202eを変える\","
                + "\"residency\":\"resident\",\"ageBand\":\"18-64\"}]}").token(r.token()).send(), 400, "members");
        assertProblem(api.post("/api/v1/groups/" + id + "/members", "{\"members\":[{\"name\":\"年齢\","
                + "\"residency\":\"resident\",\"ageBand\":\"99\"}]}").token(r.token()).send(), 400, "members");
        assertProblem(api.post("/api/v1/groups", "{\"name\":\"改行\\n入り\",\"nameKana\":\"かい\",\"categoryCode\":\"general\"}")
                .token(r.token()).send(), 400, "name");
        assertProblem(api.post("/api/v1/groups", "{\"name\":\"区分なし\",\"nameKana\":\"くぶん\",\"categoryCode\":\"none\"}")
                .token(r.token()).send(), 400, "categoryCode");
        assertThat(count("select count(*) as n from group_member where group_id = ?", id)).isZero();
        assertProblem(api.post("/api/v1/groups/" + id + "/submit", "{}").token(r.token()).send(), 400, "members");
    }

    @Test
    @Order(6)
    void staffWithoutThePermissionOrFromAnotherTownAreRefused() {
        Resident r = givenResident("resident");
        long id = submittedGroup(r, "審査の会", List.of("甲", "乙"));
        String clerk = givenStaff(StaffRole.CLERK);
        String caretaker = givenStaff(StaffRole.CARETAKER);
        for (String token : List.of(clerk, caretaker)) {
            assertThat(api.get("/api/v1/staff/groups?status=pending").token(token).send().status()).isEqualTo(403);
            assertThat(api.get("/api/v1/staff/groups/" + id).token(token).send().status()).isEqualTo(403);
            assertThat(api.post("/api/v1/staff/groups/" + id + "/decision", "{\"decision\":\"approve\"}").token(token)
                    .send().status()).isEqualTo(403);
        }
        String otherTown = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        Api.Response elsewhere = api.get("/api/v1/staff/groups/" + id).header("Host", TestCloud.OTHER_HOST)
                .token(otherTown).send();
        assertThat(elsewhere.status()).isIn(401, 404);
        assertThat(api.get("/api/v1/staff/groups").token(r.token()).send().status()).isEqualTo(401);
        long draft = createdGroup(r, "下書きの会");
        assertThat(api.get("/api/v1/staff/groups/" + draft).token(main).send().status()).isEqualTo(404);
        assertThat(db("select status from app_group where id = ?", id).column("status").getString()).isEqualTo("pending");
        String facility = givenStaff(StaffRole.FACILITY);
        assertThat(api.get("/api/v1/staff/groups/" + id).token(facility).send().status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void aDecisionIsLoggedWithoutNamesAndMailedAndTheCountsAreWhatOthersRead() throws Exception {
        Resident r = givenResident("resident");
        long id = submittedGroup(r, "山吹太鼓の会", List.of("太鼓 一郎", "太鼓 二郎", "太鼓 三郎"));
        assertProblem(api.post("/api/v1/staff/groups/" + id + "/decision", "{\"decision\":\"reject\",\"note\":\" \"}")
                .token(main).send(), 400, "note");
        Api.Response rejected = api.post("/api/v1/staff/groups/" + id + "/decision",
                "{\"decision\":\"reject\",\"note\":\"会則を添付してください\"}").token(main).send();
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(mailTo(r.email(), 1).getSubject()).contains("差戻し");
        assertThat(api.get("/api/v1/groups/" + id).token(r.token()).send().json().get("reviewNote").asText())
                .isEqualTo("会則を添付してください");
        assertThat(api.post("/api/v1/groups/" + id + "/submit", "{}").token(r.token()).send().status()).isEqualTo(200);
        Api.Response approved = api.post("/api/v1/staff/groups/" + id + "/decision", "{\"decision\":\"approve\"}")
                .token(main).send();
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        LocalDate today = LocalDate.ofInstant(clock.instant(), TOKYO);
        assertThat(approved.json().get("validUntil").asText()).isEqualTo(today.plusMonths(12).toString());
        MimeMessage mail = mailTo(r.email(), 2);
        assertThat(mail.getSubject()).contains("承認");
        assertThat(GreenMailUtil.getBody(mail)).isNotBlank();
        assertThat(api.post("/api/v1/staff/groups/" + id + "/decision", "{\"decision\":\"approve\"}").token(main).send()
                .status()).isEqualTo(409);
        String logged = Sql.list(cloud.database().client().execute().query(
                "select action, before_state, after_state from staff_operation where target_type = 'group' and target_id = ?",
                Long.toString(id)), row -> row.column("action").getString() + " " + Sql.optionalText(row, "before_state")
                .orElse("") + " " + Sql.optionalText(row, "after_state").orElse("")).toString();
        assertThat(logged).contains("group.reject", "group.approve").doesNotContain("太鼓 一郎", "太鼓");

        Account account = cloud.services().accounts().find(r.id()).orElseThrow();
        Municipality yamabuki = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
        Groups groups = cloud.services().groups().groups();
        assertThat(groups.approvedFor(yamabuki, account)).extracting(GroupSummary::id).containsExactly(id);
        ApprovedGroup read = groups.approvedGroup(yamabuki, account, id).orElseThrow();
        assertThat(read.roster().total()).isEqualTo(3);
        assertThat(read.roster().of(Member.AgeBand.ELDERLY)).isEqualTo(3);
        assertThat(read.reductionCode()).hasValue("social-education");
        Account stranger = cloud.services().accounts().find(givenResident("resident").id()).orElseThrow();
        assertThat(groups.approvedGroup(yamabuki, stranger, id)).isEmpty();
    }

    @Test
    @Order(8)
    void groupsSharingHalfTheirMembersAreFlaggedWithTheOtherNamed() {
        Resident a = givenResident("resident");
        Resident b = givenResident("resident");
        long first = submittedGroup(a, "北山囲碁クラブ", List.of("北山 一", "北山 二", "北山 三", "北山 四"));
        long second = submittedGroup(b, "北山将棋クラブ", List.of("北山　一", "ｷﾀﾔﾏ 五", "北山 二", "北山 六"));
        long apart = submittedGroup(b, "南町読書会", List.of("南 一", "南 二", "北山 三"));
        JsonNode list = api.get("/api/v1/staff/groups?status=pending").token(main).send().json().get("groups");
        JsonNode firstRow = row(list, first);
        assertThat(firstRow.get("overlaps")).hasSize(1);
        assertThat(firstRow.get("overlaps").get(0).get("name").asText()).isEqualTo("北山将棋クラブ");
        assertThat(firstRow.get("overlaps").get(0).get("shared").asInt()).isEqualTo(2);
        assertThat(row(list, apart).get("overlaps")).isEmpty();
        JsonNode detail = api.get("/api/v1/staff/groups/" + second).token(main).send().json();
        assertThat(detail.get("overlaps").get(0).get("groupId").asLong()).isEqualTo(first);
    }

    @Test
    @Order(9)
    void pagesRefuseAFormWithoutItsCsrfToken() throws Exception {
        Resident r = givenResident("resident");
        long id = createdGroup(r, "CSRFの会");
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base() + "/groups/" + id + "/submit"))
                .header("Cookie", "kominkan_session=" + r.token() + "; kominkan_csrf=" + "c".repeat(43))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("x=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(403);
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"a.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n" + new String(PDF, StandardCharsets.ISO_8859_1) + "\r\n--"
                + boundary + "--\r\n";
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(base() + "/groups/" + id + "/evidence"))
                .header("Cookie", "kominkan_session=" + r.token() + "; kominkan_csrf=" + "c".repeat(43))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(403);
        assertThat(count("select count(*) as n from group_evidence where group_id = ?", id)).isZero();
        assertThat(db("select status from app_group where id = ?", id).column("status").getString()).isEqualTo("draft");
    }

    @Test
    @Order(99)
    void theRepresentativeIsRemindedOnceBeforeExpiryAndTheGroupThenExpires() throws Exception {
        Resident r = givenResident("resident");
        long id = submittedGroup(r, "期限の会", List.of("期限 一"));
        assertThat(api.post("/api/v1/staff/groups/" + id + "/decision", "{\"decision\":\"approve\"}").token(main).send()
                .status()).isEqualTo(200);
        mailTo(r.email(), 1);
        GroupReminders reminders = cloud.services().groups().reminders();
        LocalDate until = LocalDate.ofInstant(clock.instant(), TOKYO).plusMonths(12);
        clock.advance(Duration.between(clock.instant(), until.minusDays(31).atTime(12, 0).atZone(TOKYO).toInstant()));
        reminders.sweep();
        assertThat(sentReminder(id)).isFalse();
        clock.advance(Duration.ofDays(1));
        assertThat(reminders.sweep().reminded()).isGreaterThanOrEqualTo(1);
        assertThat(reminders.sweep().reminded()).isZero();
        assertThat(mailTo(r.email(), 2).getSubject()).contains("有効期限");
        assertThat(sentReminder(id)).isTrue();
        clock.advance(Duration.ofDays(31));
        assertThat(reminders.sweep().expired()).isGreaterThanOrEqualTo(1);
        assertThat(db("select status from app_group where id = ?", id).column("status").getString()).isEqualTo("expired");
        Account account = cloud.services().accounts().find(r.id()).orElseThrow();
        Municipality yamabuki = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
        assertThat(cloud.services().groups().groups().approvedFor(yamabuki, account)).isEmpty();
        assertThat(smtp.getReceivedMessagesForDomain(r.email())).hasSize(2);
    }

    // ---------------------------------------------------------------- fixtures

    /** A resident logged in through the API. */
    record Resident(UUID id, String email, String token) {
    }

    /**
     * @param residency {@code resident}, {@code non-resident}, or {@code none} for no verification
     */
    Resident givenResident(String residency) {
        String email = "group" + serial.incrementAndGet() + "@example.jp";
        Api.Response made = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"団体 代表" + serial.get() + "\"}").send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String token = api.login(email, PASSWORD);
        UUID id = UUID.fromString(api.get("/api/v1/me").token(token).send().json().get("id").asText());
        if (!residency.equals("none")) {
            // What IdentityStore writes after an xID verification (the OIDC journey is IdentitySuite's).
            cloud.database().client().execute().insert("insert into identity_link (account_id, municipality_id, provider,"
                    + " residency, verified_at) values (?, ?, 'xid', ?, ?)", id, town, residency,
                    Sql.at(clock.instant()));
        }
        return new Resident(id, email, token);
    }

    String givenStaff(StaffRole role) {
        String email = role.wire() + "-g" + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        long facility = Sql.longValue(db("select min(id) as id from facility where municipality_id = ?", town), "id");
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), town, email,
                "職員 " + serial.get(), role, Set.of(facility)), PasswordHasher.DEFAULT.hash(STAFF_PASSWORD), clock.instant());
        return api.staffLogin(email, STAFF_PASSWORD);
    }

    Api.Response create(Resident r, String name) {
        return api.post("/api/v1/groups", "{\"name\":\"" + name + "\",\"nameKana\":\"かな\",\"categoryCode\":"
                + "\"social-education\"}").token(r.token()).send();
    }

    long createdGroup(Resident r, String name) {
        Api.Response made = create(r, name);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().get("id").asLong();
    }

    long submittedGroup(Resident r, String name, List<String> members) {
        long id = createdGroup(r, name);
        String roster = members.stream().map(m -> "{\"name\":\"" + m + "\",\"residency\":\"resident\",\"ageBand\":\"75+\"}")
                .collect(Collectors.joining(",", "{\"members\":[", "]}"));
        assertThat(api.post("/api/v1/groups/" + id + "/members", roster).token(r.token()).send().status()).isEqualTo(200);
        assertThat(upload(r, id, PDF, "application/pdf", "kaisoku.pdf").statusCode()).isEqualTo(201);
        Api.Response sent = api.post("/api/v1/groups/" + id + "/submit", "{}").token(r.token()).send();
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        return id;
    }

    HttpResponse<String> upload(Resident r, long id, byte[] bytes, String type, String name) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/groups/" + id + "/evidence?name="
                            + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + r.token()).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    MimeMessage mailTo(String email, int nth) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (smtp.getReceivedMessagesForDomain(email).length < nth) {
            assertThat(System.nanoTime()).as("mail " + nth + " to " + email).isLessThan(deadline);
            smtp.waitForIncomingEmail(500, smtp.getReceivedMessages().length + 1);
        }
        return smtp.getReceivedMessagesForDomain(email)[nth - 1];
    }

    boolean sentReminder(long id) {
        return Sql.value(db("select reminder_sent_at from app_group where id = ?", id), "reminder_sent_at").isPresent();
    }

    static JsonNode row(JsonNode list, long id) {
        for (JsonNode row : list) {
            if (row.get("group").get("id").asLong() == id) {
                return row;
            }
        }
        throw new AssertionError("group " + id + " not listed: " + list);
    }

    static void assertProblem(Api.Response res, int status, String field) {
        assertThat(res.status()).as(res.body()).isEqualTo(status);
        assertThat(res.contentType()).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(res.json().path("field").asText(res.json().path("invalidField").asText())).as(res.body())
                .isEqualTo(field);
    }

    String base() {
        return "http://127.0.0.1:" + cloud.port();
    }

    io.helidon.dbclient.DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }

    long count(String sql, Object... params) {
        return Sql.longValue(db(sql, params), "n");
    }
}
