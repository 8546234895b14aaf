package jp.kominkan.cloud.fleet;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code POST /api/v1/enroll}: a gateway sends its one-time token and a certificate request and
 * receives its certificate, the CA, the broker address and its site profile. The token is the only
 * credential; it works once, for 30 minutes.
 */
public final class EnrollmentHttpService implements HttpService {

    private final Enrollments enrollments;
    private final Tenancy tenancy;

    /**
     * @param enrollments enrollment
     * @param tenancy     finds the municipality
     */
    public EnrollmentHttpService(Enrollments enrollments, Tenancy tenancy) {
        this.enrollments = enrollments;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::enroll);
    }

    private void enroll(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        EnrollRequest body = Json.read(req, EnrollRequest.class);
        Optional<Instant> clientTime = Optional.ofNullable(body.clientTime()).map(EnrollmentHttpService::instant);
        if (Boolean.TRUE.equals(body.dryRun())) {
            Enrollments.TokenCheck check = enrollments.check(municipality, body.token(), clientTime);
            Json.send(res, Status.OK_200, new TokenCheckView(check.gatewayId(), check.serverTime().toString(),
                    check.expires().toString()));
            return;
        }
        Enrollments.Enrolled enrolled = enrollments.enroll(municipality, body.token(), body.csr(), clientTime);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.OK_200, new EnrollResponse(enrolled.gatewayId(), enrolled.certificate(),
                enrolled.caCertificates(), enrolled.broker(), enrolled.siteProfile(), enrolled.serverTime().toString(),
                enrolled.notAfter().toString()));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Problem.badField("clientTime", "clientTime must be an ISO-8601 instant such as 2026-12-01T09:00:00Z.",
                    "clientTime は 2026-12-01T09:00:00Z の形式で指定してください。");
        }
    }

    /** What the gateway sends; {@code dryRun} only checks the token (and the clock) and uses nothing up. */
    record EnrollRequest(String token, String csr, String clientTime, Boolean dryRun) {
    }

    /** The answer to a dry run. */
    record TokenCheckView(String gatewayId, String serverTime, String expiresAt) {
    }

    /** What it gets back. */
    record EnrollResponse(String gatewayId, String certificate, String caCertificates, String broker,
                          String siteProfile, String serverTime, String notAfter) {
    }
}
