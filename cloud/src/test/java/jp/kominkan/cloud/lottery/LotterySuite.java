package jp.kominkan.cloud.lottery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
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
import jp.kominkan.cloud.support.LedgerInvariant;
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
 * A full round over real sockets, a real database and a real SMTP server: staff define it and its units are held;
 * first-come booking is refused until the second round; eligibility and every cap, with a race on the cap and a
 * second account of the same verified person; the close freezes and commits; the draw publishes reservations, mail
 * and an audit file that recomputes identically; a declined and a lapsed win go to the substitutes; leftovers open
 * first-come at the set time, and the draw publishing while residents book and confirm gives no slot twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class LotterySuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a resident password";
    static final String STAFF_PASSWORD = "a long staff password";

    GreenMail smtp;
    MutableClock clock;
    Cloud cloud;
    Api api;
    long town;
    long hall;
    long bigRoom;
    long roundId;
    Instant paidStart;
    List<JsonNode> units;
    final List<Resident> applicants = new ArrayList<>();
    final List<Resident> crowd = new ArrayList<>();
    final AtomicInteger serial = new AtomicInteger();

    abstract TestDatabases.Kind kind();

    record Resident(UUID id, String email, String token, String name) {
    }

    @BeforeAll
    void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true,
                TestCloud.mailingTo(smtp, Map.of("kominkan.lottery.sweep-interval", "PT1000H",
                        "kominkan.hold-sweep-interval", "PT1000H")));
        api = new Api(cloud.port());
        town = Sql.longValue(db("select id from municipality where code = ?", DemoData.CODE), "id");
        bigRoom = Sql.longValue(db("select id from room where municipality_id = ? and name = '大会議室'", town), "id");
        hall = Sql.longValue(db("select facility_id from room where id = ?", bigRoom), "facility_id");
    }

    /** A fresh staff session: the clock moves days ahead, past a session's 12 hours. */
    String staff() {
        return api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    @AfterAll
    void stop() {
        cloud.close();
        smtp.stop();
    }

    /** The first day of use: after the first-come opening (10 days on), within the rooms' horizons. */
    LocalDate from() {
        return LocalDate.ofInstant(clock.instant(), TOKYO).plusDays(12);
    }

    LocalDate to() {
        return from().plusDays(27);
    }

    String roundBody(long roomId, String name, String rules) {
        Instant now = clock.instant();
        return "{\"facilityId\":" + facilityOf(roomId) + ",\"name\":\"" + name + "\",\"roomIds\":[" + roomId + "],"
                + "\"from\":\"" + from() + "\",\"to\":\"" + to() + "\","
                + "\"days\":[\"6\",\"7\",\"holiday\"],\"bands\":[{\"label\":\"午前\",\"start\":\"09:00\",\"end\":\"12:00\"},"
                + "{\"label\":\"午後\",\"start\":\"13:00\",\"end\":\"17:00\"},{\"label\":\"夜間\",\"start\":\"17:00\","
                + "\"end\":\"21:00\"}],\"schedule\":{\"opensAt\":\"" + at(now) + "\",\"closesAt\":\""
                + at(now.plus(Duration.ofDays(1))) + "\",\"drawAt\":\"" + at(now.plus(Duration.ofDays(1)))
                + "\",\"confirmBy\":\"" + at(now.plus(Duration.ofDays(5))) + "\",\"firstComeAt\":\""
                + at(now.plus(Duration.ofDays(10))) + "\"}" + (rules == null ? "" : ",\"rules\":" + rules) + "}";
    }

    static final String RULES = """
            {"maxWishes":3,"maxSetLength":2,"applicationsPerPerson":2,"applicationsPerGroup":1,"winsPerPerson":1,
             "winsPerGroup":1,"substitutes":3,"eligibility":{"residency":"any","groupsOnly":false,"groupCategories":[],
             "minAttendees":2,"minGroupMembers":0},"tiers":[{"name":"市内","residency":"resident","group":"any"}]}""";

    @Test
    @Order(1)
    void staffDefineARoundWhoseUnitsAreHeldAndRefusedFirstCome() {
        Api.Response made = api.post("/api/v1/staff/lottery/rounds", roundBody(bigRoom, "大会議室 土日祝", RULES))
                .token(staff()).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        roundId = made.json().get("round").get("id").asLong();
        int held = made.json().get("units").asInt();
        long weekendDays = from().datesUntil(to().plusDays(1)).filter(d -> d.getDayOfWeek()
                == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY
                || jp.kominkan.shared.calendar.JapaneseHolidays.isHoliday(d)).count();
        // Mondays and the year-end are closed days at this facility: left out, and named.
        assertThat(held).isPositive().isLessThanOrEqualTo((int) weekendDays * 3);
        assertThat(held % 3).isZero();
        List<String> skipped = new ArrayList<>();
        made.json().get("skipped").forEach(n -> skipped.add(n.asText()));
        // A closed day is left out whole (its three bands); a holiday on a Monday, when the room has no opening
        // hours, band by band (成人の日 2027-01-11 falls in the period when this runs from 2026-12-03 on).
        long closedDays = skipped.stream().filter(t -> t.endsWith("休館日")).count();
        long closedBands = skipped.stream().filter(t -> t.endsWith("利用時間外")).count();
        assertThat(skipped).allMatch(t -> t.endsWith("休館日") || t.contains("(祝)") && t.endsWith("利用時間外"));
        assertThat(held + 3L * closedDays + closedBands).isEqualTo(weekendDays * 3);
        assertThat(count("select count(*) as n from room_block where room_id = ? and kind = 'lottery'", bigRoom))
                .isEqualTo(held);
        units = new ArrayList<>();
        api.get("/api/v1/lottery/rounds/" + roundId).send().json().get("units").forEach(units::add);
        assertThat(units).hasSize(held);
        // Within the room's first-come horizon, but the lottery's until the second round opens.
        Api.Response booking = bookUnit(givenResident("resident"), units.get(0));
        assertThat(booking.status()).isEqualTo(409);
        assertThat(booking.json().get("type").asText()).endsWith("lottery-period");
        assertThat(booking.json().get("detail").asText()).contains("抽選");
        assertThat(count("select count(*) as n from reservation where room_id = ? and purpose = '先着の利用'", bigRoom))
                .isZero();
        // Nor can staff lift the round's units as if they were a maintenance block series, or add a lottery block.
        String series = db("select series_id from room_block where room_id = ? and kind = 'lottery' limit 1", bigRoom)
                .column("series_id").get().toString();
        assertThat(api.delete("/api/v1/staff/blocks/series/" + series).token(staff()).send().status()).isEqualTo(404);
        assertThat(api.post("/api/v1/staff/blocks", "{\"roomId\":\"" + bigRoom + "\",\"kind\":\"lottery\",\"note\":\"x\","
                + "\"date\":\"" + from() + "\",\"start\":\"09:00\",\"end\":\"10:00\"}").token(staff()).send().status())
                .isEqualTo(400);
        assertThat(count("select count(*) as n from room_block where room_id = ? and kind = 'lottery'", bigRoom))
                .isEqualTo(held);
    }

    @Test
    @Order(2)
    void badDefinitionsAndOtherRolesAndTownsChangeNothing() {
        long before = count("select count(*) as n from lottery_round");
        Api.Response backwards = api.post("/api/v1/staff/lottery/rounds", roundBody(bigRoom, "x", null)
                .replace("\"to\":\"" + to() + "\"", "\"to\":\"" + from().minusDays(1) + "\"")).token(staff()).send();
        assertThat(backwards.status()).isEqualTo(400);
        Api.Response unknownRule = api.post("/api/v1/staff/lottery/rounds", roundBody(bigRoom, "x",
                "{\"maxWishes\":3,\"luck\":7}")).token(staff()).send();
        assertThat(unknownRule.status()).isEqualTo(400);
        assertThat(unknownRule.json().get("detail").asText()).isNotBlank();
        for (String broken : List.of(roundBody(bigRoom, "x", null).replaceFirst("\"roomIds\":\\[\\d+\\]", "\"roomIds\":[null]"),
                roundBody(bigRoom, "x", null).replaceFirst("\"bands\":\\[", "\"bands\":[null,"),
                roundBody(bigRoom, "x", null).replaceFirst("\"days\":\\[", "\"days\":[null,"),
                "[]", "{\"facilityId\":\"1\"}", "{\"facilityId\":" + hall + "}")) {
            Api.Response refused = api.post("/api/v1/staff/lottery/rounds", broken).token(staff()).send();
            assertThat(refused.status()).as(broken + " → " + refused.body()).isEqualTo(400);
        }
        String clerk = givenStaff(StaffRole.CLERK);
        assertThat(api.post("/api/v1/staff/lottery/rounds", roundBody(bigRoom, "x", null)).token(clerk).send().status())
                .isEqualTo(403);
        assertThat(api.post("/api/v1/staff/lottery/rounds/" + roundId + "/draw", "{\"randomness\":\"12345678\"}")
                .token(clerk).send().status()).isEqualTo(403);
        assertThat(api.get("/api/v1/staff/lottery/rounds/" + roundId).send().status()).isEqualTo(401);
        // Another municipality's host does not see this round.
        assertThat(api.get("/api/v1/lottery/rounds/" + roundId).header("Host", TestCloud.OTHER_HOST).send().status())
                .isEqualTo(404);
        assertThat(count("select count(*) as n from lottery_round")).isEqualTo(before);
    }

    @Test
    @Order(3)
    void eligibilityAndWishesAreJudgedFromDataAndBadOnesWriteNothing() {
        Resident unverified = givenResident("none");
        Api.Response refused = apply(unverified, List.of(List.of(unit(0))), 5);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("本人確認");
        Resident r = givenResident("resident");
        assertThat(apply(r, List.of(List.of(unit(0))), 1).status()).as("min attendees").isEqualTo(400);
        assertThat(apply(r, List.of(List.of(unit(0))), 500).status()).as("capacity").isEqualTo(400);
        assertThat(apply(r, List.of(List.of(unit(0)), List.of(unit(1)), List.of(unit(2)), List.of(unit(3))), 5).status())
                .as("four wishes").isEqualTo(400);
        assertThat(apply(r, List.of(List.of(unit(0), unit(2))), 5).status()).as("not consecutive").isEqualTo(400);
        assertThat(apply(r, List.of(List.of(unit(0), unit(1), unit(2))), 5).status()).as("set too long").isEqualTo(400);
        assertThat(apply(r, List.of(List.of(unit(0)), List.of(unit(0))), 5).status()).as("repeated").isEqualTo(400);
        assertThat(apply(r, List.of(List.of(999_999L)), 5).status()).as("unknown unit").isEqualTo(400);
        assertThat(api.post("/api/v1/lottery/rounds/" + roundId + "/applications", "{\"attendees\":\"5\"}")
                .token(r.token()).send().status()).isEqualTo(400);
        assertThat(api.post("/api/v1/lottery/rounds/" + roundId + "/applications", "{}").send().status()).isEqualTo(401);
        assertThat(count("select count(*) as n from lottery_application where account_id in (?, ?)", unverified.id(),
                r.id())).isZero();
    }

    @Test
    @Order(4)
    void tenApplicationsAtOnceForACapOfTwoMakeExactlyTwo() throws Exception {
        Resident r = givenResident("resident");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            Callable<Integer> call = () -> {
                go.await();
                return apply(r, List.of(List.of(unit(3 + n))), 4).status();
            };
            calls.add(pool.submit(call));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : calls) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses.stream().filter(s -> s == 201).count()).as(statuses.toString()).isEqualTo(2);
        assertThat(statuses.stream().filter(s -> s == 409).count()).as(statuses.toString()).isEqualTo(8);
        assertThat(count("select count(*) as n from lottery_application where account_id = ?", r.id())).isEqualTo(2);
        applicants.add(r);
    }

    @Test
    @Order(5)
    void aSecondAccountOfTheSameVerifiedPersonIsRefused() {
        Resident first = givenResident("resident");
        assertThat(apply(first, List.of(List.of(unit(14))), 3).status()).isEqualTo(201);
        // Same verified name and birth date, another account verified through another provider.
        Resident second = givenPerson(first.name(), "digital-auth");
        Api.Response refused = apply(second, List.of(List.of(unit(15))), 3);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("別のアカウント");
        assertThat(count("select count(*) as n from lottery_application where account_id = ?", second.id())).isZero();
        applicants.add(first);
    }

    @Test
    @Order(6)
    void manyApplyForFewUnitsAndAnotherResidentCannotTouchTheirApplication() {
        for (int i = 0; i < 12; i++) {
            Resident r = givenResident(i % 3 == 0 ? "non-resident" : "resident");
            Api.Response made = apply(r, List.of(List.of(unit(0)), List.of(unit(1), unit(2))), 3);
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            applicants.add(r);
            crowd.add(r);
        }
        Resident stranger = givenResident("resident");
        String theirs = api.get("/api/v1/lottery/applications").token(applicants.get(2).token()).send().json()
                .get("applications").get(0).get("id").asText();
        assertThat(api.delete("/api/v1/lottery/applications/" + theirs).token(stranger.token()).send().status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/lottery/applications/" + theirs).token(stranger.token()).send().status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/lottery/applications/" + theirs).token(applicants.get(2).token()).send().json()
                .get("outcome").asText()).isEqualTo("applied");
        assertThat(api.get("/api/v1/lottery/applications/..%2F..%2Fetc").token(stranger.token()).send().status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/lottery/applications/" + theirs + "/decline", "{}").token(stranger.token()).send()
                .status()).isEqualTo(404);
        // Withdrawing one's own while open removes it.
        Resident changing = givenResident("resident");
        String mine = apply(changing, List.of(List.of(unit(5))), 3).json().get("id").asText();
        assertThat(api.delete("/api/v1/lottery/applications/" + mine).token(changing.token()).send().status())
                .isEqualTo(204);
        assertThat(count("select count(*) as n from lottery_application where public_id = ?", mine)).isZero();
        // Its place is taken again: the cap of two holds two applications, a third is refused.
        assertThat(apply(changing, List.of(List.of(unit(6))), 3).status()).isEqualTo(201);
        assertThat(apply(changing, List.of(List.of(unit(7))), 3).status()).isEqualTo(201);
        assertThat(apply(changing, List.of(List.of(unit(8))), 3).status()).isEqualTo(409);
        applicants.add(changing);
        // Deleting an account withdraws its applications while the round takes them.
        Resident leaving = givenResident("resident");
        String going = apply(leaving, List.of(List.of(unit(9))), 3).json().get("id").asText();
        Api.Response deleted = api.delete("/api/v1/me").token(leaving.token()).send();
        assertThat(deleted.status()).as(deleted.body()).isIn(200, 204);
        assertThat(count("select count(*) as n from lottery_application where public_id = ?", going)).isZero();
    }

    @Test
    @Order(7)
    void theCloseFreezesTheListAndPublishesTheCommitments() {
        assertThat(api.post("/api/v1/staff/lottery/rounds/" + roundId + "/draw", "{\"randomness\":\"3 1 4 1 5 9 2 6\"}")
                .token(staff()).send().status()).as("before the close").isEqualTo(409);
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        Resident late = givenResident("resident");
        assertThat(apply(late, List.of(List.of(unit(0))), 3).status()).isEqualTo(409);
        cloud.services().lottery().afterDraw().sweep();
        JsonNode round = api.get("/api/v1/lottery/rounds/" + roundId).send().json().get("round");
        assertThat(round.get("status").asText()).isEqualTo("closed");
        assertThat(round.get("applicationsCommitment").asText()).hasSize(64);
        assertThat(round.get("seedCommitment").asText()).hasSize(64);
        assertThat(round.has("seed")).isFalse();
        assertThat(api.get("/api/v1/lottery/rounds/" + roundId + "/audit").send().status()).isEqualTo(404);
        String withdrawn = api.get("/api/v1/lottery/applications").token(applicants.get(3).token()).send().json()
                .get("applications").get(0).get("id").asText();
        assertThat(api.delete("/api/v1/lottery/applications/" + withdrawn).token(applicants.get(3).token()).send()
                .status()).isEqualTo(409);
    }

    @Test
    @Order(8)
    void theDrawPublishesReservationsMailAndAnAuditFileThatRecomputes() throws Exception {
        assertThat(api.post("/api/v1/staff/lottery/rounds/" + roundId + "/draw", "{\"randomness\":\"short\"}")
                .token(staff()).send().status()).isEqualTo(400);
        Api.Response drawn = api.post("/api/v1/staff/lottery/rounds/" + roundId + "/draw",
                "{\"randomness\":\"3 1 4 1 5 9 2 6 5 3\"}").token(staff()).send();
        assertThat(drawn.status()).as(drawn.body()).isEqualTo(200);
        int wins = drawn.json().get("wins").asInt();
        assertThat(wins).isGreaterThanOrEqualTo(3);
        assertThat(api.post("/api/v1/staff/lottery/rounds/" + roundId + "/draw", "{\"randomness\":\"again 12345\"}")
                .token(staff()).send().json().get("type").asText()).endsWith("already-drawn");
        assertThat(count("select count(*) as n from lottery_win w join reservation r on r.id = w.reservation_id"
                + " where w.round_id = ? and r.status = 'held'", roundId)).isEqualTo(wins);
        // Units 0, 1, 2 were wished by many: each went to exactly one reservation, and its lottery block is gone.
        for (int i = 0; i < 3; i++) {
            JsonNode u = units.get(i);
            assertThat(count("select count(distinct reservation_id) as n from room_slot where room_id = ? and slot_start"
                    + " >= ? and slot_start < ? and reservation_id is not null", bigRoom, instant(u, "start"),
                    instant(u, "end"))).as("unit " + i).isEqualTo(1);
            assertThat(count("select count(*) as n from room_slot where room_id = ? and slot_start >= ? and slot_start < ?"
                    + " and block_id is not null", bigRoom, instant(u, "start"), instant(u, "end"))).isZero();
        }
        LedgerInvariant.check(cloud.database().client());
        byte[] audit = api.get("/api/v1/lottery/rounds/" + roundId + "/audit").send().body()
                .getBytes(StandardCharsets.UTF_8);
        AuditFile file = AuditFile.read(new ByteArrayInputStream(audit));
        assertThat(AuditCheck.differences(file)).isEmpty();
        assertThat(file.applications()).hasSize((int) count(
                "select count(*) as n from lottery_application where round_id = ?", roundId));
        String text = new String(audit, StandardCharsets.UTF_8);
        for (Resident r : applicants) {
            assertThat(text).doesNotContain(r.email()).doesNotContain(r.name()).doesNotContain(r.id().toString());
        }
        // Everyone hears: one mail per application with an e-mail, queued after the publication by the timer.
        assertThat(count("select count(*) as n from lottery_application where round_id = ? and notified_at is null",
                roundId)).isPositive();
        cloud.services().lottery().afterDraw().sweep();
        assertThat(count("select count(*) as n from lottery_application where round_id = ? and notified_at is null",
                roundId)).isZero();
        cloud.services().lottery().afterDraw().sweep();
        assertThat(count("select count(*) as n from mail_outbox where kind in ('lottery-won', 'lottery-result')"))
                .as("a second sweep sends nothing twice")
                .isEqualTo(count("select count(*) as n from lottery_application where round_id = ?", roundId));
        int expected = (int) count("select count(*) as n from lottery_application where round_id = ?", roundId);
        assertThat(smtp.waitForIncomingEmail(15_000, expected)).isTrue();
        Set<String> subjects = new HashSet<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            subjects.add(m.getSubject());
        }
        assertThat(subjects).anyMatch(s -> s.contains("抽選結果"));
    }

    @Test
    @Order(9)
    void aWinIsPaidToConfirmAndTheResidentSeesIt() {
        List<Resident> crowdWinners = winners().stream().filter(crowd::contains).toList();
        assertThat(crowdWinners).as("unit 0 and the set of units 1 and 2").hasSize(2);
        Resident winner = crowdWinners.get(0);
        JsonNode mine = wonApplication(winner);
        Api.Response confirm = api.post("/api/v1/lottery/applications/" + mine.get("id").asText() + "/confirm", "{}")
                .token(winner.token()).send();
        assertThat(confirm.status()).isEqualTo(409);
        assertThat(confirm.json().get("type").asText()).endsWith("pay-to-confirm");
        String reservation = mine.get("reservationId").asText();
        int amount = mine.get("amount").asInt();
        assertThat(amount).isPositive();
        Api.Response paid = api.post("/api/v1/staff/reservations/" + reservation + "/cash", "{\"amountReceived\":"
                + amount + "}").token(staff()).send();
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        assertThat(wonApplication(winner).get("reservationStatus").asText()).isEqualTo("confirmed");
        paidStart = Sql.instant(db("select starts_at from reservation where id = ?", UUID.fromString(reservation)),
                "starts_at");
        LedgerInvariant.check(cloud.database().client());
    }

    @Test
    @Order(10)
    void aDeclinedWinGoesToTheFirstSubstituteWithMail() {
        long substituteWinsBefore = count("select count(*) as n from lottery_win where round_id = ? and source ="
                + " 'substitute'", roundId);
        Resident decliner = winners().stream().filter(crowd::contains).filter(r -> wonApplication(r)
                .get("reservationStatus").asText().equals("held")).findFirst().orElseThrow();
        JsonNode win = wonApplication(decliner);
        int mails = mailsAbout("繰り上げ当選");
        assertThat(api.post("/api/v1/lottery/applications/" + win.get("id").asText() + "/decline", "{}")
                .token(decliner.token()).send().status()).isEqualTo(200);
        assertThat(count("select count(*) as n from lottery_win where round_id = ? and source = 'substitute'", roundId))
                .isEqualTo(substituteWinsBefore + 1);
        assertThat(count("select count(*) as n from mail_outbox where kind = 'lottery-promoted'")).isEqualTo(1);
        assertThat(awaitMail("繰り上げ当選", mails)).as("the substitute is told").isTrue();
        LedgerInvariant.check(cloud.database().client());
    }

    @Test
    @Order(11)
    void aWinNotConfirmedByTheDeadlineLapsesAndItsUnitsGoToTheNextSubstitute() {
        long before = count("select count(*) as n from lottery_win where round_id = ? and source = 'substitute'", roundId);
        long heldBefore = count("select count(*) as n from lottery_win w join reservation r on r.id = w.reservation_id"
                + " where w.round_id = ? and r.status = 'held' and w.source = 'draw'", roundId);
        assertThat(heldBefore).isPositive();
        clock.advance(Duration.ofDays(4).plusHours(1)); // past confirmBy; promoted substitutes hold until +3 days
        cloud.services().bookings().expireOverdueHolds();
        cloud.services().lottery().afterDraw().sweep();
        assertThat(count("select count(*) as n from lottery_win where round_id = ? and source = 'substitute'", roundId))
                .isGreaterThan(before);
        AuditFile file = cloud.services().lottery().results().audit(
                cloud.services().municipalities().byId(town).orElseThrow(), roundId);
        assertThat(file.afterDraw()).anyMatch(e -> e.event().equals("lapsed"))
                .anyMatch(e -> e.event().equals("promoted"));
        assertThat(AuditCheck.differences(file)).isEmpty();
        LedgerInvariant.check(cloud.database().client());
    }

    @Test
    @Order(12)
    void leftoversOpenFirstComeAtTheSetTimeAndWonUnitsStayTaken() {
        JsonNode leftover = units.get(units.size() - 1);
        Resident booker = givenResident("resident");
        assertThat(bookUnit(booker, leftover).status()).as("before the opening").isIn(400, 409);
        // A minute before the opening the sweep has released the leftovers, and the rule still refuses; at the
        // opening they are bookable at once, without waiting for the next sweep.
        Instant opens = java.time.OffsetDateTime.parse(api.get("/api/v1/lottery/rounds/" + roundId).send().json()
                .get("round").get("schedule").get("firstComeAt").asText()).toInstant();
        clock.advance(Duration.between(clock.instant(), opens.minusSeconds(60)));
        cloud.services().lottery().afterDraw().sweep();
        assertThat(api.get("/api/v1/lottery/rounds/" + roundId).send().json().get("round").get("status").asText())
                .isEqualTo("finished");
        assertThat(count("select count(*) as n from room_block where room_id = ? and kind = 'lottery'", bigRoom)).isZero();
        Api.Response early = bookUnit(booker, leftover);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("type").asText()).endsWith("lottery-period");
        clock.advance(Duration.ofSeconds(60));
        Api.Response booked = bookUnit(booker, leftover);
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        JsonNode paidUnit = units.stream().filter(u -> java.time.OffsetDateTime.parse(u.get("start").asText())
                .toInstant().equals(paidStart)).findFirst().orElseThrow();
        Api.Response taken = bookUnit(booker, paidUnit);
        assertThat(taken.status()).as("the confirmed win's unit").isEqualTo(409);
        LedgerInvariant.check(cloud.database().client());
    }

    @Test
    @Order(13)
    void theDrawPublishingWhileResidentsBookAndConfirmAndFirstComeOpeningGiveNoSlotTwice() throws Exception {
        long freeRoom = Sql.longValue(db("select id from room where municipality_id = ? and name = 'グループ学習室'", town),
                "id");
        Api.Response made = api.post("/api/v1/staff/lottery/rounds", roundBody(freeRoom, "学習室 土日祝", RULES))
                .token(staff()).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long round = made.json().get("round").get("id").asLong();
        List<JsonNode> its = new ArrayList<>();
        api.get("/api/v1/lottery/rounds/" + round).send().json().get("units").forEach(its::add);
        List<JsonNode> watched = its.subList(0, 6);
        List<Resident> people = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Resident r = givenResident("resident");
            assertThat(apply(r, round, List.of(List.of(its.get(i % 3).get("id").asLong())), 3).status()).isEqualTo(201);
            people.add(r);
        }
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        cloud.services().lottery().afterDraw().sweep();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        // 1. The draw publishes while people try to book the units first-come and the sweep runs.
        List<Integer> early = race(pool, List.of(
                () -> api.post("/api/v1/staff/lottery/rounds/" + round + "/draw", "{\"randomness\":\"race 2 7 1 8 2 8\"}")
                        .token(staff()).send().status(),
                () -> bookUnit(people.get(0), watched.get(0)).status(), () -> bookUnit(people.get(1), watched.get(1)).status(),
                () -> bookUnit(people.get(2), watched.get(2)).status(), () -> bookUnit(people.get(3), watched.get(3)).status(),
                () -> cloud.services().lottery().afterDraw().sweep()));
        assertThat(early.get(0)).isEqualTo(200);
        assertThat(early.subList(1, 5)).as("first-come before the opening").containsOnly(409);
        // 2. Winners confirm (a free room) while others keep trying to book and the sweep runs.
        List<Callable<Integer>> confirming = new ArrayList<>();
        for (Resident r : people) {
            confirming.add(() -> {
                JsonNode app = api.get("/api/v1/lottery/applications").token(r.token()).send().json()
                        .get("applications").get(0);
                return app.get("outcome").asText().equals("won") ? api.post("/api/v1/lottery/applications/"
                        + app.get("id").asText() + "/confirm", "{}").token(r.token()).send().status() : 0;
            });
            confirming.add(() -> bookUnit(r, watched.get(people.indexOf(r) % 6)).status());
        }
        confirming.add(() -> cloud.services().lottery().afterDraw().sweep());
        List<Integer> middle = race(pool, confirming);
        assertThat(middle.stream().filter(s -> s == 200).count()).as(middle.toString()).isEqualTo(3);
        for (int i = 1; i < 16; i += 2) {
            assertThat(middle.get(i)).as("first-come while winners confirm").isEqualTo(409);
        }
        // 3. The first-come opening: the sweep releases leftovers while everyone books every watched unit.
        clock.advance(Duration.ofDays(9));
        List<Callable<Integer>> opening = new ArrayList<>();
        opening.add(() -> cloud.services().lottery().afterDraw().sweep());
        for (Resident r : people) {
            for (JsonNode unit : watched) {
                opening.add(() -> bookUnit(r, unit).status());
            }
        }
        race(pool, opening);
        cloud.services().lottery().afterDraw().sweep();
        pool.shutdown();
        for (int i = 0; i < watched.size(); i++) {
            JsonNode unit = watched.get(i);
            long live = count("select count(*) as n from reservation where room_id = ? and status in ('held', 'confirmed')"
                    + " and starts_at < ? and ends_at > ?", freeRoom, instant(unit, "end"), instant(unit, "start"));
            long confirmedWins = count("select count(*) as n from lottery_win w join reservation r on r.id ="
                    + " w.reservation_id where r.status = 'confirmed' and r.room_id = ? and r.starts_at = ?", freeRoom,
                    instant(unit, "start"));
            assertThat(live).as("live reservations on " + unit.get("label").asText()).isLessThanOrEqualTo(1);
            if (i < 3) {
                assertThat(confirmedWins).as("won and confirmed unit " + i).isEqualTo(1);
            }
        }
        assertThat(count("select count(*) as n from room_block where room_id = ? and kind = 'lottery'", freeRoom)).isZero();
        LedgerInvariant.check(cloud.database().client());
    }

    @Test
    @Order(14)
    void aRoundForResidentsOrForGroupsOnlyRefusesOthersAndWritesNothing() {
        long washitsu = Sql.longValue(db("select id from room where municipality_id = ? and name = '和室'", town), "id");
        String residentsOnly = RULES.replace("\"residency\":\"any\"", "\"residency\":\"resident\"");
        Api.Response made = api.post("/api/v1/staff/lottery/rounds", roundBody(washitsu, "和室 市内のみ", residentsOnly))
                .token(staff()).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long round = made.json().get("round").get("id").asLong();
        long unit = api.get("/api/v1/lottery/rounds/" + round).send().json().get("units").get(0).get("id").asLong();
        Resident outsider = givenResident("non-resident");
        Api.Response refused = apply(outsider, round, List.of(List.of(unit)), 3);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("市内在住");
        String groupsOnly = RULES.replace("\"groupsOnly\":false", "\"groupsOnly\":true");
        long groupRound = api.post("/api/v1/staff/lottery/rounds", roundBody(washitsu, "和室 団体のみ", groupsOnly)
                .replace(from().toString(), from().plusDays(28).toString()).replace(to().toString(),
                        to().plusDays(28).toString())).token(staff()).send().json().get("round").get("id").asLong();
        long groupUnit = api.get("/api/v1/lottery/rounds/" + groupRound).send().json().get("units").get(0).get("id")
                .asLong();
        Resident individual = givenResident("resident");
        Api.Response noGroup = apply(individual, groupRound, List.of(List.of(groupUnit)), 3);
        assertThat(noGroup.status()).isEqualTo(403);
        assertThat(noGroup.json().get("detail").asText()).contains("登録団体");
        Api.Response notTheirGroup = api.post("/api/v1/lottery/rounds/" + groupRound + "/applications",
                "{\"groupId\":1,\"purpose\":\"練習\",\"attendees\":3,\"wishes\":[[" + groupUnit + "]]}")
                .token(individual.token()).send();
        assertThat(notTheirGroup.status()).isEqualTo(400);
        assertThat(count("select count(*) as n from lottery_application where round_id in (?, ?)", round, groupRound))
                .isZero();
    }

    @Test
    @Order(15)
    void aRoundNeverDrawnByItsFirstComeOpeningIsCalledOffAndItsUnitsFreed() {
        long kitchen = Sql.longValue(db("select id from room where municipality_id = ? and name = '調理実習室'", town), "id");
        Api.Response made = api.post("/api/v1/staff/lottery/rounds", roundBody(kitchen, "調理実習室", RULES))
                .token(staff()).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long round = made.json().get("round").get("id").asLong();
        long unit = api.get("/api/v1/lottery/rounds/" + round).send().json().get("units").get(0).get("id").asLong();
        assertThat(apply(givenResident("resident"), round, List.of(List.of(unit)), 3).status()).isEqualTo(201);
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        cloud.services().lottery().afterDraw().sweep();
        assertThat(count("select count(*) as n from lottery_round where id = ? and status = 'closed'", round)).isOne();
        clock.advance(Duration.ofDays(9));
        cloud.services().lottery().afterDraw().sweep();
        assertThat(count("select count(*) as n from lottery_round where id = ? and status = 'cancelled'", round)).isOne();
        assertThat(count("select count(*) as n from room_block where room_id = ? and kind = 'lottery'", kitchen)).isZero();
        assertThat(api.post("/api/v1/staff/lottery/rounds/" + round + "/draw", "{\"randomness\":\"too late 1234\"}")
                .token(staff()).send().status()).isEqualTo(409);
    }

    /** Runs the calls at once and answers their results in order. */
    static List<Integer> race(ExecutorService pool, List<Callable<Integer>> calls) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (Callable<Integer> call : calls) {
            futures.add(pool.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    // --- helpers ---

    List<Resident> winners() {
        Set<UUID> winning = cloud.database().client().execute().query("select a.account_id from lottery_win w join"
                        + " lottery_application a on a.id = w.application_id where w.round_id = ? and w.source = 'draw'",
                roundId).map(row -> Sql.uuid(row, "account_id")).collect(Collectors.toSet());
        return applicants.stream().filter(r -> winning.contains(r.id())).toList();
    }

    JsonNode wonApplication(Resident r) {
        for (JsonNode a : api.get("/api/v1/lottery/applications").token(r.token()).send().json().get("applications")) {
            if (a.get("outcome").asText().equals("won") && a.get("roundId").asLong() == roundId) {
                return a;
            }
        }
        throw new AssertionError("no win for " + r.email());
    }

    Api.Response bookUnit(Resident r, JsonNode unit) {
        return api.post("/api/v1/reservations", "{\"roomId\":" + unit.get("roomId").asLong() + ",\"start\":\""
                + unit.get("start").asText() + "\",\"end\":\"" + unit.get("end").asText()
                + "\",\"purpose\":\"先着の利用\",\"attendees\":3}").token(r.token())
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
    }

    long unit(int i) {
        return units.get(i).get("id").asLong();
    }

    Api.Response apply(Resident r, List<List<Long>> wishes, int attendees) {
        return apply(r, roundId, wishes, attendees);
    }

    Api.Response apply(Resident r, long round, List<List<Long>> wishes, int attendees) {
        String w = wishes.stream().map(l -> l.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")))
                .collect(Collectors.joining(",", "[", "]"));
        return api.post("/api/v1/lottery/rounds/" + round + "/applications", "{\"purpose\":\"合唱の練習\",\"attendees\":"
                + attendees + ",\"wishes\":" + w + "}").token(r.token()).send();
    }

    Resident givenResident(String residency) {
        return givenPerson("抽選 太郎" + serial.incrementAndGet(), residency.equals("none") ? null : "xid", residency);
    }

    Resident givenPerson(String name, String provider) {
        return givenPerson(name, provider, "resident");
    }

    Resident givenPerson(String name, String provider, String residency) {
        String email = "lottery" + serial.incrementAndGet() + "@example.jp";
        Api.Response made = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"" + name + "\"}").send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String token = api.login(email, PASSWORD);
        UUID id = UUID.fromString(api.get("/api/v1/me").token(token).send().json().get("id").asText());
        if (provider != null) {
            // What IdentityStore writes after a verification (the OIDC journey is IdentitySuite's).
            cloud.database().client().execute().update("update account set birth_date = ? where id = ?",
                    LocalDate.of(1980, 4, 1), id);
            cloud.database().client().execute().insert("insert into identity_link (account_id, municipality_id, provider,"
                    + " residency, verified_at) values (?, ?, ?, ?, ?)", id, town, provider, residency,
                    Sql.at(clock.instant()));
        }
        return new Resident(id, email, token, name);
    }

    String givenStaff(StaffRole role) {
        String email = role.wire() + "-l" + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), town, email,
                "職員 " + serial.get(), role, Set.of(hall)), PasswordHasher.DEFAULT.hash(STAFF_PASSWORD), clock.instant());
        return api.staffLogin(email, STAFF_PASSWORD);
    }

    long facilityOf(long roomId) {
        return Sql.longValue(db("select facility_id from room where id = ?", roomId), "facility_id");
    }

    static String at(Instant instant) {
        return instant.atZone(TOKYO).toOffsetDateTime().toString();
    }

    static Object instant(JsonNode unit, String field) {
        return Sql.at(java.time.OffsetDateTime.parse(unit.get(field).asText()).toInstant());
    }

    int mailsAbout(String subject) {
        return (int) java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> subject(m).contains(subject)).count();
    }

    /** Waits (up to 15 s) for more than {@code before} messages whose subject holds the text. */
    boolean awaitMail(String subject, int before) {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < until) {
            if (mailsAbout(subject) > before) {
                return true;
            }
            smtp.waitForIncomingEmail(500, smtp.getReceivedMessages().length + 1);
        }
        return false;
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    io.helidon.dbclient.DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }

    long count(String sql, Object... params) {
        return Sql.longValue(db(sql, params), "n");
    }
}
