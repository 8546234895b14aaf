package jp.kominkan.cloud.shelter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/shelter-codes}: issue a facility's shelter code (避難所コード) — the code is in this answer
 * and nowhere else, ever —, list them (never the code), revoke one. Every call needs {@link Permission#MANAGE_DOORS}
 * within the code's facility; the role is asked before the body is read.
 */
public final class ShelterCodeHttpService implements HttpService {

    private final ShelterCodes codes;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param codes         shelter codes
     * @param authenticator finds the member of staff
     * @param tenancy       finds the municipality
     */
    public ShelterCodeHttpService(ShelterCodes codes, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.codes = codes;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::issue)
                .get("/{id}", this::one)
                .post("/{id}/revoke", this::revoke);
    }

    private void issue(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_DOORS);
        ShelterCodes.Issued issued = codes.issue(town, member, Actor.of(member, req), request(Json.readDeclared(req,
                IssueBody.class)));
        res.header(HeaderNames.LOCATION, "/api/v1/staff/shelter-codes/" + issued.shelterCode().id());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        ShelterCode c = issued.shelterCode();
        Json.send(res, Status.CREATED_201, new IssuedView(c.id().toString(), issued.code().digits(), c.facilityId(),
                issued.facility().name(), c.holder(), at(c.validFrom(), town), at(c.validUntil(), town),
                issued.doors().stream().map(d -> new DoorView(d.id(), d.name())).toList()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_DOORS);
        Optional<Long> facilityId = req.query().first("facilityId").asOptional().map(ShelterCodeHttpService::facilityId);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.OK_200, Map.of("shelterCodes", codes.list(town, member, facilityId).stream()
                .map(l -> CodeView.of(l, town.zone())).toList()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_DOORS);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.OK_200, CodeView.of(codes.one(town, member, PathIds.uuid(req, "id")), town.zone()));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_DOORS);
        ShelterCodes.Listed revoked = codes.revoke(town, member, Actor.of(member, req), PathIds.uuid(req, "id"));
        Json.send(res, Status.OK_200, CodeView.of(revoked, town.zone()));
    }

    /** Reads the body into a request, naming the first field at fault. */
    private static ShelterRequest request(IssueBody body) {
        if (body.facilityId() == null) {
            throw Problem.badField("facilityId", "facilityId is required.", "施設を指定してください。");
        }
        if (body.holder() == null) {
            throw Problem.badField("holder", "holder is required.", "交付先を入力してください。");
        }
        return new ShelterRequest(body.facilityId(), body.holder(), instant(body.validFrom(), "validFrom", "始まり"),
                instant(body.validUntil(), "validUntil", "終わり"));
    }

    private static Instant instant(String text, String field, String japanese) {
        if (text == null || text.isBlank()) {
            throw Problem.badField(field, field + " is required.", "有効期限の" + japanese + "を指定してください。");
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.badField(field, field + " is a date and time with offset, e.g. 2026-04-01T09:00:00+09:00.",
                    "有効期限の" + japanese + "は 2026-04-01T09:00:00+09:00 の形式で指定してください。");
        }
    }

    private static long facilityId(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw Problem.badField("facilityId", "facilityId is a number.", "施設の指定が正しくありません。");
        }
    }

    private static String at(Instant instant, Municipality town) {
        return IsoTimes.format(instant, town.zone());
    }

    /** The body of an issue. */
    record IssueBody(Long facilityId, String holder, String validFrom, String validUntil) {
    }

    /** A door the code opens. */
    record DoorView(String id, String name) {
    }

    /** The answer to an issue: the only place the code is ever written. */
    record IssuedView(String id, String code, long facilityId, String facilityName, String holder, String validFrom,
                      String validUntil, List<DoorView> doors) {
    }

    /** A code in a list: never the code. */
    record CodeView(String id, long facilityId, String facilityName, String holder, String validFrom,
                    String validUntil, String issuedAt, String revokedAt, String status) {

        static CodeView of(ShelterCodes.Listed listed, ZoneId zone) {
            ShelterCode c = listed.shelterCode();
            return new CodeView(c.id().toString(), c.facilityId(), listed.facility().name(), c.holder(),
                    IsoTimes.format(c.validFrom(), zone), IsoTimes.format(c.validUntil(), zone),
                    IsoTimes.format(c.issuedAt(), zone), c.revokedAt().map(r -> IsoTimes.format(r, zone)).orElse(null),
                    listed.status().wire());
        }
    }
}
