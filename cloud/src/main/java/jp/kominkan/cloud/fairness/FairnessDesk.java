package jp.kominkan.cloud.fairness;

import java.time.Clock;

import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.Tenancy;

/**
 * Fair booking rules (issue 15) wired: the staff API and page that set a facility's booking window and quotas.
 * The rules themselves are applied by {@link FairBooking}, which the booking service holds.
 *
 * @param api   {@code /api/v1/staff/booking-rules}
 * @param pages {@code /staff/facilities/{id}/booking-rules}
 */
public record FairnessDesk(StaffBookingRulesHttpService api, BookingRulesPages pages) {

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
     */
    public record Parts(DbClient db, Clock clock, Tenancy tenancy, FacilityRepository facilities,
                        StaffAuthenticator authenticator, StaffService staff, PageSupport pageSupport,
                        boolean secureCookie, OperationLog log) {
    }

    /**
     * @param p the parts
     * @return the desk
     */
    public static FairnessDesk create(Parts p) {
        BookingRulesAdmin admin = new BookingRulesAdmin(p.db(), p.facilities(), p.log(), p.clock());
        StaffSite site = new StaffSite(p.pageSupport(), p.staff(), p.tenancy(), p.secureCookie());
        return new FairnessDesk(new StaffBookingRulesHttpService(admin, p.authenticator(), p.tenancy()),
                new BookingRulesPages(site, admin, p.facilities()));
    }

    /**
     * @param routing the routing to add the APIs to
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1/staff/booking-rules", api);
    }

    /**
     * @param routing the routing to add the pages to
     */
    public void pages(HttpRouting.Builder routing) {
        routing.register(pages);
    }
}
