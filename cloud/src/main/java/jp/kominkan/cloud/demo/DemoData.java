package jp.kominkan.cloud.demo;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.group.Category;
import jp.kominkan.cloud.group.GroupRepository;
import jp.kominkan.cloud.group.Member;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.shared.slot.SlotRange;

/**
 * A fictional municipality to try Kominkan with (demo mode only): three facilities, eight rooms —
 * paid and free, one study room open 24 hours — a resident and a staff administrator.
 */
public final class DemoData {

    /** The demo municipality's code. */
    public static final String CODE = "999991";
    /** The demo resident's e-mail. */
    public static final String RESIDENT_EMAIL = "resident@kominkan.example";
    /** The demo resident's password. */
    public static final String RESIDENT_PASSWORD = "kominkan-demo";
    /** The demo administrator's e-mail. */
    public static final String ADMIN_EMAIL = "admin@kominkan.example";
    /** The demo administrator's password. */
    public static final String ADMIN_PASSWORD = "kominkan-admin";
    /** The demo's caretaker (管理人) of 駅前学習センター: the door board, alarms and remote unlock there only. */
    public static final String CARETAKER_EMAIL = "caretaker@kominkan.example";
    /** Their demo password. */
    public static final String CARETAKER_PASSWORD = "kominkan-caretaker";

