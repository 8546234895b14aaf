package jp.kominkan.cloud;

import java.time.Clock;

import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.backoffice.ReductionCategoryPages;
import jp.kominkan.cloud.backoffice.ReductionReviewPages;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.booking.BookingFees;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.group.Groups;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.reduction.ReductionCategories;
import jp.kominkan.cloud.reduction.ReductionHttpService;
import jp.kominkan.cloud.reduction.ReductionRepository;
import jp.kominkan.cloud.reduction.ReductionReview;
import jp.kominkan.cloud.reduction.Reductions;
import jp.kominkan.cloud.reduction.StaffReductionHttpService;
import jp.kominkan.cloud.resident.ReductionPages;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffNotices;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.Tenancy;

/**
 * Fee reduction or exemption (減免), wired by hand like {@link GroupRegister}: applying and the staff review,
 * their JSON APIs and their pages, so that the cloud's wiring names it once.
 *
 * @param reductions applying, and what the booking and payment pages ask
 * @param review     staff review
 * @param api        /api/v1/reductions/categories, /api/v1/reservations/{id}/reduction
 * @param staffApi   /api/v1/staff/reductions
 * @param pages      /reservations/{id}/reduction
 * @param staffPages /staff/reductions…
 * @param categoryPages /staff/reduction-categories… (the municipality's categories)
 */
public record ReductionDesk(Reductions reductions, ReductionReview review, ReductionHttpService api,
                            StaffReductionHttpService staffApi, ReductionPages pages, ReductionReviewPages staffPages,
                            ReductionCategoryPages categoryPages) {

    /**
     * What the desk shares with the rest of the cloud.
     *
     * @param db                 the database
     * @param clock              the clock
     * @param tenancy            finds the municipality
     * @param authenticator      finds the resident behind an API call
     * @param staffAuthenticator finds the member of staff behind an API call
     * @param staff              staff sessions, for the staff pages
     * @param pageSupport        templates, CSRF, language
     * @param secureCookie       whether cookies are marked Secure
     * @param operationLog       the operation log
     * @param outbox             the mail outbox
     * @param bookings           reservations
     * @param fees               prices a booking again
     * @param facilities         rooms and facilities
     * @param groups             groups and their rosters
     * @param accounts           applicants
     */
    public record Parts(DbClient db, Clock clock, Tenancy tenancy, Authenticator authenticator,
                        StaffAuthenticator staffAuthenticator, StaffService staff, PageSupport pageSupport,
                        boolean secureCookie, OperationLog operationLog, MailOutbox outbox, BookingService bookings,
                        BookingFees fees, FacilityRepository facilities, Groups groups, AccountService accounts) {
    }

    /**
     * @param p what it shares
     * @return the desk
     */
    public static ReductionDesk create(Parts p) {
        ReductionRepository repository = new ReductionRepository(p.db());
        Reductions reductions = new Reductions(repository, p.bookings(), p.facilities(), new StaffNotices(p.outbox()),
                p.clock());
        ReductionReview review = new ReductionReview(repository, p.bookings(), p.fees(), p.facilities(), p.groups(),
                p.accounts(), p.operationLog(), p.outbox(), p.clock());
        StaffSite site = new StaffSite(p.pageSupport(), p.staff(), p.tenancy(), p.secureCookie());
        return new ReductionDesk(reductions, review, new ReductionHttpService(reductions, p.authenticator(), p.tenancy()),
                new StaffReductionHttpService(review, p.staffAuthenticator(), p.tenancy()),
                new ReductionPages(p.pageSupport(), p.tenancy(), p.bookings(), p.facilities(), reductions, p.clock()),
                new ReductionReviewPages(site, review),
                new ReductionCategoryPages(site, new ReductionCategories(repository, p.operationLog(), p.clock())));
    }

    /**
     * The JSON API; before the cloud's catch-all for {@code /api/*}.
     *
     * @param routing the routing
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1", api).register("/api/v1/staff/reductions", staffApi);
    }

    /**
     * The pages; before the cloud's catch-all for pages.
     *
     * @param routing the routing
     */
    public void pages(HttpRouting.Builder routing) {
        routing.register(pages).register(staffPages).register(categoryPages);
    }
}
