package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
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
 * The money pages and their JSON API attacked over real HTTP: no staff session, a role that may not, a facility
 * outside the scope, no CSRF token, a malformed or oversized schedule document. Each attack asserts its exact
 * answer and that no fee schedule, refund schedule, equipment or operation-log row was written.
 */
class MoneyPagesAttackIT {

    static final String PASSWORD = "a long staff password";
    static final String FORBIDDEN = "この操作は、あなたの権限ではできません";
    static Cloud cloud;
    static String base;
    static long town;
    static long facilityA;
    static long facilityB;
    static long roomA;
    static long roomB;
    static String hokota;

    @BeforeAll
    static void start() {
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true);
        base = "http://127.0.0.1:" + cloud.port();
        town = number("select id from municipality where code = '" + DemoData.CODE + "'");
        facilityA = number("select id from facility where municipality_id = " + town + " and name = '中央公民館'");
        facilityB = number("select id from facility where municipality_id = " + town + " and name = '駅前学習センター'");
        roomA = number("select id from room where facility_id = " + facilityA + " and name = '大会議室'");
        roomB = number("select min(id) as id from room where facility_id = " + facilityB);
        StaffRepository staff = new StaffRepository(cloud.database().client());
        for (StaffRole role : new StaffRole[] {StaffRole.FACILITY, StaffRole.CLERK, StaffRole.CARETAKER}) {
            staff.insert(new StaffMember(UUID.randomUUID(), town, role.wire() + "@city.yamabuki.example.lg.jp",
                    role.japanese() + " 試験", role, Set.of(facilityA)), PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());
        }
        hokota = fixture("/fee/hokota-daishukaishitsu.json");
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void withoutAStaffSessionPagesSendToTheLoginPageAndTheApiAnswers401() {
        FormClient anonymous = new FormClient(base);
        long before = writes();
        for (String path : new String[] {"/staff/rooms/" + roomA + "/fees", "/staff/facilities/" + facilityA + "/equipment",
                "/staff/facilities/" + facilityA + "/refund-schedule", "/staff/facilities/" + facilityA + "/takings",
                "/staff/facilities/" + facilityA + "/takings.csv", "/staff/facilities/" + facilityA + "/sales.csv",
                "/staff/refunds", "/staff/takings"}) {
            FormClient.Response page = anonymous.get(path);
            assertThat(page.status()).as(path).isEqualTo(303);
            assertThat(page.location()).as(path).startsWith("/staff/login?next=");
        }
        FormClient.Response post = anonymous.post("/staff/rooms/" + roomA + "/fees",
                anonymous.withCsrf(Map.of("action", "save", "document", hokota, "payDaysBefore", "3")));
        assertThat(post.status()).isEqualTo(303);
        assertThat(post.location()).startsWith("/staff/login?next=");
        assertThat(anonymous.get("/api/v1/staff/rooms/" + roomA + "/fee-schedule").status()).isEqualTo(401);
        assertThat(anonymous.json("PUT", "/api/v1/staff/rooms/" + roomA + "/fee-schedule",
                "{\"schedule\":" + hokota + "}").status()).isEqualTo(401);
        assertThat(anonymous.json("PUT", "/api/v1/staff/facilities/" + facilityA + "/equipment/projector",
                "{\"name\":\"x\",\"yen\":1,\"per\":\"use\",\"stock\":1}").status()).isEqualTo(401);
        assertThat(writes()).isEqualTo(before);
    }

    @Test
    void aClerkOrACaretakerCannotSaveASchedule() {
        long before = writes();
        for (StaffRole role : new StaffRole[] {StaffRole.CLERK, StaffRole.CARETAKER}) {
            FormClient member = FormClient.staff(base, role.wire() + "@city.yamabuki.example.lg.jp", PASSWORD);
            assertThat(member.get("/staff/rooms/" + roomA + "/fees").status()).as(role.wire()).isEqualTo(403);
            FormClient.Response saved = member.post("/staff/rooms/" + roomA + "/fees",
                    member.withCsrf(Map.of("action", "save", "document", hokota, "payDaysBefore", "3")));
            assertThat(saved.status()).as(role.wire()).isEqualTo(403);
            assertThat(saved.body()).contains(FORBIDDEN);
            assertThat(member.json("PUT", "/api/v1/staff/rooms/" + roomA + "/fee-schedule",
                    "{\"schedule\":" + hokota + "}").status()).as(role.wire()).isEqualTo(403);
            assertThat(member.post("/staff/facilities/" + facilityA + "/refund-schedule",
                    member.withCsrf(Map.of("document", ""))).status()).as(role.wire()).isEqualTo(403);
            assertThat(member.json("PUT", "/api/v1/staff/facilities/" + facilityA + "/equipment/projector",
                    "{\"name\":\"x\",\"yen\":1,\"per\":\"use\",\"stock\":1}").status()).as(role.wire()).isEqualTo(403);
        }
        // Takings: a clerk may see its facility's; a caretaker may not.
        FormClient clerk = FormClient.staff(base, "clerk@city.yamabuki.example.lg.jp", PASSWORD);
        assertThat(clerk.get("/staff/facilities/" + facilityA + "/takings").status()).isEqualTo(200);
        FormClient caretaker = FormClient.staff(base, "caretaker@city.yamabuki.example.lg.jp", PASSWORD);
        assertThat(caretaker.get("/staff/facilities/" + facilityA + "/takings").status()).isEqualTo(403);
        assertThat(caretaker.get("/staff/facilities/" + facilityA + "/takings.csv").status()).isEqualTo(403);
        assertThat(caretaker.get("/staff/refunds").status()).isEqualTo(403);
        assertThat(writes()).isEqualTo(before);
    }