    private static final System.Logger LOG = System.getLogger(DemoData.class.getName());
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final List<DayOfWeek> TUESDAY_TO_SUNDAY = List.of(DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY, DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    private static final List<DayOfWeek> EVERY_DAY = List.of(DayOfWeek.values());

    private final DbClient db;
    private final AccountService accounts;
    private final StaffService staff;
    private final Clock clock;
    private final List<String> shards;
    private int gatewaysMade;

    /**
     * @param db       the database
     * @param accounts creates the demo resident with a properly hashed password
     * @param staff    creates the demo administrator
     * @param clock    the clock; blocks are placed relative to today
     */
    public DemoData(DbClient db, AccountService accounts, StaffService staff, Clock clock) {
        this(db, accounts, staff, clock, List.of(jp.kominkan.cloud.fleet.BrokerShards.DEFAULT));
    }

    /**
     * @param db       the database
     * @param accounts creates the demo resident
     * @param staff    creates the demo administrator
     * @param clock    the clock
     * @param shards   the broker shards the demo gateways are spread over, in turn (docs/deploy.md)
     */
    public DemoData(DbClient db, AccountService accounts, StaffService staff, Clock clock, List<String> shards) {
        this.db = db;
        this.accounts = accounts;
        this.staff = staff;
        this.clock = clock;
        this.shards = List.copyOf(shards);
    }

    /**
     * Seeds the demo municipality unless it is there already (a restart keeps the data folder).
     *
     * @return true when seeded now
     */
    public boolean seedIfEmpty() {
        if (db.execute().get("select id from municipality where code = ?", CODE).isPresent()) {
            return false;
        }
        seed(CODE, "山吹市", "やまぶきし", "山梨県", "山吹市", List.of());
        LOG.log(Level.INFO, "Seeded the demo municipality 山吹市");
        return true;
    }

    /**
     * Seeds a municipality with the demo facilities and accounts; tests use it for a second town.
     *
     * @param code       its code
     * @param name       its name
     * @param kana       its reading
     * @param prefecture its prefecture
     * @param city       its city part
     * @param hosts      host names that serve it
     * @return the municipality
     */
    public Municipality seed(String code, String name, String kana, String prefecture, String city, List<String> hosts) {
        DbTransaction tx = db.transaction();
        Municipality municipality;
        try {
            long id = tx.get("select id from municipality where code = ?", code).isPresent() ? -1 : insertMunicipality(tx,
                    code, name, kana, prefecture, city);
            if (id < 0) {
                throw new IllegalStateException("Municipality " + code + " exists already");
            }
            for (String host : hosts) {
                tx.insert("insert into municipality_host (host, municipality_id) values (?, ?)", host, id);
            }
            municipality = new Municipality(id, code, name, prefecture, city, TOKYO);
            seedFacilities(tx, id, code, city);
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
        seedGroups(municipality, accounts.register(municipality, RESIDENT_EMAIL, RESIDENT_PASSWORD, "山吹 花子"));
        staff.createMainAdministrator(municipality, ADMIN_EMAIL, ADMIN_PASSWORD, "施設管理 太郎");
        return municipality;
    }

    /**
     * Adds the demo's caretaker of the building with doors (駅前学習センター), for the door board; only the
     * demo does this, so the tests' staff lists stay as the town's administrator made them.
     *
     * @param municipality the demo town
     */
    public void seedCaretaker(Municipality municipality) {
        if (staff.findByEmail(municipality, CARETAKER_EMAIL).isPresent()) {
            return;
        }
        long library = db.execute().get("select r.facility_id from door d join room r on r.id = d.room_id where d.id = ?",
                CODE + "-door-study").map(row -> Sql.longValue(row, "facility_id")).orElseThrow();
        staff.createMember(municipality, CARETAKER_EMAIL, CARETAKER_PASSWORD, "管理人 駅前 次郎",
                jp.kominkan.cloud.staff.StaffRole.CARETAKER, java.util.Set.of(library));
    }

    /** Group categories (団体区分) and one approved group (団体) the demo resident represents. */
    private void seedGroups(Municipality municipality, jp.kominkan.cloud.account.Account resident) {
        Sql.inTransaction(db, tx -> {
            long town = municipality.id();
            DemoReductions.seed(tx, town);
            GroupRepository.insertCategory(tx, town, new Category("social-education", "社会教育関係団体",
                    "Social education group", 12, Optional.of("social-education")), 1);
            GroupRepository.insertCategory(tx, town, new Category("social-welfare", "社会福祉関係団体",
                    "Social welfare group", 12, Optional.of("social-welfare")), 2);
            GroupRepository.insertCategory(tx, town, new Category("general", "一般団体", "General group", 24,
                    Optional.empty()), 3);
            Instant now = clock.instant();
            LocalDate until = LocalDate.ofInstant(now, TOKYO).plusMonths(12);
            return GroupRepository.insertApproved(tx, town, resident.id(), "山吹コーラス", "やまぶきこーらす",
                    "social-education", until, List.of(
                            new Member("山吹 花子", Member.Residency.RESIDENT, Member.AgeBand.ADULT),
                            new Member("桜井 一郎", Member.Residency.RESIDENT, Member.AgeBand.ELDERLY),
                            new Member("梅田 和子", Member.Residency.RESIDENT, Member.AgeBand.ELDERLY),
                            new Member("松本 清", Member.Residency.RESIDENT, Member.AgeBand.SENIOR),
                            new Member("竹内 節子", Member.Residency.NON_RESIDENT, Member.AgeBand.ELDERLY),
                            new Member("菊池 陽菜", Member.Residency.RESIDENT, Member.AgeBand.UNDER_18)), now);
        });
    }

    private static long insertMunicipality(DbTransaction tx, String code, String name, String kana, String prefecture,
                                           String city) {
        return jp.kominkan.cloud.municipality.MunicipalitySetup.insert(tx, code, name, kana, prefecture, city);
    }

    private void seedFacilities(DbTransaction tx, long municipality, String code, String city) {
        LocalDate today = LocalDate.now(clock.withZone(TOKYO));

        long hall = facility(tx, municipality, "中央公民館", "チュウオウコウミンカン", city + "中央1-2-3",
                "community-center",
                "会議・講座・趣味の集まりに使える地域の公民館です。Community centre for meetings, classes and clubs.",
                "山吹駅から徒歩5分。駐車場30台（無料）。エレベーター・多目的トイレあり。",
                List.of("プロジェクター", "ホワイトボード", "マイク・スピーカー", "調理器具一式"));
        photo(tx, hall, 0, "/static/demo/kominkan-exterior.svg", "中央公民館の外観。2階建ての白い建物");
        long bigHall = room(tx, municipality, hall, "大会議室", 60, 90, 1200, 1800, TUESDAY_TO_SUNDAY, 9 * 60, 21 * 60);
        DemoFees.seed(tx, municipality, hall, bigHall, clock.instant());
        room(tx, municipality, hall, "和室", 20, 90, 600, 900, TUESDAY_TO_SUNDAY, 9 * 60, 21 * 60);
        room(tx, municipality, hall, "調理実習室", 24, 90, 800, 1200, TUESDAY_TO_SUNDAY, 9 * 60, 21 * 60);
        for (LocalDate day = LocalDate.of(today.getYear(), 12, 29); !day.isAfter(LocalDate.of(today.getYear() + 1, 1, 3));
             day = day.plusDays(1)) {
            tx.insert("insert into facility_closed_day (facility_id, closed_on, reason) values (?, ?, ?)",
                    hall, day, "年末年始休館");
        }

        long library = facility(tx, municipality, "駅前学習センター", "エキマエガクシュウセンター", city + "駅前2-5-1",
                "study-room",
                "24時間使える無人の自習室と、グループ学習室があります。Unstaffed study room open 24 hours.",
                "山吹駅東口すぐ。入口のテンキーに予約コードを入力して入室します。駐輪場あり。",
                List.of("Wi-Fi", "電源コンセント", "ホワイトボード"));
        long studyRoom = room(tx, municipality, library, "自習室（24時間）", 12, 14, 0, 0, EVERY_DAY, 0, 24 * 60);
        long groupRoom = room(tx, municipality, library, "グループ学習室", 8, 30, 0, 0, EVERY_DAY, 9 * 60, 20 * 60);
        // The unstaffed study room lets residents in 15 minutes early: a booking from the next
        // quarter hour opens the door at once.
        tx.update("update room set grant_margin_minutes = 15 where id = ?", studyRoom);

        // Smart locks: one gateway per building, a door per lockable room.
        String ekimae = gateway(tx, municipality, library, code + "-gw-ekimae", "駅前学習センター ゲートウェイ");
        door(tx, code + "-door-study", studyRoom, ekimae, "自習室 入口");
        door(tx, code + "-door-group", groupRoom, ekimae, "グループ学習室 入口");
        String chuo = gateway(tx, municipality, hall, code + "-gw-chuo", "中央公民館 ゲートウェイ");
        door(tx, code + "-door-hall", bigHall, chuo, "大会議室 入口");

        long gym = facility(tx, municipality, "総合体育館", "ソウゴウタイイクカン", city + "運動公園1",
                "sports-hall",
                "バスケットボール・バレーボール・卓球などに使える体育館です。Sports hall.",
                "運動公園内。駐車場100台。館内は上履きが必要です。",
                List.of("バスケットゴール", "バレーボールネット", "卓球台", "更衣室"));
        long arena = room(tx, municipality, gym, "アリーナ", 200, 90, 2400, 3600, TUESDAY_TO_SUNDAY, 9 * 60, 21 * 60);
        room(tx, municipality, gym, "多目的室", 30, 90, 600, 900, TUESDAY_TO_SUNDAY, 9 * 60, 21 * 60);
        room(tx, municipality, gym, "トレーニング室", 15, 30, 300, 450, TUESDAY_TO_SUNDAY, 9 * 60, 21 * 60);

        // Floor maintenance next Wednesday morning: taken like a booking, so nobody can book it.
        LocalDate wednesday = today.plusDays(1);
        while (wednesday.getDayOfWeek() != DayOfWeek.WEDNESDAY) {
            wednesday = wednesday.plusDays(1);
        }
        block(tx, municipality, arena, new SlotRange(wednesday.atTime(LocalTime.of(9, 0)).atZone(TOKYO).toInstant(),
                wednesday.atTime(LocalTime.of(12, 0)).atZone(TOKYO).toInstant()), "maintenance", "床面ワックス清掃");
    }

    private static long facility(DbTransaction tx, long municipality, String name, String kana, String address,
                                 String type, String description, String access, List<String> equipment) {
        tx.insert("""
                insert into facility (municipality_id, name, name_kana, address, facility_type, description, access_notes)
                values (?, ?, ?, ?, ?, ?, ?)""", municipality, name, kana, address, type, description, access);
        long id = idOf(tx, "select max(id) as id from facility where municipality_id = ? and name = ?", municipality, name);
        for (int i = 0; i < equipment.size(); i++) {
            tx.insert("insert into facility_equipment (facility_id, sort_order, name) values (?, ?, ?)",
                    id, i, equipment.get(i));
        }
        return id;
    }

    private String gateway(DbTransaction tx, long municipality, long facility, String id, String name) {
        String shard = shards.get(gatewaysMade++ % shards.size());
        tx.insert("insert into gateway (id, municipality_id, facility_id, name, stream_head, last_ack, broker_shard)"
                + " values (?, ?, ?, ?, 0, 0, ?)", id, municipality, facility, name, shard);
        return id;
    }

    private void door(DbTransaction tx, String id, long room, String gateway, String name) {
        tx.insert("insert into door (id, room_id, gateway_id, name) values (?, ?, ?, ?)", id, room, gateway, name);
    }

    private static void photo(DbTransaction tx, long facility, int order, String url, String alt) {
        tx.insert("insert into facility_photo (facility_id, sort_order, url, alt_text) values (?, ?, ?, ?)",
                facility, order, url, alt);
    }

    /**
     * Adds a room; also used by the booking benchmark for rooms of its own.
     *
     * @param tx           the transaction
     * @param municipality owner
     * @param facility     facility
     * @param name         name
     * @param capacity     capacity
     * @param horizon      booking horizon in days
     * @param resident     yen per hour, residents
     * @param nonResident  yen per hour, others
     * @param days         open weekdays
     * @param opens        opening minute
     * @param closes       closing minute
     * @return the room id
     */
    public static long room(DbTransaction tx, long municipality, long facility, String name, int capacity, int horizon,
                            int resident, int nonResident, List<DayOfWeek> days, int opens, int closes) {
        tx.insert("""
                insert into room (municipality_id, facility_id, name, capacity, booking_horizon_days,
                                  price_per_hour_resident, price_per_hour_non_resident)
                values (?, ?, ?, ?, ?, ?, ?)""", municipality, facility, name, capacity, horizon, resident, nonResident);
        long id = idOf(tx, "select max(id) as id from room where facility_id = ? and name = ?", facility, name);
        for (DayOfWeek day : days) {
            tx.insert("insert into room_opening_hours (room_id, iso_weekday, opens_minute, closes_minute) values (?, ?, ?, ?)",
                    id, day.getValue(), opens, closes);
        }
        return id;
    }

    private static void block(DbTransaction tx, long municipality, long room, SlotRange range, String kind, String note) {
        tx.insert("insert into room_block (municipality_id, room_id, starts_at, ends_at, kind, note) values (?, ?, ?, ?, ?, ?)",
                municipality, room, Sql.at(range.start()), Sql.at(range.end()), kind, note);
        long block = idOf(tx, "select max(id) as id from room_block where room_id = ?", room);
        for (Instant slot : range.slotStarts()) {
            tx.insert("insert into room_slot (room_id, slot_start, block_id) values (?, ?, ?)", room, Sql.at(slot), block);
        }
    }

    private static long idOf(DbTransaction tx, String sql, Object... params) {
        Optional<Long> id = tx.get(sql, params).map(row -> Sql.longValue(row, "id"));
        return id.orElseThrow(() -> new IllegalStateException("No id from " + sql));
    }
}
