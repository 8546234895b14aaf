package jp.kominkan.cloud.fairness;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * Staff setting a facility's fair booking rules: only with the facility-admin permission for that facility, with
 * the change and the rules before it in the operation log (操作ログ) in the same transaction.
 */
public final class BookingRulesAdmin {

    private final DbClient db;
    private final FacilityRepository facilities;
    private final FairnessRepository repository;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param db         the database
     * @param facilities the facilities
     * @param log        the operation log
     * @param clock      the clock
     */
    public BookingRulesAdmin(DbClient db, FacilityRepository facilities, OperationLog log, Clock clock) {
        this.db = db;
        this.facilities = facilities;
        this.repository = new FairnessRepository(db);
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param town       where
     * @param member     who asks
     * @param facilityId which
     * @return its rules
     * @throws Problem 404 for a facility of another town, 403 outside the member's scope
     */
    public FacilityRules rules(Municipality town, StaffMember member, long facilityId) {
        allowed(town, member, facilityId, Permission.VIEW_BOOKINGS);
        return repository.rules(facilityId);
    }

    /**
     * Replaces a facility's rules.
     *
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param facilityId which
     * @param draft      the new rules as sent
     * @return the rules now
     */
    public FacilityRules replace(Municipality town, StaffMember member, Actor actor, long facilityId, RulesDraft draft) {
        allowed(town, member, facilityId, Permission.EDIT_FACILITIES);
        FacilityRules rules = draft.rules();
        Sql.inTransaction(db, tx -> {
            // The facility row is locked so that two staff saving at once are applied one after the other.
            tx.get("select id from facility where id = ? for update", facilityId);
            FacilityRules before = repository.rules(facilityId);
            FairnessRepository.replace(tx, facilityId, rules);
            log.append(tx, town.id(), actor, Change.of("booking-rules.set", "facility", facilityId, facilityId,
                    describe(before), describe(rules)), clock.instant());
            return null;
        });
        return repository.rules(facilityId);
    }

    private void allowed(Municipality town, StaffMember member, long facilityId, Permission permission) {
        facilities.facility(town.id(), facilityId).orElseThrow(() -> Problem.notFound("facility", "施設"));
        if (!member.may(permission) || !member.mayManage(facilityId)) {
            throw StaffAuthenticator.forbidden();
        }
    }

    private static Map<String, Object> describe(FacilityRules rules) {
        Map<String, Object> out = new LinkedHashMap<>();
        rules.window().ifPresent(w -> out.put("window", w.residentMonths() + "m/" + w.nonResidentMonths() + "m/"
                + w.unverifiedDays() + "d from day " + w.opensDay() + " " + w.opensHour() + ":00"));
        List<String> quotas = rules.quotas().stream().map(q -> q.subjectWire() + " " + q.measureWire() + " "
                + q.periodWire() + " " + q.daysWire() + " " + q.cap() + q.unverifiedCap().map(u -> "/" + u).orElse(""))
                .toList();
        out.put("quotas", quotas);
        return out;
    }
}
