package jp.kominkan.cloud.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bookings under load through the cluster's web front while something is killed (docs/deploy.md): many clients book
 * one-hour cells, each request with its own Idempotency-Key and sent again with the same key after a 503 or a
 * broken connection, as a well-behaved client does; some cells are wanted by two clients, so the database must
 * refuse one. Afterwards it counts what the API acknowledged and what the database holds.
 */
final class FailoverDrill {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterProcess cluster;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final List<String> tokens = new ArrayList<>();
    private final long[] rooms;
    private final ZonedDateTime origin;
    private final AtomicInteger cell = new AtomicInteger();

    /** What the clients saw, for one drill. */
    private final Set<String> acknowledged = new ConcurrentSkipListSet<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger brokenConnections = new AtomicInteger();
    private final AtomicInteger withoutRetryAfter = new AtomicInteger();
    private final AtomicLong firstWriteAfterKill = new AtomicLong();
    private volatile long killedAt;

    private FailoverDrill(ClusterProcess cluster, long[] rooms) {
        this.cluster = cluster;
        this.rooms = rooms;
        this.origin = LocalDate.now(TOKYO).plusDays(1).atStartOfDay(TOKYO);
    }

    /** @return the residents' bearer tokens */
    List<String> tokens() {
        return List.copyOf(tokens);
    }

    /** @return the drill's rooms */
    long[] rooms() {
        return rooms.clone();
    }

    /** @return the first hour booked (tomorrow, 00:00 in Tokyo) */
    ZonedDateTime origin() {
        return origin;
    }

    /**
     * Adds the drill's rooms (always open, free, far horizon, no rules) and residents.
     *
     * @param cluster the running cluster
     * @param people  how many residents book
     * @param roomCount how many rooms
     * @return the drill
     * @throws Exception when the cluster refuses
     */
    static FailoverDrill prepare(ClusterProcess cluster, int people, int roomCount) throws Exception {
        long[] rooms = new long[roomCount];
        try (Connection db = cluster.leaderConnection(); Statement sql = db.createStatement()) {
            long town = one(sql, "select id from municipality where code = '999991'");
            sql.executeUpdate("insert into facility (municipality_id, name, name_kana, address, facility_type,"
                    + " description, access_notes) values (" + town + ", 'フェイルオーバー棟', 'フェイルオーバートウ', '-',"
                    + " 'study-room', '-', '-')");
            long facility = one(sql, "select max(id) from facility");
            for (int i = 0; i < roomCount; i++) {
                sql.executeUpdate("insert into room (municipality_id, facility_id, name, capacity, booking_horizon_days,"
                        + " price_per_hour_resident, price_per_hour_non_resident) values (" + town + ", " + facility
                        + ", 'drill-" + i + "', 10, 730, 0, 0)");
                rooms[i] = one(sql, "select max(id) from room where facility_id = " + facility);
                for (int day = 1; day <= 7; day++) {
                    sql.executeUpdate("insert into room_opening_hours (room_id, iso_weekday, opens_minute, closes_minute)"
                            + " values (" + rooms[i] + ", " + day + ", 0, 1440)");
                }
            }
        }
        FailoverDrill drill = new FailoverDrill(cluster, rooms);
        for (int i = 0; i < people; i++) {
            String email = "drill-" + UUID.randomUUID() + "@example.jp";
            String password = "drill password " + i + " kominkan";
            drill.send("POST", "/api/v1/accounts", null, "{\"email\":\"" + email + "\",\"password\":\"" + password
                    + "\",\"name\":\"訓練 利用者" + i + "\"}", null, 201);
            JsonNode session = JSON.readTree(drill.send("POST", "/api/v1/session", null, "{\"email\":\"" + email
                    + "\",\"password\":\"" + password + "\"}", null, 200));
            drill.tokens.add(session.get("token").asText());
        }
        return drill;
    }

