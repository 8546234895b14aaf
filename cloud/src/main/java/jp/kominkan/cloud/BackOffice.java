package jp.kominkan.cloud;

import java.time.Clock;

import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.backoffice.FacilityAdminPages;
import jp.kominkan.cloud.backoffice.FeePages;
import jp.kominkan.cloud.backoffice.OperationPages;
import jp.kominkan.cloud.backoffice.ReservationPages;
import jp.kominkan.cloud.backoffice.ResidentPages;
import jp.kominkan.cloud.backoffice.StaffAdminPages;
import jp.kominkan.cloud.backoffice.StaffHome;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.backoffice.TakingsPages;
import jp.kominkan.cloud.booking.Blocks;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.JdbcReservationRepository;
import jp.kominkan.cloud.booking.ReservationSearch;
import jp.kominkan.cloud.booking.StaffBlockHttpService;
import jp.kominkan.cloud.booking.StaffBookings;
import jp.kominkan.cloud.alarm.AlarmRepository;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.cloud.facility.FacilityAdmin;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.StaffFacilityHttpService;
import jp.kominkan.cloud.facility.photo.PhotoHttpService;
import jp.kominkan.cloud.facility.photo.PhotoProcessor;
import jp.kominkan.cloud.facility.photo.PhotoRepository;
import jp.kominkan.cloud.fee.EquipmentCatalog;
import jp.kominkan.cloud.fee.FeeAdmin;
import jp.kominkan.cloud.fee.RoomFees;
import jp.kominkan.cloud.fee.StaffFeeHttpService;
import jp.kominkan.cloud.fleet.GatewayActions;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.operations.OperationHttpService;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.payment.PaymentRepository;
import jp.kominkan.cloud.payment.Refunds;
import jp.kominkan.cloud.payment.Takings;
import jp.kominkan.cloud.residents.ResidentAdmin;
import jp.kominkan.cloud.residents.ResidentAdminHttpService;
import jp.kominkan.cloud.residents.ResidentRepository;
import jp.kominkan.cloud.staff.StaffAdminHttpService;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffDirectory;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.Tenancy;

/**
 * What staff run the municipality with, wired by hand like {@link Cloud.Services}: the services of the
 * back office, its JSON API under {@code /api/v1/staff/…} and its pages under {@code /staff/…}.
 *
 * @param operations      the operation log
 * @param mailOutbox      mail waiting to be sent
 * @param facilities      facility administration
 * @param bookings        reservation management
 * @param search          the staff's reservation list
 * @param facilityApi     /api/v1/staff/facilities and /rooms
 * @param operationApi    /api/v1/staff/operations
 * @param photoApi        /photos/{id}
 * @param home            /staff, /staff/login, /staff/logout
 * @param reservationPages /staff/reservations, /staff/calendar, /staff/counter
 * @param facilityPages   /staff/facilities, /staff/rooms
 * @param operationPages  /staff/operations
 * @param blocks          blocks for maintenance and city use
 * @param blockApi        /api/v1/staff/blocks
 * @param residentApi     /api/v1/staff/residents
 * @param staffAdminApi   /api/v1/staff/members
 * @param residentPages   /staff/residents
 * @param staffAdminPages /staff/members
 * @param feeApi          /api/v1/staff/rooms/{id}/fee-schedule, /api/v1/staff/facilities/{id}/equipment
 * @param feePages        /staff/rooms/{id}/fees, /staff/facilities/{id}/equipment and /refund-schedule
 * @param takingsPages    /staff/takings, /staff/facilities/{id}/takings and /sales, /staff/refunds
 */
