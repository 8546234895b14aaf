package jp.kominkan.cloud.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.Cloud;
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
 * The grant stream numbered after the booking's commit (grant_outbox → grant_stream): gap-free and in order per
 * gateway under concurrent bookings and cancellations, numbered before the answer, left-overs numbered by the
 * sweep, and two sequencers (two cloud instances) never numbering an entry twice. On H2 and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StreamSequencingSuite {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String GATEWAY = DemoData.CODE + "-gw-ekimae";
    private static final String PASSWORD = "sequencing test password";

    private final MutableClock clock = new MutableClock(Instant.now());
    private Cloud cloud;
    private Api api;
    private DbClient db;
    private long studyRoom;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true);
        api = new Api(cloud.port());
        db = cloud.database().client();
        studyRoom = Sql.longValue(db.execute().get("select id from room where name = ?", "自習室（24時間）").orElseThrow(),
                "id");
    }

    @AfterAll
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void concurrentBookingsAndCancellationsBehindOneGatewayAreNumberedGapFreeAndInOrderBeforeTheAnswer()
            throws Exception {
        long headBefore = head();
        List<String> people = people("order", 24);
        LocalDate day = LocalDate.now(TOKYO).plusDays(3);
        List<String> booked = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int hour = 0; hour < 24; hour++) {
                String token = people.get(hour);
                ZonedDateTime start = day.atTime(hour, 0).atZone(TOKYO);
                results.add(pool.submit(() -> {
                    go.await();
                    Api.Response made = book(token, start, start.plusMinutes(45));
                    assertThat(made.status()).as(made.body()).isEqualTo(201);
                    String id = made.json().get("id").asText();
                    // Numbered before the answer: whoever reads the stream now finds the grant.
                    assertThat(issued(id)).isEqualTo(1);
                    if (start.getHour() % 2 == 0) {
                        assertThat(api.post("/api/v1/reservations/" + id + "/cancel", null).token(token).send().status())
                                .isEqualTo(200);
                    }
                    return id;
                }));
            }
            go.countDown();
            for (Future<String> result : results) {
                booked.add(result.get());
            }
        }
        assertThat(outbox()).isZero();
        List<Long> seqs = Sql.list(db.execute().query("select seq from grant_stream where gateway_id = ? and seq > ?"
                + " order by seq", GATEWAY, headBefore), row -> Sql.longValue(row, "seq"));
        assertThat(seqs).hasSize(24 + 12);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(headBefore + i + 1);
        }
        assertThat(head()).isEqualTo(seqs.getLast());
        for (String id : booked) {
            List<String> kinds = Sql.list(db.execute().query("""
                    select s.kind from grant_stream s join access_grant g on g.id = s.grant_id
                     where g.reservation_id = ? order by s.seq""", UUID.fromString(id)), row -> Sql.text(row, "kind"));
            boolean cancelled = "cancelled".equals(api.get("/api/v1/reservations/" + id)
                    .token(owner(id)).send().json().get("status").asText());
            assertThat(kinds).isEqualTo(cancelled ? List.of("issue", "revoke") : List.of("issue"));
        }
    }

    @Test
    void anEntryAWriterLeftInTheOutboxIsNumberedByTheSweep() throws Exception {
        String token = people("left", 1).getFirst();
        ZonedDateTime start = LocalDate.now(TOKYO).plusDays(4).atTime(10, 0).atZone(TOKYO);
        String id = book(token, start, start.plusHours(1)).json().get("id").asText();
        UUID grant = grantOf(id);
        long before = head();
        // As if a writer had committed a revoke and stopped before numbering it.
        db.execute().insert("insert into grant_outbox (gateway_id, kind, grant_id, message, created_at)"
                + " values (?, 'revoke', ?, ?, ?)", GATEWAY, grant, grant.toString(), Sql.at(Instant.now()));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (outbox() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);   // polling for the condition, not a fixed wait
        }
        assertThat(outbox()).isZero();
        assertThat(head()).isEqualTo(before + 1);
        assertThat(Sql.text(db.execute().get("select kind from grant_stream where gateway_id = ? and seq = ?",
                GATEWAY, before + 1).orElseThrow(), "kind")).isEqualTo("revoke");
    }

    @Test
    void twoSequencersOnOneDatabaseNumberEveryEntryOnceAndGapFree() throws Exception {
        String token = people("two", 1).getFirst();
        ZonedDateTime start = LocalDate.now(TOKYO).plusDays(5).atTime(10, 0).atZone(TOKYO);
        UUID grant = grantOf(book(token, start, start.plusHours(1)).json().get("id").asText());
        long before = head();
        int entries = 1200;   // more than two batches
        DbTransaction tx = db.transaction();
        for (int i = 0; i < entries; i++) {
            tx.insert("insert into grant_outbox (gateway_id, kind, grant_id, message, created_at)"
                    + " values (?, 'revoke', ?, ?, ?)", GATEWAY, grant, "entry-" + i, Sql.at(Instant.now()));
        }
        tx.commit();
        StreamSequencer one = new StreamSequencer(db);
        StreamSequencer two = new StreamSequencer(db);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> sweeps = new ArrayList<>();
            for (StreamSequencer sequencer : List.of(one, two, one, two)) {
                sweeps.add(pool.submit(() -> {
                    go.await();
                    return sequencer.sweep();
                }));
            }
            go.countDown();
            for (Future<Integer> sweep : sweeps) {
                sweep.get();
            }
        }
        assertThat(outbox()).isZero();
        List<Map.Entry<Long, String>> numbered = Sql.list(db.execute().query("""
                select seq, message from grant_stream where gateway_id = ? and seq > ? order by seq""", GATEWAY, before),
                row -> Map.entry(Sql.longValue(row, "seq"), Sql.text(row, "message")));
        // The timer's own sweep may have taken some: together, every entry exactly once, numbered in outbox order.
        assertThat(numbered).hasSize(entries);
        for (int i = 0; i < entries; i++) {
            assertThat(numbered.get(i).getKey()).isEqualTo(before + i + 1);
            assertThat(numbered.get(i).getValue()).isEqualTo("entry-" + i);
        }
        assertThat(head()).isEqualTo(before + entries);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private final Map<String, String> owners = new java.util.concurrent.ConcurrentHashMap<>();

    private Api.Response book(String token, ZonedDateTime start, ZonedDateTime end) {
        Api.Response made = api.post("/api/v1/reservations", "{\"roomId\":" + studyRoom + ",\"start\":\""
                        + start.toOffsetDateTime() + "\",\"end\":\"" + end.toOffsetDateTime()
                        + "\",\"purpose\":\"自習\",\"attendees\":1}")
                .token(token).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        if (made.status() == 201) {
            owners.put(made.json().get("id").asText(), token);
        }
        return made;
    }

    private String owner(String reservationId) {
        return owners.get(reservationId);
    }

    /** New residents, one booking each: the stream, not anyone's quota, is under test. */
    private List<String> people(String prefix, int n) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String email = prefix + "-" + i + "-" + UUID.randomUUID() + "@example.jp";
            Api.Response made = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                    + "\",\"name\":\"順番 確認\"}").send();
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            tokens.add(api.login(email, PASSWORD));
        }
        return tokens;
    }

    private long issued(String reservationId) {
        return Sql.longValue(db.execute().get("""
                select count(*) as n from grant_stream s join access_grant g on g.id = s.grant_id
                 where g.reservation_id = ? and s.kind = 'issue'""", UUID.fromString(reservationId)).orElseThrow(), "n");
    }

    private UUID grantOf(String reservationId) {
        return Sql.uuid(db.execute().get("select id from access_grant where reservation_id = ?",
                UUID.fromString(reservationId)).orElseThrow(), "id");
    }

    private long head() {
        return Sql.longValue(db.execute().get("select stream_head from gateway where id = ?", GATEWAY).orElseThrow(),
                "stream_head");
    }

    private long outbox() {
        return Sql.longValue(db.execute().get("select count(*) as n from grant_outbox").orElseThrow(), "n");
    }
}