    private static long one(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private String send(String method, String path, String token, String body, String key, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.web() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": "
                    + answer.body());
        }
        return answer.body();
    }

    /**
     * Books with {@code clients} concurrent clients for {@code total}; {@code kill} runs after {@code killAfter}.
     *
     * @param clients   concurrent clients
     * @param total     how long the load runs
     * @param killAfter when the kill comes
     * @param kill      what is killed
     * @return what was seen
     * @throws Exception when the drill itself fails
     */
    Figures run(int clients, Duration total, Duration killAfter, ThrowingRunnable kill) throws Exception {
        acknowledged.clear();
        statuses.clear();
        brokenConnections.set(0);
        withoutRetryAfter.set(0);
        firstWriteAfterKill.set(0);
        killedAt = Long.MAX_VALUE;
        long end = System.nanoTime() + total.toNanos();
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        book(client, end);
                    }
                    return null;
                }));
            }
            Thread.sleep(killAfter.toMillis());
            killedAt = System.nanoTime();
            kill.run();
        }
        for (java.util.concurrent.Future<?> client : running) {
            client.get(); // a client that failed (an answer it could not read) fails the drill
        }
        return verify();
    }

    /** One booking, sent again with its key after a 503 or a broken connection, until answered or the end. */
    private void book(int client, long end) throws InterruptedException {
        int n = cell.getAndIncrement();
        // Every tenth cell is also wanted by the next client: the database must give it to one of them only.
        int slot = n % 10 == 9 ? n - 1 : n;
        long room = rooms[slot % rooms.length];
        ZonedDateTime start = origin.plusHours(slot / rooms.length);
        String body = "{\"roomId\":" + room + ",\"start\":\"" + ISO.format(start) + "\",\"end\":\""
                + ISO.format(start.plusHours(1)) + "\",\"purpose\":\"drill\",\"attendees\":1}";
        String key = UUID.randomUUID().toString();
        String token = tokens.get(client % tokens.size());
        while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(cluster.web()
                                + "/api/v1/reservations")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                int status = answer.statusCode();
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                if (status == 201 || status == 200) {
                    acknowledged.add(JSON.readTree(answer.body()).get("id").asText());
                    if (sent > killedAt) {
                        firstWriteAfterKill.compareAndSet(0, System.nanoTime());
                    }
                    return;
                }
                if (status != 503) {
                    return; // 409: the cell is taken (the shared cells); any other status is counted and checked
                }
                if (answer.headers().firstValue("Retry-After").isEmpty()) {
                    withoutRetryAfter.incrementAndGet();
                }
                Thread.sleep(250);
            } catch (java.io.IOException e) {
                brokenConnections.incrementAndGet();
                Thread.sleep(250);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Figures verify() throws Exception {
        // The database has settled when a leader answers through HAProxy.
        long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> stored = null;
        while (stored == null) {
            try (Connection db = cluster.leaderConnection()) {
                stored = ids(db);
            } catch (SQLException e) {
                if (System.nanoTime() > waitUntil) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
        Set<String> lost = new java.util.TreeSet<>(acknowledged);
        lost.removeAll(stored);
        long doubleHeld;
        try (Connection db = cluster.leaderConnection(); Statement sql = db.createStatement()) {
            doubleHeld = one(sql, """
                    select count(*) from reservation a join reservation b
                      on a.room_id = b.room_id and a.id < b.id and a.starts_at < b.ends_at and b.starts_at < a.ends_at
                    where a.status in ('held', 'confirmed') and b.status in ('held', 'confirmed')""");
        }
        Map<Integer, Integer> seen = new TreeMap<>();
        statuses.forEach((status, count) -> seen.put(status, count.get()));
        long first = firstWriteAfterKill.get();
        return new Figures(acknowledged.size(), lost.size(), doubleHeld,
                first == 0 ? Duration.ZERO.minusMillis(1) : Duration.ofNanos(first - killedAt), seen,
                brokenConnections.get(), withoutRetryAfter.get());
    }

    private static Set<String> ids(Connection db) throws SQLException {
        Set<String> ids = new java.util.HashSet<>();
        try (Statement sql = db.createStatement(); ResultSet rows = sql.executeQuery("select id from reservation")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /**
     * @param node 1–3
     * @return the node's reservations (count and a digest of their ids and statuses), to compare nodes
     * @throws SQLException when the node cannot be read
     */
    String digest(int node) throws SQLException {
        try (Connection db = cluster.nodeConnection(node); Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("select count(*) || ':' || coalesce(md5(string_agg(id::text || status,"
                     + " ',' order by id)), '-') from reservation")) {
            row.next();
            return row.getString(1);
        }
    }

    /** A kill that may throw. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * What one drill saw.
     *
     * @param acknowledged       bookings the API answered 200/201 for
     * @param lost               of those, how many the database does not hold
     * @param doubleHeld         pairs of live reservations overlapping in one room
     * @param firstWrite         from the kill to the first booking sent after it that succeeded (negative: none)
     * @param statuses           answers by HTTP status
     * @param brokenConnections  requests whose connection broke before an answer
     * @param withoutRetryAfter  503 answers that did not say when to try again
     */
    record Figures(int acknowledged, int lost, long doubleHeld, Duration firstWrite, Map<Integer, Integer> statuses,
                   int brokenConnections, int withoutRetryAfter) {

        @Override
        public String toString() {
            return String.format("acknowledged %d, lost %d, double-held %d, first write after the kill %s, answers %s,"
                            + " broken connections %d, 503 without Retry-After %d", acknowledged, lost, doubleHeld,
                    firstWrite.isNegative() ? "never" : String.format("%.1f s", firstWrite.toMillis() / 1000.0),
                    statuses, brokenConnections, withoutRetryAfter);
        }
    }
}
