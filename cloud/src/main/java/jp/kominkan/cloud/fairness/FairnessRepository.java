package jp.kominkan.cloud.fairness;

import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;

/**
 * The booking window and quota tables in SQL that runs on H2 and PostgreSQL alike: read on every resident
 * booking, written by staff.
 */
public final class FairnessRepository {

    private static final String WINDOW = """
            select resident_months, non_resident_months, unverified_days, opens_day, opens_hour
              from booking_window where facility_id = ?""";
    private static final String QUOTAS = """
            select id, subject, measure, period, days, cap, unverified_cap from booking_quota
             where facility_id = ? order by id""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public FairnessRepository(DbClient db) {
        this.db = db;
    }

    /**
     * @param facilityId the facility
     * @return its rules
     */
    public FacilityRules rules(long facilityId) {
        DbExecute exec = db.execute();
        return new FacilityRules(exec.get(WINDOW, facilityId).map(FairnessRepository::window),
                Sql.list(exec.query(QUOTAS, facilityId), FairnessRepository::quota));
    }

    /**
     * Replaces a facility's rules. A quota kept (same subject, measure, period and days) keeps its id and the places
     * already taken in it; a quota dropped takes its places with it.
     *
     * @param tx         the transaction
     * @param facilityId the facility
     * @param rules      the new rules
     */
    static void replace(DbTransaction tx, long facilityId, FacilityRules rules) {
        tx.delete("delete from booking_window where facility_id = ?", facilityId);
        rules.window().ifPresent(w -> tx.insert("""
                insert into booking_window (facility_id, resident_months, non_resident_months, unverified_days,
                                            opens_day, opens_hour) values (?, ?, ?, ?, ?, ?)""", facilityId,
                w.residentMonths(), w.nonResidentMonths(), w.unverifiedDays(), w.opensDay(), w.opensHour()));
        List<Quota> old = Sql.list(tx.query(QUOTAS, facilityId), FairnessRepository::quota);
        for (Quota was : old) {
            if (rules.quotas().stream().noneMatch(q -> sameRule(q, was))) {
                tx.delete("delete from booking_quota where id = ?", was.id());
            }
        }
        for (Quota q : rules.quotas()) {
            Optional<Quota> kept = old.stream().filter(was -> sameRule(q, was)).findFirst();
            if (kept.isPresent()) {
                tx.update("update booking_quota set cap = ?, unverified_cap = ? where id = ?", q.cap(),
                        q.unverifiedCap().orElse(null), kept.get().id());
            } else {
                tx.insert("""
                        insert into booking_quota (facility_id, subject, measure, period, days, cap, unverified_cap)
                        values (?, ?, ?, ?, ?, ?, ?)""", facilityId, q.subjectWire(), q.measureWire(), q.periodWire(),
                        q.daysWire(), q.cap(), q.unverifiedCap().orElse(null));
            }
        }
    }

    private static boolean sameRule(Quota a, Quota b) {
        return a.subject() == b.subject() && a.measure() == b.measure() && a.period() == b.period() && a.days() == b.days();
    }

    private static BookingWindow window(DbRow row) {
        return new BookingWindow(Sql.integer(row, "resident_months"), Sql.integer(row, "non_resident_months"),
                Sql.integer(row, "unverified_days"), Sql.integer(row, "opens_day"), Sql.integer(row, "opens_hour"));
    }

    private static Quota quota(DbRow row) {
        return new Quota(Sql.longValue(row, "id"), enumOf(Quota.Subject.class, Sql.text(row, "subject")),
                enumOf(Quota.Measure.class, Sql.text(row, "measure")), enumOf(Quota.Period.class, Sql.text(row, "period")),
                enumOf(Quota.Days.class, Sql.text(row, "days")), Sql.integer(row, "cap"),
                Sql.value(row, "unverified_cap").map(v -> ((Number) v).intValue()));
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String wire) {
        return Enum.valueOf(type, wire.toUpperCase(java.util.Locale.ROOT));
    }
}
