package jp.kominkan.cloud.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.lottery.AuditCheck;
import jp.kominkan.cloud.lottery.AuditFile;
import jp.kominkan.cloud.lottery.Drawing;
import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.PersonKeys;
import jp.kominkan.cloud.lottery.RoundPlan;
import jp.kominkan.cloud.lottery.RoundSchedule;
import jp.kominkan.cloud.lottery.Rounds;
import jp.kominkan.cloud.lottery.Unit;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;

/**
 * {@code ./kominkan bench lottery}: a round of 100,000 applications × 3 wishes over about 2,000 units (10 rooms ×
 * 74 days × 3 bands, less closed days). Seeds verified accounts, applications and wishes with bulk inserts, then measures the close
 * (freeze and commitment), the draw and its publication (one transaction: the draw, a held reservation per win,
 * the substitute lists and a mail per application), the audit file's making, and its check as an auditor runs it
 * (parse and recompute). Prints its workload with every figure. Run by hand; figures go to the README.
 *
 * <p>Options: {@code --applications N}, {@code --units-rooms N} (rooms, 3 bands × 67 days each), {@code --postgres}.
 */
public final class LotteryBench {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final int DAYS = 74;
    private static final int BATCH = 1000;
    private static final double DRAW_AIM_S = 10;
    private static final double VERIFY_AIM_S = 10;

    private LotteryBench() {
    }

