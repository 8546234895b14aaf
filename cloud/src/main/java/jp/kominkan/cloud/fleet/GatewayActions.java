package jp.kominkan.cloud.fleet;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.grant.JdbcDoorRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.topic.Topic;

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
    private final JdbcDoorRepository doors;
    private final jp.kominkan.cloud.facility.FacilityRepository facilities;

    /**
     * @param enrollments enrollment
     * @param gateways    gateways
     * @param log         the operation log
     * @param clock       the clock
     * @param doors       doors
     * @param facilities  rooms
     */
    public GatewayActions(Enrollments enrollments, JdbcGatewayRepository gateways, OperationLog log, Clock clock,
                          JdbcDoorRepository doors, jp.kominkan.cloud.facility.FacilityRepository facilities) {
        this.doors = doors;
        this.facilities = facilities;
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
     * @param shard      its broker shard; empty: the least used
     * @return the gateway
     */
    public Gateway register(Municipality town, StaffMember member, Actor actor, String id, long facilityId, String name,
                            java.util.Optional<String> shard) {
        Gateway gateway = enrollments.register(member, town, id, facilityId, name, shard);
        log.append(town.id(), actor, Change.of("gateway.register", "gateway", gateway.id(), gateway.facilityId(), null,
                Map.of("name", gateway.name(), "brokerShard", gateway.brokerShard())), clock.instant());
        return gateway;
    }

    /**
     * @param town   where
     * @param roomId a room
     * @return it, when it is this municipality's
     */
    public java.util.Optional<Room> room(Municipality town, long roomId) {
        return facilities.room(town.id(), roomId);
    }

    /**
     * @param roomId a room
     * @return its doors
     */
    public List<jp.kominkan.cloud.grant.Door> doorsOf(long roomId) {
        return doors.forRoom(roomId);
    }

    /**
     * Adds a door to a room of the gateway's facility. A gateway reads its doors from the site profile
     * written at enrollment: add doors before enrolling, or enroll again (docs/back-office.md).
     *
     * @param town      where
     * @param member    who (manage doors, the facility in scope)
     * @param actor     who, from where
     * @param room      the room, already checked to be in the member's scope
     * @param doorId    the new door's id, starting with the municipality code and a hyphen
     * @param gatewayId its gateway, of the same facility
     * @param name      its name
     */
    public void addDoor(Municipality town, StaffMember member, Actor actor, Room room, String doorId, String gatewayId,
                        String name) {
        if (!member.may(Permission.MANAGE_DOORS, room.facilityId())) {
            throw StaffAuthenticator.forbidden();
        }
        String id = doorId == null ? "" : doorId.strip();
        if (!Topic.isId(id) || !id.startsWith(town.code() + "-")) {
            throw Problem.badField("doorId", "A door id starts with " + town.code() + "- and has only letters, digits,"
                    + " '.', '_' and '-' (at most 64).", "扉 ID は「" + town.code() + "-」で始め、英数字と . _ - だけで"
                    + "（64 文字まで）入力してください。");
        }
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > 200) {
            throw Problem.badField("doorName", "Name the door (up to 200 characters).", "扉の名称を入力してください（200 文字まで）。");
        }
        Gateway gateway = gateways.find(gatewayId == null ? "" : gatewayId)
                .filter(g -> g.municipalityId() == town.id() && g.facilityId() == room.facilityId() && g.inService())
                .orElseThrow(() -> Problem.badField("gatewayId", "Choose a gateway of this facility that is in service.",
                        "この施設の稼働中のゲートウェイを選んでください。"));
        if (!doors.insert(id, room.id(), gateway.id(), label)) {
            throw Problem.conflict("door-exists", "A door with this id exists already.", "この扉 ID はすでに使われています。");
        }
        log.append(town.id(), actor, Change.of("door.add", "door", id, room.facilityId(), null,
                Map.of("roomId", room.id(), "gateway", gateway.id(), "name", label)), clock.instant());
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
