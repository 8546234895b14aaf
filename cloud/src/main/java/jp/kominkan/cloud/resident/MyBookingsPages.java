package jp.kominkan.cloud.resident;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationPage;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.web.Tenancy;

/**
 * My bookings (予約一覧): the bookings that have not ended, soonest first, and on a page of their own those that
 * have, the latest first; {@value #PER_PAGE} a page, {@code ?page=N} from 1. Logged-in residents only.
 *
 * <p>Registered before {@link BookingPages}, whose {@code /reservations/{id}} would otherwise take
 * {@code /reservations/past} for a booking's id.
 */
public final class MyBookingsPages implements HttpService {

    /** Bookings per page: a phone's screenful or two. */
    static final int PER_PAGE = 20;
    /** Larger numbers are not read (a page that far does not exist and is shown as the last one). */
    private static final int MAX_DIGITS = 6;

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final FacilityRepository facilities;
    private final BookingService bookings;
    private final Clock clock;

    /**
     * @param pages      templates, CSRF, language
     * @param tenancy    finds the municipality
     * @param facilities facilities and rooms, for the place names
     * @param bookings   bookings
     * @param clock      the clock, for each booking's status now
     */
    public MyBookingsPages(PageSupport pages, Tenancy tenancy, FacilityRepository facilities, BookingService bookings,
                           Clock clock) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.facilities = facilities;
        this.bookings = bookings;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/reservations", ResidentOnly.wrap(pages, tenancy, this::upcoming))
                .get("/reservations/past", ResidentOnly.wrap(pages, tenancy, this::past));
    }

    private void upcoming(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        show(req, res, town, "/reservations", false, bookings.upcoming(account, pageNumber(req), PER_PAGE));
    }

    private void past(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        show(req, res, town, "/reservations/past", true, bookings.past(account, pageNumber(req), PER_PAGE));
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, String path, boolean past,
                      ReservationPage found) {
        Page page = pages.page(req, res, town);
        Map<Long, String> places = new HashMap<>();
        List<BookingRow> rows = found.reservations().stream().map(r -> row(town, r, page, places)).toList();
        pages.render(res, Status.OK_200, "reservations.jte", page, Map.of("rows", rows, "past", past,
                "pager", Pager.of(path, found)));
    }

    /**
     * @return the page asked for; anything but a number from 1 is the first page, and a number past the end is
     *         the last page (decided by {@link ReservationPage}), so an edited or stale link never fails
     */
    private static int pageNumber(ServerRequest req) {
        String wanted = req.query().first("page").orElse("1").strip();
        if (!wanted.matches("[0-9]{1," + MAX_DIGITS + "}")) {
            return wanted.matches("[0-9]+") ? Integer.MAX_VALUE : 1;
        }
        return Integer.parseInt(wanted);
    }

    private BookingRow row(Municipality town, Reservation r, Page page, Map<Long, String> places) {
        return BookingRow.of(facilities, town, r, page, places, clock.instant());
    }
}
