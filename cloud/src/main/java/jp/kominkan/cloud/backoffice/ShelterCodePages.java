package jp.kominkan.cloud.backoffice;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.shelter.ShelterCode;
import jp.kominkan.cloud.shelter.ShelterCodes;
import jp.kominkan.cloud.shelter.ShelterRequest;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The staff's shelter code pages (避難所コード): the codes of the facilities in the member's scope with a form to issue
 * one; the code itself on the page that issued it and never again; one code with its revocation, confirmed by a
 * check box (no script: the CSP allows none inline). Every rule is {@link ShelterCodes}'s, for the API alike.
 */
public final class ShelterCodePages implements HttpService {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");

    private final StaffSite site;
    private final ShelterCodes codes;
    private final FacilityRepository facilities;
    private final Clock clock;

    /**
     * @param site       staff page support: sign-in, CSRF, the layout
     * @param codes      shelter codes
     * @param facilities the facilities in scope
     * @param clock      the clock (the form's defaults)
     */
    public ShelterCodePages(StaffSite site, ShelterCodes codes, FacilityRepository facilities, Clock clock) {
        this.site = site;
        this.codes = codes;
        this.facilities = facilities;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/shelter-codes", site.guard(Permission.MANAGE_DOORS, this::list))
                .post("/staff/shelter-codes", site.guard(Permission.MANAGE_DOORS, this::issue))
                .get("/staff/shelter-codes/{id}", site.guard(Permission.MANAGE_DOORS, this::one))
                .post("/staff/shelter-codes/{id}/revoke", site.guard(Permission.MANAGE_DOORS, this::revoke));
    }

    /**
     * A code in the list.
     *
     * @param id         its id
     * @param holder     who holds it
     * @param facility   its facility's name
     * @param window     from – until, in words
     * @param status     its status in words
     * @param statusWire its status's code
     */
    public record CodeLine(String id, String holder, String facility, String window, String status,
                           String statusWire) {
    }

