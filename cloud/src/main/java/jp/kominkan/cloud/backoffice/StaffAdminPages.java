package jp.kominkan.cloud.backoffice;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

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
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAdminHttpService;
import jp.kominkan.cloud.staff.StaffDirectory;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The main administrator's staff pages (職員管理): the list with pending invitations and the invitation
 * form, and one member's page with role and facilities, disable and enable.
 */
public final class StaffAdminPages implements HttpService {

    private static final String FACILITY_FIELD = "facility-";

    private final StaffSite site;
    private final StaffDirectory directory;
    private final FacilityRepository facilities;
    private final boolean secure;
    private final Clock clock;

    /**
     * @param site       staff pages' support
     * @param directory  staff management
     * @param facilities the facilities to scope to
     * @param secure     whether the site is served over TLS (for invitation links)
     * @param clock      the clock
     */
    public StaffAdminPages(StaffSite site, StaffDirectory directory, FacilityRepository facilities, boolean secure,
                           Clock clock) {
        this.site = site;
        this.directory = directory;
        this.facilities = facilities;
        this.secure = secure;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/members", site.guard(Permission.ADMINISTER, this::list))
                .post("/staff/members/invitations", site.guard(Permission.ADMINISTER, this::invite))
                .post("/staff/members/invitations/resend", site.guard(Permission.ADMINISTER, this::resend))
                .get("/staff/members/{id}", site.guard(Permission.ADMINISTER, this::detail))
                .post("/staff/members/{id}/role", site.guard(Permission.ADMINISTER, this::changeRole))
                .post("/staff/members/{id}/disable", site.guard(Permission.ADMINISTER, this::disable))
                .post("/staff/members/{id}/enable", site.guard(Permission.ADMINISTER, this::enable));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        showList(req, res, town, me, Map.of(), Map.of("role", "clerk"), Status.OK_200);
    }

    private void invite(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        try {
            directory.invite(town, me, Actor.of(me, req), form.getOrDefault("email", ""),
                    StaffAdminHttpService.role(form.get("role")), chosen(form),
                    StaffAdminHttpService.baseUrl(req, secure));
            site.redirect(res, "/staff/members?done=invited");
        } catch (Problem problem) {
            showList(req, res, town, me, StaffSite.error(req, problem), form, Status.create(problem.status()));
        }
    }

    private void resend(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        try {
            directory.resend(town, me, Actor.of(me, req), form.getOrDefault("email", ""),
                    StaffAdminHttpService.baseUrl(req, secure));
            site.redirect(res, "/staff/members?done=resent");
        } catch (Problem problem) {
            showList(req, res, town, me, Map.of("form", Formats.message(req, problem)), Map.of("role", "clerk"),
                    Status.create(problem.status()));
        }
    }

    private void detail(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        StaffDirectory.Entry entry = directory.member(town, me, PathIds.uuid(req, "id"));
        showMember(req, res, town, me, entry, Map.of(), values(entry), Status.OK_200);
    }

    private void changeRole(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        UUID id = PathIds.uuid(req, "id");
        Map<String, String> form = site.form(req);
        try {
            directory.changeRole(town, me, Actor.of(me, req), id, StaffAdminHttpService.role(form.get("role")),
                    chosen(form));
            site.redirect(res, "/staff/members/" + id + "?done=saved");
        } catch (Problem problem) {
            Map<String, String> errors = StaffSite.error(req, problem, "role");
            showMember(req, res, town, me, directory.member(town, me, id), errors, form, Status.create(problem.status()));
        }
    }

    private void disable(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        toggle(req, res, town, me, true);
    }

    private void enable(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        toggle(req, res, town, me, false);
    }

    private void toggle(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, boolean disable) {
        UUID id = PathIds.uuid(req, "id");
        site.form(req);
        try {
            if (disable) {
                directory.disable(town, me, Actor.of(me, req), id);
            } else {
                directory.enable(town, me, Actor.of(me, req), id);
            }
            site.redirect(res, "/staff/members/" + id + "?done=" + (disable ? "disabled" : "enabled"));
        } catch (Problem problem) {
            StaffDirectory.Entry entry = directory.member(town, me, id);
            showMember(req, res, town, me, entry, Map.of("status", Formats.message(req, problem)), values(entry),
                    Status.create(problem.status()));
        }
    }

