package jp.kominkan.cloud.resident;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.booking.BookingRequest;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.grant.Door;
import jp.kominkan.cloud.grant.DoorPasses;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.page.QrCodes;
import jp.kominkan.shared.slot.SlotRange;

/**
 * Booking and the resident's bookings: details (the chosen day's fitting times, {@link FreeRanges}) → review with
 * the fee → hold or confirmation, on a page titled for it ({@link Outcome}); one booking with its door code and
 * its door passes (QR codes renewed by the page's script, docs/gateway.md); cancelling. Logged-in residents only; every form is CSRF-checked and
 * personal data never goes into a URL.
 */
public final class BookingPages implements HttpService {

    /** How often the page's script fetches fresh passes; a pass lasts about 5 minutes. */
    static final int PASS_REFRESH_SECONDS = 30;
    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final FacilityRepository facilities;
    private final BookingService bookings;
    private final DoorPasses passes;
    private final Clock clock;
    private final jp.kominkan.cloud.fee.EquipmentCatalog equipment;
    private final jp.kominkan.cloud.group.Groups groups;
    private final jp.kominkan.cloud.reduction.Reductions reductions;

    /**
     * @param pages      templates, CSRF, language
     * @param tenancy    finds the municipality
     * @param facilities facilities and rooms
     * @param bookings   bookings
     * @param passes     makes door passes
     * @param clock      the clock
     * @param equipment  the facilities' equipment (附属設備), offered on the form
     * @param groups     the resident's approved groups (団体), offered on the form
     * @param reductions 減免 applications, shown on a booking's page
     */
    public BookingPages(PageSupport pages, Tenancy tenancy, FacilityRepository facilities, BookingService bookings,
                        DoorPasses passes, Clock clock, jp.kominkan.cloud.fee.EquipmentCatalog equipment,
                        jp.kominkan.cloud.group.Groups groups, jp.kominkan.cloud.reduction.Reductions reductions) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.facilities = facilities;
        this.bookings = bookings;
        this.passes = passes;
        this.clock = clock;
        this.equipment = equipment;
        this.groups = groups;
        this.reductions = reductions;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/rooms/{id}/book", ResidentOnly.wrap(pages, tenancy, this::bookForm))
                .post("/rooms/{id}/book", ResidentOnly.wrap(pages, tenancy, this::review))
                .post("/rooms/{id}/book/confirm", ResidentOnly.wrap(pages, tenancy, this::confirm))
                .get("/reservations/{id}", ResidentOnly.wrap(pages, tenancy, this::reservation))
                .get("/reservations/{id}/passes", this::passes)
                .get("/reservations/{id}/cancel", ResidentOnly.wrap(pages, tenancy, this::cancelForm))
                .post("/reservations/{id}/cancel", ResidentOnly.wrap(pages, tenancy, this::cancel));
    }

    private void bookForm(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Room room = room(town, req);
        Map<String, String> values = Formats.query(req, "date", "start", "end");
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        LocalDate date = Formats.date(values.getOrDefault("date", "")).orElse(today);
        values.put("date", date.toString());
        FreeRanges free = freeRanges(town, room, date);
        String start = values.getOrDefault("start", free.starts().isEmpty() ? "" : free.starts().getFirst());
        values.put("start", start);
        values.put("end", free.defaultEnd(start, values.getOrDefault("end", "")).orElse(""));
        Page page = pages.page(req, res, town);
        Map<String, String> errors = free.endsFrom(start).isEmpty()
                ? Map.of("start", page.t(free.any()
                        ? "選んだ開始時刻は空いていません。空いている時刻から選んでください。"
                        : "この日は空いている時間がありません。日付を変えてください。",
                        free.any() ? "That start time is not free. Choose a free one."
                                : "Nothing is free this day. Choose another date."))
                : Map.of();
        renderBookForm(res, town, account, room, page.withForm(errors, values), free, Status.OK_200);
    }

    /** The day's free ranges, which the form's start and end lists offer. */
    private FreeRanges freeRanges(Municipality town, Room room, LocalDate date) {
        return FreeRanges.of(bookings.availability(town, room.id(), Optional.of(date), 1).slots(), date, room.zone());
    }

    private void review(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Map<String, String> form = pages.form(req);
        Room room = room(town, req);
        Map<String, String> booking = bookingFields(form);
        try {
            BookingRequest request = request(room, booking);
            BookingService.Quoted quoted = bookings.quote(town, account, request);
            Page page = pages.page(req, res, town);
            Map<String, Object> model = new HashMap<>(Map.of("facility", facility(town, room),
                    "room", room, "booking", booking, "when", Formats.when(request.range(), town.zone(), page),
                    "amount", quoted.reservation().amount(), "quote", quoted.quote(),
                    "residentPrice", account.residency() == Account.Residency.RESIDENT,
                    "key", UUID.randomUUID().toString()));
            model.put("groupName", request.fee().groupId().flatMap(g -> groups.approvedFor(town, account).stream()
                    .filter(s -> s.id() == g).map(jp.kominkan.cloud.group.GroupSummary::name).findFirst()).orElse(""));
            model.put("reductionOffered", quoted.reservation().amount() > 0 && !reductions.categories(town).isEmpty());
            pages.render(res, Status.OK_200, "review.jte", page, model);
        } catch (Problem problem) {
            showBookForm(req, res, town, account, room, Map.of(fieldOf(problem), Formats.message(req, problem)),
                    booking, Status.BAD_REQUEST_400);
        }
    }

    private void confirm(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Map<String, String> form = pages.form(req);
        Room room = room(town, req);
        Map<String, String> booking = bookingFields(form);
        String key = form.getOrDefault("key", "");
        if (!key.matches("[0-9a-f-]{36}")) {
            throw Problem.badRequest("form-incomplete", "The form is incomplete. Start the booking again.",
                    "フォームの内容が不完全です。予約をやり直してください。");
        }
        try {
            BookingService.Booked booked = bookings.book(town, account, request(room, booking), key);
            boolean applyNext = booking.containsKey("reduction")
                    && booked.reservation().status() == ReservationStatus.HELD;
            pages.redirect(res, "/reservations/" + booked.reservation().id() + (applyNext ? "/reduction" : "?done=booked"));
        } catch (Problem problem) {
            showBookForm(req, res, town, account, room, Map.of(fieldOf(problem), Formats.message(req, problem)),
                    booking, Status.create(problem.status()));
        }
    }

    private void showBookForm(ServerRequest req, ServerResponse res, Municipality town, Account account, Room room,
                              Map<String, String> errors, Map<String, String> values, Status status) {
        LocalDate date = Formats.date(values.getOrDefault("date", ""))
                .orElse(LocalDate.now(clock.withZone(town.zone())));
        renderBookForm(res, town, account, room, pages.page(req, res, town).withForm(errors, values),
                freeRanges(town, room, date), status);
    }

    /** The booking form for the day of {@code free}, its start and end lists offering only what fits. */
    private void renderBookForm(ServerResponse res, Municipality town, Account account, Room room, Page page,
                                FreeRanges free, Status status) {
        Map<String, Object> model = new HashMap<>(Map.of("facility", facility(town, room), "room", room,
                "free", free, "day", Formats.day(free.date(), page),
                "equipment", equipment.of(town.id(), room.facilityId()), "groups", groups.approvedFor(town, account)));
        model.put("starts", free.starts());
        model.put("ends", free.endsFrom(page.value("start", "")));
        model.put("focusPurpose", page.errors().isEmpty() && page.value("purpose", "").isEmpty());
        pages.render(res, status, "book.jte", page, model);
    }

    private static Map<String, String> bookingFields(Map<String, String> form) {
        Map<String, String> booking = new LinkedHashMap<>();
        for (String field : List.of("date", "start", "end", "purpose", "attendees", "admission", "groupId")) {
            booking.put(field, form.getOrDefault(field, "").strip());
        }
        for (String flag : List.of("commercial", "nonresidents", "reduction")) {
            if (form.containsKey(flag)) {
                booking.put(flag, "on");
            }
        }
        // Equipment wanted, as eq.<code> = count; codes are checked against the facility's list when priced.
        form.forEach((name, value) -> {
            if (name.startsWith("eq.") && name.length() <= 43 && !value.strip().isEmpty() && !value.strip().equals("0")) {
                booking.put(name, value.strip());
            }
        });
        return booking;
    }

    /** The fee-relevant part of the form: admission charged, commercial use, audience, equipment. */
    private static BookingRequest.FeeOptions feeOptions(Map<String, String> booking) {
        String admission = java.text.Normalizer.normalize(booking.getOrDefault("admission", ""),
                java.text.Normalizer.Form.NFKC).replace(",", "");
        if (!admission.isEmpty() && !admission.matches("\\d{1,7}")) {
            throw Problem.badField("admission", "Enter the admission in whole yen (0 when none).",
                    "入場料は円単位の数字で入力してください（徴収しない場合は 0 か空欄）。");
        }
        Map<String, Integer> equipment = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : booking.entrySet()) {
            if (e.getKey().startsWith("eq.")) {
                String count = java.text.Normalizer.normalize(e.getValue(), java.text.Normalizer.Form.NFKC);
                if (!count.matches("\\d{1,3}")) {
                    throw Problem.badField("equipment", "Enter how many of each piece of equipment as a number.",
                            "附属設備の数量は数字で入力してください。");
                }
                equipment.put(e.getKey().substring(3), Integer.parseInt(count));
            }
        }
        String group = booking.getOrDefault("groupId", "");
        if (!group.isEmpty() && !group.matches("\\d{1,12}")) {
            throw Problem.badField("groupId", "Choose one of your approved groups.", "団体は一覧から選んでください。");
        }
        return new BookingRequest.FeeOptions(admission.isEmpty() ? 0 : Long.parseLong(admission),
                booking.containsKey("commercial"), booking.containsKey("nonresidents"), equipment,
                group.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(group)), Optional.empty(), "");
    }

    private static BookingRequest request(Room room, Map<String, String> booking) {
        LocalDate date = Formats.date(booking.get("date")).orElseThrow(() -> Problem.badField("date",
                "Enter the date, e.g. 2026-12-01.", "利用日を入力してください（例: 2026-12-01）。"));
        ZonedDateTime start = Formats.at(date, booking.get("start"), room.zone(), "start");
        ZonedDateTime end = Formats.at(date, booking.get("end"), room.zone(), "end");
        if (!end.isAfter(start)) {
            throw Problem.badField("end", "The end must be after the start.", "終了時刻は開始時刻より後にしてください。");
        }
        String purpose = booking.get("purpose");
        if (purpose.isEmpty() || purpose.length() > 200) {
            throw Problem.badField("purpose", "Describe the purpose of use (up to 200 characters).",
                    "利用目的を入力してください（200 文字まで）。");
        }
        String attendees = java.text.Normalizer.normalize(booking.get("attendees"), java.text.Normalizer.Form.NFKC);
        if (!attendees.matches("\\d{1,4}") || Integer.parseInt(attendees) < 1) {
            throw Problem.badField("attendees", "Enter the number of people as a whole number of at least 1.",
                    "利用人数は 1 以上の数字で入力してください。");
        }
        return new BookingRequest(room.id(), new SlotRange(start.toInstant(), end.toInstant()), purpose,
                Integer.parseInt(attendees), feeOptions(booking));
    }

    /** Which form field a refusal from the booking rules is about. */
    private static String fieldOf(Problem problem) {
        if (problem.field().isPresent()) {
            return problem.field().get();
        }
        return switch (problem.code()) {
            case "over-capacity" -> "attendees";
            case "too-long", "end-before-start" -> "end";
            case "in-the-past", "beyond-horizon", "closed-day", "outside-opening-hours", "slot-taken", "slot-blocked" ->
                    "start";
            default -> "form";
        };
    }

    private void reservation(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Reservation r = bookings.visibleTo(town, account, PathIds.uuid(req, "id"));
        Page page = pages.page(req, res, town);
        Instant now = clock.instant();
        Optional<BookingService.Access> access = bookings.access(account, r);
        ReservationStatus status = r.statusAt(now);
        Map<String, Object> model = new HashMap<>();
        model.put("row", row(town, r, page, new HashMap<>()));
        model.put("outcome", Outcome.of(req.query().first("done").orElse(""), status));
        model.put("purpose", r.purpose());
        model.put("attendees", r.attendees());
        model.put("amount", r.amount());
        model.put("holdDeadline", status == ReservationStatus.HELD
                ? r.holdDeadline().map(d -> Formats.format(d, town.zone(), page)) : Optional.empty());
        model.put("code", access.map(a -> a.code().digits()));
        model.put("passes", passCards(r, access, now));
        model.put("passUpdated", updated(now, town, page));
        model.put("refreshSeconds", PASS_REFRESH_SECONDS);
        model.put("doors", access.map(a -> String.join("、", a.doors().stream().map(Door::name).toList())).orElse(""));
        model.put("cancellable", (status == ReservationStatus.HELD || status == ReservationStatus.CONFIRMED)
                && r.range().start().isAfter(now));
        Optional<jp.kominkan.cloud.reduction.ReductionApplication> reduction = reductions.onBooking(town, r.id());
        model.put("reduction", reduction.map(a -> a.status().wire()).orElse(""));
        model.put("reductionNote", reduction.flatMap(jp.kominkan.cloud.reduction.ReductionApplication::note).orElse(""));
        model.put("reductionPercent", reduction.flatMap(jp.kominkan.cloud.reduction.ReductionApplication::percentApplied)
                .orElse(0));
        model.put("reductionOpen", reduction.isEmpty() && status == ReservationStatus.HELD
                && r.range().start().isAfter(now) && !reductions.categories(town).isEmpty());
        pages.render(res, Status.OK_200, "reservation.jte", page, model);
    }

    /**
     * Fresh door passes for the page's script, as JSON: the owner's only (404 for anyone else, as the
     * page), never cached. An empty list once the booking is cancelled or over.
     */
    private void passes(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = pages.resident(req, town).orElseThrow(() -> Problem.unauthorized(
                "Log in to see your door pass.", "入館証を表示するにはログインしてください。"));
        Reservation r = bookings.visibleTo(town, account, PathIds.uuid(req, "id"));
        Page page = pages.page(req, res, town);
        Instant now = clock.instant();
        List<Map<String, String>> cards = passCards(r, bookings.access(account, r), now).stream()
                .map(card -> Map.of("grantId", card.grantId(), "door", card.door(), "text", card.text(), "svg", card.svg()))
                .toList();
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        Json.send(res, Status.OK_200, Map.of("passes", cards, "updated", updated(now, town, page),
                "refreshSeconds", PASS_REFRESH_SECONDS));
    }

    /** A pass per live grant, only while {@link BookingService#access} gives the owner the code. */
    private List<PassCard> passCards(Reservation r, Optional<BookingService.Access> access, Instant now) {
        return access.map(a -> passes.forReservation(r.id(), a.code(), now).stream()
                .map(p -> new PassCard(p.grantId().toString(), p.doorName(), p.text(), QrCodes.svg(p.text())))
                .toList()).orElse(List.of());
    }

    private static String updated(Instant now, Municipality town, Page page) {
        String time = CLOCK_TIME.format(now.atZone(town.zone()));
        return page.t(time + " に更新しました。", "Renewed at " + time + ".");
    }

    private void cancelForm(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Reservation r = bookings.visibleTo(town, account, PathIds.uuid(req, "id"));
        Page page = pages.page(req, res, town);
        pages.render(res, Status.OK_200, "cancel.jte", page, Map.of("row", row(town, r, page, new HashMap<>()),
                "refund", bookings.cancellationPreview(town, account, r.id())));
    }

    private void cancel(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        pages.form(req);
        Reservation r = bookings.cancel(town, account, PathIds.uuid(req, "id"));
        pages.redirect(res, "/reservations/" + r.id() + "?done=cancelled");
    }

    private BookingRow row(Municipality town, Reservation r, Page page, Map<Long, String> places) {
        return BookingRow.of(facilities, town, r, page, places, clock.instant());
    }

    private Room room(Municipality town, ServerRequest req) {
        return facilities.room(town.id(), PathIds.number(req, "id")).filter(Room::published).orElseThrow(() -> Problem.notFound("room", "部屋"));
    }

    private Facility facility(Municipality town, Room room) {
        return facilities.facility(town.id(), room.facilityId()).orElseThrow();
    }

}
