package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.LedgerInvariant;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.cloud.web.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The counter's money end to end over real HTTP: a clerk (whose name is a spreadsheet formula) takes cash for two
 * counter bookings through the cash endpoint, the city cancels one, the clerk pays the refund out at 「還付待ち」;
 * the 日計表 page, its CSV and the month's sales CSV then show exactly what the ledger holds. Equipment stock
 * cannot be lowered below what a booking holds.
 */
class MoneyTakingsIT {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a long staff password";
    static final String FORMULA_CLERK = "=SUM(1+1)";
    static Cloud cloud;
    static String base;
    static long town;
    static long facilityA;
    static long roomA;

    @BeforeAll
    static void start() {
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true);
        base = "http://127.0.0.1:" + cloud.port();
        town = number("select id from municipality where code = '" + DemoData.CODE + "'");
        facilityA = number("select id from facility where municipality_id = " + town + " and name = '中央公民館'");
        roomA = number("select id from room where facility_id = " + facilityA + " and name = '大会議室'");
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), town,
                "clerk@city.yamabuki.example.lg.jp", FORMULA_CLERK, StaffRole.CLERK, Set.of(facilityA)),
                PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void theDaysTakingsAndTheMonthsSalesAreTheLedgersSumsAndTheCsvCannotRunAFormula() throws IOException {
        FormClient admin = FormClient.staff(base, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        FormClient.Response schedule = admin.post("/staff/facilities/" + facilityA + "/refund-schedule",
                admin.withCsrf(Map.of("document", MoneyPagesAttackIT.fixture("/fee/refund-mima.json"))));
        assertThat(schedule.status()).as(schedule.body()).isEqualTo(303);

        FormClient clerk = FormClient.staff(base, "clerk@city.yamabuki.example.lg.jp", PASSWORD);
        LocalDate day = openDay();
        UUID kept = paidCounterBooking(clerk, day, "10:00", "12:00");
        UUID cancelled = paidCounterBooking(clerk, day, "13:00", "15:00");
        assertThat(kept).isNotEqualTo(cancelled);
        FormClient.Response cancel = clerk.json("POST", "/api/v1/staff/reservations/" + cancelled + "/cancel",
                "{\"reason\":\"市の行事のため\"}");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);

        // The refund waits for the clerk; 「返金済みにする」 pays it once.
        FormClient.Response waiting = clerk.get("/staff/refunds");
        assertThat(waiting.status()).isEqualTo(200);
        String refundId = Sql.text(cloud.database().client().execute().get(
                "select id from refund where reservation_id = ? and status = 'pending'", cancelled).orElseThrow(), "id");
        assertThat(waiting.body()).contains("/staff/refunds/" + refundId + "/paid", "返金済みにする");
        long log = number("select count(*) as n from staff_operation where action = 'refund.cash-paid'");
        FormClient.Response paid = clerk.post("/staff/refunds/" + refundId + "/paid", clerk.withCsrf(Map.of()));
        assertThat(paid.status()).as(paid.body()).isEqualTo(303);
        assertThat(paid.location()).isEqualTo("/staff/refunds?done=paid");
        assertThat(clerk.post("/staff/refunds/" + refundId + "/paid", clerk.withCsrf(Map.of())).status())
                .as("a second press").isEqualTo(404);
        assertThat(number("select count(*) as n from ledger_entry where refund_id = '" + refundId + "'")).isEqualTo(1);
        assertThat(number("select count(*) as n from staff_operation where action = 'refund.cash-paid'"))
                .isEqualTo(log + 1);
        LedgerInvariant.check(cloud.database().client());

        // The ledger's figures for today in facility A.
        LocalDate today = LocalDate.now(TOKYO);
        Instant from = today.atStartOfDay(TOKYO).toInstant();
        Instant until = today.plusDays(1).atStartOfDay(TOKYO).toInstant();
        long in = ledgerSum("payment", from, until);
        long out = ledgerSum("refund", from, until);
        assertThat(in).as("two bookings paid").isPositive();
        assertThat(out).as("one refunded").isPositive().isLessThan(in);

        FormClient.Response page = clerk.get("/staff/facilities/" + facilityA + "/takings?date=" + today);
        assertThat(page.status()).isEqualTo(200);
        Matcher total = Pattern.compile("<tr id=\"day-total\">(.*?)</tr>", Pattern.DOTALL).matcher(page.body());
        assertThat(total.find()).as(page.body()).isTrue();
        assertThat(total.group(1).replaceAll("<[^>]+>", " ").trim().split("\\s+"))
                .containsExactly("合計", String.format("%,d", in), String.format("%,d", out), String.format("%,d", in - out));

        FormClient.Response csv = clerk.get("/staff/facilities/" + facilityA + "/takings.csv?date=" + today);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).startsWith("attachment;");
        assertThat(csv.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(csv.header("Cache-Control")).isEqualTo("no-store");
        List<CSVRecord> rows = csv(csv.bytes());
        assertThat(rows.get(0).values()).containsExactly("日付", "施設", "領収書番号", "予約番号", "支払方法", "取扱者",
                "収入（円）", "還付（円）");
        assertThat(rows).hasSize(1 + 3 + 1);
        CSVRecord sum = rows.get(rows.size() - 1);
        assertThat(sum.get(0)).isEqualTo("合計");
        assertThat(sum.get(5)).isEqualTo("3件");
        assertThat(Long.parseLong(sum.get(6))).isEqualTo(in);
        assertThat(Long.parseLong(sum.get(7))).isEqualTo(out);
        for (CSVRecord row : rows.subList(1, rows.size() - 1)) {
            assertThat(row.get(5)).as("the clerk's formula name is text").isEqualTo("'" + FORMULA_CLERK);
            assertThat(row.get(4)).isEqualTo("現金");
        }

        YearMonth month = YearMonth.from(today);
        long monthIn = ledgerSum("payment", month.atDay(1).atStartOfDay(TOKYO).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(TOKYO).toInstant());
        long monthOut = ledgerSum("refund", month.atDay(1).atStartOfDay(TOKYO).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(TOKYO).toInstant());
        List<CSVRecord> sales = csv(clerk.get("/staff/facilities/" + facilityA + "/sales.csv?month=" + month).bytes());
        assertThat(sales).hasSize(1 + month.lengthOfMonth() + 1);
        CSVRecord monthTotal = sales.get(sales.size() - 1);
        assertThat(List.of(monthTotal.get(2), monthTotal.get(3), monthTotal.get(4)))
                .containsExactly("" + monthIn, "" + monthOut, "" + (monthIn - monthOut));
        assertThat(clerk.get("/staff/facilities/" + facilityA + "/sales?month=" + month).body())
                .contains(String.format("%,d", monthIn - monthOut));
    }

    @Test
    void equipmentStockCannotFallBelowWhatABookingHolds() {
        FormClient admin = FormClient.staff(base, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        FormClient.Response made = admin.json("PUT", "/api/v1/staff/facilities/" + facilityA + "/equipment/projector",
                "{\"name\":\"プロジェクター\",\"yen\":500,\"per\":\"use\",\"stock\":1}");
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        assertThat(admin.get("/api/v1/staff/facilities/" + facilityA + "/equipment").body())
                .contains("\"code\":\"projector\"", "\"stock\":1");
        Api api = new Api(cloud.port());
        String resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        LocalDate day = openDay().plusDays(7);
        while (day.getDayOfWeek() == DayOfWeek.MONDAY) {
            day = day.plusDays(1);
        }
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + roomA + ",\"start\":\"" + day
                        + "T10:00:00+09:00\",\"end\":\"" + day + "T12:00:00+09:00\",\"purpose\":\"上映会\",\"attendees\":20,"
                        + "\"equipment\":{\"projector\":1}}")
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        long log = number("select count(*) as n from staff_operation");
        FormClient.Response lowered = admin.json("PUT", "/api/v1/staff/facilities/" + facilityA + "/equipment/projector",
                "{\"name\":\"プロジェクター\",\"yen\":500,\"per\":\"use\",\"stock\":0}");
        assertThat(lowered.status()).isEqualTo(409);
        FormClient.Response page = admin.post("/staff/facilities/" + facilityA + "/equipment", admin.withCsrf(Map.of(
                "code", "projector", "name", "プロジェクター", "yen", "500", "per", "use", "stock", "0")));
        assertThat(page.status()).isEqualTo(409);
        assertThat(page.body()).contains("予約で使われているため、数量を減らせません");
        assertThat(number("select stock as n from equipment where facility_id = " + facilityA + " and code = 'projector'"))
                .isEqualTo(1);
        assertThat(number("select count(*) as n from staff_operation")).isEqualTo(log);
    }

    private static UUID paidCounterBooking(FormClient clerk, LocalDate day, String start, String end) {
        FormClient.Response made = clerk.json("POST", "/api/v1/staff/reservations", "{\"roomId\":" + roomA
                + ",\"start\":\"" + day + "T" + start + ":00+09:00\",\"end\":\"" + day + "T" + end
                + ":00+09:00\",\"purpose\":\"自治会の会合\",\"attendees\":12,\"name\":\"窓口 太郎\",\"phone\":\"090-0000-1111\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        JsonNode row = json(made.body());
        FormClient.Response cash = clerk.json("POST", "/api/v1/staff/reservations/" + row.get("id").asText() + "/cash",
                "{\"amountReceived\":" + (row.get("amount").asInt() + 1000) + "}");
        assertThat(cash.status()).as(cash.body()).isEqualTo(200);
        return UUID.fromString(row.get("id").asText());
    }

    private static LocalDate openDay() {
        LocalDate day = LocalDate.now(TOKYO).plusDays(10);
        while (day.getDayOfWeek() == DayOfWeek.MONDAY || (day.getMonthValue() == 12 && day.getDayOfMonth() >= 28)
                || (day.getMonthValue() == 1 && day.getDayOfMonth() <= 4)) {
            day = day.plusDays(1);
        }
        return day;
    }

    private static long ledgerSum(String kind, Instant from, Instant until) {
        return Sql.longValue(cloud.database().client().execute().get("""
                select coalesce(sum(l.amount), 0) as n from ledger_entry l join reservation r on r.id = l.reservation_id
                  join room m on m.id = r.room_id
                 where m.facility_id = ? and l.kind = ? and l.created_at >= ? and l.created_at < ?""",
                facilityA, kind, Sql.at(from), Sql.at(until)).orElseThrow(), "n");
    }

    private static List<CSVRecord> csv(byte[] bytes) throws IOException {
        assertThat(bytes[0] & 0xFF).as("UTF-8 BOM").isEqualTo(0xEF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        return CSVFormat.EXCEL.parse(new StringReader(text)).getRecords();
    }

    private static JsonNode json(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }

    static long number(String sql) {
        return Sql.longValue(cloud.database().client().execute().get(sql).orElseThrow(), sql.contains(" as n") ? "n" : "id");
    }
}