    @Test
    void anotherFacilityOutsideTheScopeIsNotFound() {
        long before = writes();
        FormClient admin = FormClient.staff(base, "facility@city.yamabuki.example.lg.jp", PASSWORD);
        assertThat(admin.get("/staff/rooms/" + roomA + "/fees").status()).as("its own room").isEqualTo(200);
        assertThat(admin.get("/staff/rooms/" + roomB + "/fees").status()).isEqualTo(404);
        assertThat(admin.post("/staff/rooms/" + roomB + "/fees", admin.withCsrf(Map.of("action", "save",
                "document", hokota, "payDaysBefore", "3"))).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/staff/rooms/" + roomB + "/fee-schedule").status()).isEqualTo(404);
        assertThat(admin.json("PUT", "/api/v1/staff/rooms/" + roomB + "/fee-schedule",
                "{\"schedule\":" + hokota + "}").status()).isEqualTo(404);
        assertThat(admin.get("/staff/facilities/" + facilityB + "/equipment").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/staff/facilities/" + facilityB + "/equipment").status()).isEqualTo(404);
        assertThat(admin.get("/staff/facilities/" + facilityB + "/refund-schedule").status()).isEqualTo(404);
        FormClient clerk = FormClient.staff(base, "clerk@city.yamabuki.example.lg.jp", PASSWORD);
        assertThat(clerk.get("/staff/facilities/" + facilityB + "/takings").status()).isEqualTo(404);
        assertThat(clerk.get("/staff/facilities/" + facilityB + "/sales.csv").status()).isEqualTo(404);
        assertThat(writes()).isEqualTo(before);
    }

    @Test
    void aFormWithoutOrWithAForgedCsrfTokenIsRefused() {
        FormClient admin = FormClient.staff(base, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        long before = writes();
        FormClient.Response missing = admin.post("/staff/rooms/" + roomA + "/fees",
                Map.of("action", "save", "document", hokota, "payDaysBefore", "3"));
        assertThat(missing.status()).isEqualTo(403);
        FormClient.Response forged = admin.post("/staff/rooms/" + roomA + "/fees",
                Map.of("action", "save", "document", hokota, "payDaysBefore", "3", "_csrf", "x".repeat(43)));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(admin.post("/staff/facilities/" + facilityA + "/equipment", Map.of("code", "projector",
                "name", "プロジェクター", "yen", "500", "per", "use", "stock", "1")).status()).isEqualTo(403);
        assertThat(admin.post("/staff/facilities/" + facilityA + "/refund-schedule", Map.of("document", ""))
                .status()).isEqualTo(403);
        assertThat(admin.post("/staff/refunds/" + UUID.randomUUID() + "/paid", Map.of()).status()).isEqualTo(403);
        assertThat(writes()).isEqualTo(before);
    }

    @Test
    void aMalformedScheduleNamesItsPathAndWritesNothing() {
        FormClient admin = FormClient.staff(base, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        String bad = hokota.replace("\"毎日\": 1570", "\"毎日\": \"千五百七十\"");
        assertThat(bad).isNotEqualTo(hokota);
        long before = writes();
        FormClient.Response page = admin.post("/staff/rooms/" + roomA + "/fees",
                admin.withCsrf(Map.of("action", "save", "document", bad, "payDaysBefore", "3")));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("units[2].prices.毎日: ").contains("保存していません");
        FormClient.Response validate = admin.post("/staff/rooms/" + roomA + "/fees",
                admin.withCsrf(Map.of("action", "validate", "document", bad, "payDaysBefore", "3",
                        "previewDate", "2026-12-01", "previewStart", "09:00", "previewEnd", "13:00")));
        assertThat(validate.status()).isEqualTo(400);
        assertThat(validate.body()).contains("units[2].prices.毎日: ");
        FormClient.Response api = admin.json("PUT", "/api/v1/staff/rooms/" + roomA + "/fee-schedule",
                "{\"schedule\":" + bad + "}");
        assertThat(api.status()).isEqualTo(400);
        assertThat(api.body()).contains("schedule.units[2].prices.毎日");
        FormClient.Response twice = admin.json("PUT", "/api/v1/staff/rooms/" + roomA + "/fee-schedule",
                "{\"schedule\":" + hokota + ",\"schedule\":" + hokota + "}");
        assertThat(twice.status()).as("a key twice").isEqualTo(400);
        FormClient.Response refund = admin.post("/staff/facilities/" + facilityA + "/refund-schedule",
                admin.withCsrf(Map.of("document", "{\"source\": \"x\", \"rules\": {\"USER\": [{\"percent\": 150}]}}")));
        assertThat(refund.status()).isEqualTo(400);
        assertThat(refund.body()).contains("rules.USER[0].percent");
        FormClient.Response days = admin.post("/staff/rooms/" + roomA + "/fees",
                admin.withCsrf(Map.of("action", "save", "document", hokota, "payDaysBefore", "61")));
        assertThat(days.status()).isEqualTo(400);
        assertThat(days.body()).contains("0〜60");
        assertThat(writes()).isEqualTo(before);
    }

    @Test
    void aScheduleOver64KiBIsRefused() {
        FormClient admin = FormClient.staff(base, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        String huge = hokota.replaceFirst("\"source\": \"", "\"source\": \"" + "長".repeat(23_000));
        assertThat(huge.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(64 * 1024);
        long before = writes();
        FormClient.Response page = admin.post("/staff/rooms/" + roomA + "/fees",
                admin.withCsrf(Map.of("action", "save", "document", huge, "payDaysBefore", "3")));
        assertThat(page.status()).isEqualTo(413);
        assertThat(page.body()).contains("64 KiB");
        assertThat(admin.json("PUT", "/api/v1/staff/rooms/" + roomA + "/fee-schedule", "{\"schedule\":" + huge + "}")
                .status()).isEqualTo(413);
        assertThat(writes()).isEqualTo(before);
    }

    @Test
    void aValidScheduleIsCheckedWithAQuoteThenSavedOnceWithItsLogEntry() {
        FormClient admin = FormClient.staff(base, "facility@city.yamabuki.example.lg.jp", PASSWORD);
        long schedules = number("select count(*) as n from fee_schedule where room_id = " + roomA);
        FormClient.Response checked = admin.post("/staff/rooms/" + roomA + "/fees", admin.withCsrf(Map.of(
                "action", "validate", "document", hokota, "payDaysBefore", "3", "previewDate", "2026-12-01",
                "previewStart", "09:00", "previewEnd", "22:00", "previewResidency", "resident")));
        assertThat(checked.status()).isEqualTo(200);
        assertThat(checked.body()).contains("正しい形式").contains("2,620");
        assertThat(number("select count(*) as n from fee_schedule where room_id = " + roomA)).isEqualTo(schedules);

        long log = number("select count(*) as n from staff_operation where action = 'room.fee-schedule'");
        FormClient.Response saved = admin.post("/staff/rooms/" + roomA + "/fees",
                admin.withCsrf(Map.of("action", "save", "document", hokota, "payDaysBefore", "7")));
        assertThat(saved.status()).as(saved.body()).isEqualTo(303);
        assertThat(number("select count(*) as n from fee_schedule where room_id = " + roomA)).isEqualTo(schedules + 1);
        assertThat(number("select count(*) as n from staff_operation where action = 'room.fee-schedule'"))
                .isEqualTo(log + 1);
        assertThat(number("select pay_days_before as n from room where id = " + roomA)).isEqualTo(7);
        FormClient.Response read = admin.get("/api/v1/staff/rooms/" + roomA + "/fee-schedule");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).contains("\"payDaysBefore\":7", "\"hourlyDefault\":false", "鉾田市立公民館");
        // Saving the same document again stores no new version.
        admin.post("/staff/rooms/" + roomA + "/fees", admin.withCsrf(Map.of("action", "save", "document", hokota,
                "payDaysBefore", "7")));
        assertThat(number("select count(*) as n from fee_schedule where room_id = " + roomA)).isEqualTo(schedules + 1);
    }

    /** Rows the money pages write; none may change after a refused request. */
    static long writes() {
        return number("select (select count(*) from fee_schedule) + (select count(*) from staff_operation)"
                + " + (select count(*) from equipment) + (select count(*) from facility where refund_schedule is not null)"
                + " + (select coalesce(sum(pay_days_before), 0) from room) as n");
    }

    static long number(String sql) {
        return Sql.longValue(cloud.database().client().execute().get(sql).orElseThrow(), column(sql));
    }

    private static String column(String sql) {
        return sql.contains(" as n") ? "n" : "id";
    }

    static String fixture(String path) {
        try (InputStream in = MoneyPagesAttackIT.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
