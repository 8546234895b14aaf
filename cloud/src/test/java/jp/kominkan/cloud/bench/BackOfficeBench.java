package jp.kominkan.cloud.bench;

import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.booking.ReservationSearch;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;

/**
 * {@code ./kominkan bench backoffice}: the staff's reservation list and the facility calendar week
 * on a year of bookings. Seeds 100,000 reservations (bulk inserts straight into {@code reservation})
 * over the demo town's rooms and twelve months, then measures {@link ReservationSearch#find} in
 * process (one facility, one month, page 0; and one facility, seven days) and the same over HTTP
 * ({@code GET /api/v1/staff/reservations} and the {@code /staff/calendar} page) with a staff bearer
 * token. Prints its workload with every figure. Run by hand; figures go to the README.
 *
 * <p>Options: {@code --postgres} for the embedded PostgreSQL instead of H2 (file, as the demo runs
 * it); {@code --explain} to print the list query's plan; {@code --hold} to keep the server running
 * afterwards and print its URL, token and a {@code wrk} command line (Ctrl-C ends it).
 */
public final class BackOfficeBench {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final int RESERVATIONS = 100_000;
    private static final int ACCOUNTS = 300;
    private static final int MONTHS = 12;
    private static final int BATCH = 1000;
    private static final int WARM_UP = 100;
    private static final int RUNS = 500;
    private static final double LIST_AIM_MS = 100;
    private static final double WEEK_AIM_MS = 50;

    private BackOfficeBench() {
    }

