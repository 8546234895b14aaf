package jp.kominkan.cloud.fleet;

import java.util.List;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/gateways}: each building gateway's grant stream position, for staff.
 */
public final class GatewayHttpService implements HttpService {

    private final JdbcGatewayRepository gateways;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param gateways      where gateways are
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     */
    public GatewayHttpService(JdbcGatewayRepository gateways, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.gateways = gateways;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember staff = authenticator.require(req, municipality);
        List<GatewayView> views = gateways.byMunicipality(municipality.id()).stream()
                .filter(g -> staff.mayManage(g.facilityId()))
                .map(g -> new GatewayView(g.id(), g.facilityId(), g.name(), g.streamHead(), g.lastAck(), g.lag(),
                        g.lastSeen().map(t -> IsoTimes.format(t, municipality.zone())).orElse(null)))
                .toList();
        Json.send(res, Status.OK_200, new GatewayList(views));
    }

    /** The list. */
    record GatewayList(List<GatewayView> gateways) {
    }

    /** One gateway; {@code lag} is entries written but not acknowledged. */
    record GatewayView(String id, long facilityId, String name, long streamHead, long lastAck, long lag,
                       String lastSeenAt) {
    }
}
