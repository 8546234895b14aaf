package jp.kominkan.cloud;

import java.time.Clock;

import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.backoffice.ShelterCodePages;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.grant.GrantIssuer;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.shelter.ShelterCodeHttpService;
import jp.kominkan.cloud.shelter.ShelterCodeRepository;
import jp.kominkan.cloud.shelter.ShelterCodes;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.Tenancy;

/**
 * Shelter and emergency codes (避難所コード), wired by hand like {@link LotteryDesk}: the domain, its API and its staff
 * pages, so the cloud's wiring names them once. The event pipeline asks {@link ShelterCodes#useOf} whether a door
 * event's grant is a shelter code's.
 *
 * @param codes      issue, list, revoke, and the lookup for door events
 * @param api        /api/v1/staff/shelter-codes
 * @param staffPages /staff/shelter-codes…
 */
public record ShelterDesk(ShelterCodes codes, ShelterCodeHttpService api, ShelterCodePages staffPages) {

    /**
     * What the desk shares with the rest of the cloud.
     *
     * @param db                 the database
     * @param clock              the clock
     * @param tenancy            finds the municipality
     * @param staffAuthenticator finds the member of staff (API)
     * @param staff              staff sessions (pages)
     * @param pageSupport        templates, CSRF, language
     * @param secureCookie       whether cookies are marked Secure
     * @param issuer             draws codes and signs grants
     * @param facilities         facilities
     * @param operationLog       the operation log
     */
    public record Parts(DbClient db, Clock clock, Tenancy tenancy, StaffAuthenticator staffAuthenticator,
                        StaffService staff, PageSupport pageSupport, boolean secureCookie, GrantIssuer issuer,
                        FacilityRepository facilities, OperationLog operationLog) {
    }

    /**
     * @param p what it shares
     * @return the desk
     */
    public static ShelterDesk create(Parts p) {
        ShelterCodes codes = new ShelterCodes(new ShelterCodeRepository(p.db()), p.issuer(), p.facilities(),
                p.operationLog(), p.clock());
        return new ShelterDesk(codes, new ShelterCodeHttpService(codes, p.staffAuthenticator(), p.tenancy()),
                new ShelterCodePages(new StaffSite(p.pageSupport(), p.staff(), p.tenancy(), p.secureCookie()), codes,
                        p.facilities(), p.clock()));
    }

    /**
     * The JSON API; before the cloud's catch-all for {@code /api/*}.
     *
     * @param routing the routing
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1/staff/shelter-codes", api);
    }

    /**
     * The pages; before the cloud's catch-all for pages.
     *
     * @param routing the routing
     */
    public void pages(HttpRouting.Builder routing) {
        routing.register(staffPages);
    }
}
