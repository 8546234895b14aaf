package jp.kominkan.cloud.waitlist;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.booking.ReservationHttpService;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/waitlist}: join the line for a taken range (the body of a booking), one's entries with their
 * position and any hold offered, leave, and accept an offered hold of a free room. Only the entry's own account
 * sees or changes it; anyone else is told it does not exist (404).
 */
public final class WaitlistHttpService implements HttpService {

    private final Waitlist waitlist;
    private final Authenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param waitlist      the waiting list
     * @param authenticator finds the resident
     * @param tenancy       finds the municipality
     */
    public WaitlistHttpService(Waitlist waitlist, Authenticator authenticator, Tenancy tenancy) {
        this.waitlist = waitlist;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::join)
                .get("/", this::mine)
                .get("/{id}", this::one)
                .delete("/{id}", this::leave)
                .post("/{id}/accept", this::accept);
    }

    private void join(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        Waitlist.Standing made = waitlist.join(town, account, ReservationHttpService.readRequest(req));
        res.header(HeaderNames.LOCATION, "/api/v1/waitlist/" + made.entry().id());
        Json.send(res, Status.CREATED_201, view(made, town.zone()));
    }

    private void mine(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        Json.send(res, Status.OK_200, Map.of("entries",
                waitlist.mine(town, account).stream().map(s -> view(s, town.zone())).toList()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        Json.send(res, Status.OK_200, view(waitlist.one(town, account, PathIds.uuid(req, "id")), town.zone()));
    }

    private void leave(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        waitlist.leave(town, account, PathIds.uuid(req, "id"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void accept(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        var reservation = waitlist.accept(town, account, PathIds.uuid(req, "id"));
        Json.send(res, Status.OK_200, Map.of("reservationId", reservation.id().toString(),
                "status", reservation.status().wire()));
    }

    private static Map<String, Object> view(Waitlist.Standing s, ZoneId zone) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.entry().id().toString());
        out.put("roomId", s.entry().roomId());
        out.put("start", s.entry().range().start().atZone(zone).toOffsetDateTime().toString());
        out.put("end", s.entry().range().end().atZone(zone).toOffsetDateTime().toString());
        out.put("position", s.position());
        out.put("status", s.offer().isPresent() ? "offered" : "waiting");
        s.offer().ifPresent(r -> {
            out.put("reservationId", r.id().toString());
            r.holdDeadline().ifPresent(d -> out.put("offerExpiresAt", d.atZone(zone).toOffsetDateTime().toString()));
        });
        return out;
    }
}
