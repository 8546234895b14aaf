package jp.kominkan.cloud.booking;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.http.HeaderNames;
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
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;
import jp.kominkan.shared.slot.SlotRange;

/**
 * {@code /api/v1/staff/reservations}: the list with search and filters, one reservation, counter
 * booking, cancel with a reason, move, and cash payment. Role and facility scope are checked on
 * every call; a reservation outside the scope is answered 404.
 */
public final class StaffReservationHttpService implements HttpService {

    private static final int MAX_DAYS = 93;

    private final StaffBookings staffBookings;
    private final ReservationSearch search;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;
    private final Clock clock;

    /**
     * @param staffBookings what staff do to reservations
     * @param search        the list
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     * @param clock         the clock
     */
    public StaffReservationHttpService(StaffBookings staffBookings, ReservationSearch search,
                                       StaffAuthenticator authenticator, Tenancy tenancy, Clock clock) {
        this.staffBookings = staffBookings;
        this.search = search;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::counterBooking)
                .get("/{id}", this::one)
                .post("/{id}/cancel", this::cancel)
                .post("/{id}/move", this::move)
                .post("/{id}/cash", this::cash)
                .post("/{id}/confirm", this::confirm);
    }

    /**
     * Reads the list's criteria from a query (shared with the staff pages).
     *
     * @param req    the request
     * @param town   the municipality
     * @param member who asks
     * @param clock  the clock
     * @return the criteria, limited to the member's scope
     */
    public static ReservationSearch.Criteria criteria(ServerRequest req, Municipality town, StaffMember member,
                                                      Clock clock) {
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        LocalDate from = date(req, "from").orElse(today);
        LocalDate to = date(req, "to").orElse(from.plusDays(30));
        if (to.isBefore(from) || to.isAfter(from.plusDays(MAX_DAYS))) {
            throw Problem.badField("to", "to must be on or after from, and at most " + MAX_DAYS + " days later.",
                    "終了日は開始日以降、" + MAX_DAYS + " 日以内にしてください。");
        }
        Optional<ReservationStatus> status = req.query().first("status").asOptional().filter(s -> !s.isBlank()).map(s -> {
            try {
                return ReservationStatus.of(s);
            } catch (IllegalArgumentException e) {
                throw Problem.badField("status", "status is held, confirmed, cancelled or expired.",
                        "状態は held・confirmed・cancelled・expired のいずれかです。");
            }
        });
        int page = number(req, "page").map(Long::intValue).filter(p -> p >= 0 && p < 1000).orElse(0);
        Optional<Set<Long>> scope = member.role() == StaffRole.MAIN ? Optional.empty() : Optional.of(member.facilities());
        return new ReservationSearch.Criteria(from.atStartOfDay(town.zone()).toInstant(),
                to.plusDays(1).atStartOfDay(town.zone()).toInstant(), number(req, "facility"), number(req, "room"),
                status, req.query().first("q").asOptional().filter(q -> q.length() <= 100), scope, page);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.VIEW_BOOKINGS);
        ReservationSearch.Result result = search.find(town.id(), criteria(req, town, member, clock));
        Instant now = clock.instant();
        Json.send(res, Status.OK_200, new ListView(result.rows().stream().map(r -> view(r, town, now)).toList(),
                result.more()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.VIEW_BOOKINGS);
        Json.send(res, Status.OK_200, view(staffBookings.visible(town, member, PathIds.uuid(req, "id")), town,
                clock.instant()));
    }

    private void counterBooking(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_BOOKINGS);
        String key = ReservationHttpService.idempotencyKey(req);
        CounterBody body = Json.read(req, CounterBody.class);
        BookingRequest request = ReservationHttpService.parse(new ReservationHttpService.BookingBody(body.roomId(),
                body.start(), body.end(), body.purpose(), body.attendees(), null, null, null, null, null));
        Reservation made = staffBookings.counterBooking(town, member, Actor.of(member, req), request,
                new StaffBookings.Booker(Optional.ofNullable(body.accountId()), body.name(), body.phone()), key);
        res.header(HeaderNames.LOCATION, "/api/v1/staff/reservations/" + made.id());
        Json.send(res, Status.CREATED_201, view(staffBookings.visible(town, member, made.id()), town, clock.instant()));
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_BOOKINGS);
        ReasonBody body = Json.read(req, ReasonBody.class);
        Json.send(res, Status.OK_200, view(staffBookings.cancel(town, member, Actor.of(member, req),
                PathIds.uuid(req, "id"), body.reason()), town, clock.instant()));
    }

    private void move(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_BOOKINGS);
        MoveBody body = Json.read(req, MoveBody.class);
        if (body.roomId() == null) {
            throw Problem.badField("roomId", "roomId is required.", "部屋（roomId）を指定してください。");
        }
        SlotRange range = range(body.start(), body.end());
        Json.send(res, Status.OK_200, view(staffBookings.move(town, member, Actor.of(member, req),
                PathIds.uuid(req, "id"), body.roomId(), range), town, clock.instant()));
    }

    private void cash(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_BOOKINGS);
        CashBody body = Json.read(req, CashBody.class);
        if (body.amountReceived() == null) {
            throw Problem.badField("amountReceived", "amountReceived (yen) is required.", "受領額を入力してください。");
        }
        Json.send(res, Status.OK_200, view(staffBookings.recordCash(town, member, Actor.of(member, req),
                PathIds.uuid(req, "id"), body.amountReceived()), town, clock.instant()));
    }

    /** The older endpoint: cash of exactly the fee. */
    private void confirm(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_BOOKINGS);
        UUID id = PathIds.uuid(req, "id");
        ReservationSearch.Row row = staffBookings.visible(town, member, id);
        Json.send(res, Status.OK_200, view(staffBookings.recordCash(town, member, Actor.of(member, req), id,
                row.amount()), town, clock.instant()));
    }

    static SlotRange range(String start, String end) {
        Instant from = instant(start, "start");
        Instant until = instant(end, "end");
        if (!jp.kominkan.shared.slot.Slots.isBoundary(from) || !jp.kominkan.shared.slot.Slots.isBoundary(until)
                || !until.isAfter(from)) {
            throw Problem.badField("end", "start and end fall on quarter hours, and end after start.",
                    "開始・終了は 15 分単位で、終了は開始より後にしてください。");
        }
        return new SlotRange(from, until);
    }

    private static Instant instant(String value, String field) {
        try {
            return OffsetDateTime.parse(value == null ? "" : value).toInstant();
        } catch (DateTimeException e) {
            throw Problem.badField(field, field + " must be like 2026-12-01T10:00:00+09:00.",
                    field + " は 2026-12-01T10:00:00+09:00 の形式で指定してください。");
        }
    }

    private static Optional<LocalDate> date(ServerRequest req, String name) {
        Optional<String> text = req.query().first(name).asOptional().filter(s -> !s.isBlank());
        try {
            return text.map(LocalDate::parse);
        } catch (DateTimeException e) {
            throw Problem.badField(name, name + " must be a date like 2026-12-01.", name + " は 2026-12-01 の形式で指定してください。");
        }
    }

    private static Optional<Long> number(ServerRequest req, String name) {
        Optional<String> text = req.query().first(name).asOptional().filter(s -> !s.isBlank());
        try {
            return text.map(Long::parseLong);
        } catch (NumberFormatException e) {
            throw Problem.badField(name, name + " must be a number.", name + " は数字で指定してください。");
        }
    }

    static RowView view(ReservationSearch.Row r, Municipality town, Instant now) {
        return new RowView(r.id(), r.number(), r.facilityId(), r.facilityName(), r.roomId(), r.roomName(),
                r.statusAt(now).wire(), IsoTimes.format(r.range().start(), town.zone()),
                IsoTimes.format(r.range().end(), town.zone()), r.amount(), r.purpose(), r.attendees(), r.person(),
                r.email().orElse(null), r.phone().orElse(null), r.walkIn(), r.accountId(),
                r.receiptNumber().orElse(null), r.amountReceived().orElse(null), r.cancelReason().orElse(null));
    }

    /** One reservation as staff see it. */
    record RowView(UUID id, String number, long facilityId, String facility, long roomId, String room, String status,
                   String start, String end, int amount, String purpose, int attendees, String name, String email,
                   String phone, boolean walkIn, UUID accountId, String receiptNumber, Integer amountReceived,
                   String cancelReason) {
    }

    /** A page of the list. */
    record ListView(List<RowView> reservations, boolean more) {
    }

    /** Body of a counter booking. */
    record CounterBody(Long roomId, String start, String end, String purpose, Integer attendees, UUID accountId,
                       String name, String phone) {
    }

    /** Body of a cancel. */
    record ReasonBody(String reason) {
    }

    /** Body of a move. */
    record MoveBody(Long roomId, String start, String end) {
    }

    /** Body of a cash payment. */
    record CashBody(Integer amountReceived) {
    }
}
