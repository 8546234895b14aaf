package jp.kominkan.cloud;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.backoffice.GroupCategoryPages;
import jp.kominkan.cloud.backoffice.GroupReviewPages;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.group.GroupCategories;
import jp.kominkan.cloud.group.GroupHttpService;
import jp.kominkan.cloud.group.GroupReminders;
import jp.kominkan.cloud.group.GroupRepository;
import jp.kominkan.cloud.group.GroupReview;
import jp.kominkan.cloud.group.Groups;
import jp.kominkan.cloud.group.StaffGroupHttpService;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.reduction.ReductionRepository;
import jp.kominkan.cloud.resident.GroupPages;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffNotices;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The register of groups (団体登録), wired by hand like {@link BackOffice}: the domain, its JSON API for
 * residents and staff, its pages, and the reminder sweep a timer runs. Kept apart so that the cloud's
 * wiring names it once.
 *
 * @param groups     registration by representatives, and what other features read
 * @param review     staff review
 * @param reminders  renewal reminders and expiry
 * @param api        /api/v1/groups
 * @param staffApi   /api/v1/staff/groups
 * @param pages      /groups…
 * @param staffPages /staff/groups…
 * @param categoryPages /staff/group-categories… (the municipality's categories)
 */
public record GroupRegister(Groups groups, GroupReview review, GroupReminders reminders, GroupHttpService api,
                            StaffGroupHttpService staffApi, GroupPages pages, GroupReviewPages staffPages,
                            GroupCategoryPages categoryPages) {

    private static final System.Logger LOG = System.getLogger(GroupRegister.class.getName());

    /**
     * What the register shares with the rest of the cloud.
     *
     * @param db                 the database
     * @param config             the {@code kominkan.groups} node
     * @param clock              the clock
     * @param tenancy            finds the municipality
     * @param authenticator      finds the resident behind an API call
     * @param staffAuthenticator finds the member of staff behind an API call
     * @param staff              staff sessions, for the staff pages
     * @param pageSupport        templates, CSRF, language
     * @param secureCookie       whether cookies are marked Secure
     * @param operationLog       the operation log
     * @param outbox             the mail outbox
     */
    public record Parts(DbClient db, Config config, Clock clock, Tenancy tenancy, Authenticator authenticator,
                        StaffAuthenticator staffAuthenticator, StaffService staff, PageSupport pageSupport,
                        boolean secureCookie, OperationLog operationLog, MailOutbox outbox) {
    }

    /**
     * @param p what it shares
     * @return the register
     */
    public static GroupRegister create(Parts p) {
        GroupRepository repository = new GroupRepository(p.db());
        Groups groups = new Groups(repository, p.clock(), Groups.Settings.fromConfig(p.config()),
                new StaffNotices(p.outbox()));
        // A group category links a 減免 category, which the reduction feature owns: asked through its repository.
        GroupCategories.ReductionCodes reductionCodes = new GroupCategories.ReductionCodes() {
            @Override
            public List<GroupCategories.Choice> offered(long municipalityId) {
                return ReductionRepository.offered(p.db().execute(), municipalityId).stream()
                        .map(c -> new GroupCategories.Choice(c.code(), c.nameJa(), c.nameEn())).toList();
            }

            @Override
            public boolean offered(DbExecute exec, long municipalityId, String code) {
                return ReductionRepository.offered(exec, municipalityId, code);
            }
        };
        GroupReview review = new GroupReview(repository, groups, p.operationLog(), p.outbox(), p.clock());
        StaffSite site = new StaffSite(p.pageSupport(), p.staff(), p.tenancy(), p.secureCookie());
        return new GroupRegister(groups, review,
                new GroupReminders(repository, p.outbox(), p.clock(), groups.settings().renewalWindowDays()),
                new GroupHttpService(groups, p.authenticator(), p.tenancy()),
                new StaffGroupHttpService(review, p.staffAuthenticator(), p.tenancy()),
                new GroupPages(p.pageSupport(), p.tenancy(), groups, p.clock()),
                new GroupReviewPages(site, review, p.clock()),
                new GroupCategoryPages(site, new GroupCategories(repository, reductionCodes, p.operationLog(), p.clock())));
    }

    /**
     * The JSON API; before the cloud's catch-all for {@code /api/*}.
     *
     * @param routing the routing
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1/groups", api).register("/api/v1/staff/groups", staffApi);
    }

    /**
     * The pages; before the cloud's catch-all for pages.
     *
     * @param routing the routing
     */
    public void pages(HttpRouting.Builder routing) {
        routing.register(pages).register(staffPages).register(categoryPages);
    }

    /** One reminder and expiry sweep, for a timer: a failure is logged and the next run tries again. */
    public void sweep() {
        try {
            GroupReminders.Sweep done = reminders.sweep();
            if (done.reminded() > 0 || done.expired() > 0) {
                LOG.log(Level.INFO, "Groups: " + done.reminded() + " renewal reminders queued, " + done.expired()
                        + " approvals expired");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Group reminder sweep failed; will try again: " + e.getMessage());
        }
    }
}
