package jp.kominkan.cloud.facility;

import java.util.List;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/facilities}: the public list of facilities and each one with its rooms.
 */
public final class FacilityHttpService implements HttpService {

    private final FacilityRepository facilities;
    private final Tenancy tenancy;

    /**
     * @param facilities where facilities live
     * @param tenancy    finds the municipality of a request
     */
    public FacilityHttpService(FacilityRepository facilities, Tenancy tenancy) {
        this.facilities = facilities;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::one);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        List<FacilityView> views = facilities.facilities(municipality.id()).stream()
                .map(facility -> FacilityView.of(facility, null))
                .toList();
        Json.send(res, Status.OK_200, new FacilityList(views));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        long id = PathIds.number(req, "id");
        Facility facility = facilities.facility(municipality.id(), id).filter(Facility::published)
                .orElseThrow(() -> Problem.notFound("facility", "施設"));
        List<RoomView> rooms = facilities.rooms(municipality.id(), id).stream().map(RoomView::of).toList();
        Json.send(res, Status.OK_200, FacilityView.of(facility, rooms));
    }

    /** The list. */
    record FacilityList(List<FacilityView> facilities) {
    }

    /** A facility as the API shows it; {@code rooms} only on the facility's own page. */
    record FacilityView(long id, String name, String nameKana, String address, String type, String description,
                        String accessNotes, List<Facility.Photo> photos, List<String> equipment, List<RoomView> rooms) {

        static FacilityView of(Facility f, List<RoomView> rooms) {
            return new FacilityView(f.id(), f.name(), f.nameKana(), f.address(), f.type(), f.description(),
                    f.accessNotes(), f.photos(), f.equipment(), rooms);
        }
    }

    /** A room as the API shows it. */
    record RoomView(long id, String name, int capacity, int bookingHorizonDays, int pricePerHourResident,
                    int pricePerHourNonResident, boolean free, List<HoursView> openingHours) {

        static RoomView of(Room room) {
            List<HoursView> hours = room.hours().byDay().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .map(e -> new HoursView(e.getKey().getValue(), e.getKey().name().toLowerCase(),
                            e.getValue().opens(), e.getValue().closes()))
                    .toList();
            return new RoomView(room.id(), room.name(), room.capacity(), room.bookingHorizonDays(),
                    room.pricePerHourResident(), room.pricePerHourNonResident(), room.isFree(), hours);
        }
    }

    /** One weekday's hours; {@code isoWeekday} 1 is Monday. */
    record HoursView(int isoWeekday, String weekday, String opens, String closes) {
    }
}
