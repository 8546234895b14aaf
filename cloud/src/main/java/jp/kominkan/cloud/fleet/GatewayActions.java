package jp.kominkan.cloud.fleet;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.StaffMember;

/**
 * What staff do to gateways, for the API and the staff pages alike: register, make an enrollment
 * token, decommission — each then written to the operation log. Enrollment commits in its own
 * transactions (it locks the gateway's row), so the log entry follows in the next one; a crash
 * between the two would leave the change unlogged (docs/back-office.md).
 */
public final class GatewayActions {

    private final Enrollments enrollments;
    private final JdbcGatewayRepository gateways;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param enrollments enrollment
     * @param gateways    gateways
     * @param log         the operation log
     * @param clock       the clock
     */
    public GatewayActions(Enrollments enrollments, JdbcGatewayRepository gateways, OperationLog log, Clock clock) {
        this.enrollments = enrollments;
        this.gateways = gateways;
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param town       where
     * @param member     who
     * @param facilityId which facility
     * @return its gateways, when in the member's scope
     */
    public List<Gateway> ofFacility(Municipality town, StaffMember member, long facilityId) {
        return gateways.byMunicipality(town.id()).stream()
                .filter(g -> g.facilityId() == facilityId && member.mayManage(g.facilityId())).toList();
    }

    /**
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param id         the new gateway's id
     * @param facilityId its facility
     * @param name       its name
     * @return the gateway
     */
    public Gateway register(Municipality town, StaffMember member, Actor actor, String id, long facilityId, String name) {
        Gateway gateway = enrollments.register(member, town, id, facilityId, name);
        log.append(town.id(), actor, Change.of("gateway.register", "gateway", gateway.id(), gateway.facilityId(), null,
                Map.of("name", gateway.name())), clock.instant());
        return gateway;
    }

    /**
     * @param town   where
     * @param member who
     * @param actor  who, from where
     * @param id     which gateway
     * @return the one-time token (logged without the token)
     */
    public Enrollments.IssuedToken token(Municipality town, StaffMember member, Actor actor, String id) {
        Enrollments.IssuedToken token = enrollments.issueToken(member, town, id);
        long facility = gateways.find(id).map(Gateway::facilityId).orElse(0L);
        log.append(town.id(), actor, Change.of("gateway.enrollment-token", "gateway", id, facility, null,
                Map.of("expires", token.expires().toString())), clock.instant());
        return token;
    }

    /**
     * @param town   where
     * @param member who
     * @param actor  who, from where
     * @param id     which gateway
     * @return what was done
     */
    public Enrollments.Decommissioned decommission(Municipality town, StaffMember member, Actor actor, String id) {
        Enrollments.Decommissioned done = enrollments.decommission(member, town, id);
        long facility = gateways.find(id).map(Gateway::facilityId).orElse(0L);
        log.append(town.id(), actor, Change.of("gateway.decommission", "gateway", id, facility, null,
                Map.of("certificatesRevoked", done.certificatesRevoked())), clock.instant());
        return done;
    }
}