public record BackOffice(OperationLog operations, MailOutbox mailOutbox, FacilityAdmin facilities,
                         StaffBookings bookings, ReservationSearch search, StaffFacilityHttpService facilityApi,
                         OperationHttpService operationApi, PhotoHttpService photoApi, StaffHome home,
                         ReservationPages reservationPages, FacilityAdminPages facilityPages,
                         OperationPages operationPages, Blocks blocks, StaffBlockHttpService blockApi,
                         ResidentAdminHttpService residentApi, StaffAdminHttpService staffAdminApi,
                         ResidentPages residentPages, StaffAdminPages staffAdminPages, StaffFeeHttpService feeApi,
                         FeePages feePages, TakingsPages takingsPages) {

    /**
     * What the back office shares with the rest of the cloud.
     *
     * @param db                 the database
     * @param clock              the clock
     * @param tenancy            finds the municipality
     * @param facilityRepository facilities and rooms
     * @param accounts           residents' accounts
     * @param staff              staff sessions and invitations
     * @param staffAuthenticator finds the member of staff behind an API call
     * @param bookingService     the booking rules and grants
     * @param pageSupport        templates, CSRF, language
     * @param secureCookie       whether cookies are marked Secure
     * @param operationLog       the operation log
     * @param outbox             the mail outbox
     * @param gateways           gateway actions
     */
    public record Parts(DbClient db, Clock clock, Tenancy tenancy, FacilityRepository facilityRepository,
                        AccountService accounts, StaffService staff, StaffAuthenticator staffAuthenticator,
                        BookingService bookingService, PageSupport pageSupport, boolean secureCookie,
                        OperationLog operationLog, MailOutbox outbox, GatewayActions gateways) {
    }

    /**
     * @param p what it shares
     * @return the back office
     */
    public static BackOffice create(Parts p) {
        DbClient db = p.db();
        Clock clock = p.clock();
        ReservationSearch reservationSearch = new ReservationSearch(db);
        JdbcReservationRepository reservationRepository = new JdbcReservationRepository(db);
        StaffBookings staffBookings = new StaffBookings(db, reservationRepository, reservationSearch,
                p.facilityRepository(), p.bookingService(), p.accounts(), p.operationLog(), p.outbox(),
                jp.kominkan.cloud.reduction.ReductionRepository::pendingOn, clock);
        PhotoRepository photos = new PhotoRepository(db);
        FacilityAdmin facilityAdmin = new FacilityAdmin(db, p.facilityRepository(), p.operationLog(), clock, photos,
                new PhotoProcessor(PhotoProcessor.Limits.DEFAULT));
        StaffSite staffSite = new StaffSite(p.pageSupport(), p.staff(), p.tenancy(), p.secureCookie());
        ResidentAdmin residentAdmin = new ResidentAdmin(db, new ResidentRepository(db), p.accounts(), p.operationLog(),
                clock);
        StaffDirectory staffDirectory = new StaffDirectory(db, p.staff(), new StaffRepository(db), p.operationLog(), clock);
        Blocks blocks = new Blocks(db, reservationRepository, p.facilityRepository(), p.operationLog(), clock);
        StaffAuthenticator auth = p.staffAuthenticator();
        FeeAdmin feeAdmin = new FeeAdmin(db, p.facilityRepository(), new RoomFees(db), new EquipmentCatalog(db),
                p.operationLog(), clock);
        // Only cash refunds are paid out here, and those never reach the online provider: this Refunds has none.
        Takings takings = new Takings(db, new Refunds(db, new PaymentRepository(db), java.util.Optional.empty(), clock),
                p.operationLog(), clock);
        return new BackOffice(p.operationLog(), p.outbox(), facilityAdmin, staffBookings, reservationSearch,
                new StaffFacilityHttpService(facilityAdmin, p.facilityRepository(), auth, p.tenancy()),
                new OperationHttpService(p.operationLog(), auth, p.tenancy()),
                new PhotoHttpService(photos, p.tenancy()), new StaffHome(staffSite, reservationSearch, clock),
                new ReservationPages(staffSite, staffBookings, reservationSearch, p.facilityRepository(),
                        p.operationLog(), new DoorEventRepository(db), new AlarmRepository(db), clock),
                new FacilityAdminPages(staffSite, facilityAdmin, p.facilityRepository(), blocks, p.gateways(), clock),
                new OperationPages(staffSite, p.operationLog()), blocks,
                new StaffBlockHttpService(blocks, auth, p.tenancy()),
                new ResidentAdminHttpService(residentAdmin, auth, p.tenancy(), clock),
                new StaffAdminHttpService(staffDirectory, auth, p.tenancy(), p.secureCookie(), clock),
                new ResidentPages(staffSite, residentAdmin, clock),
                new StaffAdminPages(staffSite, staffDirectory, p.facilityRepository(), p.secureCookie(), clock),
                new StaffFeeHttpService(feeAdmin, auth, p.tenancy()),
                new FeePages(staffSite, feeAdmin, p.facilityRepository(), clock),
                new TakingsPages(staffSite, takings, p.facilityRepository(), clock));
    }

    /**
     * The back office's JSON API and its photos; before the cloud's catch-all for {@code /api/*}.
     *
     * @param routing the routing
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1/staff/facilities", facilityApi.facilitiesApi())
                .register("/api/v1/staff/rooms", facilityApi.roomsApi())
                .register("/api/v1/staff/rooms", feeApi.roomsApi())
                .register("/api/v1/staff/facilities", feeApi.facilitiesApi())
                .register("/api/v1/staff/operations", operationApi)
                .register("/api/v1/staff/residents", residentApi)
                .register("/api/v1/staff/members", staffAdminApi)
                .register("/api/v1/staff/blocks", blockApi)
                .register("/photos", photoApi);
    }

    /**
     * The staff pages; before the cloud's catch-all for pages.
     *
     * @param routing the routing
     */
    public void pages(HttpRouting.Builder routing) {
        routing.register(home)
                .register(reservationPages)
                .register(facilityPages)
                .register(operationPages)
                .register(residentPages)
                .register(staffAdminPages)
                .register(feePages)
                .register(takingsPages);
    }
}