    /**
     * @param args {@code [--applications N] [--rooms N] [--postgres]}
     * @throws Exception when the bench cannot run
     */
    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        boolean postgres = options.contains("--postgres");
        int applications = option(options, "--applications", 100_000);
        int rooms = option(options, "--rooms", 10);
        System.out.printf("Kominkan lottery benchmark — %d cores, Java %s (%s), %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        TestDatabases.Jdbc jdbc;
        String label;
        if (postgres) {
            jdbc = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL);
            label = "PostgreSQL (embedded server, fsync on)";
        } else {
            Path dir = Files.createTempDirectory("kominkan-bench-lottery");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> BackOfficeBench.delete(dir)));
            jdbc = new TestDatabases.Jdbc("jdbc:h2:file:" + dir.resolve("kominkan")
                    + ";DATABASE_TO_LOWER=TRUE;QUERY_CACHE_SIZE=256;WRITE_DELAY=0;LOCK_TIMEOUT=10000", "sa", "");
            label = "H2 (file, WRITE_DELAY=0)";
        }
        System.out.println("== " + label);
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (Cloud cloud = TestCloud.start(jdbc, clock, true, java.util.Map.of("kominkan.lottery.sweep-interval",
                "PT1000H", "kominkan.mail.outbox.interval", "PT1000H"))) {
            run(cloud, jdbc, clock, applications, rooms);
        }
        System.exit(0);
    }

    private static void run(Cloud cloud, TestDatabases.Jdbc jdbc, MutableClock clock, int applications, int roomCount)
            throws Exception {
        Municipality town = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
        long hall = Sql.longValue(cloud.database().client().execute().get(
                "select facility_id from room where municipality_id = ? and name = '大会議室'", town.id()).orElseThrow(),
                "facility_id");
        StaffMember staff = new StaffMember(UUID.randomUUID(), town.id(), "bench-lottery@city.yamabuki.example.lg.jp",
                "抽選 担当", StaffRole.MAIN, Set.of());
        new StaffRepository(cloud.database().client()).insert(staff, "x", clock.instant());
        List<Long> roomIds = new ArrayList<>();
        Sql.inTransaction(cloud.database().client(), tx -> {
            for (int i = 1; i <= roomCount; i++) {
                roomIds.add(DemoData.room(tx, town.id(), hall, "抽選ホール" + i, 100, 400, 1000, 1500,
                        List.of(DayOfWeek.values()), 9 * 60, 21 * 60));
            }
            return null;
        });
        Instant now = clock.instant();
        LocalDate from = LocalDate.ofInstant(now, TOKYO).plusDays(12);
        long started = System.nanoTime();
        Rounds.Created round = cloud.services().lottery().rounds().create(town, staff, Actor.commandLine(),
                new RoundPlan(hall, "ベンチマーク抽選", roomIds, from, from.plusDays(DAYS - 1),
                        EnumSet.allOf(DayOfWeek.class), true, List.of(new RoundPlan.Band("午前", 540, 720),
                        new RoundPlan.Band("午後", 780, 1020), new RoundPlan.Band("夜間", 1020, 1260)),
                        new RoundSchedule(now, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)),
                                now.plus(Duration.ofDays(5)), now.plus(Duration.ofDays(10))),
                        new LotteryRules(3, 1, 1, 1, 1, 1, 5, LotteryRules.STANDARD.eligibility(),
                                LotteryRules.STANDARD.tiers()), Optional.empty()));
        double createS = seconds(started);
        long roundId = round.round().id();
        List<Unit> units = cloud.services().lottery().results().publicRound(town, roundId).units();
        started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password())) {
            seed(c, town.id(), roundId, units, applications, now);
        }
        double seedS = seconds(started);
        System.out.printf("workload: %,d applications × 3 wishes (distinct units, uniformly random) over %,d units"
                        + " (%d rooms × %d days × 3 bands, less closed days); tiers 0–2 at random; 1 application and"
                        + " 1 win per person, 5 substitutes per unit%n", applications, units.size(), roomCount, DAYS);
        System.out.printf("          round defined with its %,d lottery blocks in %.1f s; applications seeded by bulk"
                + " insert in %.1f s%n", round.units(), createS, seedS);

        clock.advance(Duration.ofDays(1).plusMinutes(1));
        started = System.nanoTime();
        cloud.services().lottery().drawing().freeze(roundId);
        report("close: freeze and commit (SHA-256 over the canonical list)", seconds(started), DRAW_AIM_S);

        started = System.nanoTime();
        Drawing.Published published = cloud.services().lottery().drawing().draw(town, staff, Actor.commandLine(),
                roundId, "bench 3 1 4 1 5 9 2 6 5 3 5");
        double drawS = seconds(started);
        long mails = Sql.longValue(cloud.database().client().execute().get(
                "select count(*) as n from mail_outbox where kind like 'lottery-%'").orElseThrow(), "n");
        long substitutes = Sql.longValue(cloud.database().client().execute().get(
                "select count(*) as n from lottery_substitute").orElseThrow(), "n");
        report("draw and publish, one transaction: " + published.wins() + " held reservations, " + substitutes
                + " substitute places", drawS, DRAW_AIM_S);
        started = System.nanoTime();
        cloud.services().lottery().afterDraw().sweep();
        mails = Sql.longValue(cloud.database().client().execute().get(
                "select count(*) as n from mail_outbox where kind like 'lottery-%'").orElseThrow(), "n");
        report("results to the mail outbox after it (timer, 1,000 a transaction): " + mails + " mails", seconds(started),
                Double.NaN);

        started = System.nanoTime();
        AuditFile file = cloud.services().lottery().results().audit(town, roundId);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        file.write(out);
        report("audit file made and written (" + out.size() / 1024 / 1024 + " MiB)", seconds(started), Double.NaN);
        Path saved = Path.of("target", "lottery-bench-audit.json");
        Files.createDirectories(saved.getParent());
        Files.write(saved, out.toByteArray());

        started = System.nanoTime();
        AuditFile read = AuditFile.read(new ByteArrayInputStream(out.toByteArray()));
        List<String> differences = AuditCheck.differences(read);
        report("verify: parse the file and recompute the draw — " + (differences.isEmpty() ? "IDENTICAL"
                : "DIFFERS: " + differences.get(0)), seconds(started), VERIFY_AIM_S);
        System.out.println("the audit file is at " + saved.toAbsolutePath() + "; check it from outside with"
                + " `time ./kominkan lottery verify " + saved + "`");
    }

    private static void seed(Connection c, long town, long roundId, List<Unit> units, int applications, Instant now)
            throws Exception {
        c.setAutoCommit(false);
        SecureRandom random = new SecureRandom();
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement account = c.prepareStatement("insert into account (id, municipality_id, email, name,"
                + " created_at, birth_date) values (?, ?, ?, ?, ?, ?)");
             PreparedStatement link = c.prepareStatement("insert into identity_link (account_id, municipality_id,"
                     + " provider, residency, verified_at) values (?, ?, 'xid', ?, ?)");
             PreparedStatement application = c.prepareStatement("insert into lottery_application (round_id, public_id,"
                     + " account_id, person_key, person_ordinal, residency, tier, purpose, attendees, created_at, wishes)"
                     + " values (?, ?, ?, ?, 1, ?, ?, '練習', 10, ?, ?)", new String[] {"id"});
             PreparedStatement wish = c.prepareStatement("insert into lottery_wish (application_id, wish_rank, unit_id)"
                     + " values (?, ?, ?)")) {
            List<Integer> tiers = new ArrayList<>();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < applications; i++) {
                UUID id = UUID.randomUUID();
                int tier = random.nextInt(3);
                String residency = tier == 2 ? "non-resident" : "resident";
                account.setObject(1, id);
                account.setLong(2, town);
                account.setString(3, "bench" + i + "@example.jp");
                account.setString(4, "抽選 応募者" + i);
                account.setTimestamp(5, at);
                account.setObject(6, LocalDate.of(1950 + i % 50, 1 + i % 12, 1 + i % 28));
                account.addBatch();
                link.setObject(1, id);
                link.setLong(2, town);
                link.setString(3, residency);
                link.setTimestamp(4, at);
                link.addBatch();
                ids.add(id);
                tiers.add(tier);
                if (ids.size() == BATCH || i == applications - 1) {
                    account.executeBatch();
                    link.executeBatch();
                    for (int k = 0; k < ids.size(); k++) {
                        byte[] key = new byte[32];
                        random.nextBytes(key);
                        List<Long> chosen = new ArrayList<>();
                        while (chosen.size() < 3) {
                            long unit = units.get(random.nextInt(units.size())).id();
                            if (!chosen.contains(unit)) {
                                chosen.add(unit);
                            }
                        }
                        application.setLong(1, roundId);
                        application.setString(2, PersonKeys.newPublicId());
                        application.setObject(3, ids.get(k));
                        application.setString(4, HexFormat.of().formatHex(key));
                        application.setString(5, tiers.get(k) == 2 ? "non-resident" : "resident");
                        application.setInt(6, tiers.get(k));
                        application.setTimestamp(7, at);
                        application.setString(8, chosen.get(0) + ";" + chosen.get(1) + ";" + chosen.get(2));
                        application.executeUpdate();
                        long applicationId;
                        try (var keys = application.getGeneratedKeys()) {
                            keys.next();
                            applicationId = keys.getLong(1);
                        }
                        for (int rank = 1; rank <= 3; rank++) {
                            wish.setLong(1, applicationId);
                            wish.setInt(2, rank);
                            wish.setLong(3, chosen.get(rank - 1));
                            wish.addBatch();
                        }
                    }
                    wish.executeBatch();
                    c.commit();
                    ids.clear();
                    tiers.clear();
                }
            }
        }
    }

    private static int option(List<String> options, String name, int otherwise) {
        int at = options.indexOf(name);
        return at >= 0 && at + 1 < options.size() ? Integer.parseInt(options.get(at + 1)) : otherwise;
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    private static void report(String what, double seconds, double aim) {
        if (Double.isNaN(aim)) {
            System.out.printf("  %-100s %7.2f s%n", what, seconds);
            return;
        }
        System.out.printf("  %-100s %7.2f s  (aim < %.0f s)%s%n", what, seconds, aim, seconds < aim ? "" : "  OVER AIM");
    }
}