    /**
     * @param args {@code [--postgres] [--explain] [--hold]}
     * @throws Exception when the bench cannot run
     */
    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        boolean postgres = options.contains("--postgres");
        boolean hold = options.contains("--hold");
        boolean explain = options.contains("--explain");
        System.out.printf("Kominkan back-office benchmark — %d cores, Java %s (%s), %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        System.out.println("Client and server share this machine (JDK HttpClient, HTTP/1.1, keep-alive, sequential).");
        TestDatabases.Jdbc jdbc;
        String label;
        if (postgres) {
            jdbc = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL);
            label = "PostgreSQL (embedded server, fsync on)";
        } else {
            Path dir = Files.createTempDirectory("kominkan-bench-h2");
            // A year of bookings takes some 800 MB of H2 file; gone when the bench ends (also on Ctrl-C).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            jdbc = new TestDatabases.Jdbc("jdbc:h2:file:" + dir.resolve("kominkan")
                    + ";DATABASE_TO_LOWER=TRUE;QUERY_CACHE_SIZE=256;WRITE_DELAY=0;LOCK_TIMEOUT=10000", "sa", "");
            label = "H2 (file, WRITE_DELAY=0)";
        }
        System.out.println();
        System.out.println("== " + label);
        try (Cloud cloud = TestCloud.start(jdbc, Clock.systemUTC(), true)) {
            run(cloud, jdbc, postgres, explain, hold);
        }
        System.exit(0);
    }

    private static void run(Cloud cloud, TestDatabases.Jdbc jdbc, boolean postgres, boolean explain, boolean hold)
            throws Exception {
        long town = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow().id();
        LocalDate firstMonth = LocalDate.now(TOKYO).withDayOfMonth(1);
        Seeded seeded;
        try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password())) {
            seeded = seed(c, town, firstMonth);
        }

        // One facility (the one with most rooms), next month, and a week inside it.
        LocalDate month = firstMonth.plusMonths(1);
        LocalDate monthEnd = month.with(TemporalAdjusters.lastDayOfMonth());
        LocalDate week = month.plusDays(7).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        long facility = seeded.facility();
        ReservationSearch search = cloud.services().backOffice().search();
        ReservationSearch.Criteria listCriteria = criteria(month, monthEnd.plusDays(1), facility);
        ReservationSearch.Criteria weekCriteria = criteria(week, week.plusDays(7), facility);
        long inMonth = count(cloud, town, facility, month, monthEnd.plusDays(1));
        long inWeek = count(cloud, town, facility, week, week.plusDays(7));
        System.out.printf("workload: town %s, %d reservations over %d rooms in %d facilities, %d months from %s"
                        + " (%s), %d accounts; seeded in %.1f s%n",
                DemoData.CODE, RESERVATIONS, seeded.rooms(), seeded.facilities(), MONTHS, firstMonth,
                seeded.mix(), ACCOUNTS + 1, seeded.seconds());
        System.out.printf("          list: facility %d (%d rooms), %s..%s, %d reservations in it, page 0 (%d rows);"
                        + " week: from %s, %d reservations%n",
                facility, seeded.facilityRooms(), month, monthEnd, inMonth, ReservationSearch.PAGE, week, inWeek);
        System.out.printf("          %d warm-up, %d runs each%n", WARM_UP, RUNS);
        if (explain) {
            explain(jdbc, postgres, town, facility, month, monthEnd.plusDays(1));
        }

        int listRows = search.find(town, listCriteria).rows().size();
        int weekRows = search.find(town, weekCriteria).rows().size();
        report("list, facility x month, server time", "calls", time(() -> search.find(town, listCriteria)),
                LIST_AIM_MS, listRows + " rows");
        report("calendar week (find), server time", "calls", time(() -> search.find(town, weekCriteria)),
                WEEK_AIM_MS, weekRows + " rows");

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = new Api(client, cloud.port()).staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        String base = "http://127.0.0.1:" + cloud.port();
        URI list = URI.create(base + "/api/v1/staff/reservations?from=" + month + "&to=" + monthEnd + "&facility=" + facility);
        URI calendar = URI.create(base + "/staff/calendar?facility=" + facility + "&week=" + week);
        int[] bytes = new int[1];
        report("list over HTTP (JSON API)", "requests", time(() -> bytes[0] = get(client, list, token)), LIST_AIM_MS,
                bytes[0] / 1024 + " KiB");
        report("calendar week page over HTTP", "requests", time(() -> bytes[0] = get(client, calendar, token)),
                WEEK_AIM_MS, bytes[0] / 1024 + " KiB of HTML");

        String wrk = "wrk -t2 -c16 -d10s --latency -H \"Authorization: Bearer " + (hold ? token : "TOKEN") + "\" \""
                + list + "\"";
        System.out.println();
        System.out.println("wrk: " + wrk);
        if (hold) {
            System.out.println("hold: " + base + " token " + token);
            System.out.println("hold: list " + list);
            System.out.println("hold: calendar " + calendar);
            System.out.println("hold: serving until Ctrl-C");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }

    private static ReservationSearch.Criteria criteria(LocalDate from, LocalDate until, long facility) {
        return new ReservationSearch.Criteria(from.atStartOfDay(TOKYO).toInstant(), until.atStartOfDay(TOKYO).toInstant(),
                Optional.of(facility), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /**
     * What was seeded.
     *
     * @param facility      the facility measured
     * @param facilityRooms its rooms
     * @param rooms         rooms of the town
     * @param facilities    facilities of the town
     * @param mix           status mix
     * @param seconds       seeding time
     */
    private record Seeded(long facility, int facilityRooms, int rooms, int facilities, String mix, double seconds) {
    }

    /** Accounts and reservations by plain JDBC batches, one transaction per batch. */
    private static Seeded seed(Connection c, long town, LocalDate firstMonth) throws Exception {
        long started = System.nanoTime();
        List<long[]> rooms = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "select id, facility_id from room where municipality_id = ? order by id")) {
            q.setLong(1, town);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rooms.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        long facility = rooms.stream().map(r -> r[1]).distinct()
                .max((a, b) -> {
                    long ca = rooms.stream().filter(r -> r[1] == a).count();
                    long cb = rooms.stream().filter(r -> r[1] == b).count();
                    return ca != cb ? Long.compare(ca, cb) : Long.compare(b, a);
                }).orElseThrow();
        int facilityRooms = (int) rooms.stream().filter(r -> r[1] == facility).count();
        int facilities = (int) rooms.stream().map(r -> r[1]).distinct().count();

        c.setAutoCommit(false);
        List<UUID> accounts = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("select id from account where municipality_id = ? and email = ?")) {
            q.setLong(1, town);
            q.setString(2, DemoData.RESIDENT_EMAIL);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                accounts.add(rs.getObject(1, UUID.class));
            }
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (PreparedStatement insert = c.prepareStatement("""
                insert into account (id, municipality_id, email, name, phone, created_at, walk_in)
                values (?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 1; i <= ACCOUNTS; i++) {
                UUID id = UUID.randomUUID();
                insert.setObject(1, id);
                insert.setLong(2, town);
                insert.setString(3, i % 10 == 0 ? null : "user%03d@bench.example".formatted(i));
                insert.setString(4, "ベンチ 利用者%03d".formatted(i));
                insert.setString(5, "090-%04d-%04d".formatted(i / 100, i));
                insert.setObject(6, now);
                insert.setBoolean(7, i % 10 == 0);
                insert.addBatch();
                accounts.add(id);
            }
            insert.executeBatch();
        }
        c.commit();

        Random random = new Random(20240601);
        int days = (int) (firstMonth.plusMonths(MONTHS).toEpochDay() - firstMonth.toEpochDay());
        int[] mix = new int[3];
        String hash = "0".repeat(64);
        try (PreparedStatement insert = c.prepareStatement("""
                insert into reservation (id, municipality_id, room_id, account_id, status, starts_at, ends_at, purpose,
                                         attendees, amount, hold_expires_at, idempotency_key, request_hash, created_at,
                                         confirmed_at, cancelled_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < RESERVATIONS; i++) {
                long room = rooms.get(random.nextInt(rooms.size()))[0];
                LocalDate day = firstMonth.plusDays(random.nextInt(days));
                OffsetDateTime start = day.atTime(9, 0).atZone(TOKYO).plusMinutes(15L * random.nextInt(44))
                        .toOffsetDateTime();
                OffsetDateTime end = start.plusMinutes(30L * (2 + random.nextInt(5)));
                int roll = random.nextInt(100);
                int status = roll < 75 ? 0 : roll < 85 ? 1 : 2;
                mix[status]++;
                insert.setObject(1, UUID.randomUUID());
                insert.setLong(2, town);
                insert.setLong(3, room);
                insert.setObject(4, accounts.get(random.nextInt(accounts.size())));
                insert.setString(5, switch (status) {
                    case 0 -> "confirmed";
                    case 1 -> "held";
                    default -> "cancelled";
                });
                insert.setObject(6, start);
                insert.setObject(7, end);
                insert.setString(8, "ベンチマーク");
                insert.setInt(9, 1 + random.nextInt(20));
                insert.setInt(10, 600 * random.nextInt(5));
                insert.setObject(11, status == 1 ? now.plusDays(7) : null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setString(12, "bench-" + i);
                insert.setString(13, hash);
                insert.setObject(14, now);
                insert.setObject(15, status == 0 ? now : null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setObject(16, status == 2 ? now : null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                insert.addBatch();
                if ((i + 1) % BATCH == 0) {
                    insert.executeBatch();
                    c.commit();
                }
            }
            insert.executeBatch();
            c.commit();
        }
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            // What autovacuum (PostgreSQL) or a restart (H2) would do on its own: fresh statistics.
            s.execute("analyze");
        }
        String statuses = "%d%% confirmed, %d%% held, %d%% cancelled".formatted(mix[0] * 100 / RESERVATIONS,
                mix[1] * 100 / RESERVATIONS, mix[2] * 100 / RESERVATIONS);
        return new Seeded(facility, facilityRooms, rooms.size(), facilities, statuses,
                (System.nanoTime() - started) / 1e9);
    }

    private static long count(Cloud cloud, long town, long facility, LocalDate from, LocalDate until) {
        return cloud.database().client().execute().get("""
                        select count(*) as n from reservation r join room m on m.id = r.room_id
                         where r.municipality_id = ? and m.facility_id = ? and r.starts_at >= ? and r.starts_at < ?""",
                        town, facility, from.atStartOfDay(TOKYO).toOffsetDateTime(),
                        until.atStartOfDay(TOKYO).toOffsetDateTime())
                .map(row -> ((Number) row.column("n").get()).longValue()).orElseThrow();
    }

    /** The list query as {@link ReservationSearch#find} builds it for one facility and a time range. */
    private static void explain(TestDatabases.Jdbc jdbc, boolean postgres, long town, long facility, LocalDate from,
                                LocalDate until) throws Exception {
        Field select = ReservationSearch.class.getDeclaredField("SELECT");
        select.setAccessible(true);
        String sql = select.get(null) + " and r.starts_at >= ? and r.starts_at < ? and f.id = ?"
                + " order by r.starts_at, r.id limit " + (ReservationSearch.PAGE + 1) + " offset 0";
        try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
             PreparedStatement q = c.prepareStatement((postgres ? "explain (analyze, buffers) " : "explain analyze ") + sql)) {
            q.setLong(1, town);
            q.setObject(2, from.atStartOfDay(TOKYO).toOffsetDateTime());
            q.setObject(3, until.atStartOfDay(TOKYO).toOffsetDateTime());
            q.setLong(4, facility);
            System.out.println("plan of the list query:");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    System.out.println("    " + rs.getString(1).replace("\n", "\n    "));
                }
            }
        }
    }

    private static double[] time(Supplier<Object> call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.get();
        }
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            call.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    private static void report(String name, String unit, double[] ms, double aim, String note) {
        double p99 = percentile(ms, 99);
        System.out.printf("%-38s %4d %-8s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  aim p99 < %3.0f ms: %s"
                        + "  (%s)%n", name, ms.length, unit, percentile(ms, 50), percentile(ms, 90), p99,
                Arrays.stream(ms).max().orElse(0), aim, p99 < aim ? "met" : "MISSED", note);
    }

    private static int get(HttpClient client, URI uri, String token) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            return response.body().length;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException ignored) {
            // the JVM is exiting; a temporary folder is left behind
        }
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
