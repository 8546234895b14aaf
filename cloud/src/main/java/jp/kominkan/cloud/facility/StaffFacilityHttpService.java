package jp.kominkan.cloud.facility;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.facility.photo.PhotoUpload;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/facilities} and {@code /api/v1/staff/rooms}: facilities and rooms as staff
 * manage them (unpublished ones too), closed days and photos. Bodies are JSON objects whose fields
 * are those of the staff pages' forms; room hours come as {@code {"hours": {"1": "09:00-21:00", …}}}.
 */
public final class StaffFacilityHttpService {

    private final FacilityAdmin admin;
    private final FacilityRepository facilities;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param admin         facility administration
     * @param facilities    reads facilities
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     */
    public StaffFacilityHttpService(FacilityAdmin admin, FacilityRepository facilities, StaffAuthenticator authenticator,
                                    Tenancy tenancy) {
        this.admin = admin;
        this.facilities = facilities;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    /** @return the routes under {@code /api/v1/staff/facilities} */
    public HttpService facilitiesApi() {
        return rules -> rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::one)
                .put("/{id}", this::update)
                .post("/{id}/publish", (req, res) -> publish(req, res, true))
                .post("/{id}/unpublish", (req, res) -> publish(req, res, false))
                .post("/{id}/rooms", this::createRoom)
                .post("/{id}/closed-days", this::addClosedDay)
                .delete("/{id}/closed-days/{date}", this::removeClosedDay)
                .post("/{id}/photos", this::addPhoto)
                .delete("/{id}/photos/{photo}", this::removePhoto);
    }

    /** @return the routes under {@code /api/v1/staff/rooms} */
    public HttpService roomsApi() {
        return rules -> rules.put("/{id}", this::updateRoom);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.VIEW_BOOKINGS);
        List<FacilityHttpService.FacilityView> views = facilities.allFacilities(town.id()).stream()
                .filter(f -> member.mayManage(f.id()))
                .map(f -> FacilityHttpService.FacilityView.of(f, rooms(town, f.id()))).toList();
        Json.send(res, Status.OK_200, Map.of("facilities", views));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        long id = PathIds.number(req, "id");
        authenticator.requireFacility(req, town, Permission.VIEW_BOOKINGS, id);
        Facility facility = facilities.facility(town.id(), id).orElseThrow(() -> Problem.notFound("facility", "施設"));
        Json.send(res, Status.OK_200, Map.of("facility", FacilityHttpService.FacilityView.of(facility, rooms(town, id)),
                "published", facility.published()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.ADMINISTER);
        Facility made = admin.createFacility(town, member, Actor.of(member, req), FacilityForm.facility(fields(req)));
        res.header(io.helidon.http.HeaderNames.LOCATION, "/api/v1/staff/facilities/" + made.id());
        Json.send(res, Status.CREATED_201, FacilityHttpService.FacilityView.of(made, List.of()));
    }

    private void update(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        long id = PathIds.number(req, "id");
        StaffMember member = authenticator.requireFacility(req, town, Permission.EDIT_FACILITIES, id);
        Facility now = admin.updateFacility(town, member, Actor.of(member, req), id, FacilityForm.facility(fields(req)));
        Json.send(res, Status.OK_200, FacilityHttpService.FacilityView.of(now, rooms(town, id)));
    }

    private void publish(ServerRequest req, ServerResponse res, boolean published) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town);
        Facility now = admin.publish(town, member, Actor.of(member, req), PathIds.number(req, "id"), published);
        Json.send(res, Status.OK_200, Map.of("id", now.id(), "published", now.published()));
    }

    private void createRoom(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.requireFacility(req, town, Permission.EDIT_FACILITIES,
                PathIds.number(req, "id"));
        Room room = admin.createRoom(town, member, Actor.of(member, req), PathIds.number(req, "id"),
                FacilityForm.room(fields(req)));
        Json.send(res, Status.CREATED_201, FacilityHttpService.RoomView.of(room));
    }

    private void updateRoom(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        long roomId = PathIds.number(req, "id");
        long facilityId = facilities.room(town.id(), roomId).map(Room::facilityId)
                .orElseThrow(() -> Problem.notFound("room", "部屋"));
        StaffMember member = authenticator.requireFacility(req, town, Permission.EDIT_FACILITIES, facilityId);
        Room room = admin.updateRoom(town, member, Actor.of(member, req), PathIds.number(req, "id"),
                FacilityForm.room(fields(req)));
        Json.send(res, Status.OK_200, FacilityHttpService.RoomView.of(room));
    }

    private void addClosedDay(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.requireFacility(req, town, Permission.EDIT_FACILITIES,
                PathIds.number(req, "id"));
        Map<String, String> body = fields(req);
        admin.addClosedDay(town, member, Actor.of(member, req), PathIds.number(req, "id"), date(body.get("date")),
                body.get("reason"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void removeClosedDay(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town);
        admin.removeClosedDay(town, member, Actor.of(member, req), PathIds.number(req, "id"),
                date(req.path().pathParameters().get("date")));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void addPhoto(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        long id = PathIds.number(req, "id");
        StaffMember member = authenticator.requireFacility(req, town, Permission.EDIT_FACILITIES, id);
        // Before the upload is read: a facility that is not here is not found, whatever is sent.
        facilities.facility(town.id(), id).orElseThrow(() -> Problem.notFound("facility", "施設"));
        UUID photo = admin.addPhoto(town, member, Actor.of(member, req), id,
                PhotoUpload.read(req, admin.photoLimits().maxBytes()));
        Json.send(res, Status.CREATED_201, Map.of("id", photo, "url", "/photos/" + photo));
    }

    private void removePhoto(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town);
        admin.removePhoto(town, member, Actor.of(member, req), PathIds.number(req, "id"), PathIds.uuid(req, "photo"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private List<FacilityHttpService.RoomView> rooms(Municipality town, long facilityId) {
        return facilities.rooms(town.id(), facilityId).stream().map(FacilityHttpService.RoomView::of).toList();
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text == null ? "" : text);
        } catch (DateTimeException e) {
            throw Problem.badField("date", "Give the date as 2026-12-29.", "日付は 2026-12-29 の形式で指定してください。");
        }
    }

    /** A JSON object's fields as form fields: lists joined by lines, room hours spread into opensN/closesN. */
    private static Map<String, String> fields(ServerRequest req) {
        JsonNode body = Json.read(req, JsonNode.class);
        if (!body.isObject()) {
            throw Problem.badRequest("malformed-json", "Send a JSON object.", "JSON オブジェクトを送信してください。");
        }
        Map<String, String> fields = new HashMap<>();
        body.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (field.getKey().equals("hours") && value.isObject()) {
                value.fields().forEachRemaining(day -> {
                    String[] span = day.getValue().asText().split("-", 2);
                    fields.put("opens" + day.getKey(), span[0]);
                    fields.put("closes" + day.getKey(), span.length > 1 ? span[1] : "");
                });
            } else if (value.isArray()) {
                StringBuilder lines = new StringBuilder();
                value.forEach(item -> lines.append(item.asText()).append('\n'));
                fields.put(field.getKey(), lines.toString());
            } else if (!value.isNull()) {
                fields.put(field.getKey(), value.asText());
            }
        });
        return fields;
    }
}
