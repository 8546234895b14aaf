package jp.kominkan.cloud.fairness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/booking-rules/{facilityId}}: a facility's booking window and quotas, read with
 * VIEW_BOOKINGS and replaced with EDIT_FACILITIES (the facility administrator's permission) in the member's scope.
 * The body is {@code {"window": {...} | null, "quotas": [...]}}.
 */
public final class StaffBookingRulesHttpService implements HttpService {

    private final BookingRulesAdmin admin;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param admin         the rules' administration
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     */
    public StaffBookingRulesHttpService(BookingRulesAdmin admin, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.admin = admin;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{facilityId}", this::read)
                .put("/{facilityId}", this::replace);
    }

    /**
     * The body of a PUT.
     *
     * @param window the booking window, or null for none
     * @param quotas the quotas
     */
    public record Body(RulesDraft.Window window, List<RulesDraft.QuotaLine> quotas) {
    }

    private void read(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town);
        Json.send(res, Status.OK_200, view(admin.rules(town, member, PathIds.number(req, "facilityId"))));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town);
        long facilityId = PathIds.number(req, "facilityId");
        Body body = Json.readDeclared(req, Body.class);
        FacilityRules now = admin.replace(town, member, Actor.of(member, req), facilityId,
                new RulesDraft(Optional.ofNullable(body.window()), Optional.ofNullable(body.quotas()).orElse(List.of())));
        Json.send(res, Status.OK_200, view(now));
    }

    /**
     * @param rules a facility's rules
     * @return them as JSON sends them
     */
    static Map<String, Object> view(FacilityRules rules) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("window", rules.window().map(w -> Map.of("residentMonths", w.residentMonths(),
                "nonResidentMonths", w.nonResidentMonths(), "unverifiedDays", w.unverifiedDays(),
                "opensDay", w.opensDay(), "opensHour", w.opensHour())).orElse(null));
        out.put("quotas", rules.quotas().stream().map(q -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", q.id());
            m.put("subject", q.subjectWire());
            m.put("measure", q.measureWire());
            m.put("period", q.periodWire());
            m.put("days", q.daysWire());
            m.put("cap", q.cap());
            m.put("unverifiedCap", q.unverifiedCap().orElse(null));
            m.put("ja", q.japanese(q.cap()));
            return m;
        }).toList());
        return out;
    }
}
