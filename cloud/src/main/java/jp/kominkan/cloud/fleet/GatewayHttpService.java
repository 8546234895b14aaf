package jp.kominkan.cloud.fleet;

import java.util.List;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.QrCodes;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/gateways}: each building gateway's stream position, and its life as an
 * identity — register, a one-time enrollment token for the installer, decommission.
 */
public final class GatewayHttpService implements HttpService {

    private final JdbcGatewayRepository gateways;
    private final GatewayActions actions;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param gateways      where gateways are
     * @param actions       registration, enrollment tokens and decommissioning, logged
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     */
    public GatewayHttpService(JdbcGatewayRepository gateways, GatewayActions actions, StaffAuthenticator authenticator,
                              Tenancy tenancy) {
        this.gateways = gateways;
        this.actions = actions;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::register)
                .post("/{id}/enrollment", this::enrollment)
                .post("/{id}/decommission", this::decommission)
                .post("/{id}/doors", this::addDoor);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember staff = authenticator.require(req, municipality, Permission.VIEW_DOORS);
        List<GatewayView> views = gateways.byMunicipality(municipality.id()).stream()
                .filter(g -> staff.mayManage(g.facilityId()))
                .map(g -> view(g, municipality))
                .toList();
        Json.send(res, Status.OK_200, new GatewayList(views));
    }

    private void register(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember staff = authenticator.require(req, municipality, Permission.MANAGE_DOORS);
        NewGateway body = Json.read(req, NewGateway.class);
        Gateway gateway = actions.register(municipality, staff, Actor.of(staff, req), body.id(), body.facilityId() == null ? -1
                : body.facilityId(), body.name(), java.util.Optional.ofNullable(body.brokerShard()));
        res.headers().location(java.net.URI.create("/api/v1/staff/gateways/" + gateway.id()));
        Json.send(res, Status.CREATED_201, view(gateway, municipality));
    }

    private void enrollment(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember staff = authenticator.require(req, municipality, Permission.MANAGE_DOORS);
        Enrollments.IssuedToken token = actions.token(municipality, staff, Actor.of(staff, req),
                req.path().pathParameters().get("id"));
        String cloud = (req.isSecure() ? "https://" : "http://") + req.headers().first(HeaderNames.HOST).orElse("localhost");
        String command = "kominkan-gateway enroll --cloud " + cloud + " --token " + token.token();
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.CREATED_201, new TokenView(token.gatewayId(), token.token(),
                IsoTimes.format(token.expires(), municipality.zone()), command, QrCodes.svg(command)));
    }

    private void decommission(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember staff = authenticator.require(req, municipality, Permission.MANAGE_DOORS);
        String id = req.path().pathParameters().get("id");
        Enrollments.Decommissioned done = actions.decommission(municipality, staff, Actor.of(staff, req), id);
        Json.send(res, Status.OK_200, new Decommissioned(id, done.certificatesRevoked(), done.brokerUpdated()));
    }

    private static GatewayView view(Gateway g, Municipality municipality) {
        return new GatewayView(g.id(), g.facilityId(), g.name(), g.brokerShard(), g.streamHead(), g.lastAck(), g.lag(),
                g.lastSeen().map(t -> IsoTimes.format(t, municipality.zone())).orElse(null),
                g.decommissioned().map(t -> IsoTimes.format(t, municipality.zone())).orElse(null));
    }

    /** The list. */
    record GatewayList(List<GatewayView> gateways) {
    }

    /** One gateway; {@code lag} is entries written but not acknowledged; {@code brokerShard} the broker it is on. */
    record GatewayView(String id, long facilityId, String name, String brokerShard, long streamHead, long lastAck, long lag,
                       String lastSeenAt, String decommissionedAt) {
    }

    /** Adds a door to one of the gateway's rooms. */
    private void addDoor(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember staff = authenticator.require(req, municipality, Permission.MANAGE_DOORS);
        String gatewayId = req.path().pathParameters().get("id");
        Gateway gateway = gateways.find(gatewayId).filter(g -> g.municipalityId() == municipality.id()
                && staff.mayManage(g.facilityId())).orElseThrow(() -> Problem.notFound("gateway", "ゲートウェイ"));
        NewDoor body = Json.read(req, NewDoor.class);
        jp.kominkan.cloud.facility.Room room = actions.room(municipality, body.roomId() == null ? -1 : body.roomId())
                .filter(r -> r.facilityId() == gateway.facilityId())
                .orElseThrow(() -> Problem.badField("roomId", "Choose a room of the gateway's facility.",
                        "ゲートウェイと同じ施設の部屋を選んでください。"));
        actions.addDoor(municipality, staff, Actor.of(staff, req), room, body.id(), gateway.id(), body.name());
        Json.send(res, Status.CREATED_201, java.util.Map.of("id", body.id().strip(), "roomId", room.id(),
                "gatewayId", gateway.id()));
    }

    /** Body of {@code POST /{id}/doors}. */
    record NewDoor(String id, Long roomId, String name) {
    }

    /** Body of {@code POST /}; {@code brokerShard} may be left out (the shard with the fewest gateways). */
    record NewGateway(String id, Long facilityId, String name, String brokerShard) {
    }

    /** A one-time token, shown once; {@code qrSvg} carries the command for the installer's phone. */
    record TokenView(String gatewayId, String token, String expiresAt, String command, String qrSvg) {
    }

    /**
     * A gateway taken out of service; {@code brokerUpdated} false means the broker's CRL could not
     * be written at once (it is on the next change and daily; the cloud ignores the gateway already).
     */
    record Decommissioned(String id, long certificatesRevoked, boolean brokerUpdated) {
    }
}
