package jp.kominkan.cloud.booking;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;
import jp.kominkan.shared.slot.SlotRange;
import jp.kominkan.shared.slot.Slots;

/**
 * {@code /api/v1/reservations}: book, list mine, show one, cancel.
 */
public final class ReservationHttpService implements HttpService {

    private static final int MAX_KEY = 200;
    private static final int MAX_PURPOSE = 200;

    private final BookingService bookings;
    private final Authenticator authenticator;
    private final Tenancy tenancy;
    private final Clock clock;

    /**
     * @param bookings      the booking service
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     * @param clock         the clock
     */
    public ReservationHttpService(BookingService bookings, Authenticator authenticator, Tenancy tenancy, Clock clock) {
        this.bookings = bookings;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::book)
                .get("/mine", this::mine)
                .get("/{id}", this::one)
                .post("/{id}/cancel", this::cancel);
    }

    private void book(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        String key = idempotencyKey(req);
        BookingRequest request = parse(Json.read(req, BookingBody.class));
        BookingService.Booked booked = bookings.book(municipality, account, request, key);
        res.header(HeaderNames.LOCATION, "/api/v1/reservations/" + booked.reservation().id());
        Json.send(res, booked.created() ? Status.CREATED_201 : Status.OK_200,
                ReservationView.of(booked.reservation(), municipality.zone(), clock.instant(), booked.access()));
    }

    private void mine(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        Instant now = clock.instant();
        List<ReservationView> views = bookings.mine(account).stream()
                .map(r -> ReservationView.of(r, municipality.zone(), now))
                .toList();
        Json.send(res, Status.OK_200, new ReservationList(views));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        Reservation reservation = bookings.visibleTo(municipality, account, PathIds.uuid(req, "id"));
        ReservationView view = ReservationView.of(reservation, municipality.zone(), clock.instant(),
                bookings.access(account, reservation));
        Json.send(res, Status.OK_200, bookings.fee(reservation).map(view::withFee).orElse(view));
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        Account account = authenticator.requireAccount(req, municipality);
        Reservation reservation = bookings.cancel(municipality, account, PathIds.uuid(req, "id"));
        Json.send(res, Status.OK_200, ReservationView.of(reservation, municipality.zone(), clock.instant()));
    }

    static String idempotencyKey(ServerRequest req) {
        String key = req.headers().first(HeaderNames.create("Idempotency-Key")).orElse("").strip();
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw Problem.badRequest("idempotency-key-required",
                    "Send an Idempotency-Key header (1 to " + MAX_KEY + " visible ASCII characters, e.g. a UUID) "
                            + "so that a retried booking is not made twice.",
                    "二重予約を防ぐため、Idempotency-Key ヘッダー（UUID など 1〜" + MAX_KEY + " 文字）を付けてください。");
        }
        return key;
    }

    /**
     * Reads a booking's JSON body, for another resource that takes the same (the waiting list).
     *
     * @param req the request
     * @return the booking asked for
     * @throws Problem naming the first field at fault
     */
    public static BookingRequest readRequest(ServerRequest req) {
        return parse(Json.read(req, BookingBody.class));
    }

    /** Turns the body into a request, naming the first field at fault. */
    static BookingRequest parse(BookingBody body) {
        if (body.roomId() == null) {
            throw Problem.badField("roomId", "roomId is required.", "部屋（roomId）を指定してください。");
        }
        Instant start = instant(body.start(), "start");
        Instant end = instant(body.end(), "end");
        if (!Slots.isBoundary(start) || !Slots.isBoundary(end)) {
            throw Problem.badRequest("slot-boundary",
                    "start and end must fall on a quarter hour (:00, :15, :30 or :45), with zero seconds.",
                    "開始・終了時刻は 15 分単位（00・15・30・45 分）で指定してください。");
        }
        if (!end.isAfter(start)) {
            throw Problem.badRequest("end-before-start", "end must be after start.",
                    "終了時刻は開始時刻より後にしてください。");
        }
        String purpose = body.purpose() == null ? "" : body.purpose().strip();
        if (purpose.isEmpty() || purpose.length() > MAX_PURPOSE) {
            throw Problem.badField("purpose", "Describe the purpose of use (1 to " + MAX_PURPOSE + " characters).",
                    "利用目的を入力してください（" + MAX_PURPOSE + " 文字まで）。");
        }
        if (body.attendees() == null || body.attendees() < 1) {
            throw Problem.badField("attendees", "attendees must be a whole number of at least 1.",
                    "利用人数は 1 以上の整数で入力してください。");
        }
        return new BookingRequest(body.roomId(), new SlotRange(start, end), purpose, body.attendees(), feeOptions(body));
    }

    /** The parts of a request that the fee schedule prices: admission, commercial use, equipment. */
    private static BookingRequest.FeeOptions feeOptions(BookingBody body) {
        long admission = body.admissionYen() == null ? 0 : body.admissionYen();
        if (admission < 0 || admission > 1_000_000) {
            throw Problem.badField("admissionYen", "admissionYen is the highest admission charged, 0 to 1,000,000 yen.",
                    "入場料は 0〜1,000,000 円の整数で入力してください（徴収しない場合は 0）。");
        }
        java.util.Map<String, Integer> equipment = body.equipment() == null ? java.util.Map.of() : body.equipment();
        if (equipment.size() > 20) {
            throw Problem.badField("equipment", "At most 20 kinds of equipment per booking.", "附属設備は 20 種類までです。");
        }
        for (java.util.Map.Entry<String, Integer> e : equipment.entrySet()) {
            if (e.getKey() == null || e.getKey().length() > 40 || e.getValue() == null || e.getValue() < 1
                    || e.getValue() > 1000) {
                throw Problem.badField("equipment", "equipment maps a code to a count from 1, e.g. {\"projector\": 1}.",
                        "附属設備はコードと 1 以上の数量で指定してください（例: {\"projector\": 1}）。");
            }
        }
        return new BookingRequest.FeeOptions(admission, Boolean.TRUE.equals(body.commercial()),
                Boolean.TRUE.equals(body.mainlyNonResidents()), equipment, java.util.Optional.ofNullable(body.groupId()),
                java.util.Optional.empty(), "");
    }

    private static Instant instant(String value, String field) {
        if (value == null) {
            throw Problem.badField(field, field + " is required, e.g. 2026-12-01T10:00:00+09:00.",
                    field + " を指定してください（例: 2026-12-01T10:00:00+09:00）。");
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            throw Problem.badField(field, field + " must be an ISO-8601 time with offset, e.g. 2026-12-01T10:00:00+09:00.",
                    field + " は 2026-12-01T10:00:00+09:00 の形式で指定してください。");
        }
    }

    /** Body of {@code POST /reservations}. */
    record BookingBody(Long roomId, String start, String end, String purpose, Integer attendees, Long admissionYen,
                       Boolean commercial, Boolean mainlyNonResidents, java.util.Map<String, Integer> equipment,
                       Long groupId) {
    }

    /** The list. */
    record ReservationList(List<ReservationView> reservations) {
    }
}