    private void showList(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                          Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        Map<Long, String> names = names(town);
        Instant now = clock.instant();
        List<MemberLine> members = directory.members(town, me).stream().map(e -> line(e, names, page, town)).toList();
        List<PendingLine> pending = directory.pending(town, me).stream().map(p -> new PendingLine(p.email(),
                page.t(p.role().japanese(), p.role().english()), facilityNames(p.facilities(), names),
                Formats.format(p.createdAt(), town.zone(), page), Formats.format(p.expiresAt(), town.zone(), page),
                p.usableAt(now))).toList();
        site.render(res, status, "staff/members.jte", page, me, Map.of("members", members, "pending", pending,
                "facilities", facilities.allFacilities(town.id()), "roles", List.of(StaffRole.values()),
                "done", Formats.query(req, "done").getOrDefault("done", "")));
    }

    private void showMember(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                            StaffDirectory.Entry entry, Map<String, String> errors, Map<String, String> values,
                            Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        site.render(res, status, "staff/member.jte", page, me, Map.of("member", line(entry, names(town), page, town),
                "facilities", facilities.allFacilities(town.id()), "roles", List.of(StaffRole.values()),
                "self", entry.member().id().equals(me.id()),
                "done", Formats.query(req, "done").getOrDefault("done", "")));
    }

    private static Map<String, String> values(StaffDirectory.Entry entry) {
        Map<String, String> values = new HashMap<>();
        values.put("role", entry.member().role().wire());
        entry.member().facilities().forEach(id -> values.put(FACILITY_FIELD + id, "on"));
        return values;
    }

    /** The facilities ticked on a form: fields named {@code facility-<id>}. */
    private static Set<Long> chosen(Map<String, String> form) {
        Set<Long> ids = new java.util.HashSet<>();
        for (String name : form.keySet()) {
            if (name.startsWith(FACILITY_FIELD)) {
                String id = name.substring(FACILITY_FIELD.length());
                if (!id.matches("\\d{1,18}")) {
                    throw Problem.badField("facilities", "Choose the facilities from the list.",
                            "施設は一覧から選んでください。");
                }
                ids.add(Long.parseLong(id));
            }
        }
        return ids;
    }

    private Map<Long, String> names(Municipality town) {
        return facilities.allFacilities(town.id()).stream().collect(Collectors.toMap(Facility::id, Facility::name));
    }

    private static String facilityNames(Set<Long> ids, Map<Long, String> names) {
        return ids.stream().sorted().map(id -> names.getOrDefault(id, "#" + id)).collect(Collectors.joining("、"));
    }

    private static MemberLine line(StaffDirectory.Entry e, Map<Long, String> names, Page page, Municipality town) {
        StaffMember m = e.member();
        return new MemberLine(m.id(), m.name(), m.email(), m.role().wire(), page.t(m.role().japanese(), m.role().english()),
                m.role() == StaffRole.MAIN ? page.t("すべての施設", "All facilities") : facilityNames(m.facilities(), names),
                e.disabled(), Formats.format(e.createdAt(), town.zone(), page));
    }

    /**
     * A member of staff as listed.
     *
     * @param id         who
     * @param name       name
     * @param email      e-mail
     * @param role       role's wire name
     * @param roleName   role in words
     * @param facilities facilities in scope, in words
     * @param disabled   whether disabled
     * @param since      when the account was made
     */
    public record MemberLine(UUID id, String name, String email, String role, String roleName, String facilities,
                             boolean disabled, String since) {
    }

    /**
     * An invitation not accepted.
     *
     * @param email      whom
     * @param role       role in words
     * @param facilities facilities, in words
     * @param sent       when it was sent
     * @param expires    when its link stops working
     * @param usable     whether it still works
     */
    public record PendingLine(String email, String role, String facilities, String sent, String expires,
                              boolean usable) {
    }
}
