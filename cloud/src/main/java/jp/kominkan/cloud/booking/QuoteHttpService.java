package jp.kominkan.cloud.booking;

import java.time.Clock;
import java.util.List;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.fee.Quote;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code POST /api/v1/quotes}: what a booking would cost, itemised (base per band, surcharges, equipment,
 * heating, 減免, rounding, total), under the same rules as booking it, without booking. The fee a
 * booking is made with is frozen on it; a later quote may differ when the schedule changes.
 */
public final class QuoteHttpService implements HttpService {

    private final BookingService bookings;
    private final Authenticator authenticator;
    private final Tenancy tenancy;
    private final Clock clock;

    /**
     * @param bookings      the rules and fees
     * @param authenticator who is asking (the fee depends on residency)
     * @param tenancy       the municipality
     * @param clock         the clock
     */
    public QuoteHttpService(BookingService bookings, Authenticator authenticator, Tenancy tenancy, Clock clock) {
        this.bookings = bookings;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::quote);
    }

    private void quote(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        BookingRequest request = ReservationHttpService.parse(Json.read(req, ReservationHttpService.BookingBody.class));
        BookingService.Quoted quoted = bookings.quote(town, account, request);
        Json.send(res, Status.OK_200, QuoteView.of(quoted, town));
    }

    /**
     * The quote as the API shows it.
     *
     * @param roomId      the room
     * @param start       start
     * @param end         end
     * @param lines       itemised
     * @param total       yen
     * @param source      the ordinance or schedule it follows
     * @param payBy       when an unpaid booking would lapse
     */
    public record QuoteView(long roomId, String start, String end, List<Line> lines, long total, String source,
                            String payBy) {

        static QuoteView of(BookingService.Quoted quoted, Municipality town) {
            Reservation r = quoted.reservation();
            Quote q = quoted.quote();
            return new QuoteView(r.roomId(), IsoTimes.format(r.range().start(), town.zone()),
                    IsoTimes.format(r.range().end(), town.zone()),
                    q.lines().stream().map(l -> new Line(l.kind().name().toLowerCase(java.util.Locale.ROOT), l.code(),
                            l.labelJa(), l.labelEn(), l.yen())).toList(), q.total(), q.scheduleSource(),
                    r.holdDeadline().map(d -> IsoTimes.format(d, town.zone())).orElse(""));
        }
    }

    /**
     * One line.
     *
     * @param kind    base, overrun, surcharge, discount, equipment, seasonal, reduction, rounding
     * @param code    the schedule's code for it
     * @param label   Japanese
     * @param labelEn English
     * @param yen     signed yen
     */
    public record Line(String kind, String code, String label, String labelEn, long yen) {
    }
}
