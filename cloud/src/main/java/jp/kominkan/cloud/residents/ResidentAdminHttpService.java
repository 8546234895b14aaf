package jp.kominkan.cloud.residents;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

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
 * {@code /api/v1/staff/residents}: search residents, one resident's file, notes, suspend and reinstate.
 * The role is checked before anything is read; an id of another municipality is not found.
 */
public final class ResidentAdminHttpService implements HttpService {

    private final ResidentAdmin admin;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;
    private final Clock clock;

    /**
     * @param admin         resident management
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     * @param clock         the clock
     */
    public ResidentAdminHttpService(ResidentAdmin admin, StaffAuthenticator authenticator, Tenancy tenancy,
                                    Clock clock) {
        this.admin = admin;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::search)
                .get("/{id}", this::one)
                .post("/{id}/notes", this::note)
                .post("/{id}/suspend", this::suspend)
                .post("/{id}/reinstate", this::reinstate);
    }

    /**
     * @param text what the query's {@code page} says
     * @return the page number
     * @throws Problem 400 on {@code page} when it is not a number from 0 to 999
     */
    public static int page(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        if (!text.matches("\\d{1,3}")) {
            throw Problem.badField("page", "page is a whole number from 0 to " + ResidentAdmin.MAX_PAGE + ".",
                    "ページは 0〜" + ResidentAdmin.MAX_PAGE + " の整数で指定してください。");
        }
        return Integer.parseInt(text);
    }

    private void search(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.VIEW_RESIDENTS);
        ResidentRepository.Found found = admin.search(town, member, req.query().first("q").orElse(""),
                page(req.query().first("page").orElse("")));
        Json.send(res, Status.OK_200, new ListView(found.residents().stream().map(r -> new SummaryView(r.id(),
                r.name(), r.email().orElse(null), r.phone().orElse(null), r.walkIn(), r.suspended())).toList(),
                found.more()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.VIEW_RESIDENTS);
        Json.send(res, Status.OK_200, view(admin.file(town, member, PathIds.uuid(req, "id")), town));
    }

    private void note(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_RESIDENTS);
        UUID id = PathIds.uuid(req, "id");
        NoteBody body = Json.read(req, NoteBody.class);
        Json.send(res, Status.CREATED_201, view(admin.addNote(town, member, Actor.of(member, req), id, body.note()),
                town));
    }

    private void suspend(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_RESIDENTS);
        UUID id = PathIds.uuid(req, "id");
        ReasonBody body = Json.read(req, ReasonBody.class);
        Json.send(res, Status.OK_200, view(admin.suspend(town, member, Actor.of(member, req), id, body.reason()), town));
    }

    private void reinstate(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_RESIDENTS);
        UUID id = PathIds.uuid(req, "id");
        ReasonBody body = Json.read(req, ReasonBody.class);
        Json.send(res, Status.OK_200, view(admin.reinstate(town, member, Actor.of(member, req), id, body.reason()),
                town));
    }

    private FileView view(ResidentFile file, Municipality town) {
        ZoneId zone = town.zone();
        Instant now = clock.instant();
        var profile = file.profile();
        var account = profile.account();
        List<BookingView> bookings = file.bookings().stream().map(b -> booking(b, zone, now)).toList();
        return new FileView(account.id(), account.name(), account.email().orElse(null), profile.phone().orElse(null),
                profile.organisation().orElse(null), file.walkIn(), file.verification().wire(),
                account.residency().wire(), profile.link().map(l -> l.provider()).orElse(null),
                profile.link().map(l -> IsoTimes.format(l.verifiedAt(), zone)).orElse(null),
                file.suspended(), file.suspendedAt().map(at -> IsoTimes.format(at, zone)).orElse(null),
                file.suspensionReason().orElse(null), IsoTimes.format(file.createdAt(), zone),
                file.notes().stream().map(n -> new NoteView(n.id(), n.note(), n.staffName(), n.staffRole(),
                        IsoTimes.format(n.createdAt(), zone))).toList(),
                bookings, file.upcoming(now).stream().map(b -> booking(b, zone, now)).toList());
    }

    private static BookingView booking(ResidentBooking b, ZoneId zone, Instant now) {
        return new BookingView(b.id(), b.number(), b.facilityId(), b.facilityName(), b.roomName(),
                IsoTimes.format(b.range().start(), zone), IsoTimes.format(b.range().end(), zone),
                b.statusAt(now).wire(), b.amount(), "/staff/reservations/" + b.id());
    }

    /** Body of a note. */
    record NoteBody(String note) {
    }

    /** Body of a suspension or reinstatement. */
    record ReasonBody(String reason) {
    }

    /** One resident in the search. */
    record SummaryView(UUID id, String name, String email, String phone, boolean walkIn, boolean suspended) {
    }

    /** A page of the search. */
    record ListView(List<SummaryView> residents, boolean more) {
    }

    /** A staff note. */
    record NoteView(long id, String note, String staff, String role, String createdAt) {
    }

    /** A booking on the resident's file. */
    record BookingView(UUID id, String number, long facilityId, String facility, String room, String start, String end,
                       String status, int amount, String staffPage) {
    }

    /** A resident's file. */
    record FileView(UUID id, String name, String email, String phone, String organisation, boolean walkIn,
                    String verification, String residency, String provider, String verifiedAt, boolean suspended,
                    String suspendedAt, String suspensionReason, String createdAt, List<NoteView> notes,
                    List<BookingView> bookings, List<BookingView> upcoming) {
    }
}
