package jp.kominkan.cloud.waitlist;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.booking.BookingRequest;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The resident's waiting-list pages: {@code /rooms/{id}/waitlist} (from a taken cell of the room's week: join the
 * line for that time) and {@code /waitlist} (one's entries, their position, an offered hold's deadline; leave,
 * accept). Logged-in residents only; forms CSRF-checked; a refusal is shown in Japanese with what was typed.
 */
public final class WaitlistPages implements HttpService {

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final FacilityRepository facilities;
    private final Waitlist waitlist;

    /**
     * @param pages      templates, CSRF, sessions
     * @param tenancy    finds the municipality
     * @param facilities rooms
     * @param waitlist   the waiting list
     */
    public WaitlistPages(PageSupport pages, Tenancy tenancy, FacilityRepository facilities, Waitlist waitlist) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.facilities = facilities;
        this.waitlist = waitlist;
    }

    @FunctionalInterface
    private interface ResidentHandler {
        void handle(ServerRequest req, ServerResponse res, Municipality town, Account account);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/rooms/{id}/waitlist", resident(this::joinForm))
                .post("/rooms/{id}/waitlist", resident(this::join))
                .get("/waitlist", resident(this::list))
                .post("/waitlist/{entry}/leave", resident(this::leave))
                .post("/waitlist/{entry}/accept", resident(this::accept));
    }

    private Handler resident(ResidentHandler handler) {
        return (req, res) -> {
            Municipality town = tenancy.of(req);
            Optional<Account> account = pages.resident(req, town);
            if (account.isPresent()) {
                handler.handle(req, res, town, account.get());
            } else {
                pages.redirect(res, "/login?next=" + URLEncoder.encode(PageSupport.here(req), StandardCharsets.UTF_8));
            }
        };
    }

    private void joinForm(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Room room = room(town, req);
        Map<String, String> values = new HashMap<>(Formats.query(req, "date", "start"));
        values.putIfAbsent("date", "");
        values.putIfAbsent("start", "10:00");
        values.put("end", Formats.quarterHours().contains(values.get("start")) && !values.get("start").equals("24:00")
                ? plusHour(values.get("start")) : "");
        values.put("attendees", "1");
        show(req, res, town, room, Map.of(), values, Status.OK_200);
    }

    private void join(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Map<String, String> form = pages.form(req);
        Room room = room(town, req);
        try {
            LocalDate date = Formats.date(form.getOrDefault("date", "")).orElseThrow(() -> Problem.badField("date",
                    "Choose a date.", "日付を選んでください。"));
            String purpose = form.getOrDefault("purpose", "").strip();
            if (purpose.isEmpty() || purpose.length() > 200) {
                throw Problem.badField("purpose", "Describe the purpose of use (up to 200 characters).",
                        "利用目的を入力してください（200 文字まで）。");
            }
            String attendees = form.getOrDefault("attendees", "");
            if (!attendees.matches("\\d{1,4}") || Integer.parseInt(attendees) < 1) {
                throw Problem.badField("attendees", "attendees must be at least 1.", "利用人数は 1 以上の整数で入力してください。");
            }
            SlotRange range = new SlotRange(Formats.at(date, form.get("start"), room.zone(), "start").toInstant(),
                    Formats.at(date, form.get("end"), room.zone(), "end").toInstant());
            waitlist.join(town, account, new BookingRequest(room.id(), range, purpose, Integer.parseInt(attendees)));
            pages.redirect(res, "/waitlist?done=joined");
        } catch (Problem | IllegalArgumentException refused) {
            Problem problem = refused instanceof Problem p ? p : Problem.badField("end",
                    "The end must be after the start.", "終了時刻は開始時刻より後にしてください。");
            show(req, res, town, room, Map.of(problem.field().orElse("form"), Formats.message(req, problem)), form,
                    Status.create(problem.status()));
        }
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        pages.render(res, Status.OK_200, "waitlist.jte", pages.page(req, res, town), Map.of(
                "entries", waitlist.mine(town, account), "zone", town.zone(),
                "done", Formats.query(req, "done").getOrDefault("done", "")));
    }

    private void leave(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        pages.form(req);
        waitlist.leave(town, account, entry(req));
        pages.redirect(res, "/waitlist?done=left");
    }

    private void accept(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        pages.form(req);
        var reservation = waitlist.accept(town, account, entry(req));
        pages.redirect(res, "/reservations/" + reservation.id());
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, Room room, Map<String, String> errors,
                      Map<String, String> values, Status status) {
        pages.render(res, status, "waitlistJoin.jte", pages.page(req, res, town).withForm(errors, values),
                Map.of("room", room, "times", Formats.quarterHours()));
    }

    private Room room(Municipality town, ServerRequest req) {
        return facilities.room(town.id(), PathIds.number(req, "id")).filter(Room::published)
                .orElseThrow(() -> Problem.notFound("room", "部屋"));
    }

    private static UUID entry(ServerRequest req) {
        try {
            return UUID.fromString(req.path().pathParameters().get("entry"));
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("waiting-list entry", "キャンセル待ち");
        }
    }

    private static String plusHour(String start) {
        LocalTime t = LocalTime.parse(start);
        return t.isBefore(LocalTime.of(23, 0)) ? t.plusHours(1).toString() : "24:00";
    }
}
