package jp.kominkan.cloud.door;

import java.util.List;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/doors/{doorId}/events}: what happened at a door, newest first, for staff.
 */
public final class DoorEventHttpService implements HttpService {

    private static final int LIMIT = 200;

    private final DoorEventRepository events;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param events        where events are
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     */
    public DoorEventHttpService(DoorEventRepository events, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.events = events;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{doorId}/events", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember staff = authenticator.require(req, municipality, Permission.VIEW_DOORS);
        String doorId = req.path().pathParameters().get("doorId");
        events.facilityOf(doorId, municipality.id())
                .filter(staff::mayManage)
                .orElseThrow(() -> Problem.notFound("door", "扉"));
        List<EventView> views = events.newestFirst(doorId, LIMIT).stream()
                .map(e -> new EventView(e.id().toString(), e.type().wire(), IsoTimes.format(e.at(), municipality.zone()),
                        e.grantId().map(Object::toString).orElse(null), e.reason().orElse(null)))
                .toList();
        Json.send(res, Status.OK_200, new EventList(doorId, views));
    }

    /** The list. */
    record EventList(String doorId, List<EventView> events) {
    }

    /** One event. */
    record EventView(String id, String type, String at, String grantId, String reason) {
    }
}
