package jp.kominkan.cloud.backoffice;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Operation;
import jp.kominkan.cloud.operations.OperationHttpService;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/** {@code /staff/operations}: the operation log with filters, and its CSV export. */
public final class OperationPages implements HttpService {

    private final StaffSite site;
    private final OperationLog log;

    /**
     * @param site staff pages' support
     * @param log  the operation log
     */
    public OperationPages(StaffSite site, OperationLog log) {
        this.site = site;
        this.log = log;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/operations", site.guard(Permission.VIEW_OPERATIONS, this::list))
                .get("/staff/operations.csv", site.guard(Permission.VIEW_OPERATIONS, this::csv));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> query = Formats.query(req, "from", "to", "staff", "target");
        Page page = site.page(req, res, town).withForm(Map.of(), query);
        List<Operation> entries;
        try {
            entries = log.find(town.id(), OperationHttpService.filter(req, town, me));
        } catch (Problem problem) {
            page = page.withForm(StaffSite.error(req, problem), query);
            entries = List.of();
        }
        Page shown = page;
        site.render(res, Status.OK_200, "staff/operations.jte", page, me, Map.of("entries", entries.stream()
                        .limit(500).map(e -> new Line(e.seq(), Formats.format(e.occurredAt(), town.zone(), shown),
                                e.role(), e.staffId().map(id -> id.toString().substring(0, 8)).orElse("cli"), e.action(),
                                e.targetType() + " " + e.targetId(), e.source())).toList(),
                "csv", "/staff/operations.csv" + (query.isEmpty() ? "" : "?" + Links.query(query))));
    }

    private void csv(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        List<Operation> entries = log.find(town.id(), OperationHttpService.filter(req, town, me));
        res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"operations-" + town.code() + ".csv\"");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.status(Status.OK_200).send(OperationHttpService.csv(entries, town.zone()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One line of the log as shown.
     *
     * @param seq    its number
     * @param when   when
     * @param role   role
     * @param staff  who (the id's start)
     * @param action what
     * @param target which record
     * @param source from where
     */
    public record Line(long seq, String when, String role, String staff, String action, String target, String source) {
    }
}
