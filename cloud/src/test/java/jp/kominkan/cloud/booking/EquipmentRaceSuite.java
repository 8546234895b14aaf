package jp.kominkan.cloud.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.fee.EquipmentCatalog;
import jp.kominkan.cloud.fee.FeeRequest;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.LedgerInvariant;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Equipment stock under concurrency (issue 12, "stock that the database will not overbook"): 50 bookings of 50
 * rooms of one facility at the same time, each wanting one of its 5 projectors, over real HTTP against a real
 * database. Exactly 5 get one; {@code equipment_slot} never holds more pieces than there are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EquipmentRaceSuite {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final int ROOMS = 50;
    private static final int PROJECTORS = 5;

    final MutableClock clock = new MutableClock(Instant.now());
    Cloud cloud;
    Api api;
    String resident;
    long town;
    long facility;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true);
        api = new Api(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), cloud.port());
        resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        town = Sql.longValue(cloud.database().client().execute().get("select id from municipality where code = ?",
                DemoData.CODE).orElseThrow(), "id");
        facility = Sql.inTransaction(cloud.database().client(), tx -> {
            tx.insert("""
                    insert into facility (municipality_id, name, name_kana, address, facility_type, description, access_notes)
                    values (?, '貸出会館', 'カシダシカイカン', '貸出町1', 'community-center', '附属設備の試験用', '')""", town);
            return Sql.longValue(tx.get("select max(id) as id from facility where municipality_id = ?", town)
                    .orElseThrow(), "id");
        });
    }

    @AfterAll
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @AfterEach
    void theLedgerAddsUp() {
        LedgerInvariant.check(cloud.database().client());
    }

    @Test
    void fiftyBookingsForFiveProjectorsAtOnceGiveExactlyFiveAndCancellingOneFreesIt() throws Exception {
        long projector = givenEquipment("projector", PROJECTORS);
        List<Long> rooms = givenRooms(ROOMS + 1);
        LocalDate day = clock.instant().atZone(TOKYO).toLocalDate().plusDays(10);
        Map<Integer, List<String>> outcomes = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> racers = new ArrayList<>();
            for (int i = 0; i < ROOMS; i++) {
                long room = rooms.get(i);
                racers.add(pool.submit(() -> {
                    go.await();
                    Api.Response r = book(room, day, "10:00", "12:00", "projector");
                    outcomes.computeIfAbsent(r.status(), s -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(r.status() == 201 ? r.json().get("id").asText() : r.json().get("type").asText());
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> racer : racers) {
                racer.get();
            }
        }
        assertThat(outcomes.keySet()).containsOnly(201, 409);
        assertThat(outcomes.get(201)).hasSize(PROJECTORS);
        assertThat(outcomes.get(409)).hasSize(ROOMS - PROJECTORS)
                .allMatch(type -> type.endsWith("equipment-unavailable") || type.endsWith("busy"));
        assertThat(mostUnitsInASlot(projector)).isEqualTo(PROJECTORS);
        assertThat(holders(projector)).containsExactlyInAnyOrderElementsOf(outcomes.get(201));

        Api.Response full = book(rooms.get(ROOMS), day, "11:00", "11:30", "projector");
        assertThat(full.status()).isEqualTo(409);
        assertThat(full.json().get("type").asText()).endsWith("equipment-unavailable");

        String winner = outcomes.get(201).getFirst();
        assertThat(api.post("/api/v1/reservations/" + winner + "/cancel", null).token(resident).send().status())
                .isEqualTo(200);
        assertThat(holders(projector)).doesNotContain(winner).hasSize(PROJECTORS - 1);
        assertThat(book(rooms.get(ROOMS), day, "11:00", "11:30", "projector").status()).isEqualTo(201);
        assertThat(mostUnitsInASlot(projector)).isEqualTo(PROJECTORS);
    }

    @Test
    void anUnpaidHoldPastItsDeadlineNoLongerKeepsItsEquipment() {
        long microphone = givenEquipment("microphone", 1);
        List<Long> rooms = givenRooms(2);
        LocalDate day = clock.instant().atZone(TOKYO).toLocalDate().plusDays(20);
        Api.Response first = book(rooms.get(0), day, "14:00", "16:00", "microphone");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("status").asText()).isEqualTo("held");
        assertThat(book(rooms.get(1), day, "15:00", "16:00", "microphone").status()).isEqualTo(409);

        clock.advance(Duration.ofHours(73));
        try {
            Api.Response second = api.post("/api/v1/reservations", body(rooms.get(1), day, "15:00", "16:00", "microphone"))
                    .token(api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD))
                    .header("Idempotency-Key", UUID.randomUUID().toString()).send();
            assertThat(second.status()).as(second.body()).isEqualTo(201);
            assertThat(mostUnitsInASlot(microphone)).isEqualTo(1);
        } finally {
            clock.advance(Duration.ofHours(-73));
        }
    }

    private Api.Response book(long room, LocalDate day, String from, String to, String equipment) {
        return api.post("/api/v1/reservations", body(room, day, from, to, equipment)).token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
    }

    private static String body(long room, LocalDate day, String from, String to, String equipment) {
        return "{\"roomId\":" + room + ",\"start\":\"" + day.atTime(LocalTime.parse(from)).atZone(TOKYO).toOffsetDateTime()
                + "\",\"end\":\"" + day.atTime(LocalTime.parse(to)).atZone(TOKYO).toOffsetDateTime()
                + "\",\"purpose\":\"test\",\"attendees\":3,\"equipment\":{\"" + equipment + "\":1}}";
    }

    private long givenEquipment(String code, int stock) {
        return Sql.inTransaction(cloud.database().client(), tx -> EquipmentCatalog.save(tx, town, facility, code,
                code + "（試験）", 500, FeeRequest.Per.USE, stock)).id();
    }

    private List<Long> givenRooms(int count) {
        return Sql.inTransaction(cloud.database().client(), tx -> {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(DemoData.room(tx, town, facility, "室 " + UUID.randomUUID(), 10, 90, 0, 0,
                        List.of(DayOfWeek.values()), 0, 24 * 60));
            }
            return ids;
        });
    }

    /** @return the most pieces of this equipment taken in any one 15-minute slot */
    private long mostUnitsInASlot(long equipment) {
        return Sql.list(cloud.database().client().execute().query(
                        "select slot_start, count(*) as n from equipment_slot where equipment_id = ? group by slot_start",
                        equipment), row -> Sql.longValue(row, "n")).stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private List<String> holders(long equipment) {
        return Sql.list(cloud.database().client().execute().query(
                "select distinct reservation_id from equipment_slot where equipment_id = ?", equipment),
                row -> Sql.text(row, "reservation_id"));
    }
}
