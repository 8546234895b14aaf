package jp.kominkan.cloud.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.booking.RoomHttpService;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;

/**
 * {@code ./kominkan bench booking}: booking throughput and latency over HTTP, the same-slot race,
 * and a month of availability, on H2 (file, as the demo runs it) and on PostgreSQL. Prints its
 * workload with every figure. Run by hand; figures go to the README.
 */
public final class BookingBench {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final int ROOMS = 64;
    private static final int PEOPLE = 64;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final Cloud cloud;
    private final String label;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** One signed-in resident per client slot: people book for themselves, and one account's bookings queue on its
     * own quota row. */
    private final String[] tokens;
    private final long[] rooms;
    private final AtomicInteger cell = new AtomicInteger();
    private final ZonedDateTime origin;

    private BookingBench(Cloud cloud, String label) {
        this.cloud = cloud;
        this.label = label;
        this.tokens = residents(new Api(client, cloud.port()), PEOPLE);
        this.rooms = benchRooms(cloud);
        this.origin = LocalDate.now(TOKYO).plusDays(1).atStartOfDay(TOKYO);
    }

    /**
     * @param args {@code [h2|postgresql|both] [bookings|statements|hold]}: which databases; {@code bookings} runs
     *             only a long 16-client booking phase (for profiling), {@code statements} lists H2's statements per
     *             booking, {@code hold} keeps a server up for wrk
     * @throws Exception when the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        boolean onlyBookings = args.length > 1 && args[1].equals("bookings");
        if (args.length > 1 && args[1].equals("hold")) {
            hold(which);
            return;
        }
        if (args.length > 1 && args[1].equals("statements")) {
            statements();
            System.exit(0);
        }
        System.out.printf("Kominkan booking benchmark — %d cores, Java %s, %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        System.out.println("Client and server share this machine (JDK HttpClient, HTTP/1.1, keep-alive).");
        if (!which.equals("postgresql")) {
            TestDatabases.Jdbc h2 = freshH2();
            run(h2, "H2 (file, WRITE_DELAY=0)", onlyBookings);
        }
        if (!which.equals("h2")) {
            run(TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL), "PostgreSQL 17 (embedded server, fsync on)",
                    onlyBookings);
        }
        System.exit(0);
    }

    /**
     * Keeps a cloud with the bench's rooms and residents up for an outside load generator (wrk), and writes what
     * bench/wrk-booking.lua needs to {@code target/bench-wrk.env}: port, rooms, tokens, first hour. Ctrl-C stops it.
     */
    private static void hold(String which) throws Exception {
        TestDatabases.Jdbc jdbc = which.equals("postgresql") ? TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL)
                : freshH2();
        Cloud cloud = TestCloud.start(jdbc, Clock.systemUTC(), true);
        BookingBench bench = new BookingBench(cloud, which);
        Path env = Path.of("target", "bench-wrk.env").toAbsolutePath();
        Files.createDirectories(env.getParent());
        Files.writeString(env, "export KOMINKAN_PORT=" + cloud.port()
                + "\nexport KOMINKAN_ROOMS=" + String.join(",", Arrays.stream(bench.rooms).mapToObj(Long::toString).toList())
                + "\nexport KOMINKAN_TOKENS=" + String.join(",", bench.tokens)
                + "\nexport KOMINKAN_ORIGIN=" + bench.origin.toEpochSecond() + "\n");
        System.out.println("Holding " + (which.equals("postgresql") ? "PostgreSQL" : "H2") + " on port " + cloud.port()
                + "; for wrk: source " + env + " (Ctrl-C stops)");
        Runtime.getRuntime().addShutdownHook(new Thread(cloud::close));
        Thread.currentThread().join();
    }

    /** Every SQL statement 1,000 bookings run on H2, with how often and how long: where a booking's time goes. */
    private static void statements() throws Exception {
        TestDatabases.Jdbc h2 = freshH2();
        try (Cloud cloud = TestCloud.start(h2, Clock.systemUTC(), true)) {
            BookingBench bench = new BookingBench(cloud, "statements");
            bench.bookings("warm-up (not counted)", 1, 500);
            var db = cloud.database().client();
            db.execute().dml("set query_statistics true");
            db.execute().dml("set query_statistics_max_entries 500");
            bench.bookings("bookings, sequential", 1, 1000);
            System.out.println("per booking: executions, ms (cumulative / 1000), statement");
            db.execute().query("""
                    select sql_statement, execution_count, cumulative_execution_time from information_schema.query_statistics
                     order by cumulative_execution_time desc""").forEach(row -> System.out.printf("%6.2f %7.3f  %s%n",
                    Sql.longValue(row, "execution_count") / 1000.0,
                    ((Number) row.column("cumulative_execution_time").get()).doubleValue() / 1000.0,
                    Sql.text(row, "sql_statement").replaceAll("\\s+", " ")));
        }
    }

    /** An H2 file database in a new temporary folder, durable as the demo runs it. */
    private static TestDatabases.Jdbc freshH2() throws java.io.IOException {
        Path dir = Files.createTempDirectory("kominkan-bench-h2");
        return new TestDatabases.Jdbc("jdbc:h2:file:" + dir.resolve("kominkan")
                + ";DATABASE_TO_LOWER=TRUE;QUERY_CACHE_SIZE=256;WRITE_DELAY=0;LOCK_TIMEOUT=10000", "sa", "");
    }

    private static void run(TestDatabases.Jdbc jdbc, String label, boolean onlyBookings) throws Exception {
        System.out.println();
        System.out.println("== " + label);
        try (Cloud cloud = TestCloud.start(jdbc, Clock.systemUTC(), true)) {
            BookingBench bench = new BookingBench(cloud, label);
            if (onlyBookings) {
                bench.bookings("warm-up (not counted)", 16, 3000);
                bench.bookings("bookings, 16 clients", 16, 30000);
                return;
            }
            bench.bookings("warm-up (not counted)", 1, 1500);
            bench.bookings("bookings, sequential", 1, 2000);
            bench.bookings("bookings, 16 clients", 16, 10000);
            bench.bookings("bookings, 64 clients", 64, 10000);
            bench.race(200);
            bench.availability(2000);
        }
    }

    /** Books distinct one-hour cells (room × hour) so that every request should succeed. */
    private void bookings(String name, int clients, int total) throws Exception {
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        int n = cell.getAndIncrement();
                        ZonedDateTime start = origin.plusHours(n / ROOMS);
                        long t0 = System.nanoTime();
                        int status = post(tokens[n % PEOPLE], rooms[n % ROOMS], start, start.plusHours(1));
                        latencies[i] = System.nanoTime() - t0;
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%-34s %6d requests  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  statuses %s%n",
                name, total, total / seconds, percentile(latencies, 50), percentile(latencies, 99), statuses);
    }

    private void race(int racers) throws Exception {
        ZonedDateTime start = origin.plusDays(300);
        CountDownLatch go = new CountDownLatch(1);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String token = tokens[i % PEOPLE];
                all.add(pool.submit(() -> {
                    go.await();
                    int status = post(token, rooms[0], start, start.plusHours(1));
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get();
            }
        }
        long holders = Sql.list(cloud.database().client().execute().query(
                "select distinct reservation_id from room_slot where room_id = ? and slot_start >= ? and slot_start < ?",
                rooms[0], Sql.at(start.toInstant()), Sql.at(start.plusHours(1).toInstant())), row -> row).size();
        System.out.printf("%-34s %6d racers for one slot: %s; reservations holding the slot afterwards: %d%n",
                "same-slot race", racers, statuses, holders);
    }

    /** A month of one busy room's availability, fetched again and again, by one client and by eight. */
    private void availability(int total) throws Exception {
        String path = "/api/v1/rooms/" + rooms[1] + "/availability?from=" + origin.toLocalDate() + "&days=31";
        for (int i = 0; i < 200; i++) {
            get(path);
        }
        fetch("availability, 31 days, 1 client", path, 1, total);
        fetch("availability, 31 days, 8 clients", path, 8, total * 2);
        fetch("availability as runs, 8 clients", path + "&format=runs", 8, total * 4);

        // The same work without the HTTP client: database query, rules, and the JSON body.
        var municipality = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
        long[] server = new long[total];
        for (int i = 0; i < total; i++) {
            long t0 = System.nanoTime();
            var availability = cloud.services().bookings().availability(municipality, rooms[1],
                    java.util.Optional.of(origin.toLocalDate()), 31);
            RoomHttpService.write(rooms[1], availability.slots(), availability.room().zone());
            server[i] = System.nanoTime() - t0;
        }
        System.out.printf("%-34s %6d calls                      p50 %6.2f ms  p99 %6.2f ms%n",
                "availability, 31 days, server time", total, percentile(server, 50), percentile(server, 99));
    }

    /** Registers and signs in residents of its own (bench-N@example.jp). */
    private static String[] residents(Api api, int people) {
        String[] tokens = new String[people];
        for (int i = 0; i < people; i++) {
            String email = "bench-" + i + "@example.jp";
            String password = "bench password " + i + " kominkan";
            Api.Response made = api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\""
                    + password + "\",\"name\":\"ベンチ 利用者" + i + "\"}").send();
            if (made.status() != 201) {
                throw new IllegalStateException("registering " + email + " answered " + made.status() + " " + made.body());
            }
            tokens[i] = api.login(email, password);
        }
        return tokens;
    }

    /** Fetches one path again and again from some clients; prints rate, latency and the answer's size. */
    private void fetch(String name, String path, int clients, int total) throws Exception {
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger bytes = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        bytes.set(get(path));
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%-34s %6d requests  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%.1f KiB each)%n",
                name, total, total / seconds, percentile(latencies, 50), percentile(latencies, 99), bytes.get() / 1024.0);
    }

    private int post(String token, long room, ZonedDateTime start, ZonedDateTime end) {
        String body = "{\"roomId\":" + room + ",\"start\":\"" + ISO.format(start) + "\",\"end\":\"" + ISO.format(end)
                + "\",\"purpose\":\"benchmark\",\"attendees\":1}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + "/api/v1/reservations"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path)).build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("availability answered " + response.statusCode());
            }
            return response.body().length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** Free rooms with a door each, open 24 hours with a two-year horizon, so the benchmark never runs out of slots. */
    private static long[] benchRooms(Cloud cloud) {
        var db = cloud.database().client();
        long municipality = db.execute().get("select id from municipality where code = ?", DemoData.CODE)
                .map(row -> Sql.longValue(row, "id")).orElseThrow();
        DbTransaction tx = db.transaction();
        long[] ids = new long[ROOMS];
        tx.insert("""
                insert into facility (municipality_id, name, name_kana, address, facility_type, description, access_notes)
                values (?, 'ベンチマーク棟', 'ベンチマークトウ', '-', 'study-room', '-', '-')""", municipality);
        long facility = tx.get("select max(id) as id from facility").map(row -> Sql.longValue(row, "id")).orElseThrow();
        // One gateway for the building, as in a real facility, and a door per room: every booking
        // confirmed at once issues a signed grant onto that gateway's stream.
        tx.insert("insert into gateway (id, municipality_id, facility_id, name, stream_head, last_ack)"
                + " values ('bench-gw', ?, ?, 'ベンチマーク棟ゲートウェイ', 0, 0)", municipality, facility);
        for (int i = 0; i < ROOMS; i++) {
            ids[i] = DemoData.room(tx, municipality, facility, "bench-" + i, 10, 730, 0, 0,
                    List.of(DayOfWeek.values()), 0, 24 * 60);
            tx.insert("insert into door (id, room_id, gateway_id, name) values (?, ?, 'bench-gw', ?)",
                    "bench-door-" + i, ids[i], "入口 " + i);
        }
        tx.commit();
        return ids;
    }
}
