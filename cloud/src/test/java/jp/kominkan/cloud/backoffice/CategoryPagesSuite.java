package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.group.Category;
import jp.kominkan.cloud.group.GroupRepository;
import jp.kominkan.cloud.reduction.ReductionCategory;
import jp.kominkan.cloud.reduction.ReductionRepository;
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
 * The 減免 and group category pages over real HTTP: the main administrator adds, changes, retires and offers a
 * category again, each with one operation-log entry, and residents see exactly the offered ones; a facility
 * administrator or a clerk is refused (403), another municipality's category is not found (404), a form without
 * its CSRF token is refused (403), a bad rate or validity is shown next to its field with nothing written, and a
 * code that applications or groups name cannot change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CategoryPagesSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a long staff password";
    static final String RESIDENT_PASSWORD = "a resident password";
    static final String FORBIDDEN = "この操作は、あなたの権限ではできません";

    Cloud cloud;
    MutableClock clock;
    String base;
    Api api;
    long town;
    long hall;
    long room;
    final AtomicInteger serial = new AtomicInteger();

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true);
        base = "http://127.0.0.1:" + cloud.port();
        api = new Api(cloud.port());
        town = Sql.longValue(db("select id from municipality where code = ?", DemoData.CODE), "id");
        hall = Sql.longValue(db("select id from facility where municipality_id = ? and name = ?", town, "中央公民館"), "id");
        room = Sql.longValue(db("select id from room where municipality_id = ? and name = ?", town, "和室"), "id");
        StaffRepository staff = new StaffRepository(cloud.database().client());
        for (StaffRole role : new StaffRole[] {StaffRole.FACILITY, StaffRole.CLERK}) {
            staff.insert(new StaffMember(UUID.randomUUID(), town, role.wire() + "-cat@city.yamabuki.example.lg.jp",
                    role.japanese() + " 試験", role, Set.of(hall)), PasswordHasher.DEFAULT.hash(PASSWORD), clock.instant());
        }
        long other = Sql.longValue(db("select id from municipality where code = ?", TestCloud.OTHER_CODE), "id");
        Sql.inTransaction(cloud.database().client(), tx -> {
            ReductionRepository.insertCategory(tx, other, new ReductionCategory("sakura-only", "桜川町だけの区分",
                    "Sakuragawa only", 30, false, false, false, Optional.empty()), 9);
            GroupRepository.insertCategory(tx, other, new Category("sakura-group", "桜川町だけの団体区分",
                    "Sakuragawa group", 12, Optional.empty()), 9);
            return null;
        });
    }

    @AfterAll
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void theMainAdministratorAddsChangesRetiresAndReinstatesAReductionCategory() {
        FormClient admin = main();
        FormClient.Response list = admin.get("/staff/reduction-categories");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("社会教育関係団体（5割）", "name=\"_csrf\"");

        String code = "culture-" + serial.incrementAndGet();
        long adds = logged("reduction-category.add");
        FormClient.Response added = admin.post("/staff/reduction-categories", admin.withCsrf(reduction(code,
                "文化団体（3割）", "30", false)));
        assertThat(added.status()).as(added.body()).isEqualTo(303);
        assertThat(added.location()).isEqualTo("/staff/reduction-categories?done=added&code=" + code);
        DbRow row = db("select percent, requires_group, retired_at from reduction_category where municipality_id = ?"
                + " and code = ?", town, code);
        assertThat(Sql.integer(row, "percent")).isEqualTo(30);
        assertThat(Sql.optionalInstant(row, "retired_at")).isEmpty();
        assertThat(logged("reduction-category.add")).isEqualTo(adds + 1);
        assertThat(residentsReductionCodes()).contains(code);

        FormClient.Response edited = admin.post("/staff/reduction-categories/" + code,
                admin.withCsrf(reduction(code, "文化団体（4割）", "40", false)));
        assertThat(edited.status()).as(edited.body()).isEqualTo(303);
        assertThat(Sql.integer(db("select percent from reduction_category where municipality_id = ? and code = ?", town,
                code), "percent")).isEqualTo(40);
        String after = Sql.text(db("select after_state from staff_operation where action = 'reduction-category.update'"
                + " and target_id = ?", code), "after_state");
        assertThat(after).contains("40", "文化団体（4割）");
        assertThat(admin.get("/staff/reduction-categories/" + code).body()).contains("value=\"40\"");

        // Nothing names it yet, so its code may still change.
        String renamed = code + "-r";
        FormClient.Response moved = admin.post("/staff/reduction-categories/" + code,
                admin.withCsrf(reduction(renamed, "文化団体（4割）", "40", false)));
        assertThat(moved.status()).as(moved.body()).isEqualTo(303);
        assertThat(moved.location()).startsWith("/staff/reduction-categories/" + renamed);
        assertThat(count("select count(*) as n from reduction_category where municipality_id = ? and code = ?", town,
                code)).isZero();

        Resident resident = givenResident();
        UUID booking = book(resident);
        long retires = logged("reduction-category.retire");
        FormClient.Response retired = admin.post("/staff/reduction-categories/" + renamed + "/retire", admin.withCsrf(Map.of()));
        assertThat(retired.status()).as(retired.body()).isEqualTo(303);
        assertThat(Sql.optionalInstant(db("select retired_at from reduction_category where municipality_id = ? and code = ?",
                town, renamed), "retired_at")).isPresent();
        assertThat(residentsReductionCodes()).doesNotContain(renamed).contains("city-event");
        Api.Response refused = applyFor(resident, booking, renamed);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("categoryCode");
        assertThat(count("select count(*) as n from reduction_application where reservation_id = ?", booking)).isZero();
        assertThat(admin.get("/staff/reduction-categories").body()).contains("廃止");

        FormClient.Response back = admin.post("/staff/reduction-categories/" + renamed + "/reinstate", admin.withCsrf(Map.of()));
        assertThat(back.status()).isEqualTo(303);
        assertThat(residentsReductionCodes()).contains(renamed);
        assertThat(applyFor(resident, booking, renamed).status()).isEqualTo(201);
        assertThat(logged("reduction-category.retire")).isEqualTo(retires + 1);
        assertThat(logged("reduction-category.reinstate")).isEqualTo(1);
    }

    @Test
    void theMainAdministratorAddsChangesAndRetiresAGroupCategory() {
        FormClient admin = main();
        assertThat(admin.get("/staff/group-categories").body()).contains("社会教育関係団体", "一般団体");
        String code = "youth-" + serial.incrementAndGet();
        FormClient.Response added = admin.post("/staff/group-categories", admin.withCsrf(group(code, "青少年団体", "6",
                "city-event")));
        assertThat(added.status()).as(added.body()).isEqualTo(303);
        DbRow row = db("select validity_months, reduction_code from group_category where municipality_id = ? and code = ?",
                town, code);
        assertThat(Sql.integer(row, "validity_months")).isEqualTo(6);
        assertThat(Sql.text(row, "reduction_code")).isEqualTo("city-event");
        assertThat(residentsGroupCodes()).contains(code);

        FormClient.Response edited = admin.post("/staff/group-categories/" + code, admin.withCsrf(group(code,
                "青少年団体", "24", "")));
        assertThat(edited.status()).as(edited.body()).isEqualTo(303);
        row = db("select validity_months, reduction_code from group_category where municipality_id = ? and code = ?",
                town, code);
        assertThat(Sql.integer(row, "validity_months")).isEqualTo(24);
        assertThat(Sql.optionalText(row, "reduction_code")).isEmpty();
        assertThat(logged("group-category.update")).isPositive();

        String before = writes();
        FormClient.Response unknownLink = admin.post("/staff/group-categories/" + code, admin.withCsrf(group(code,
                "青少年団体", "24", "no-such")));
        assertThat(unknownLink.status()).isEqualTo(400);
        assertThat(unknownLink.body()).contains("id=\"reductionCode-error\"", "連動する減免の区分は一覧から選んでください");
        FormClient.Response badMonths = admin.post("/staff/group-categories", admin.withCsrf(group("other-" + code,
                "別の区分", "61", "")));
        assertThat(badMonths.status()).isEqualTo(400);
        assertThat(badMonths.body()).contains("id=\"validityMonths-error\"", "承認の有効期間は 1〜60 か月");
        assertThat(writes()).isEqualTo(before);

        FormClient.Response retired = admin.post("/staff/group-categories/" + code + "/retire", admin.withCsrf(Map.of()));
        assertThat(retired.status()).isEqualTo(303);
        assertThat(residentsGroupCodes()).doesNotContain(code).contains("social-education");
        assertThat(logged("group-category.retire")).isEqualTo(1);
        FormClient.Response again = admin.post("/staff/group-categories/" + code + "/retire", admin.withCsrf(Map.of()));
        assertThat(again.status()).isEqualTo(409);
        assertThat(logged("group-category.retire")).isEqualTo(1);
    }

    @Test
    void aFacilityAdministratorOrAClerkIsRefusedAndNothingIsWritten() {
        String before = writes();
        for (String who : List.of("facility-cat@city.yamabuki.example.lg.jp", "clerk-cat@city.yamabuki.example.lg.jp")) {
            FormClient member = FormClient.staff(base, who, PASSWORD);
            for (String path : List.of("/staff/reduction-categories", "/staff/reduction-categories/city-event",
                    "/staff/group-categories", "/staff/group-categories/general")) {
                FormClient.Response page = member.get(path);
                assertThat(page.status()).as(who + " GET " + path).isEqualTo(403);
                assertThat(page.body()).contains(FORBIDDEN);
            }
            assertThat(member.post("/staff/reduction-categories", member.withCsrf(reduction("by-" + serial.incrementAndGet(),
                    "不正", "10", false))).status()).as(who).isEqualTo(403);
            assertThat(member.post("/staff/reduction-categories/city-event", member.withCsrf(reduction("city-event",
                    "不正", "10", false))).status()).as(who).isEqualTo(403);
            assertThat(member.post("/staff/reduction-categories/city-event/retire", member.withCsrf(Map.of())).status())
                    .as(who).isEqualTo(403);
            assertThat(member.post("/staff/group-categories", member.withCsrf(group("by-" + serial.incrementAndGet(),
                    "不正", "12", ""))).status()).as(who).isEqualTo(403);
            assertThat(member.post("/staff/group-categories/general/retire", member.withCsrf(Map.of())).status())
                    .as(who).isEqualTo(403);
            assertThat(member.get("/staff").body()).doesNotContain("/staff/reduction-categories");
        }
        assertThat(writes()).isEqualTo(before);
        assertThat(Sql.integer(db("select percent from reduction_category where municipality_id = ? and code = ?", town,
                "city-event"), "percent")).isEqualTo(100);
    }

    @Test
    void anotherMunicipalitysCategoryIsNotFound() {
        FormClient admin = main();
        String before = writes();
        for (String path : List.of("/staff/reduction-categories/sakura-only", "/staff/group-categories/sakura-group",
                "/staff/reduction-categories/no-such", "/staff/reduction-categories/Bad..Code")) {
            assertThat(admin.get(path).status()).as(path).isEqualTo(404);
        }
        assertThat(admin.post("/staff/reduction-categories/sakura-only", admin.withCsrf(reduction("sakura-only", "乗っ取り",
                "100", false))).status()).isEqualTo(404);
        assertThat(admin.post("/staff/reduction-categories/sakura-only/retire", admin.withCsrf(Map.of())).status())
                .isEqualTo(404);
        assertThat(admin.post("/staff/group-categories/sakura-group", admin.withCsrf(group("sakura-group", "乗っ取り",
                "60", ""))).status()).isEqualTo(404);
        assertThat(admin.post("/staff/group-categories/sakura-group/retire", admin.withCsrf(Map.of())).status())
                .isEqualTo(404);
        assertThat(admin.get("/staff/reduction-categories").body()).doesNotContain("sakura-only");
        assertThat(writes()).isEqualTo(before);
        assertThat(Sql.text(db("select name_ja from reduction_category where code = 'sakura-only'"), "name_ja"))
                .isEqualTo("桜川町だけの区分");
        assertThat(count("select count(*) as n from group_category where code = 'sakura-group' and retired_at is null"))
                .isEqualTo(1);
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndNothingIsWritten() {
        FormClient admin = main();
        String before = writes();
        String code = "csrf-" + serial.incrementAndGet();
        Map<String, String> wrong = new HashMap<>(reduction(code, "偽造", "50", false));
        wrong.put("_csrf", "x".repeat(43));
        for (Map.Entry<String, Map<String, String>> post : Map.of(
                "/staff/reduction-categories", reduction(code, "偽造", "50", false),
                "/staff/reduction-categories/city-event", reduction("city-event", "偽造", "0", false),
                "/staff/reduction-categories/city-event/retire", Map.<String, String>of(),
                "/staff/group-categories", group(code, "偽造", "12", ""),
                "/staff/group-categories/general", group("general", "偽造", "1", ""),
                "/staff/group-categories/general/retire", Map.<String, String>of()).entrySet()) {
            assertThat(admin.post(post.getKey(), post.getValue()).status()).as(post.getKey()).isEqualTo(403);
        }
        assertThat(admin.post("/staff/reduction-categories", wrong).status()).isEqualTo(403);
        assertThat(writes()).isEqualTo(before);
        assertThat(Sql.text(db("select name_ja from group_category where municipality_id = ? and code = 'general'", town),
                "name_ja")).isEqualTo("一般団体");
    }

    @Test
    void aBadRateIsShownNextToItsFieldAndNothingIsWritten() {
        FormClient admin = main();
        String before = writes();
        for (String percent : List.of("150", "-1", "abc", "", "50.5")) {
            String code = "bad-" + serial.incrementAndGet();
            FormClient.Response refused = admin.post("/staff/reduction-categories", admin.withCsrf(reduction(code,
                    "不正な率", percent, false)));
            assertThat(refused.status()).as(percent).isEqualTo(400);
            assertThat(refused.body()).as(percent).contains("<p class=\"error\" id=\"percent-error\">減免率は 0〜100 の整数で",
                    "aria-describedby=\"percent-hint percent-error\"", "【入力エラー】", "value=\"" + code + "\"");
            assertThat(count("select count(*) as n from reduction_category where code = ?", code)).isZero();
        }
        FormClient.Response onEdit = admin.post("/staff/reduction-categories/city-event", admin.withCsrf(reduction(
                "city-event", "全額免除（市の主催・共催事業）", "101", true)));
        assertThat(onEdit.status()).isEqualTo(400);
        assertThat(onEdit.body()).contains("id=\"percent-error\"");
        FormClient.Response rule = admin.post("/staff/reduction-categories", admin.withCsrf(Map.of("code", "rule-x",
                "nameJa", "名簿条件", "nameEn", "Roster", "percent", "50", "rosterRule", "elderly-half")));
        assertThat(rule.status()).isEqualTo(400);
        assertThat(rule.body()).contains("id=\"rosterRule-error\"", "団体の予約に限る");
        assertThat(writes()).isEqualTo(before);
        assertThat(Sql.integer(db("select percent from reduction_category where municipality_id = ? and code = ?", town,
                "city-event"), "percent")).isEqualTo(100);
    }

    @Test
    void aCodeThatApplicationsOrGroupsNameCannotChange() {
        FormClient admin = main();
        String code = "used-" + serial.incrementAndGet();
        assertThat(admin.post("/staff/reduction-categories", admin.withCsrf(reduction(code, "使用中の区分", "20", false)))
                .status()).isEqualTo(303);
        Resident resident = givenResident();
        UUID booking = book(resident);
        assertThat(applyFor(resident, booking, code).status()).isEqualTo(201);

        String before = writes();
        FormClient.Response renamed = admin.post("/staff/reduction-categories/" + code,
                admin.withCsrf(reduction(code + "-new", "使用中の区分", "20", false)));
        assertThat(renamed.status()).isEqualTo(400);
        assertThat(renamed.body()).contains("id=\"code-error\"", "コードは変更できません");
        assertThat(writes()).isEqualTo(before);
        assertThat(count("select count(*) as n from reduction_category where municipality_id = ? and code = ?", town,
                code)).isEqualTo(1);
        FormClient.Response page = admin.get("/staff/reduction-categories/" + code);
        assertThat(page.body()).contains("readonly", "申請または団体区分で使われているため変更できません");
        // The rest of it may still change.
        assertThat(admin.post("/staff/reduction-categories/" + code, admin.withCsrf(reduction(code, "使用中の区分", "25",
                false))).status()).isEqualTo(303);
        // Retired, it stays the application's: the resident's page still names it.
        assertThat(admin.post("/staff/reduction-categories/" + code + "/retire", admin.withCsrf(Map.of())).status())
                .isEqualTo(303);
        Api.Response mine = api.get("/reservations/" + booking + "/reduction")
                .header("Cookie", "kominkan_session=" + resident.token()).send();
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body()).contains("使用中の区分");

        // social-education: no application yet, but a group category links it; and groups are registered under the
        // group category of that name (the demo's 山吹コーラス).
        FormClient.Response linked = admin.post("/staff/reduction-categories/social-education", admin.withCsrf(Map.of(
                "code", "social-ed", "nameJa", "社会教育関係団体（5割）", "nameEn", "Social education group (50 % off)",
                "percent", "50", "notWithAdmission", "on", "requiresGroup", "on")));
        assertThat(linked.status()).isEqualTo(400);
        assertThat(linked.body()).contains("id=\"code-error\"");
        FormClient.Response grouped = admin.post("/staff/group-categories/social-education", admin.withCsrf(group(
                "social-ed", "社会教育関係団体", "12", "social-education")));
        assertThat(grouped.status()).isEqualTo(400);
        assertThat(grouped.body()).contains("id=\"code-error\"", "この区分で登録された団体があるため");
        assertThat(count("select count(*) as n from group_category where municipality_id = ? and code = 'social-education'",
                town)).isEqualTo(1);
        assertThat(count("select count(*) as n from reduction_category where municipality_id = ? and code = 'social-ed'",
                town)).isZero();
    }

    // ---- fixtures --------------------------------------------------------------------------------

    record Resident(String email, String token) {
    }

    FormClient main() {
        return FormClient.staff(base, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    static Map<String, String> reduction(String code, String nameJa, String percent, boolean group) {
        Map<String, String> form = new HashMap<>(Map.of("code", code, "nameJa", nameJa, "nameEn", "Test " + code,
                "percent", percent, "notWithAdmission", "on", "rosterRule", "", "sortOrder", ""));
        if (group) {
            form.put("requiresGroup", "on");
        }
        return form;
    }

    static Map<String, String> group(String code, String nameJa, String months, String reductionCode) {
        return Map.of("code", code, "nameJa", nameJa, "nameEn", "Test " + code, "validityMonths", months,
                "reductionCode", reductionCode, "sortOrder", "");
    }

    Resident givenResident() {
        String email = "category" + serial.incrementAndGet() + "@example.jp";
        Api.Response made = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + RESIDENT_PASSWORD
                + "\",\"name\":\"区分 試験" + serial.get() + "\"}").send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return new Resident(email, api.login(email, RESIDENT_PASSWORD));
    }

    /** A paid hold on the 和室 ten or more days ahead, one per call. */
    UUID book(Resident r) {
        LocalDate day = LocalDate.now(clock.withZone(TOKYO)).plusDays(10 + serial.incrementAndGet());
        while (day.getDayOfWeek() == DayOfWeek.MONDAY || count("select count(*) as n from facility_closed_day"
                + " where facility_id = ? and closed_on = ?", hall, day) > 0) {
            day = day.plusDays(1);
        }
        Api.Response made = api.post("/api/v1/reservations", "{\"roomId\":" + room + ",\"start\":\"" + day
                + "T09:00:00+09:00\",\"end\":\"" + day + "T12:00:00+09:00\",\"purpose\":\"練習\",\"attendees\":5}")
                .token(r.token()).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().get("status").asText()).isEqualTo("held");
        return UUID.fromString(made.json().get("id").asText());
    }

    Api.Response applyFor(Resident r, UUID booking, String code) {
        return api.post("/api/v1/reservations/" + booking + "/reduction", "{\"categoryCode\":\"" + code
                + "\",\"reason\":\"区分の試験です\"}").token(r.token()).send();
    }

    List<String> residentsReductionCodes() {
        return codes(api.get("/api/v1/reductions/categories").token(givenResident().token()).send());
    }

    List<String> residentsGroupCodes() {
        return codes(api.get("/api/v1/groups/categories").token(givenResident().token()).send());
    }

    static List<String> codes(Api.Response res) {
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        List<String> codes = new java.util.ArrayList<>();
        res.json().get("categories").forEach(c -> codes.add(c.get("code").asText()));
        return codes;
    }

    /** Everything a category write changes: every category row as it stands, and the operation log's entries. */
    String writes() {
        StringBuilder all = new StringBuilder();
        for (String sql : List.of("select * from reduction_category order by municipality_id, code",
                "select * from group_category order by municipality_id, code")) {
            try (var rows = cloud.database().client().execute().query(sql)) {
                rows.forEach(row -> {
                    row.forEach(column -> all.append(column.name()).append('=')
                            .append(Sql.value(row, column.name()).orElse("null")).append(' '));
                    all.append('\n');
                });
            }
        }
        return all.append(logged("%-category.%")).toString();
    }

    long logged(String action) {
        return count("select count(*) as n from staff_operation where action like ?", action);
    }

    DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }

    long count(String sql, Object... params) {
        return Sql.longValue(db(sql, params), "n");
    }
}
