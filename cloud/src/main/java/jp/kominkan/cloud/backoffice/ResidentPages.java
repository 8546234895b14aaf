package jp.kominkan.cloud.backoffice;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.residents.ResidentAdmin;
import jp.kominkan.cloud.residents.ResidentAdminHttpService;
import jp.kominkan.cloud.residents.ResidentBooking;
import jp.kominkan.cloud.residents.ResidentFile;
import jp.kominkan.cloud.residents.ResidentRepository;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The staff's resident pages (利用者管理): the search by name, e-mail or phone, and one resident's page
 * with contact, verification, notes, bookings in the member's facilities, and suspend or reinstate.
 */
public final class ResidentPages implements HttpService {

    private final StaffSite site;
    private final ResidentAdmin admin;
    private final Clock clock;

    /**
     * @param site  staff pages' support
     * @param admin resident management
     * @param clock the clock
     */
    public ResidentPages(StaffSite site, ResidentAdmin admin, Clock clock) {
        this.site = site;
        this.admin = admin;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/residents", site.guard(Permission.VIEW_RESIDENTS, this::list))
                .get("/staff/residents/{id}", site.guard(Permission.VIEW_RESIDENTS, this::detail))
                .post("/staff/residents/{id}/notes", site.guard(Permission.MANAGE_RESIDENTS, this::note))
                .post("/staff/residents/{id}/suspend", site.guard(Permission.MANAGE_RESIDENTS, this::suspend))
                .post("/staff/residents/{id}/reinstate", site.guard(Permission.MANAGE_RESIDENTS, this::reinstate));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        String q = req.query().first("q").orElse("");
        String pageText = req.query().first("page").orElse("");
        Page page = site.page(req, res, town).withForm(Map.of(), Map.of("q", q.length() > 200 ? "" : q));
        ResidentRepository.Found found;
        int current = 0;
        Status status = Status.OK_200;
        try {
            current = ResidentAdminHttpService.page(pageText);
            found = admin.search(town, me, q, current);
        } catch (Problem problem) {
            page = page.withForm(StaffSite.error(req, problem), Map.of());
            found = new ResidentRepository.Found(List.of(), false);
            status = Status.create(problem.status());
        }
        site.render(res, status, "staff/residents.jte", page, me, Map.of("residents", found.residents(),
                "more", found.more(), "pageNumber", current, "query", Links.query(Map.of("q", q.length() > 200 ? "" : q))));
    }

    private void detail(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        UUID id = PathIds.uuid(req, "id");
        show(req, res, town, me, admin.file(town, me, id), Map.of(), Map.of(), Status.OK_200);
    }

    private void note(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        write(req, res, town, me, "noted", (id, form) -> admin.addNote(town, me, Actor.of(me, req), id, form.get("note")));
    }

    private void suspend(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        write(req, res, town, me, "suspended",
                (id, form) -> admin.suspend(town, me, Actor.of(me, req), id, form.get("reason")));
    }

    private void reinstate(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        write(req, res, town, me, "reinstated",
                (id, form) -> admin.reinstate(town, me, Actor.of(me, req), id, form.get("reason")));
    }

    /** A write on a resident's page. */
    @FunctionalInterface
    private interface Write {
        void apply(UUID id, Map<String, String> form);
    }

    private void write(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, String done,
                       Write write) {
        Map<String, String> form = site.form(req);
        UUID id = PathIds.uuid(req, "id");
        try {
            write.apply(id, form);
            site.redirect(res, "/staff/residents/" + id + "?done=" + done + (done.equals("suspended") ? "#upcoming" : ""));
        } catch (Problem problem) {
            Map<String, String> errors = StaffSite.error(req, problem, done.equals("noted") ? "note" : "reason");
            show(req, res, town, me, admin.file(town, me, id), errors, form, Status.create(problem.status()));
        }
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, ResidentFile file,
                      Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        Instant now = clock.instant();
        Map<String, Object> model = new HashMap<>();
        model.put("file", file);
        model.put("verifiedAt", file.profile().link().map(l -> Formats.format(l.verifiedAt(), town.zone(), page)).orElse(""));
        model.put("suspendedAt", file.suspendedAt().map(at -> Formats.format(at, town.zone(), page)).orElse(""));
        model.put("notes", file.notes().stream().map(n -> new NoteLine(Formats.format(n.createdAt(), town.zone(), page),
                n.staffName(), n.note())).toList());
        model.put("bookings", file.bookings().stream().map(b -> line(b, town, page, now)).toList());
        model.put("upcoming", file.upcoming(now).stream().map(b -> line(b, town, page, now)).toList());
        model.put("manage", me.may(Permission.MANAGE_RESIDENTS));
        model.put("done", Formats.query(req, "done").getOrDefault("done", ""));
        site.render(res, status, "staff/resident.jte", page, me, model);
    }

    private static BookingLine line(ResidentBooking b, Municipality town, Page page, Instant now) {
        return new BookingLine(b.id(), b.number(), Formats.when(b.range(), town.zone(), page),
                b.facilityName() + " " + b.roomName(), b.statusAt(now).wire(), b.amount());
    }

    /**
     * A staff note as shown.
     *
     * @param when  when it was written
     * @param staff who wrote it
     * @param note  what
     */
    public record NoteLine(String when, String staff, String note) {
    }

    /**
     * A booking on the resident's page.
     *
     * @param id     reservation
     * @param number its number
     * @param when   when, in words
     * @param place  facility and room
     * @param status status
     * @param amount fee
     */
    public record BookingLine(UUID id, String number, String when, String place, String status, int amount) {
    }
}
