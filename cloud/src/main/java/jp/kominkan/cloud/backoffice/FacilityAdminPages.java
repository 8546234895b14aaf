package jp.kominkan.cloud.backoffice;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.booking.Blocks;
import jp.kominkan.cloud.booking.StaffBlockHttpService;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.fleet.Enrollments;
import jp.kominkan.cloud.fleet.GatewayActions;
import jp.kominkan.cloud.facility.FacilityAdmin;
import jp.kominkan.cloud.facility.FacilityForm;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.facility.photo.PhotoUpload;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.QrCodes;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The staff's facility pages: the list, a new facility (main administrator), one facility with its
 * details, publishing, rooms, closed days and photos, and a room with its opening hours.
 */
public final class FacilityAdminPages implements HttpService {

    private final StaffSite site;
    private final FacilityAdmin admin;
    private final FacilityRepository facilities;
    private final Blocks blocks;
    private final GatewayActions gateways;
    private final Clock clock;

    /**
     * @param site       staff pages' support
     * @param admin      facility administration
     * @param facilities reads facilities
     * @param blocks     blocks for maintenance and city use
     * @param gateways   the facility's gateways
     * @param clock      the clock
     */
    public FacilityAdminPages(StaffSite site, FacilityAdmin admin, FacilityRepository facilities, Blocks blocks,
                              GatewayActions gateways, Clock clock) {
        this.gateways = gateways;
        this.site = site;
        this.admin = admin;
        this.facilities = facilities;
        this.blocks = blocks;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/facilities", site.guard(Permission.VIEW_BOOKINGS, this::list))
                .get("/staff/facilities/new", site.guard(Permission.ADMINISTER, this::newForm))
                .post("/staff/facilities", site.guard(Permission.ADMINISTER, this::create))
                .get("/staff/facilities/{id}", site.guard(Permission.EDIT_FACILITIES, this::edit))
                .post("/staff/facilities/{id}", site.guard(Permission.EDIT_FACILITIES, this::update))
                .post("/staff/facilities/{id}/publish", site.guard(Permission.EDIT_FACILITIES, this::publish))
                .post("/staff/facilities/{id}/closed-days", site.guard(Permission.EDIT_FACILITIES, this::closedDay))
                .post("/staff/facilities/{id}/photos", site.guard(Permission.EDIT_FACILITIES, this::photo))
                .post("/staff/facilities/{id}/blocks", site.guard(Permission.EDIT_FACILITIES, this::block))
                .post("/staff/facilities/{id}/gateways", site.guard(Permission.MANAGE_DOORS, this::gateway))
                .get("/staff/facilities/{id}/rooms/new", site.guard(Permission.EDIT_FACILITIES, this::newRoom))
                .post("/staff/facilities/{id}/rooms", site.guard(Permission.EDIT_FACILITIES, this::createRoom))
                .get("/staff/rooms/{id}", site.guard(Permission.EDIT_FACILITIES, this::editRoom))
                .post("/staff/rooms/{id}", site.guard(Permission.EDIT_FACILITIES, this::updateRoom));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        List<Facility> mine = facilities.allFacilities(town.id()).stream().filter(f -> me.mayManage(f.id())).toList();
        site.render(res, Status.OK_200, "staff/facilities.jte", site.page(req, res, town), me, Map.of("facilities", mine,
                "canCreate", me.may(Permission.ADMINISTER), "canEdit", me.may(Permission.EDIT_FACILITIES)));
    }

    private void newForm(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        site.render(res, Status.OK_200, "staff/facilityNew.jte", site.page(req, res, town), me,
                Map.of("types", FacilityForm.TYPES.stream().sorted().toList()));
    }

    private void create(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        try {
            Facility made = admin.createFacility(town, me, Actor.of(me, req), FacilityForm.facility(form));
            site.redirect(res, "/staff/facilities/" + made.id() + "?done=created");
        } catch (Problem problem) {
            site.render(res, Status.create(problem.status()), "staff/facilityNew.jte",
                    site.page(req, res, town).withForm(StaffSite.error(req, problem), form), me,
                    Map.of("types", FacilityForm.TYPES.stream().sorted().toList()));
        }
    }

