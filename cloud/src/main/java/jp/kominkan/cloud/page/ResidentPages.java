package jp.kominkan.cloud.page;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountHttpService;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.account.Profile;
import jp.kominkan.cloud.account.ProfileChange;
import jp.kominkan.cloud.account.VerificationStatus;
import jp.kominkan.cloud.booking.BookingRequest;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.grant.Door;
import jp.kominkan.cloud.identity.IdentityService;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.LocalPaths;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The resident's pages, server-rendered: find a facility, see a room's week, book (details → review
 * with the fee → hold or confirmation), my bookings with the door code and its QR, cancel, my page
 * with identity verification, log in and register. Every form is CSRF-checked; personal data never
 * goes into a URL.
 */
public final class ResidentPages implements HttpService {

    private static final DateTimeFormatter WHEN_JA = DateTimeFormatter.ofPattern("yyyy年M月d日（E） H:mm", Locale.JAPANESE);
    private static final DateTimeFormatter WHEN_EN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, H:mm", Locale.ENGLISH);

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final FacilityRepository facilities;
    private final BookingService bookings;
    private final AccountService accounts;
    private final IdentityService identity;
    private final Clock clock;

    /**
     * @param pages      templates, CSRF, language
     * @param tenancy    finds the municipality
     * @param facilities facilities and rooms
     * @param bookings   bookings
     * @param accounts   accounts and sessions
     * @param identity   the enabled identity providers
     * @param clock      the clock
     */
    public ResidentPages(PageSupport pages, Tenancy tenancy, FacilityRepository facilities, BookingService bookings,
                         AccountService accounts, IdentityService identity, Clock clock) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.facilities = facilities;
        this.bookings = bookings;
        this.accounts = accounts;
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::top)
                .get("/static/site.css", (req, res) -> pages.css(res))
                .get("/static/demo/{file}", (req, res) -> pages.demoImage(res, req.path().pathParameters().get("file")))
                .get("/lang/{code}", this::lang)
                .get("/facilities", this::facilityList)
                .get("/facilities/{id}", this::facility)
                .get("/rooms/{id}", this::room)
                .get("/rooms/{id}/book", resident(this::bookForm))
                .post("/rooms/{id}/book", resident(this::review))
                .post("/rooms/{id}/book/confirm", resident(this::confirm))
                .get("/reservations", resident(this::reservations))
                .get("/reservations/{id}", resident(this::reservation))
                .get("/reservations/{id}/cancel", resident(this::cancelForm))
                .post("/reservations/{id}/cancel", resident(this::cancel))
                .get("/mypage", resident(this::mypage))
                .post("/mypage", resident(this::saveContact))
                .get("/login", this::loginForm)
                .post("/login", this::login)
                .post("/logout", this::logout)
                .get("/register", this::registerForm)
                .post("/register", this::register);
    }

    // ---- finding -------------------------------------------------------------------------------

    private void top(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Page page = pages.page(req, res, town).withForm(Map.of(), query(req, "date", "area", "type", "capacity"));
        List<FacilityCard> all = cards(town, Optional.empty(), Optional.empty(), Optional.empty());
        pages.render(res, Status.OK_200, "top.jte", page, Map.of("facilities", all,
                "types", all.stream().map(c -> c.facility().type()).distinct().sorted().toList(),
                "areas", all.stream().map(c -> area(town, c.facility())).distinct().sorted().toList()));
    }

    private void facilityList(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Map<String, String> query = query(req, "date", "area", "type", "capacity");
        Optional<Integer> capacity = Optional.ofNullable(query.get("capacity")).filter(s -> s.matches("\\d{1,4}"))
                .map(Integer::parseInt);
        Page page = pages.page(req, res, town).withForm(Map.of(), query);
        pages.render(res, Status.OK_200, "facilities.jte", page, Map.of("facilities",
                cards(town, Optional.ofNullable(query.get("type")).filter(s -> !s.isBlank()),
                        Optional.ofNullable(query.get("area")).filter(s -> !s.isBlank()), capacity)));
    }

    private void facility(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Facility facility = facilities.facility(town.id(), PathIds.number(req, "id"))
                .orElseThrow(() -> Problem.notFound("facility", "施設"));
        Page page = pages.page(req, res, town).withForm(Map.of(), query(req, "date"));
        pages.render(res, Status.OK_200, "facility.jte", page, Map.of("facility", facility,
                "rooms", facilities.rooms(town.id(), facility.id())));
    }

    private void room(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        long roomId = PathIds.number(req, "id");
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        LocalDate week = req.query().first("week").asOptional().flatMap(ResidentPages::date)
                .filter(d -> !d.isBefore(today.minusDays(7)) && d.isBefore(today.plusYears(2))).orElse(today);
        BookingService.RoomAvailability availability = bookings.availability(town, roomId, Optional.of(week), 7);
        Facility facility = facilities.facility(town.id(), availability.room().facilityId()).orElseThrow();
        pages.render(res, Status.OK_200, "room.jte", pages.page(req, res, town), Map.of("facility", facility,
                "room", availability.room(), "grid", WeekGrid.of(availability.slots(), week, town.zone())));
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
        return pages.renderToString("room.jte", page, Map.of("facility", facility, "room", availability.room(),
                "grid", WeekGrid.of(availability.slots(), week, town.zone())));
    }

    // ---- booking -------------------------------------------------------------------------------

    private void bookForm(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Room room = room(town, req);
        Map<String, String> values = query(req, "date", "start");
        values.computeIfAbsent("date", k -> LocalDate.now(clock.withZone(town.zone())).toString());
        values.computeIfAbsent("start", k -> "10:00");
        values.put("end", plusHour(values.get("start")));
        showBookForm(req, res, town, room, Map.of(), values, Status.OK_200);
    }

    private void review(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Map<String, String> form = pages.form(req);
        Room room = room(town, req);
        Map<String, String> booking = bookingFields(form);
        try {
            BookingRequest request = request(room, booking);
            Reservation quote = bookings.quote(town, account, request);
            Page page = pages.page(req, res, town);
            pages.render(res, Status.OK_200, "review.jte", page, Map.of("facility", facility(town, room),
                    "room", room, "booking", booking, "when", when(request.range(), town.zone(), page),
                    "amount", quote.amount(), "residentPrice", account.residency() == Account.Residency.RESIDENT,
                    "key", UUID.randomUUID().toString()));
        } catch (Problem problem) {
            showBookForm(req, res, town, room, Map.of(fieldOf(problem), message(req, problem)), booking,
                    Status.BAD_REQUEST_400);
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
            pages.redirect(res, "/reservations/" + booked.reservation().id());
        } catch (Problem problem) {
            showBookForm(req, res, town, room, Map.of(fieldOf(problem), message(req, problem)), booking,
                    Status.create(problem.status()));
        }
    }

    private void showBookForm(ServerRequest req, ServerResponse res, Municipality town, Room room,
                              Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = pages.page(req, res, town).withForm(errors, values);
        List<String> times = new ArrayList<>();
        for (int minute = 0; minute <= 24 * 60; minute += 15) {
            times.add(minute == 24 * 60 ? "24:00" : LocalTime.of(minute / 60, minute % 60).toString());
        }
        pages.render(res, status, "book.jte", page, Map.of("facility", facility(town, room), "room", room,
                "starts", times.subList(0, times.size() - 1), "ends", times.subList(1, times.size())));
    }

    private static Map<String, String> bookingFields(Map<String, String> form) {
        Map<String, String> booking = new LinkedHashMap<>();
        for (String field : List.of("date", "start", "end", "purpose", "attendees")) {
            booking.put(field, form.getOrDefault(field, "").strip());
        }
        return booking;
    }

    private static BookingRequest request(Room room, Map<String, String> booking) {
        LocalDate date = date(booking.get("date")).orElseThrow(() -> Problem.badField("date",
                "Enter the date, e.g. 2026-12-01.", "利用日を入力してください（例: 2026-12-01）。"));
        ZonedDateTime start = at(date, booking.get("start"), room.zone(), "start");
        ZonedDateTime end = at(date, booking.get("end"), room.zone(), "end");
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
                Integer.parseInt(attendees));
    }

    private static ZonedDateTime at(LocalDate date, String time, ZoneId zone, String field) {
        try {
            if ("24:00".equals(time) && field.equals("end")) {
                return date.plusDays(1).atStartOfDay(zone);
            }
            LocalTime local = LocalTime.parse(time == null ? "" : time);
            if (local.getMinute() % 15 != 0 || local.getSecond() != 0) {
                throw new DateTimeException("not a quarter hour");
            }
            return date.atTime(local).atZone(zone);
        } catch (DateTimeException e) {
            throw Problem.badField(field, "Choose a time on a quarter hour.", "時刻は 15 分単位で選んでください。");
        }
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

    /** A refusal's message in the page's language (no page context needed: no query, no cookie). */
    private static String message(ServerRequest req, Problem problem) {
        return PageSupport.lang(req) == Lang.EN ? problem.english() : problem.japanese();
    }

    // ---- my bookings ---------------------------------------------------------------------------

    private void reservations(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Page page = pages.page(req, res, town);
        Map<Long, String> places = new HashMap<>();
        List<BookingRow> rows = bookings.mine(account).stream()
                .map(r -> row(town, r, page, places))
                .toList();
        pages.render(res, Status.OK_200, "reservations.jte", page, Map.of("rows", rows));
    }

    private void reservation(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Reservation r = bookings.visibleTo(town, account, PathIds.uuid(req, "id"));
        Page page = pages.page(req, res, town);
        Instant now = clock.instant();
        Optional<BookingService.Access> access = bookings.access(account, r);
        ReservationStatus status = r.statusAt(now);
        Map<String, Object> model = new HashMap<>();
        model.put("row", row(town, r, page, new HashMap<>()));
        model.put("purpose", r.purpose());
        model.put("attendees", r.attendees());
        model.put("amount", r.amount());
        model.put("holdDeadline", status == ReservationStatus.HELD
                ? r.holdDeadline().map(d -> format(d, town.zone(), page)) : Optional.empty());
        model.put("code", access.map(a -> a.code().digits()));
        model.put("qrSvg", access.map(a -> QrCodes.svg(a.code().digits())));
        model.put("doors", access.map(a -> String.join("、", a.doors().stream().map(Door::name).toList())).orElse(""));
        model.put("cancellable", (status == ReservationStatus.HELD || status == ReservationStatus.CONFIRMED)
                && r.range().start().isAfter(now));
        pages.render(res, Status.OK_200, "reservation.jte", page, model);
    }

    private void cancelForm(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Reservation r = bookings.visibleTo(town, account, PathIds.uuid(req, "id"));
        Page page = pages.page(req, res, town);
        pages.render(res, Status.OK_200, "cancel.jte", page, Map.of("row", row(town, r, page, new HashMap<>())));
    }

    private void cancel(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        pages.form(req);
        Reservation r = bookings.cancel(town, account, PathIds.uuid(req, "id"));
        pages.redirect(res, "/reservations/" + r.id());
    }

    private BookingRow row(Municipality town, Reservation r, Page page, Map<Long, String> places) {
        String place = places.computeIfAbsent(r.roomId(), id -> facilities.room(town.id(), id)
                .map(room -> facility(town, room).name() + " " + room.name()).orElse(""));
        return new BookingRow(r.id(), when(r.range(), town.zone(), page), place, r.statusAt(clock.instant()).wire());
    }

    // ---- my page -------------------------------------------------------------------------------

    private void mypage(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        showMypage(req, res, town, accounts.profile(account), Map.of(), query(req, "saved"), Status.OK_200);
    }

    private void saveContact(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Map<String, String> form = pages.form(req);
        try {
            accounts.update(account, new ProfileChange(form.getOrDefault("email", ""),
                    form.getOrDefault("phone", ""), form.getOrDefault("organisation", ""), null, null, null));
            pages.redirect(res, "/mypage?saved=1");
        } catch (Problem problem) {
            showMypage(req, res, town, accounts.profile(account),
                    Map.of(problem.field().orElse("email"), message(req, problem)), form,
                    Status.BAD_REQUEST_400);
        }
    }

    private void showMypage(ServerRequest req, ServerResponse res, Municipality town, Profile profile,
                            Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = pages.page(req, res, town).withForm(errors, values);
        VerificationStatus verification = accounts.verificationStatus(profile);
        String residency = switch (profile.account().residency()) {
            case RESIDENT -> page.t("市内", "Resident");
            case NON_RESIDENT -> page.t("市外", "Non-resident");
            case UNKNOWN -> page.t("未確認（市外料金）", "Unconfirmed (non-resident fee)");
        };
        pages.render(res, status, "mypage.jte", page, Map.of("profile", profile, "status", verification.wire(),
                "verifiedAt", profile.link().map(l -> format(l.verifiedAt(), town.zone(), page)).orElse(""),
                "residency", residency, "canVerify", xidEnabled(town)));
    }

    // ---- login and registration ----------------------------------------------------------------

    private void loginForm(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        pages.render(res, Status.OK_200, "login.jte", pages.page(req, res, town), Map.of("xid", xidEnabled(town),
                "next", next(req).orElse("")));
    }

    private void login(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Map<String, String> form = pages.form(req);
        try {
            AccountService.Session session = accounts.login(town, form.getOrDefault("email", ""),
                    form.getOrDefault("password", ""));
            AccountHttpService.setSessionCookie(res, session, pages.secureCookie());
            pages.rotateCsrf(res);
            pages.redirect(res, next(req).orElse("/mypage"));
        } catch (Problem problem) {
            Page page = pages.page(req, res, town).withForm(Map.of("form", message(req, problem)),
                    Map.of("email", form.getOrDefault("email", "")));
            pages.render(res, Status.UNAUTHORIZED_401, "login.jte", page, Map.of("xid", xidEnabled(town),
                    "next", next(req).orElse("")));
        }
    }

    private void logout(ServerRequest req, ServerResponse res) {
        pages.form(req);
        Authenticator.token(req).ifPresent(accounts::logout);
        res.headers().addCookie(SetCookie.builder(Authenticator.COOKIE, "").path("/").maxAge(java.time.Duration.ZERO)
                .build());
        pages.rotateCsrf(res);
        pages.redirect(res, "/");
    }

    private void registerForm(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        pages.render(res, Status.OK_200, "register.jte", pages.page(req, res, town), Map.of("xid", xidEnabled(town)));
    }

    private void register(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Map<String, String> form = pages.form(req);
        try {
            accounts.register(town, form.getOrDefault("email", ""), form.getOrDefault("password", ""),
                    form.getOrDefault("name", ""));
            AccountService.Session session = accounts.login(town, form.get("email"), form.get("password"));
            AccountHttpService.setSessionCookie(res, session, pages.secureCookie());
            pages.rotateCsrf(res);
            pages.redirect(res, "/mypage");
        } catch (Problem problem) {
            Map<String, String> typed = new HashMap<>(form);
            typed.remove("password");
            Page page = pages.page(req, res, town).withForm(
                    Map.of(problem.field().orElse("email"), message(req, problem)), typed);
            pages.render(res, Status.BAD_REQUEST_400, "register.jte", page, Map.of("xid", xidEnabled(town)));
        }
    }

    private void lang(ServerRequest req, ServerResponse res) {
        pages.setLang(res, Lang.of(req.path().pathParameters().get("code")));
        pages.redirect(res, req.query().first("back").asOptional().filter(LocalPaths::isLocal).orElse("/"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * A page for logged-in residents: the handler runs with the resident; anyone else is sent to the
     * login page, which comes back here. For a form, this is decided before the form is read.
     */
    private Handler resident(ResidentHandler handler) {
        return (req, res) -> {
            Municipality town = tenancy.of(req);
            Optional<Account> account = pages.resident(req, town);
            if (account.isPresent()) {
                handler.handle(req, res, town, account.get());
            } else {
                pages.redirect(res, "/login?next=" + java.net.URLEncoder.encode(PageSupport.here(req),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        };
    }

    /** A handler for a page that needs a logged-in resident. */
    @FunctionalInterface
    private interface ResidentHandler {
        void handle(ServerRequest req, ServerResponse res, Municipality town, Account account);
    }

    private static Optional<String> next(ServerRequest req) {
        return req.query().first("next").asOptional().filter(LocalPaths::isLocal);
    }

    private boolean xidEnabled(Municipality town) {
        return identity.providers(town).stream().anyMatch(p -> p.id().equals("xid"));
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

    private Room room(Municipality town, ServerRequest req) {
        return facilities.room(town.id(), PathIds.number(req, "id")).orElseThrow(() -> Problem.notFound("room", "部屋"));
    }

    private Facility facility(Municipality town, Room room) {
        return facilities.facility(town.id(), room.facilityId()).orElseThrow();
    }

    private static Map<String, String> query(ServerRequest req, String... names) {
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            req.query().first(name).asOptional().filter(v -> v.length() <= 100).ifPresent(v -> values.put(name, v));
        }
        return values;
    }

    private static Optional<LocalDate> date(String text) {
        try {
            return Optional.of(LocalDate.parse(text == null ? "" : text.strip()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static String plusHour(String start) {
        try {
            LocalTime time = LocalTime.parse(start);
            return time.getHour() >= 23 ? "24:00" : time.plusHours(1).toString();
        } catch (DateTimeException e) {
            return "11:00";
        }
    }

    private static String when(SlotRange range, ZoneId zone, Page page) {
        ZonedDateTime start = range.start().atZone(zone);
        ZonedDateTime end = range.end().atZone(zone);
        String endTime = end.toLocalDate().isAfter(start.toLocalDate()) && end.toLocalTime().equals(LocalTime.MIDNIGHT)
                ? "24:00" : end.toLocalTime().toString();
        return (page.lang() == Lang.EN ? WHEN_EN : WHEN_JA).format(start) + "–" + endTime;
    }

    private static String format(Instant instant, ZoneId zone, Page page) {
        return (page.lang() == Lang.EN ? WHEN_EN : WHEN_JA).format(instant.atZone(zone));
    }
}
