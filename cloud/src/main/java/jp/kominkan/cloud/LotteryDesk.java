package jp.kominkan.cloud;

import java.time.Clock;
import java.time.Duration;

import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.backoffice.LotteryRoundPages;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.LotteryBookings;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.grant.GrantKeyStore;
import jp.kominkan.cloud.group.Groups;
import jp.kominkan.cloud.lottery.AfterDraw;
import jp.kominkan.cloud.lottery.Applications;
import jp.kominkan.cloud.lottery.Drawing;
import jp.kominkan.cloud.lottery.LotteryHttpService;
import jp.kominkan.cloud.lottery.LotteryRepository;
import jp.kominkan.cloud.lottery.PersonKeys;
import jp.kominkan.cloud.lottery.ResultMail;
import jp.kominkan.cloud.lottery.Results;
import jp.kominkan.cloud.lottery.Rounds;
import jp.kominkan.cloud.lottery.StaffLotteryHttpService;
import jp.kominkan.cloud.lottery.WinRepository;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.resident.LotteryPages;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The lottery (抽選), wired by hand like {@link ReductionDesk}: rounds, applications, the draw, what comes after it,
 * and their APIs, so the cloud's wiring names it once.
 *
 * @param rounds       staff's rounds
 * @param applications residents' applications
 * @param drawing      the close and the draw
 * @param afterDraw    confirming, lapses and substitutes, the first-come opening; the timer's sweep
 * @param results      what rounds show, the audit file
 * @param api          /api/v1/lottery
 * @param staffApi     /api/v1/staff/lottery
 * @param pages        /lottery… (residents)
 * @param staffPages   /staff/lottery… (staff)
 */
public record LotteryDesk(Rounds rounds, Applications applications, Drawing drawing, AfterDraw afterDraw,
                          Results results, LotteryHttpService api, StaffLotteryHttpService staffApi,
                          LotteryPages pages, LotteryRoundPages staffPages) {

    /**
     * What the desk shares with the rest of the cloud.
     *
     * @param db                 the database
     * @param repository         the lottery's tables (also behind booking's {@code LotteryPeriods})
     * @param clock              the clock
     * @param tenancy            finds the municipality
     * @param authenticator      finds the resident
     * @param staffAuthenticator finds the member of staff
     * @param keys               derives the person and secret keys
     * @param accounts           applicants' verified facts
     * @param groups             groups applied for
     * @param facilities         rooms
     * @param bookings           reservations
     * @param municipalities     municipalities
     * @param outbox             mail
     * @param operationLog       the operation log
     * @param promotionWindow    how long a promoted substitute has to confirm
     * @param pageSupport        templates, CSRF, language
     * @param staff              staff sessions, for the staff pages
     * @param secureCookie       whether cookies are marked Secure
     */
    public record Parts(DbClient db, LotteryRepository repository, Clock clock, Tenancy tenancy,
                        Authenticator authenticator, StaffAuthenticator staffAuthenticator, GrantKeyStore keys,
                        AccountService accounts, Groups groups, FacilityRepository facilities, BookingService bookings,
                        Municipalities municipalities, MailOutbox outbox, OperationLog operationLog,
                        Duration promotionWindow, PageSupport pageSupport, StaffService staff, boolean secureCookie) {
    }

    /**
     * @param p what it shares
     * @return the desk
     */
    public static LotteryDesk create(Parts p) {
        LotteryRepository repository = p.repository();
        WinRepository outcomes = new WinRepository(p.db());
        LotteryBookings lotteryBookings = new LotteryBookings(p.bookings());
        byte[] secretKey = p.keys().derivedKey("kominkan-lottery-secret-v1");
        Rounds rounds = new Rounds(repository, p.facilities(), lotteryBookings, p.operationLog(), p.clock());
        Applications applications = new Applications(repository, p.accounts(), p.groups(), p.facilities(),
                new PersonKeys(p.keys().derivedKey("kominkan-lottery-person-v1")), p.clock());
        Drawing drawing = new Drawing(repository, outcomes, rounds, lotteryBookings, p.accounts(), p.facilities(),
                p.operationLog(), secretKey, p.clock());
        AfterDraw afterDraw = new AfterDraw(repository, outcomes, drawing, rounds, p.bookings(), lotteryBookings,
                p.municipalities(), p.outbox(),
                new ResultMail(repository, outcomes, p.municipalities(), p.outbox(), p.clock()),
                p.promotionWindow(), p.clock());
        Results results = new Results(repository, outcomes, rounds, p.facilities(), secretKey);
        return new LotteryDesk(rounds, applications, drawing, afterDraw, results,
                new LotteryHttpService(applications, results, afterDraw, p.authenticator(), p.tenancy(), p.clock()),
                new StaffLotteryHttpService(rounds, drawing, results, p.staffAuthenticator(), p.tenancy()),
                new LotteryPages(p.pageSupport(), p.tenancy(), applications, results, afterDraw, p.groups(), p.clock()),
                new LotteryRoundPages(new StaffSite(p.pageSupport(), p.staff(), p.tenancy(), p.secureCookie()), rounds,
                        drawing, results, p.facilities(), p.clock()));
    }

    /**
     * The JSON API; before the cloud's catch-all for {@code /api/*}.
     *
     * @param routing the routing
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1/lottery", api).register("/api/v1/staff/lottery", staffApi);
    }

    /**
     * The pages; before the cloud's catch-all for pages.
     *
     * @param routing the routing
     */
    public void pages(HttpRouting.Builder routing) {
        routing.register(pages).register(staffPages);
    }
}