    // ---- the list and the form ------------------------------------------------------------------

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Optional<Long> facility = req.query().first("facility").asOptional().filter(f -> !f.isBlank())
                .map(ShelterCodePages::number);
        Map<String, String> defaults = defaults(town, facility);
        showList(req, res, town, me, facility, Map.of(), defaults, req.query().first("done").orElse(""), Status.OK_200);
    }

    private void issue(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        Optional<Long> facility = Optional.of(form.getOrDefault("facilityId", "")).filter(f -> !f.isBlank())
                .map(ShelterCodePages::number);
        try {
            ShelterRequest request = new ShelterRequest(facility.orElseThrow(() -> Problem.badField("facilityId",
                    "Choose a facility.", "施設を選んでください。")), form.getOrDefault("holder", ""),
                    local(form.get("validFrom"), town, "validFrom", "始まり").toInstant(),
                    local(form.get("validUntil"), town, "validUntil", "終わり").toInstant());
            ShelterCodes.Issued issued = codes.issue(town, me, Actor.of(me, req), request);
            Page page = site.page(req, res, town);
            ShelterCode c = issued.shelterCode();
            // The only page that ever shows the code: neither kept by the browser nor by a proxy.
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            site.render(res, Status.OK_200, "staff/shelterCodeIssued.jte", page, me, Map.of(
                    "id", c.id().toString(), "code", issued.code().digits(), "holder", c.holder(),
                    "facility", issued.facility().name(), "window", window(c, town, page),
                    "doors", issued.doors().stream().map(d -> d.name()).toList()));
        } catch (Problem problem) {
            if (problem.status() == 404 || problem.status() == 403) {
                throw problem;
            }
            showList(req, res, town, me, facility, StaffSite.error(req, problem, "form"), form, "",
                    Status.create(problem.status()));
        }
    }

    private void showList(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                          Optional<Long> facility, Map<String, String> errors, Map<String, String> values, String done,
                          Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        List<Facility> scope = facilities.allFacilities(town.id()).stream().filter(f -> me.mayManage(f.id())).toList();
        List<CodeLine> lines = codes.list(town, me, facility).stream().map(l -> new CodeLine(
                l.shelterCode().id().toString(), l.shelterCode().holder(), l.facility().name(),
                window(l.shelterCode(), town, page), page.t(l.status().japanese(), l.status().english()),
                l.status().wire())).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("facilities", scope);
        model.put("shown", facility.map(String::valueOf).orElse(""));
        model.put("codes", lines);
        model.put("done", done);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        site.render(res, status, "staff/shelterCodes.jte", page, me, model);
    }

    // ---- one code and its revocation ------------------------------------------------------------

    private void one(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        show(req, res, town, me, Map.of(), Status.OK_200);
    }

    private void revoke(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        ShelterCodes.Listed listed = codes.one(town, me, PathIds.uuid(req, "id"));
        if (!"on".equals(form.get("confirm"))) {
            Page plain = site.page(req, res, town);
            show(req, res, town, me, Map.of("confirm", plain.t("取り消す場合は、確認のチェックを入れてください。",
                    "Tick the box to confirm the revocation.")), Status.BAD_REQUEST_400);
            return;
        }
        try {
            codes.revoke(town, me, Actor.of(me, req), listed.shelterCode().id());
            site.redirect(res, "/staff/shelter-codes?facility=" + listed.shelterCode().facilityId() + "&done=revoked");
        } catch (Problem problem) {
            if (problem.status() != 409) {
                throw problem;
            }
            show(req, res, town, me, StaffSite.error(req, problem, "confirm"), Status.CONFLICT_409);
        }
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                      Map<String, String> errors, Status status) {
        ShelterCodes.Listed listed = codes.one(town, me, PathIds.uuid(req, "id"));
        Page page = site.page(req, res, town).withForm(errors, Map.of());
        ShelterCode c = listed.shelterCode();
        Map<String, Object> model = new HashMap<>();
        model.put("line", new CodeLine(c.id().toString(), c.holder(), listed.facility().name(), window(c, town, page),
                page.t(listed.status().japanese(), listed.status().english()), listed.status().wire()));
        model.put("facilityId", c.facilityId());
        model.put("issuedAt", Formats.format(c.issuedAt(), town.zone(), page));
        model.put("revokedAt", c.revokedAt().map(r -> Formats.format(r, town.zone(), page)).orElse(""));
        site.render(res, status, "staff/shelterCode.jte", page, me, model);
    }

    // ---- reading the form -----------------------------------------------------------------------

    /** Now to the same minute a year later, in the town's time, for the chosen facility if there is one. */
    private Map<String, String> defaults(Municipality town, Optional<Long> facility) {
        LocalDateTime from = LocalDateTime.now(clock.withZone(town.zone())).truncatedTo(ChronoUnit.MINUTES);
        Map<String, String> values = new HashMap<>();
        values.put("validFrom", LOCAL.format(from));
        values.put("validUntil", LOCAL.format(from.plusYears(1)));
        facility.ifPresent(f -> values.put("facilityId", Long.toString(f)));
        return values;
    }

    /** A {@code datetime-local} value, in the town's time. */
    private static ZonedDateTime local(String text, Municipality town, String field, String japanese) {
        if (text == null || text.isBlank()) {
            throw Problem.badField(field, "Enter the " + (field.equals("validFrom") ? "start." : "end."),
                    "有効期間の" + japanese + "を入力してください。");
        }
        try {
            return LocalDateTime.parse(text.strip()).atZone(town.zone());
        } catch (DateTimeParseException e) {
            throw Problem.badField(field, "Enter a date and time, e.g. 2026-04-01T09:00.",
                    "有効期間の" + japanese + "は 2026-04-01T09:00 の形で入力してください。");
        }
    }

    private static String window(ShelterCode c, Municipality town, Page page) {
        return Formats.format(c.validFrom(), town.zone(), page) + " – " + Formats.format(c.validUntil(), town.zone(),
                page);
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw Problem.notFound("facility", "施設");
        }
    }
}
