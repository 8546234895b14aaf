package jp.kominkan.cloud;

import java.time.Clock;
import java.time.Duration;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.backoffice.SamePersonPages;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.crypto.AeadSeal;
import jp.kominkan.cloud.identity.IdentityHttpService;
import jp.kominkan.cloud.identity.IdentityProviders;
import jp.kominkan.cloud.identity.IdentityService;
import jp.kominkan.cloud.identity.IdentityStore;
import jp.kominkan.cloud.identity.SamePersonCheck;
import jp.kominkan.cloud.identity.SamePersonReview;
import jp.kominkan.cloud.identity.SamePersonReviews;
import jp.kominkan.cloud.identity.StaffSamePersonHttpService;
import jp.kominkan.cloud.identity.RenewalTokens;
import jp.kominkan.cloud.identity.VerificationRenewal;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.Tenancy;

/**
 * Identity (本人確認), wired by hand like {@link ReductionDesk}: the flows through the providers, and staff's review
 * of one person across providers, with their APIs and pages, so that the cloud's wiring names it once.
 *
 * @param service    register, log in, verify and unlink through a provider
 * @param renewal    re-verifies xID residents between logins (a timer runs it)
 * @param web        /auth/{provider}/…, /api/v1/identity, /api/v1/me/verification
 * @param staffApi   /api/v1/staff/identity-reviews
 * @param staffPages /staff/identity-reviews
 */
public record IdentityDesk(IdentityService service, VerificationRenewal renewal, IdentityHttpService web, StaffSamePersonHttpService staffApi,
                           SamePersonPages staffPages) {

    /**
     * What the desk shares with the rest of the cloud.
     *
     * @param db                 the database
     * @param config             the {@code kominkan.identity} node
     * @param subjectKey         the key subjects are hashed under in the identity audit trail
     * @param renewalKey         the key xID's refresh tokens are sealed under (never in the database)
     * @param municipalities     the municipalities, for the renewal job's residency
     * @param clock              the clock
     * @param tenancy            finds the municipality
     * @param accounts           accounts and sessions
     * @param authenticator      finds the resident behind an API call
     * @param staffAuthenticator finds the member of staff behind an API call
     * @param staff              staff sessions, for the staff pages
     * @param pageSupport        templates, CSRF, language
     * @param secureCookie       whether cookies are marked Secure
     * @param operationLog       the operation log
     */
    public record Parts(DbClient db, Config config, byte[] subjectKey, byte[] renewalKey,
                        Municipalities municipalities, Clock clock, Tenancy tenancy,
                        AccountService accounts, Authenticator authenticator, StaffAuthenticator staffAuthenticator,
                        StaffService staff, PageSupport pageSupport, boolean secureCookie, OperationLog operationLog) {
    }

    /**
     * @param p what it shares
     * @return the desk
     */
    public static IdentityDesk create(Parts p) {
        Duration loginLifetime = p.config().get("login-lifetime").as(Duration.class).orElse(Duration.ofMinutes(10));
        IdentityStore store = new IdentityStore(p.db(), p.subjectKey());
        SamePersonReviews reviews = new SamePersonReviews(p.db());
        IdentityProviders providers = IdentityProviders.fromConfig(p.config());
        VerificationRenewal renewal = new VerificationRenewal(new RenewalTokens(p.db(), new AeadSeal(p.renewalKey())),
                providers, store, p.municipalities(), p.clock(),
                VerificationRenewal.Settings.fromConfig(p.config().get("renewal")));
        IdentityService service = new IdentityService(providers, store, new SamePersonCheck(reviews, p.clock()),
                renewal, p.accounts(), p.clock(), loginLifetime);
        SamePersonReview review = new SamePersonReview(p.db(), reviews, store, p.operationLog(), p.clock());
        StaffSite site = new StaffSite(p.pageSupport(), p.staff(), p.tenancy(), p.secureCookie());
        return new IdentityDesk(service, renewal, new IdentityHttpService(service, p.accounts(), p.authenticator(), p.tenancy(),
                loginLifetime, p.secureCookie()),
                new StaffSamePersonHttpService(review, p.staffAuthenticator(), p.tenancy()),
                new SamePersonPages(site, review, service::providers));
    }

    /**
     * The JSON API; before the cloud's catch-all for {@code /api/*}.
     *
     * @param routing the routing
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register(web).register("/api/v1/staff/identity-reviews", staffApi);
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
