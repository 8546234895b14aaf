package jp.kominkan.cloud.fairness;

import java.time.Clock;
import java.time.Duration;

import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.waitlist.Waitlist;
import jp.kominkan.cloud.waitlist.WaitlistHttpService;
import jp.kominkan.cloud.waitlist.WaitlistPages;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.Tenancy;

/**
 * Fair booking rules (issue 15) wired: the staff API and page that set a facility's booking window and quotas, and
 * the waiting list (キャンセル待ち). The rules themselves are applied by {@link FairBooking}, which the booking
 * service holds.
 *
 * @param api         {@code /api/v1/staff/booking-rules}
 * @param pages       {@code /staff/facilities/{id}/booking-rules}
 * @param waitlist    the waiting list, whose {@link Waitlist#sweep()} runs on a timer
 * @param waitlistApi {@code /api/v1/waitlist}
 * @param waitlistPages {@code /rooms/{id}/waitlist} and {@code /waitlist}
 */
public record FairnessDesk(StaffBookingRulesHttpService api, BookingRulesPages pages, Waitlist waitlist,
                           WaitlistHttpService waitlistApi, WaitlistPages waitlistPages) {

    /**
     * What the desk is built from.
     *
     * @param db            the database
     * @param clock         the clock
     * @param tenancy       finds the municipality
     * @param facilities    the facilities
     * @param authenticator staff API sessions
     * @param staff         staff page sessions
     * @param pageSupport   templates, CSRF, language
     * @param secureCookie  whether cookies are Secure
     * @param log           the operation log
     * @param bookings      the booking service, which the waiting list books through
     * @param accounts      residents' accounts
     * @param residents     residents' API sessions
     * @param towns         municipalities
     * @param outbox        the mail outbox
     * @param offerHold     how long a hold offered from the waiting list waits for its confirmation
     */
    public record Parts(DbClient db, Clock clock, Tenancy tenancy, FacilityRepository facilities,
                        StaffAuthenticator authenticator, StaffService staff, PageSupport pageSupport,
                        boolean secureCookie, OperationLog log, BookingService bookings, AccountService accounts,
                        Authenticator residents, Municipalities towns, MailOutbox outbox, Duration offerHold) {
    }

    /**
     * @param p the parts
     * @return the desk
     */
    public static FairnessDesk create(Parts p) {
        BookingRulesAdmin admin = new BookingRulesAdmin(p.db(), p.facilities(), p.log(), p.clock());
        StaffSite site = new StaffSite(p.pageSupport(), p.staff(), p.tenancy(), p.secureCookie());
        Waitlist waitlist = new Waitlist(p.db(), p.bookings(), p.accounts(), p.facilities(), p.towns(), p.outbox(),
                p.clock(), p.offerHold());
        return new FairnessDesk(new StaffBookingRulesHttpService(admin, p.authenticator(), p.tenancy()),
                new BookingRulesPages(site, admin, p.facilities()), waitlist,
                new WaitlistHttpService(waitlist, p.residents(), p.tenancy()),
                new WaitlistPages(p.pageSupport(), p.tenancy(), p.facilities(), waitlist));
    }

    /**
     * @param routing the routing to add the APIs to
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1/staff/booking-rules", api).register("/api/v1/waitlist", waitlistApi);
    }

    /**
     * @param routing the routing to add the pages to
     */
    public void pages(HttpRouting.Builder routing) {
        routing.register(pages).register(waitlistPages);
    }
}