    private void edit(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        showFacility(req, res, town, me, facility(town, me, req), Map.of(), Map.of(), Status.OK_200);
    }

    private void update(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, me, req);
        Map<String, String> form = site.form(req);
        try {
            admin.updateFacility(town, me, Actor.of(me, req), facility.id(), FacilityForm.facility(form));
            site.redirect(res, "/staff/facilities/" + facility.id() + "?done=saved");
        } catch (Problem problem) {
            showFacility(req, res, town, me, facility, StaffSite.error(req, problem), form, Status.create(problem.status()));
        }
    }

    private void publish(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, me, req);
        Map<String, String> form = site.form(req);
        try {
            boolean published = "true".equals(form.get("published"));
            admin.publish(town, me, Actor.of(me, req), facility.id(), published);
            site.redirect(res, "/staff/facilities/" + facility.id() + "?done=" + (published ? "published" : "unpublished"));
        } catch (Problem problem) {
            showFacility(req, res, town, me, facility, Map.of("publish", Formats.message(req, problem)), Map.of(),
                    Status.create(problem.status()));
        }
    }

    private void closedDay(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, me, req);
        Map<String, String> form = site.form(req);
        try {
            LocalDate date = Formats.date(form.get("closedOn")).orElseThrow(() -> Problem.badField("closedOn",
                    "Enter the date, e.g. 2026-12-29.", "日付を入力してください（例: 2026-12-29）。"));
            if ("remove".equals(form.get("action"))) {
                admin.removeClosedDay(town, me, Actor.of(me, req), facility.id(), date);
            } else {
                admin.addClosedDay(town, me, Actor.of(me, req), facility.id(), date, form.get("reason"));
            }
            site.redirect(res, "/staff/facilities/" + facility.id() + "?done=closed-days#closed-days");
        } catch (Problem problem) {
            Map<String, String> errors = new HashMap<>(StaffSite.error(req, problem));
            if (errors.containsKey("form") || errors.containsKey("date")) {
                errors.put("closedOn", errors.containsKey("form") ? errors.remove("form") : errors.remove("date"));
            }
            showFacility(req, res, town, me, facility, errors, form, Status.create(problem.status()));
        }
    }

    private void photo(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, me, req);
        try {
            PhotoUpload upload = PhotoUpload.read(req, admin.photoLimits().maxBytes());
            site.checkCsrf(req, upload.csrf());
            admin.addPhoto(town, me, Actor.of(me, req), facility.id(), upload);
            site.redirect(res, "/staff/facilities/" + facility.id() + "?done=photo#photos");
        } catch (Problem problem) {
            if (problem.status() == 403) {
                throw problem;
            }
            Map<String, String> errors = StaffSite.error(req, problem, "photo");
            showFacility(req, res, town, me, facility, errors, Map.of(), Status.create(problem.status()));
        }
    }

    private void block(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, me, req);
        Map<String, String> form = site.form(req);
        Map<String, String> fields = new HashMap<>(form);
        fields.put("dryRun", "preview".equals(form.get("action")) ? "true" : "false");
        try {
            Blocks.Report report = blocks.create(town, me, Actor.of(me, req), StaffBlockHttpService.request(fields));
            if (report.seriesId().isPresent()) {
                site.redirect(res, "/staff/facilities/" + facility.id() + "?done=blocks#blocks");
                return;
            }
            showFacility(req, res, town, me, facility, Map.of(), form, Status.OK_200, Optional.of(report), Optional.empty());
        } catch (Blocks.Conflicts conflicts) {
            showFacility(req, res, town, me, facility, Map.of("onConflict", site.page(req, res, town).t(
                    "予約または既存のブロックと重なる日があるため、何も登録していません。下の一覧を確認し、扱いを選んでください。",
                    "Some dates conflict; nothing was written. Check the list below and choose what to do.")), form,
                    Status.CONFLICT_409, Optional.of(conflicts.report()), Optional.empty());
        } catch (Problem problem) {
            Map<String, String> errors = StaffSite.error(req, problem, "note");
            showFacility(req, res, town, me, facility, errors, form, Status.create(problem.status()), Optional.empty(),
                    Optional.empty());
        }
    }

    /** Register a gateway, make its enrollment token (shown once, with a QR code), or decommission it. */
    private void gateway(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, me, req);
        Map<String, String> form = site.form(req);
        Actor actor = Actor.of(me, req);
        try {
            Optional<Map<String, String>> issued = Optional.empty();
            switch (form.getOrDefault("action", "")) {
                case "register" -> gateways.register(town, me, actor, form.getOrDefault("gatewayId", "").strip(),
                        facility.id(), form.getOrDefault("gatewayName", ""), Optional.empty());
                case "token" -> {
                    Enrollments.IssuedToken token = gateways.token(town, me, actor, form.getOrDefault("gatewayId", ""));
                    String command = "kominkan-gateway enroll --cloud " + (req.isSecure() ? "https://" : "http://")
                            + req.headers().first(io.helidon.http.HeaderNames.HOST).orElse("localhost")
                            + " --token " + token.token();
                    issued = Optional.of(Map.of("gateway", token.gatewayId(), "command", command,
                            "qr", QrCodes.svg(command), "expires", Formats.format(token.expires(), town.zone(),
                                    site.page(req, res, town))));
                }
                case "decommission" -> gateways.decommission(town, me, actor, form.getOrDefault("gatewayId", ""));
                case "door" -> gateways.addDoor(town, me, actor, facilities.rooms(town.id(), facility.id()).stream()
                                .filter(r -> String.valueOf(r.id()).equals(form.getOrDefault("doorRoom", ""))).findFirst()
                                .orElseThrow(() -> Problem.badField("doorRoom", "Choose the room.", "部屋を選んでください。")),
                        form.get("doorId"), form.get("doorGateway"), form.get("doorName"));
                default -> throw Problem.badRequest("form-incomplete", "Choose what to do.", "操作を選んでください。");
            }
            if (issued.isEmpty()) {
                site.redirect(res, "/staff/facilities/" + facility.id() + "?done=gateways#gateways");
                return;
            }
            res.header(io.helidon.http.HeaderNames.CACHE_CONTROL, "no-store");
            showFacility(req, res, town, me, facility, Map.of(), Map.of(), Status.CREATED_201, Optional.empty(), issued);
        } catch (Problem problem) {
            Map<String, String> errors = new HashMap<>(StaffSite.error(req, problem));
            if (errors.containsKey("form") || errors.containsKey("id")) {
                String field = "door".equals(form.get("action")) ? "doorId" : "gatewayId";
                errors.put(field, errors.containsKey("form") ? errors.remove("form") : errors.remove("id"));
            }
            if (errors.containsKey("gatewayId") && "door".equals(form.get("action"))) {
                errors.put("doorGateway", errors.remove("gatewayId"));
            }
            showFacility(req, res, town, me, facility, errors, form, Status.create(problem.status()), Optional.empty(),
                    Optional.empty());
        }
    }

    private void newRoom(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, me, req);
        Map<String, String> values = new HashMap<>(Map.of("horizonDays", "90", "priceResident", "0",
                "priceNonResident", "0"));
        for (int day = 1; day <= 7; day++) {
            values.put("opens" + day, "09:00");
            values.put("closes" + day, "21:00");
        }
        site.render(res, Status.OK_200, "staff/room.jte", site.page(req, res, town).withForm(Map.of(), values), me,
                Map.of("facility", facility, "roomId", 0L, "days", days()));
    }

    private void createRoom(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, me, req);
        Map<String, String> form = site.form(req);
        try {
            admin.createRoom(town, me, Actor.of(me, req), facility.id(), FacilityForm.room(form));
            site.redirect(res, "/staff/facilities/" + facility.id() + "?done=room#rooms");
        } catch (Problem problem) {
            site.render(res, Status.create(problem.status()), "staff/room.jte",
                    site.page(req, res, town).withForm(StaffSite.error(req, problem), form), me,
                    Map.of("facility", facility, "roomId", 0L, "days", days()));
        }
    }

    private void editRoom(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Room room = room(town, me, req);
        Map<String, String> values = new HashMap<>(Map.of("name", room.name(), "capacity", "" + room.capacity(),
                "horizonDays", "" + room.bookingHorizonDays(), "priceResident", "" + room.pricePerHourResident(),
                "priceNonResident", "" + room.pricePerHourNonResident()));
        room.hours().byDay().forEach((day, daily) -> {
            values.put("opens" + day.getValue(), daily.opens());
            values.put("closes" + day.getValue(), daily.closes());
        });
        site.render(res, Status.OK_200, "staff/room.jte", site.page(req, res, town).withForm(Map.of(), values), me,
                Map.of("facility", facilities.facility(town.id(), room.facilityId()).orElseThrow(), "roomId", room.id(),
                        "days", days()));
    }

    private void updateRoom(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Room room = room(town, me, req);
        Map<String, String> form = site.form(req);
        try {
            admin.updateRoom(town, me, Actor.of(me, req), room.id(), FacilityForm.room(form));
            site.redirect(res, "/staff/facilities/" + room.facilityId() + "?done=room#rooms");
        } catch (Problem problem) {
            site.render(res, Status.create(problem.status()), "staff/room.jte",
                    site.page(req, res, town).withForm(StaffSite.error(req, problem), form), me,
                    Map.of("facility", facilities.facility(town.id(), room.facilityId()).orElseThrow(),
                            "roomId", room.id(), "days", days()));
        }
    }

    private void showFacility(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, Facility f,
                              Map<String, String> errors, Map<String, String> typed, Status status) {
        showFacility(req, res, town, me, f, errors, typed, status, Optional.empty(), Optional.empty());
    }

    private void showFacility(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, Facility f,
                              Map<String, String> errors, Map<String, String> typed, Status status,
                              Optional<Blocks.Report> blockReport, Optional<Map<String, String>> issuedToken) {
        Map<String, String> values = new HashMap<>(Map.of("name", f.name(), "kana", f.nameKana(), "address", f.address(),
                "type", f.type(), "description", f.description(), "accessNotes", f.accessNotes(),
                "usageRules", f.usageRules(), "equipment", String.join("\n", f.equipment())));
        values.putAll(typed);
        Page page = site.page(req, res, town).withForm(errors, values);
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        Map<String, Object> model = new HashMap<>();
        model.put("blockReport", blockReport);
        model.put("issuedToken", issuedToken);
        model.put("gateways", me.may(Permission.MANAGE_DOORS) ? gateways.ofFacility(town, me, f.id()) : List.of());
        model.put("manageDoors", me.may(Permission.MANAGE_DOORS));
        model.put("doors", facilities.rooms(town.id(), f.id()).stream().flatMap(r -> doorsOf(r).stream()).toList());
        model.put("times", Formats.quarterHours());
        model.putAll(Map.of("facility", f,
                "rooms", facilities.rooms(town.id(), f.id()), "types", FacilityForm.TYPES.stream().sorted().toList(),
                "closedDays", admin.closedDays(f.id(), today, today.plusYears(1)),
                "photos", admin.photos(town, f.id()), "done", Formats.query(req, "done").getOrDefault("done", ""),
                "maxMb", admin.photoLimits().maxBytes() / (1024 * 1024)));
        site.render(res, status, "staff/facility.jte", page, me, model);
    }

    private Facility facility(Municipality town, StaffMember me, ServerRequest req) {
        long id = PathIds.number(req, "id");
        return facilities.facility(town.id(), id).filter(f -> me.mayManage(f.id()))
                .orElseThrow(() -> Problem.notFound("facility", "施設"));
    }

    private Room room(Municipality town, StaffMember me, ServerRequest req) {
        return facilities.room(town.id(), PathIds.number(req, "id")).filter(r -> me.mayManage(r.facilityId()))
                .orElseThrow(() -> Problem.notFound("room", "部屋"));
    }

    private List<String> doorsOf(Room room) {
        return gateways.doorsOf(room.id()).stream().map(d -> room.name() + "：" + d.name() + "（" + d.id() + "）").toList();
    }

    private static List<DayName> days() {
        String[] ja = {"月", "火", "水", "木", "金", "土", "日"};
        String[] en = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        return java.util.Arrays.stream(DayOfWeek.values())
                .map(d -> new DayName(d.getValue(), ja[d.getValue() - 1], en[d.getValue() - 1])).toList();
    }

    /**
     * A weekday in the hours form.
     *
     * @param iso      1 for Monday
     * @param japanese 月
     * @param english  Mon
     */
    public record DayName(int iso, String japanese, String english) {
    }
}
