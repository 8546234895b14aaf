package jp.kominkan.cloud;

import java.time.Clock;
import java.time.Duration;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.alarm.AlarmRepository;
import jp.kominkan.cloud.alarm.Alarms;
import jp.kominkan.cloud.backoffice.DoorBoardPages;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.caretaking.CaretakingParts;
import jp.kominkan.cloud.caretaking.CaretakingSweep;
import jp.kominkan.cloud.caretaking.DoorBoard;
import jp.kominkan.cloud.caretaking.DoorBoardHttpService;
import jp.kominkan.cloud.caretaking.DoorWatch;
import jp.kominkan.cloud.caretaking.RemoteUnlocks;
import jp.kominkan.cloud.caretaking.ShelterLookup;
import jp.kominkan.cloud.door.DoorFeed;
import jp.kominkan.cloud.door.DoorStates;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The caretakers' desk (管理人): door states folded from events, alarms with dedupe, escalation and
 * acknowledgement, remote unlocks, the door board's JSON and live feed, and the timer behind them.
 * Settings under {@code kominkan.doors}: {@code offline-after} (a gateway silent this long is
 * offline, 60 s), {@code left-open-after} (a door still open this long after a booking, 10 min),
 * {@code escalate-after} (an alarm not acknowledged this long is mailed, 10 min),
 * {@code sweep-interval} (5 s).
 *
 * @param feed      the board's live feed
 * @param states    door states
 * @param alarms    alarms
 * @param unlocks   remote unlocks
 * @param board     the board
 * @param watch     what each door event does (state, alarms, feed)
 * @param sweep     the timer's work
 * @param api       {@code /api/v1/staff/doors…}, {@code /api/v1/staff/alarms…}
 * @param boardPages {@code /staff/doors}, {@code /staff/alarms} (the door board and alarms pages)
 * @param interval  how often the timer runs
 */
public record Caretaking(DoorFeed feed, DoorStates states, Alarms alarms, RemoteUnlocks unlocks, DoorBoard board,
                         DoorWatch watch, CaretakingSweep sweep, DoorBoardHttpService api, DoorBoardPages boardPages,
                         Duration interval) {

    /**
     * What the desk shares with the rest of the cloud.
     *
     * @param db                 the database
     * @param config             the {@code kominkan.doors} node
     * @param clock              the clock
     * @param tenancy            finds the municipality
     * @param staffAuthenticator finds the member of staff
     * @param municipalities     municipalities
     * @param outbox             mail
     * @param operationLog       the operation log
     * @param shelters           finds a grant's shelter code
     * @param pageSupport        templates, CSRF, language, for the staff pages
     * @param staff              staff sessions, for the staff pages
     * @param secureCookie       whether cookies are marked Secure
     */
    public record Parts(DbClient db, Config config, Clock clock, Tenancy tenancy, StaffAuthenticator staffAuthenticator,
                        Municipalities municipalities, MailOutbox outbox, OperationLog operationLog,
                        ShelterLookup shelters, PageSupport pageSupport, StaffService staff, boolean secureCookie) {
    }

    /**
     * @param p what it shares
     * @return the desk
     */
    public static Caretaking create(Parts p) {
        Duration offlineAfter = p.config().get("offline-after").as(Duration.class).orElse(Duration.ofSeconds(60));
        Duration leftOpenAfter = p.config().get("left-open-after").as(Duration.class).orElse(Duration.ofMinutes(10));
        Duration escalateAfter = p.config().get("escalate-after").as(Duration.class).orElse(Duration.ofMinutes(10));
        Duration interval = p.config().get("sweep-interval").as(Duration.class).orElse(Duration.ofSeconds(5));
        DoorFeed feed = new DoorFeed();
        DoorStates states = new DoorStates(p.db());
        AlarmRepository alarmTable = new AlarmRepository(p.db());
        Alarms alarms = new Alarms(p.db(), alarmTable, p.operationLog(), p.clock(),
                alarm -> feed.publish(new DoorFeed.Change(alarm.municipalityId(), alarm.facilityId(), "alarm",
                        alarm.id().toString())));
        CaretakingParts parts = CaretakingParts.create(p.db(), states, alarms, alarmTable, feed, p.operationLog(),
                p.outbox(), p.municipalities(), p.shelters(), p.clock(), offlineAfter, leftOpenAfter, escalateAfter);
        return new Caretaking(feed, states, alarms, parts.unlocks(), parts.board(), parts.watch(), parts.sweep(),
                new DoorBoardHttpService(parts.board(), alarms, parts.unlocks(), feed, p.staffAuthenticator(), p.tenancy(),
                        p.clock()),
                new DoorBoardPages(new StaffSite(p.pageSupport(), p.staff(), p.tenancy(), p.secureCookie()), parts.board(),
                        alarms, parts.unlocks(), new StaffRepository(p.db()), p.clock()), interval);
    }

    /**
     * The JSON API; before the cloud's catch-all for {@code /api/*}.
     *
     * @param routing the routing
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1/staff", api);
    }

    /**
     * The door board and alarms pages; before the cloud's catch-all for pages.
     *
     * @param routing the routing
     */
    public void pages(HttpRouting.Builder routing) {
        routing.register(boardPages);
    }
}
