package jp.kominkan.cloud.resident;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.RoomSearch;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;

/**
 * Finding a room: the top page with its search, the facility list, a facility, and a room's week of
 * free and taken slots. Open to everyone.
 */
public final class FacilityPages implements HttpService {

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final FacilityRepository facilities;
    private final BookingService bookings;
    private final Clock clock;

    /**
     * @param pages      templates, CSRF, language
     * @param tenancy    finds the municipality
     * @param facilities facilities and rooms
     * @param bookings   availability
     * @param clock      the clock
     */
    public FacilityPages(PageSupport pages, Tenancy tenancy, FacilityRepository facilities, BookingService bookings, Clock clock) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.facilities = facilities;
        this.bookings = bookings;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::top)
                .get("/facilities", this::facilityList)
                .get("/facilities/{id}", this::facility)
                .get("/rooms/{id}", this::room);
    }

    private void top(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Page page = pages.page(req, res, town).withForm(Map.of(), Formats.query(req, "date", "area", "type", "capacity",
                "from", "to"));
        List<FacilityCard> all = cards(town, Optional.empty(), Optional.empty(), Optional.empty());
        pages.render(res, Status.OK_200, "top.jte", page, Map.of("facilities", all, "times", Formats.quarterHours(),
                "types", all.stream().map(c -> c.facility().type()).distinct().sorted().toList(),
                "areas", all.stream().map(c -> area(town, c.facility())).distinct().sorted().toList()));
    }

    /**
     * The search's answer: the facilities that match, and with a 利用日 only those with a room free that day (and
     * free throughout the time range, when one is given), with those rooms and their free times listed.
     */
    private void facilityList(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Map<String, String> query = Formats.query(req, "date", "area", "type", "capacity", "from", "to");
        Optional<Integer> capacity = Optional.ofNullable(query.get("capacity")).filter(s -> s.matches("\\d{1,4}"))
                .map(Integer::parseInt);
        Map<String, String> errors = new java.util.HashMap<>();
        Page base = pages.page(req, res, town);
        Optional<RoomSearch.Query> search = FreeSearch.query(town, clock, base, query, errors);
        List<RoomSearch.FreeRoom> free = search.map(q -> bookings.search().free(town, q)).orElse(List.of()).stream()
                .filter(f -> capacity.isEmpty() || f.room().capacity() >= capacity.get()).toList();
        List<FacilityCard> cards = cards(town, Optional.ofNullable(query.get("type")).filter(s -> !s.isBlank()),
                Optional.ofNullable(query.get("area")).filter(s -> !s.isBlank()), capacity);
        if (search.isPresent()) {
            cards = cards.stream().filter(c -> free.stream().anyMatch(f -> f.facility().id() == c.facility().id()))
                    .toList();
        }
        List<Long> shown = cards.stream().map(c -> c.facility().id()).toList();
        Page page = base.withForm(errors, query);
        pages.render(res, errors.isEmpty() ? Status.OK_200 : Status.BAD_REQUEST_400, "facilities.jte", page, Map.of(
                "facilities", cards, "searched", search.isPresent(),
                "free", free.stream().filter(f -> shown.contains(f.facility().id())).toList(), "zone", town.zone()));
    }

    private void facility(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Facility facility = facilities.facility(town.id(), PathIds.number(req, "id")).filter(Facility::published)
                .orElseThrow(() -> Problem.notFound("facility", "施設"));
        Page page = pages.page(req, res, town).withForm(Map.of(), Formats.query(req, "date"));
        pages.render(res, Status.OK_200, "facility.jte", page, Map.of("facility", facility,
                "rooms", facilities.rooms(town.id(), facility.id())));
    }

    private void room(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        long roomId = PathIds.number(req, "id");
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        // The day the range picker shows: ?day= from a link, or ?date= from the picker's own form without script.
        Optional<LocalDate> day = req.query().first("day").asOptional().or(() -> req.query().first("date").asOptional())
                .flatMap(Formats::date);
        LocalDate week = req.query().first("week").asOptional().flatMap(Formats::date).or(() -> day)
                .filter(d -> !d.isBefore(today.minusDays(7)) && d.isBefore(today.plusYears(2))).orElse(today);
        BookingService.RoomAvailability availability = bookings.availability(town, roomId, Optional.of(week), 7);
        if (!availability.room().published()) {
            throw Problem.notFound("room", "部屋");
        }
        Facility facility = facilities.facility(town.id(), availability.room().facilityId()).orElseThrow();
        WeekGrid grid = WeekGrid.of(availability.slots(), week, availability.room());
        pages.render(res, Status.OK_200, "room.jte", pages.page(req, res, town), Map.of("facility", facility,
                "room", availability.room(), "grid", grid, "chosen", grid.chosen(day)));
    }

    /**
     * The week page's model, for the benchmark: what {@link #room} renders.
     *
     * @param town   the municipality
     * @param roomId the room
     * @param week   the first day
     * @param page   the page context
     * @return the HTML
     */
    public String renderRoomWeek(Municipality town, long roomId, LocalDate week, Page page) {
        BookingService.RoomAvailability availability = bookings.availability(town, roomId, Optional.of(week), 7);
        Facility facility = facilities.facility(town.id(), availability.room().facilityId()).orElseThrow();
        WeekGrid grid = WeekGrid.of(availability.slots(), week, availability.room());
        return pages.renderToString("room.jte", page, Map.of("facility", facility, "room", availability.room(),
                "grid", grid, "chosen", grid.chosen(Optional.empty())));
    }

    private List<FacilityCard> cards(Municipality town, Optional<String> type, Optional<String> area,
                                     Optional<Integer> capacity) {
        List<FacilityCard> cards = new ArrayList<>();
        for (Facility facility : facilities.facilities(town.id())) {
            if (type.isPresent() && !type.get().equals(facility.type())
                    || area.isPresent() && !area.get().equals(area(town, facility))) {
                continue;
            }
            List<Room> rooms = facilities.rooms(town.id(), facility.id());
            int max = rooms.stream().mapToInt(Room::capacity).max().orElse(0);
            if (capacity.isPresent() && max < capacity.get()) {
                continue;
            }
            cards.add(new FacilityCard(facility, rooms.size(), max));
        }
        return cards;
    }

    /** The area (地区) of a facility: its address after the town's name, up to the first digit. */
    private static String area(Municipality town, Facility facility) {
        String address = facility.address();
        int at = address.indexOf(town.city());
        String rest = at >= 0 ? address.substring(at + town.city().length()) : address;
        String area = rest.split("[0-9０-９]", 2)[0].strip();
        return area.isEmpty() ? town.city() : area;
    }

}
