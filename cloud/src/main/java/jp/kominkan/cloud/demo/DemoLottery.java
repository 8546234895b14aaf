package jp.kominkan.cloud.demo;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.LotteryDesk;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.RoundPlan;
import jp.kominkan.cloud.lottery.RoundSchedule;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.StaffRepository;

/**
 * The demo's open lottery round (抽選): the gym's アリーナ on 土日祝 three to seven weeks ahead, in three bands,
 * taking applications for a week from the demo's start, drawn from the 8th day, confirmed by the 14th, first-come from
 * the 15th at 9:00. Seeded by {@code ./kominkan demo} only (tests define their own rounds), once.
 */
public final class DemoLottery {

    private static final System.Logger LOG = System.getLogger(DemoLottery.class.getName());

    private DemoLottery() {
    }

    /**
     * @param db      the database
     * @param lottery the lottery
     * @param town    the demo municipality
     * @param clock   the clock
     */
    public static void seedIfNone(DbClient db, LotteryDesk lottery, Municipality town, Clock clock) {
        if (Sql.longValue(db.execute().get("select count(*) as n from lottery_round where municipality_id = ?",
                town.id()).orElseThrow(), "n") > 0) {
            return;
        }
        var arena = db.execute().get("select id, facility_id from room where municipality_id = ? and name = 'アリーナ'",
                town.id());
        if (arena.isEmpty()) {
            return;
        }
        var admin = new StaffRepository(db).findAnyByEmail(town.id(), DemoData.ADMIN_EMAIL).orElseThrow();
        ZoneId zone = town.zone();
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        RoundSchedule schedule = new RoundSchedule(now, today.plusDays(8).atStartOfDay(zone).toInstant(),
                today.plusDays(8).atStartOfDay(zone).toInstant(), today.plusDays(15).atStartOfDay(zone).toInstant(),
                today.plusDays(15).atTime(LocalTime.of(9, 0)).atZone(zone).toInstant());
        var created = lottery.rounds().create(town, admin, Actor.commandLine(), new RoundPlan(
                Sql.longValue(arena.get(), "facility_id"), "アリーナ 土日祝（" + today.plusDays(21) + "〜）",
                List.of(Sql.longValue(arena.get(), "id")), today.plusDays(21), today.plusDays(49),
                EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), true,
                List.of(new RoundPlan.Band("午前", 540, 720), new RoundPlan.Band("午後", 780, 1020),
                        new RoundPlan.Band("夜間", 1020, 1260)),
                schedule, LotteryRules.STANDARD, Optional.empty()));
        LOG.log(Level.INFO, "Demo lottery round " + created.round().id() + " open until "
                + schedule.closesAt().atZone(zone).toLocalDateTime() + " with " + created.units() + " units");
    }
}
