package jp.kominkan.cloud.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fair booking rules (issue 15 part 1) over real HTTP against a real database: booking windows by who books,
 * quotas kept by the database under a race, and staff setting them with the facility-admin permission only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FairBookingSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "a long and rare passphrase 42";

    final MutableClock clock = new MutableClock(Instant.parse("2027-01-12T01:00:00Z")); // Tue 12 Jan 2027, 10:00 JST
    final AtomicInteger serial = new AtomicInteger();
    Cloud cloud;
    Api api;
    long town;
    String admin;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true);
        api = new Api(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), cloud.port());
        town = Sql.longValue(cloud.database().client().execute().get("select id from municipality where code = ?",
                DemoData.CODE).orElseThrow(), "id");
        admin = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    @AfterAll
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    // ---- booking windows ---------------------------------------------------------------------------

    @Test
    void eachBookerGetsTheWindowOfWhoTheyAreAndIsToldWhenItOpens() {
        Room room = givenRoom();
        setRules(room.facility(), WINDOW_3_1_14, "[]");
        String unverified = givenPerson(null);
        String resident = givenPerson("resident");
        String nonResident = givenPerson("non-resident");

        // Today is 2027-01-12 10:00. Unverified: 14 days rolling, so 2027-01-26 is the last day.
        assertThat(book(unverified, room.id(), LocalDate.of(2027, 1, 26), "10:00", "11:00").status()).isEqualTo(201);
        Api.Response early = book(unverified, room.id(), LocalDate.of(2027, 1, 27), "10:00", "11:00");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("type").asText()).endsWith("not-yet-open");
        assertThat(japanese(unverified, room.id(), LocalDate.of(2027, 1, 27)))
                .contains("本人確認がお済みでない方は", "2027-01-27 の利用を 2027-01-13 0:00 から予約できます");

        // Non-residents: one month, the 1st at 9:00: February is open, March opens on 2027-02-01 9:00.
        assertThat(book(nonResident, room.id(), LocalDate.of(2027, 2, 28), "10:00", "11:00").status()).isEqualTo(201);
        assertThat(book(nonResident, room.id(), LocalDate.of(2027, 3, 1), "10:00", "11:00").status()).isEqualTo(409);
        assertThat(japanese(nonResident, room.id(), LocalDate.of(2027, 3, 1)))
                .contains("市外の方は、2027-03-01 の利用を 2027-02-01 9:00 から予約できます");

        // Residents: three months: April is open, May opens on 2027-02-01 9:00.
        assertThat(book(resident, room.id(), LocalDate.of(2027, 4, 30), "10:00", "11:00").status()).isEqualTo(201);
        assertThat(japanese(resident, room.id(), LocalDate.of(2027, 5, 1)))
                .contains("市内在住の方・登録団体は、2027-05-01 の利用を 2027-02-01 9:00 から予約できます");

        // The quote says the same as the booking.
        Api.Response quote = api.post("/api/v1/quotes", body(room.id(), LocalDate.of(2027, 3, 1), "10:00", "11:00"))
                .token(nonResident).send();
        assertThat(quote.status()).isEqualTo(409);
        assertThat(quote.json().get("type").asText()).endsWith("not-yet-open");
    }

    @Test
    void aMonthOpensAtTheSetHourAndNotASecondBefore() {
        Room room = givenRoom();
        setRules(room.facility(), WINDOW_3_1_14, "[]");
        Instant was = clock.instant();
        try {
            clock.advance(java.time.Duration.between(was, Instant.parse("2027-01-31T23:59:59Z"))); // 2027-02-01 8:59:59 JST
            String nonResident = givenPerson("non-resident");
            assertThat(book(nonResident, room.id(), LocalDate.of(2027, 3, 10), "10:00", "11:00").status()).isEqualTo(409);
            clock.advance(java.time.Duration.ofSeconds(1)); // 9:00 JST
            assertThat(book(nonResident, room.id(), LocalDate.of(2027, 3, 10), "10:00", "11:00").status()).isEqualTo(201);
        } finally {
            clock.advance(java.time.Duration.between(clock.instant(), was));
        }
    }

    @Test
    void aFacilityWithoutAWindowKeepsTheRoomsHorizonForEveryone() {
        Room room = givenRoom(); // horizon 90 days
        String unverified = givenPerson(null);
        assertThat(book(unverified, room.id(), LocalDate.of(2027, 4, 12), "10:00", "11:00").status()).isEqualTo(201);
        Api.Response beyond = book(unverified, room.id(), LocalDate.of(2027, 4, 13), "10:00", "11:00");
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.json().get("type").asText()).endsWith("beyond-horizon");
    }

    // ---- quotas ------------------------------------------------------------------------------------

    @Test
    void tenBookingsAtOnceForACapOfFourGiveExactlyFourAndACancelledOneFreesItsPlace() throws Exception {
        Room room = givenRoom();
        setRules(room.facility(), null, "[{\"subject\":\"person\",\"measure\":\"bookings\",\"period\":\"month\","
                + "\"days\":\"all\",\"cap\":4}]");
        String person = givenPerson("resident");
        LocalDate day = LocalDate.of(2027, 2, 15);
        List<String> won = Collections.synchronizedList(new ArrayList<>());
        List<String> refused = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> racers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String from = LocalTime.of(8 + i, 0).toString();
                String to = LocalTime.of(8 + i, 45).toString();
                racers.add(pool.submit(() -> {
                    go.await();
                    Api.Response r = book(person, room.id(), day, from, to);
                    if (r.status() == 201) {
                        won.add(r.json().get("id").asText());
                    } else {
                        refused.add(r.status() + " " + r.json().get("type").asText());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> racer : racers) {
                racer.get();
            }
        }
        assertThat(won).hasSize(4);
        assertThat(refused).hasSize(6).allMatch(r -> r.startsWith("409 ") && r.endsWith("quota-full"));
        assertThat(placesOf("account:" + accountId(person))).containsExactlyInAnyOrder(1, 2, 3, 4);

        Api.Response full = book(person, room.id(), day.plusDays(1), "10:00", "11:00");
        assertThat(full.status()).isEqualTo(409);
        assertThat(full.json().get("detail").asText()).contains("1 か月に 4 回まで");
        assertThat(api.post("/api/v1/reservations/" + won.get(2) + "/cancel", null).token(person).send().status())
                .isEqualTo(200);
        assertThat(placesOf("account:" + accountId(person))).hasSize(3);
        assertThat(book(person, room.id(), day.plusDays(1), "10:00", "11:00").status()).isEqualTo(201);
        assertThat(placesOf("account:" + accountId(person))).containsExactlyInAnyOrder(1, 2, 3, 4);
        // Another month is another period.
        assertThat(book(person, room.id(), LocalDate.of(2027, 3, 1), "10:00", "11:00").status()).isEqualTo(201);
    }

    @Test
    void anUnverifiedAccountHasTheTighterCapAndIsToldTheRuleInJapanese() {
        Room room = givenRoom();
        setRules(room.facility(), null, "[{\"subject\":\"person\",\"measure\":\"bookings\",\"period\":\"month\","
                + "\"days\":\"all\",\"cap\":4,\"unverifiedCap\":1}]");
        String unverified = givenPerson(null);
        String verified = givenPerson("non-resident");
        LocalDate day = LocalDate.of(2027, 1, 20);
        assertThat(book(unverified, room.id(), day, "09:00", "10:00").status()).isEqualTo(201);
        Api.Response second = book(unverified, room.id(), day, "11:00", "12:00");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("type").asText()).endsWith("quota-full");
        Api.Response ja = api.post("/api/v1/reservations", body(room.id(), day, "13:00", "14:00")).token(unverified)
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Accept-Language", "ja").send();
        assertThat(ja.json().get("detail").asText()).contains("1 か月に 1 回まで", "2027年1月");
        // The quote warns too, before the booking.
        assertThat(api.post("/api/v1/quotes", body(room.id(), day, "13:00", "14:00")).token(unverified).send().status())
                .isEqualTo(409);
        for (int i = 0; i < 4; i++) {
            assertThat(book(verified, room.id(), day.plusDays(1), (10 + i) + ":00", (10 + i) + ":30").status())
                    .isEqualTo(201);
        }
    }

    @Test
    void weekendsAndHolidaysHaveTheirOwnCap() {
        Room room = givenRoom();
        setRules(room.facility(), null, "[{\"subject\":\"person\",\"measure\":\"bookings\",\"period\":\"month\","
                + "\"days\":\"holidays\",\"cap\":1}]");
        String person = givenPerson("resident");
        // 2027-02-11 is 建国記念の日 (a Thursday); 2027-02-13 a Saturday; 2027-02-15 a Monday.
        assertThat(book(person, room.id(), LocalDate.of(2027, 2, 11), "10:00", "11:00").status()).isEqualTo(201);
        assertThat(book(person, room.id(), LocalDate.of(2027, 2, 13), "10:00", "11:00").status()).isEqualTo(409);
        assertThat(book(person, room.id(), LocalDate.of(2027, 2, 15), "10:00", "11:00").status()).isEqualTo(201);
        assertThat(book(person, room.id(), LocalDate.of(2027, 2, 16), "10:00", "11:00").status()).isEqualTo(201);
    }

    @Test
    void hoursAWeekCountEveryQuarterHour() {
        Room room = givenRoom();
        setRules(room.facility(), null, "[{\"subject\":\"person\",\"measure\":\"hours\",\"period\":\"week\","
                + "\"days\":\"all\",\"cap\":2}]");
        String person = givenPerson("resident");
        LocalDate monday = LocalDate.of(2027, 2, 1).with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
        assertThat(book(person, room.id(), monday, "10:00", "11:30").status()).isEqualTo(201);
        Api.Response over = book(person, room.id(), monday.plusDays(2), "10:00", "10:45");
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.json().get("detail").asText()).contains("1 週間に 2 時間まで");
        assertThat(book(person, room.id(), monday.plusDays(6), "10:00", "10:30").status()).isEqualTo(201);
        assertThat(book(person, room.id(), monday.plusDays(7), "10:00", "12:00").status()).isEqualTo(201);
    }

    @Test
    void aHoldThatLapsedUnpaidGivesItsPlaceBack() {
        Room room = givenRoom(1000); // paid: held until paid, 72 hours
        setRules(room.facility(), null, "[{\"subject\":\"person\",\"measure\":\"bookings\",\"period\":\"month\","
                + "\"days\":\"all\",\"cap\":1}]");
        String person = givenPerson("resident");
        Api.Response held = book(person, room.id(), LocalDate.of(2027, 2, 22), "10:00", "11:00");
        assertThat(held.json().get("status").asText()).isEqualTo("held");
        assertThat(book(person, room.id(), LocalDate.of(2027, 2, 23), "10:00", "11:00").status()).isEqualTo(409);
        clock.advance(java.time.Duration.ofHours(73));
        try {
            assertThat(book(person, room.id(), LocalDate.of(2027, 2, 23), "10:00", "11:00").status()).isEqualTo(201);
            assertThat(placesOf("account:" + accountId(person))).containsExactly(1);
        } finally {
            clock.advance(java.time.Duration.ofHours(-73));
        }
    }

    @Test
    void theDatabaseItselfRefusesAPlaceBeyondTheCap() {
        Room room = givenRoom();
        setRules(room.facility(), null, "[{\"subject\":\"person\",\"measure\":\"bookings\",\"period\":\"month\","
                + "\"days\":\"all\",\"cap\":1}]");
        String person = givenPerson("resident");
        Api.Response made = book(person, room.id(), LocalDate.of(2027, 2, 2), "10:00", "11:00");
        assertThat(made.status()).isEqualTo(201);
        long quota = Sql.longValue(cloud.database().client().execute().get(
                "select id from booking_quota where facility_id = ?", room.facility()).orElseThrow(), "id");
        UUID reservation = UUID.fromString(made.json().get("id").asText());
        String subject = "account:" + accountId(person);
        assertThatThrownBy(() -> cloud.database().client().execute().insert("insert into quota_use (subject, quota_id,"
                + " period_start, ordinal, cap, reservation_id) values (?, ?, ?, 2, 1, ?)", subject, quota,
                LocalDate.of(2027, 2, 1), reservation)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> cloud.database().client().execute().insert("insert into quota_use (subject, quota_id,"
                + " period_start, ordinal, cap, reservation_id) values (?, ?, ?, 1, 5, ?)", subject, quota,
                LocalDate.of(2027, 2, 1), reservation)).isInstanceOf(RuntimeException.class);
    }

    // ---- staff setting the rules --------------------------------------------------------------------

    @Test
    void onlyAFacilityAdministratorOfTheFacilitySetsItsRulesAndBadRulesChangeNothing() {
        Room room = givenRoom();
        String path = "/api/v1/staff/booking-rules/" + room.facility();
        String rules = "{\"window\":" + WINDOW_3_1_14 + ",\"quotas\":[]}";
        assertThat(api.put(path, rules).send().status()).isEqualTo(401);
        assertThat(api.put(path, rules).token(givenStaff(StaffRole.CLERK, room.facility())).send().status()).isEqualTo(403);
        assertThat(api.put(path, rules).token(givenStaff(StaffRole.FACILITY, otherFacility())).send().status())
                .isEqualTo(403);
        String resident = givenPerson("resident");
        assertThat(api.put(path, rules).token(resident).send().status()).isEqualTo(401);
        assertThat(api.put("/api/v1/staff/booking-rules/99999999", rules).token(admin).send().status()).isEqualTo(404);

        String facilityAdmin = givenStaff(StaffRole.FACILITY, room.facility());
        Api.Response set = api.put(path, rules).token(facilityAdmin).contentType("application/json").send();
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("window").get("residentMonths").asInt()).isEqualTo(3);

        for (String bad : List.of(
                "{\"window\":{\"residentMonths\":1,\"nonResidentMonths\":3,\"unverifiedDays\":14,\"opensDay\":1,\"opensHour\":9}}",
                "{\"window\":{\"residentMonths\":3,\"nonResidentMonths\":1,\"unverifiedDays\":14,\"opensDay\":31,\"opensHour\":9}}",
                "{\"window\":{\"residentMonths\":3,\"nonResidentMonths\":1,\"unverifiedDays\":-1,\"opensDay\":1,\"opensHour\":9}}",
                "{\"quotas\":[{\"subject\":\"person\",\"measure\":\"bookings\",\"period\":\"month\",\"days\":\"all\",\"cap\":0}]}",
                "{\"quotas\":[{\"subject\":\"nobody\",\"measure\":\"bookings\",\"period\":\"month\",\"days\":\"all\",\"cap\":2}]}",
                "{\"quotas\":[{\"subject\":\"group\",\"measure\":\"bookings\",\"period\":\"month\",\"days\":\"all\",\"cap\":2,\"unverifiedCap\":1}]}",
                "{\"quotas\":[{\"subject\":\"person\",\"measure\":\"bookings\",\"period\":\"month\",\"days\":\"all\",\"cap\":2,\"unverifiedCap\":3}]}",
                "{\"quotas\":[{\"subject\":\"person\",\"measure\":\"hours\",\"period\":\"week\",\"days\":\"all\",\"cap\":2},"
                        + "{\"subject\":\"person\",\"measure\":\"hours\",\"period\":\"week\",\"days\":\"all\",\"cap\":3}]}",
                "{\"window\":[1,2]}", "[1]")) {
            Api.Response refused = api.put(path, bad).token(facilityAdmin).contentType("application/json")
                    .header("Accept-Language", "ja").send();
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.contentType()).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        }
        Api.Response now = api.get(path).token(facilityAdmin).send();
        assertThat(now.json().get("window").get("residentMonths").asInt()).isEqualTo(3);
        assertThat(now.json().get("quotas")).isEmpty();
        // A form post from another site (no JSON type) is refused.
        assertThat(api.put(path, rules).token(facilityAdmin).contentType("text/plain").send().status()).isEqualTo(415);
        // The change is in the operation log.
        assertThat(Sql.longValue(cloud.database().client().execute().get(
                "select count(*) as n from staff_operation where action = 'booking-rules.set' and facility_id = ?",
                room.facility()).orElseThrow(), "n")).isEqualTo(1);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    static final String WINDOW_3_1_14 = "{\"residentMonths\":3,\"nonResidentMonths\":1,\"unverifiedDays\":14,"
            + "\"opensDay\":1,\"opensHour\":9}";

    /** A room of a facility of its own, open every day all day, free, with a horizon of 90 days. */
    record Room(long id, long facility) {
    }

    Room givenRoom() {
        return givenRoom(0);
    }

    Room givenRoom(int yenPerHour) {
        return Sql.inTransaction(cloud.database().client(), tx -> {
            int n = serial.incrementAndGet();
            tx.insert("""
                    insert into facility (municipality_id, name, name_kana, address, facility_type, description, access_notes)
                    values (?, ?, 'コウヘイカイカン', '公平町1', 'community-center', '公平な予約の試験用', '')""",
                    town, "公平会館 " + n);
            long facility = Sql.longValue(tx.get("select max(id) as id from facility where municipality_id = ?", town)
                    .orElseThrow(), "id");
            long room = DemoData.room(tx, town, facility, "室 " + n, 10, 90, yenPerHour, yenPerHour,
                    List.of(DayOfWeek.values()), 0, 24 * 60);
            return new Room(room, facility);
        });
    }

    long otherFacility() {
        return givenRoom().facility();
    }

    void setRules(long facility, String window, String quotas) {
        Api.Response set = api.put("/api/v1/staff/booking-rules/" + facility, "{\"window\":" + window + ",\"quotas\":"
                + quotas + "}").token(admin).contentType("application/json").send();
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    /** @return a session token of a new account, verified with this residency, or not verified when null */
    String givenPerson(String residency) {
        String email = "fair" + serial.incrementAndGet() + "-" + kind().name().toLowerCase() + "@example.jp";
        Api.Response made = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"公平 太郎\"}").send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String token = api.login(email, PASSWORD);
        if (residency != null) {
            UUID id = accountId(token);
            cloud.database().client().execute().insert("insert into identity_link (account_id, municipality_id, provider,"
                    + " residency, verified_at) values (?, ?, ?, ?, ?)", id, town, "xid", residency,
                    Sql.at(clock.instant()));
        }
        return token;
    }

    String givenStaff(StaffRole role, long facility) {
        String email = role.wire() + "-f" + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), town, email,
                "職員 " + serial.get(), role, Set.of(facility)), PasswordHasher.DEFAULT.hash(PASSWORD), clock.instant());
        return api.staffLogin(email, PASSWORD);
    }

    UUID accountId(String token) {
        return UUID.fromString(api.get("/api/v1/me").token(token).send().json().get("id").asText());
    }

    List<Integer> placesOf(String subject) {
        return Sql.list(cloud.database().client().execute().query(
                "select ordinal from quota_use where subject = ?", subject), row -> Sql.integer(row, "ordinal"));
    }

    Api.Response book(String token, long room, LocalDate day, String from, String to) {
        return api.post("/api/v1/reservations", body(room, day, from, to)).token(token)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
    }

    String japanese(String token, long room, LocalDate day) {
        Api.Response r = api.post("/api/v1/reservations", body(room, day, "10:00", "11:00")).token(token)
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Accept-Language", "ja").send();
        assertThat(r.status()).isEqualTo(409);
        return r.json().get("detail").asText();
    }

    static String body(long room, LocalDate day, String from, String to) {
        return "{\"roomId\":" + room + ",\"start\":\"" + day.atTime(LocalTime.parse(from)).atZone(TOKYO).toOffsetDateTime()
                + "\",\"end\":\"" + day.atTime(LocalTime.parse(to)).atZone(TOKYO).toOffsetDateTime()
                + "\",\"purpose\":\"test\",\"attendees\":3}";
    }
}
