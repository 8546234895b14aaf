package jp.kominkan.cloud.operations;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code /api/v1/staff/operations?from&to&staff&target}: the operation log as JSON, or as CSV with
 * {@code format=csv} (UTF-8 with a BOM, so that Excel opens it in Japanese); {@code /verify} walks the
 * hash chain. A main administrator reads everything; a facility administrator the entries about
 * their facilities.
 */
public final class OperationHttpService implements HttpService {

    private final OperationLog log;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param log           the operation log
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     */
    public OperationHttpService(OperationLog log, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.log = log;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/verify", this::verify);
    }

    /**
     * Reads a filter from a query (shared with the staff pages).
     *
     * @param req    the request
     * @param town   the municipality
     * @param member who reads
     * @return the filter, limited to what the member may read
     */
    public static OperationFilter filter(ServerRequest req, Municipality town, StaffMember member) {
        ZoneId zone = town.zone();
        Optional<LocalDate> from = date(req, "from");
        Optional<LocalDate> to = date(req, "to");
        Optional<UUID> staff = req.query().first("staff").asOptional().filter(s -> !s.isBlank()).map(s -> {
            try {
                return UUID.fromString(s.strip());
            } catch (IllegalArgumentException e) {
                throw Problem.badField("staff", "staff is a staff id.", "staff には職員の ID を指定してください。");
            }
        });
        Optional<String> target = req.query().first("target").asOptional().map(String::strip)
                .filter(s -> !s.isEmpty() && s.length() <= 64);
        return new OperationFilter(from.map(d -> d.atStartOfDay(zone).toInstant()),
                to.map(d -> d.plusDays(1).atStartOfDay(zone).toInstant()), staff, target,
                member.role() == StaffRole.MAIN ? Optional.empty() : Optional.of(member.facilities()), 1000);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.VIEW_OPERATIONS);
        List<Operation> entries = log.find(town.id(), filter(req, town, member));
        if (req.query().first("format").asOptional().map("csv"::equals).orElse(false)) {
            res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"operations-" + town.code() + ".csv\"");
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(csv(entries, town.zone()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        Json.send(res, Status.OK_200, Map.of("operations", entries.stream().map(e -> view(e, town.zone())).toList()));
    }

    private void verify(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        authenticator.require(req, town, Permission.ADMINISTER);
        OperationLog.Verification result = log.verify(town.id());
        Json.send(res, Status.OK_200, Map.of("intact", result.intact(), "entries", result.entries(),
                "brokenAt", result.brokenAt().map(Object::toString).orElse("")));
    }

    /**
     * @param entries entries
     * @param zone    the municipality's zone
     * @return them as CSV with a header line, UTF-8 BOM first
     */
    public static String csv(List<Operation> entries, ZoneId zone) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader("seq", "occurred_at", "staff_id",
                "role", "action", "target_type", "target_id", "facility_id", "before", "after", "source", "prev_hash",
                "hash").get())) {
            for (Operation e : entries) {
                csv.printRecord(e.seq(), IsoTimes.format(e.occurredAt(), zone), e.staffId().map(UUID::toString).orElse(""),
                        e.role(), e.action(), e.targetType(), e.targetId(), e.facilityId().map(Object::toString).orElse(""),
                        e.before().orElse(""), e.after().orElse(""), e.source(), e.prevHash(), e.hash());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Optional<LocalDate> date(ServerRequest req, String name) {
        try {
            return req.query().first(name).asOptional().filter(s -> !s.isBlank()).map(LocalDate::parse);
        } catch (DateTimeException e) {
            throw Problem.badField(name, name + " must be a date like 2026-12-01.", name + " は 2026-12-01 の形式で指定してください。");
        }
    }

    private static View view(Operation e, ZoneId zone) {
        return new View(e.seq(), IsoTimes.format(e.occurredAt(), zone), e.staffId().orElse(null), e.role(), e.action(),
                e.targetType(), e.targetId(), e.facilityId().orElse(null), e.before().orElse(null),
                e.after().orElse(null), e.source(), e.hash());
    }

    /** One entry as sent. */
    record View(long seq, String occurredAt, UUID staffId, String role, String action, String targetType,
                String targetId, Long facilityId, String before, String after, String source, String hash) {
    }
}
