package jp.kominkan.cloud;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.helidon.config.Config;
import io.helidon.dbclient.health.DbClientHealthCheck;
import io.helidon.http.HttpException;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import jp.kominkan.cloud.account.AccountHttpService;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.account.JdbcAccountRepository;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.booking.BookingFees;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.JdbcReservationRepository;
import jp.kominkan.cloud.booking.ReservationHttpService;
import jp.kominkan.cloud.booking.RoomHttpService;
import jp.kominkan.cloud.booking.StaffReservationHttpService;
import jp.kominkan.cloud.fairness.FairBooking;
import jp.kominkan.cloud.fairness.FairnessDesk;
import jp.kominkan.cloud.fee.EquipmentCatalog;
import jp.kominkan.cloud.fee.RoomFees;
import jp.kominkan.cloud.payment.Money;
import jp.kominkan.cloud.db.Database;
import jp.kominkan.cloud.facility.FacilityHttpService;
import jp.kominkan.cloud.facility.JdbcFacilityRepository;
import jp.kominkan.cloud.caretaking.ShelterLookup;
import jp.kominkan.cloud.door.BoardRelay;
import jp.kominkan.cloud.door.DoorEventHttpService;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.cloud.fleet.BrokerShards;
import jp.kominkan.cloud.fleet.EnrollmentHttpService;
import jp.kominkan.cloud.fleet.Enrollments;
import jp.kominkan.cloud.fleet.GatewayActions;
import jp.kominkan.cloud.fleet.GatewayBridge;
import jp.kominkan.cloud.grant.StreamSequencer;
import jp.kominkan.cloud.db.AfterCommit;
import jp.kominkan.cloud.fleet.GatewayHttpService;
import jp.kominkan.cloud.fleet.GrantStreamRepository;
import jp.kominkan.cloud.fleet.JdbcGatewayRepository;
import jp.kominkan.cloud.grant.CodeSealer;
import jp.kominkan.cloud.grant.DoorPasses;
import jp.kominkan.cloud.grant.GrantIssuer;
import jp.kominkan.cloud.grant.GrantKeyStore;
import jp.kominkan.cloud.grant.JdbcDoorRepository;
import jp.kominkan.cloud.identity.IdentityFailure;
import jp.kominkan.cloud.login.LoginAttempts;
import jp.kominkan.cloud.login.LoginThrottle;
import jp.kominkan.cloud.lottery.LotteryRepository;
import jp.kominkan.cloud.lottery.LotteryTimes;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.MailWorker;
import jp.kominkan.cloud.mail.SmtpMailer;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.page.ErrorPages;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.page.StaticPages;
import jp.kominkan.cloud.resident.AccountPages;
import jp.kominkan.cloud.resident.BookingPages;
import jp.kominkan.cloud.resident.MyBookingsPages;
import jp.kominkan.cloud.resident.FacilityPages;
import jp.kominkan.cloud.pki.BrokerFiles;
import jp.kominkan.cloud.pki.CertificateAuthority;
import jp.kominkan.cloud.pki.CertificateRegistry;
import jp.kominkan.cloud.pki.CloudIdentity;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffHttpService;
import jp.kominkan.cloud.staff.StaffPages;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.CachePolicy;
import jp.kominkan.cloud.web.ClientAddress;
import jp.kominkan.cloud.web.CrossSiteGuard;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.ProblemHandler;
import jp.kominkan.cloud.web.Tenancy;

/**
 * One running cloud instance: the database, the services wired by hand, and the web server.
 * {@link Main} starts one; tests start one, or two on the same database, the same way.
 */
public final class Cloud implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Cloud.class.getName());

    private final Database database;
    private final Services services;
    private final WebServer server;
    private final ScheduledExecutorService timers;
    private final List<GatewayBridge> bridges;
    private final Optional<BoardRelay> boardRelay;

    private Cloud(Database database, Services services, WebServer server, ScheduledExecutorService timers,
                  List<GatewayBridge> bridges, Optional<BoardRelay> boardRelay) {
        this.database = database;
        this.services = services;
        this.server = server;
        this.timers = timers;
        this.bridges = List.copyOf(bridges);
        this.boardRelay = boardRelay;
    }

    /**
     * Migrates the database, wires the services and starts serving.
     *
     * @param config the root config ({@code server}, {@code db}, {@code kominkan})
     * @param clock  the clock every rule reads
     * @return the running instance
     */
    public static Cloud start(Config config, Clock clock) {
        return start(config, clock, (database, services) -> { });
    }

    /**
     * Like {@link #start(Config, Clock)}, with a step that runs after migration and before the
     * first request is served (the demo seeds its data there).
     *
     * @param config        the root config
     * @param clock         the clock
     * @param beforeServing runs with the migrated database and the wired services
     * @return the running instance
     */
    public static Cloud start(Config config, Clock clock, BiConsumer<Database, Services> beforeServing) {
        Database database = Database.open(config.get("db"));
        // Grant stream entries are numbered after their writer's commit, and by a sweep for any left over.
        StreamSequencer sequencer = new StreamSequencer(database.client());
        AfterCommit.register(database.client(), sequencer::sequenceTouched);
        Services services = Services.create(database, config.get("kominkan"), clock);
        beforeServing.accept(database, services);
        WebServer server = WebServer.builder()
                .config(config.get("server"))
                // Without it an answer's last segment waits for the client's delayed ACK: the ~40 ms stalls measured
                // on a month of availability (docs/decisions.md).
                .connectionOptions(options -> options.tcpNoDelay(true))
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.builder()
                                .details(true)
                                .addCheck(DbClientHealthCheck.builder(database.client())
                                        .name("database").query().statement("select 1").build())
                                .addCheck(new jp.kominkan.cloud.db.WritableCheck(database))
                                .build())
                        .build())
                .addFeature(OpenApiFeature.builder().build())
                .routing(routing -> routing(routing, services))
                .build()
                .start();
        // Two threads, so that a slow mail server never delays hold expiry or the CRL refresh.
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().name("cloud-timers").daemon().factory());
        MailWorker mailWorker = new MailWorker(services.backOffice().mailOutbox(),
                SmtpMailer.fromConfig(config.get("kominkan.mail")), clock,
                MailWorker.Settings.fromConfig(config.get("kominkan.mail.outbox")));
        Duration mailInterval = config.get("kominkan.mail.outbox.interval").as(Duration.class)
                .orElse(Duration.ofSeconds(5));
        timers.scheduleWithFixedDelay(mailWorker, mailInterval.toMillis(), mailInterval.toMillis(), TimeUnit.MILLISECONDS);
        Duration sweep = config.get("kominkan.hold-sweep-interval").as(Duration.class).orElse(Duration.ofSeconds(30));
        timers.scheduleWithFixedDelay(() -> expireHolds(services.bookings()), sweep.toMillis(), sweep.toMillis(),
                TimeUnit.MILLISECONDS);
        Duration crlRefresh = config.get("kominkan.mqtt.crl-refresh").as(Duration.class).orElse(Duration.ofDays(1));
        timers.scheduleWithFixedDelay(() -> refreshBrokerFiles(services.enrollments()), 0, crlRefresh.toMillis(),
                TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(() -> retryRefunds(services.treasury()), 1, 5, TimeUnit.MINUTES);
        Duration groupSweep = config.get("kominkan.groups.sweep-interval").as(Duration.class).orElse(Duration.ofHours(1));
        timers.scheduleWithFixedDelay(services.groups()::sweep, groupSweep.toMillis(), groupSweep.toMillis(),
                TimeUnit.MILLISECONDS);
        Duration lotterySweep = config.get("kominkan.lottery.sweep-interval").as(Duration.class)
                .orElse(Duration.ofSeconds(30));
        timers.scheduleWithFixedDelay(services.lottery().afterDraw()::sweep, lotterySweep.toMillis(),
                lotterySweep.toMillis(), TimeUnit.MILLISECONDS);
        Duration waitlistSweep = config.get("kominkan.waitlist.sweep-interval").as(Duration.class)
                .orElse(Duration.ofSeconds(30));
        timers.scheduleWithFixedDelay(services.fairness().waitlist()::sweep, waitlistSweep.toMillis(),
                waitlistSweep.toMillis(), TimeUnit.MILLISECONDS);
        Duration numbering = config.get("kominkan.grants.sequence-sweep-interval").as(Duration.class)
                .orElse(Duration.ofSeconds(1));
        timers.scheduleWithFixedDelay(sequencer::sweepQuietly, numbering.toMillis(), numbering.toMillis(),
                TimeUnit.MILLISECONDS);
        Duration renewalSweep = services.identity().renewal().settings().sweep();
        timers.scheduleWithFixedDelay(services.identity().renewal(), renewalSweep.toMillis(), renewalSweep.toMillis(),
                TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(services.caretaking().sweep(), services.caretaking().interval().toMillis(),
                services.caretaking().interval().toMillis(), TimeUnit.MILLISECONDS);
        List<GatewayBridge> bridges = bridges(config.get("kominkan.mqtt"), database, services, clock);
        // Several instances share PostgreSQL: each one's live door boards also show what the others took.
        Optional<BoardRelay> relay = database.product().equals("PostgreSQL")
                ? Optional.of(BoardRelay.start(database, services.caretaking().feed()))
                : Optional.empty();
        LOG.log(Level.INFO, "Kominkan cloud serving on port " + server.port() + " with " + database.product());
        return new Cloud(database, services, server, timers, bridges, relay);
    }

    /**
     * One bridge per broker shard with a broker (docs/deploy.md): each streams its own gateways and
     * reconnects on its own, so a shard whose broker restarts holds up only its gateways.
     */
    private static List<GatewayBridge> bridges(Config mqtt, Database database, Services services, Clock clock) {
        List<BrokerShards.Shard> connected = services.enrollments().shards().all().stream()
                .filter(shard -> shard.broker().isPresent()).toList();
        if (connected.isEmpty()) {
            LOG.log(Level.INFO, "No kominkan.mqtt.broker configured: grants are kept in the outbox until one is");
            return List.of();
        }
        boolean tls = connected.stream().anyMatch(shard -> shard.broker().orElseThrow().startsWith("ssl://"));
        Optional<javax.net.ssl.SSLContext> context = tls
                ? Optional.of(CloudIdentity.tlsContext(services.ca(), services.certificates(),
                        mqtt.get("ca-file").asString().asOptional().map(Path::of), clock))
                : Optional.empty();
        Duration poll = mqtt.get("poll-interval").as(Duration.class).orElse(Duration.ofMillis(100));
        List<GatewayBridge> bridges = new java.util.ArrayList<>();
        for (BrokerShards.Shard shard : connected) {
            bridges.add(GatewayBridge.start(shard.broker().orElseThrow(), context,
                    new GrantStreamRepository(database.client(), shard.id()), new DoorEventRepository(database.client()),
                    services.caretaking().watch(), services.keys().signer(), services.certificates(),
                    Optional.of(services.enrollments()), clock, poll));
        }
        return bridges;
    }

    private static final io.helidon.http.HeaderName NOSNIFF = io.helidon.http.HeaderNames.create("X-Content-Type-Options");

    /**
     * The HTTP routes, the same for {@link Main} and for tests.
     *
     * @param routing  the routing to fill
     * @param services the wired services
     */
    public static void routing(HttpRouting.Builder routing, Services services) {
        ErrorHandler<Problem> problems = ProblemHandler.problems(services.errorPages());
        // Every answer, errors and JSON included: a browser never guesses another type than the one sent.
        routing.addFilter((chain, req, res) -> {
            res.header(NOSNIFF, "nosniff");
            CachePolicy.apply(req, res);
            CrossSiteGuard.check(req);
            chain.proceed();
        });
        routing.error(Problem.class, problems)
                .error(IdentityFailure.class, (req, res, failure) -> problems.handle(req, res, failure.toProblem()))
                .error(HttpException.class, ProblemHandler.http(services.errorPages()))
                .error(RuntimeException.class, ProblemHandler.unexpected(services.errorPages()))
                .update(services.identity()::apis)
                .register("/api/v1", services.accountApi())
                .register("/api/v1/staff", services.staffApi())
                .register("/api/v1/facilities", services.facilityApi())
                .register("/api/v1/rooms", services.roomApi())
                .register("/api/v1/reservations", services.reservationApi())
                .register("/api/v1/staff/reservations", services.staffReservationApi())
                .register("/api/v1/staff/gateways", services.gatewayApi())
                .register("/api/v1/enroll", services.enrollApi())
                .register("/api/v1/pki", services.crlApi())
                .register("/api/v1/staff/doors", services.doorEventApi())
                .update(services.backOffice()::apis)
                .update(services.groups()::apis)
                .update(services.treasury()::apis)
                .update(services.reductions()::apis)
                .update(services.lottery()::apis)
                .update(services.shelter()::apis)
                .update(services.caretaking()::apis)
                .update(services.fairness()::apis)
                .any("/api/*", (req, res) -> {
                    throw Problem.notFound("API resource at this path", "この URL の API");
                })
                .register(services.staticPages())
                .register(services.pages())
                .register(services.myBookings()) // before bookingPages: /reservations/past is not /reservations/{id}
                .register(services.bookingPages())
                .register(services.accountPages())
                .register(services.staffPages())
                .update(services.backOffice()::pages)
                .update(services.groups()::pages)
                .update(services.treasury()::pages)
                .update(services.reductions()::pages)
                .update(services.identity()::pages)
                .update(services.lottery()::pages)
                .update(services.shelter()::pages)
                .update(services.caretaking()::pages)
                .update(services.fairness()::pages)
                .get("/*", (req, res) -> {
                    String path = req.path().rawPath();
                    if (path.startsWith("/openapi") || path.startsWith("/observe")) {
                        res.next(); // served by the OpenAPI and observe features
                        return;
                    }
                    throw Problem.notFound("page", "ページ");
                });
    }

    /** @return the port the server listens on */
    public int port() {
        return server.port();
    }

    /** @return the database */
    public Database database() {
        return database;
    }

    /** @return the wired services */
    public Services services() {
        return services;
    }

    /** @return the MQTT side of the first broker shard (the only one with one broker), when a broker is configured */
    public Optional<GatewayBridge> bridge() {
        return bridges.stream().findFirst();
    }

    /** @return what carries the door board's changes between instances, on PostgreSQL */
    public Optional<BoardRelay> boardRelay() {
        return boardRelay;
    }

    /** @return one MQTT bridge per broker shard with a broker, in the order configured */
    public List<GatewayBridge> bridges() {
        return bridges;
    }

    @Override
    public void close() {
        bridges.forEach(GatewayBridge::close);
        boardRelay.ifPresent(BoardRelay::close);
        timers.shutdownNow();
        services.caretaking().sweep().release();
        server.stop();
        AfterCommit.forget(database.client());
        database.close();
        LOG.log(Level.INFO, "Kominkan cloud stopped");
    }

    private static void refreshBrokerFiles(Enrollments enrollments) {
        try {
            enrollments.refreshBrokerFiles();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not write the broker's CRL and ACL; will try again: " + e.getMessage());
        }
    }

    private static void retryRefunds(Treasury treasury) {
        try {
            treasury.money().refunds().retryPending();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Refund retry failed; will try again: " + e.getMessage());
        }
    }

    private static void expireHolds(BookingService bookings) {
        try {
            int expired = bookings.expireOverdueHolds();
            if (expired > 0) {
                LOG.log(Level.INFO, "Expired " + expired + " unpaid holds and released their slots");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Hold expiry sweep failed; will try again: " + e.getMessage());
        }
    }

    /**
     * Everything the routes need, built once from the database and config.
     *
     * @param accounts            account service
     * @param staff               staff service
     * @param bookings            booking service
     * @param keys                the grant signing and code sealing keys
     * @param identity            identity: /auth/{provider}/…, /api/v1/identity, /api/v1/me/verification, staff review of one person across providers
     * @param accountApi          /api/v1/accounts, /api/v1/session, /api/v1/me
     * @param staffApi            /api/v1/staff/session, /me, /invitations
     * @param facilityApi         /api/v1/facilities
     * @param roomApi             /api/v1/rooms
     * @param reservationApi      /api/v1/reservations
     * @param staffReservationApi /api/v1/staff/reservations
     * @param ca                  the door network's certificate authority
     * @param certificates        certificates it issued
     * @param enrollments         gateway registration, enrollment, renewal, decommissioning
     * @param gatewayApi          /api/v1/staff/gateways
     * @param enrollApi           /api/v1/enroll
     * @param crlApi              /api/v1/pki/crl, for brokers on other machines
     * @param doorEventApi        /api/v1/staff/doors
     * @param municipalities      municipalities
     * @param staticPages         the style sheet, pictures, the language switch
     * @param pages               the resident's pages for finding a room
     * @param myBookings          the resident's list of bookings, upcoming and past
     * @param bookingPages        the resident's booking pages
     * @param accountPages        the resident's account pages
     * @param staffPages          the staff invitation page
     * @param errorPages          error pages for browsers
     * @param backOffice          what staff run the municipality with
     * @param groups              the register of groups (団体)
     * @param treasury            fees and money: quotes, payments, refunds
     * @param reductions          fee reduction or exemption (減免): applications and their review
     * @param lottery             the lottery (抽選): rounds, applications, the draw, the audit file
     * @param shelter             shelter and emergency codes (避難所コード)
     * @param caretaking          the caretakers' desk: door states, alarms, remote unlock, the door board
     * @param fairness            fair booking rules: booking windows and quotas set by staff
     */
    public record Services(AccountService accounts, StaffService staff, BookingService bookings, GrantKeyStore keys,
                           IdentityDesk identity, AccountHttpService accountApi, StaffHttpService staffApi,
                           FacilityHttpService facilityApi, RoomHttpService roomApi,
                           ReservationHttpService reservationApi, StaffReservationHttpService staffReservationApi,
                           CertificateAuthority ca, CertificateRegistry certificates, Enrollments enrollments,
                           GatewayHttpService gatewayApi, EnrollmentHttpService enrollApi,
                           jp.kominkan.cloud.pki.CrlHttpService crlApi, DoorEventHttpService doorEventApi,
                           Municipalities municipalities, StaticPages staticPages, FacilityPages pages,
                           MyBookingsPages myBookings, BookingPages bookingPages, AccountPages accountPages,
                           StaffPages staffPages,
                           ErrorPages errorPages, BackOffice backOffice, GroupRegister groups,
                           Treasury treasury, ReductionDesk reductions, LotteryDesk lottery,
                           ShelterDesk shelter, Caretaking caretaking, FairnessDesk fairness) {

        /**
         * @param database the database
         * @param config   the {@code kominkan} node
         * @param clock    the clock
         * @return the services
         */
        public static Services create(Database database, Config config, Clock clock) {
            var db = database.client();
            Municipalities municipalities = new Municipalities(db,
                    config.get("default-municipality").asString().asOptional());
            Tenancy tenancy = new Tenancy(municipalities);
            Path keysDir = Path.of(config.get("keys-dir").asString().orElse("data/keys"));
            GrantKeyStore keys = GrantKeyStore.openOrCreate(keysDir);
            CertificateAuthority ca = CertificateAuthority.openOrCreate(keysDir.resolve("ca"),
                    "Kominkan door network CA", clock);
            CertificateRegistry certificates = new CertificateRegistry(db);
            Enrollments enrollments = enrollments(database, config, clock, keys, ca, certificates);
            var facilities = new JdbcFacilityRepository(db);
            Duration sessionLifetime = config.get("session-lifetime").as(Duration.class).orElse(Duration.ofDays(14));
            // Secure (and __Host- names) unless turned off, as only the demo over plain http://localhost does.
            boolean secureCookie = config.get("secure-cookie").asBoolean().orElse(true);
            ClientAddress clients = new ClientAddress(java.util.Set.copyOf(
                    config.get("trusted-proxies").asList(String.class).orElse(java.util.List.of())));
            LoginThrottle throttle = new LoginThrottle(new LoginAttempts(db), keys.derivedKey("kominkan-login-throttle-v1"),
                    clock);
            AccountService accounts = new AccountService(new JdbcAccountRepository(db), PasswordHasher.DEFAULT, clock,
                    sessionLifetime,
                    config.get("identity.verification-max-age").as(Duration.class).orElse(Duration.ofDays(365)),
                    throttle);
            Authenticator authenticator = new Authenticator(accounts, secureCookie);
            OperationLog operationLog = new OperationLog(db);
            GatewayActions gatewayActions = new GatewayActions(enrollments, new JdbcGatewayRepository(db), operationLog,
                    clock, new JdbcDoorRepository(db, keys), facilities);
            MailOutbox mailOutbox = new MailOutbox(db);
            StaffService staff = new StaffService(new StaffRepository(db), PasswordHasher.DEFAULT, mailOutbox, clock,
                    config.get("staff-session-lifetime").as(Duration.class).orElse(Duration.ofHours(12)),
                    config.get("invitation-lifetime").as(Duration.class).orElse(Duration.ofHours(72)), throttle);
            StaffAuthenticator staffAuthenticator = new StaffAuthenticator(staff, secureCookie);
            CodeSealer sealer = new CodeSealer(keys);
            JdbcDoorRepository doors = new JdbcDoorRepository(db, keys);
            Money money = Money.create(db, config.get("payment"), clock);
            PageSupport pageSupport = new PageSupport(accounts, secureCookie, keys.derivedKey("kominkan-csrf-v2"), clients);
            IdentityDesk identity = IdentityDesk.create(new IdentityDesk.Parts(db, config.get("identity"),
                    keys.derivedKey("kominkan-audit-subject-v1"), keys.derivedKey("kominkan-renewal-token-v1"),
                    municipalities, clock, tenancy, accounts, authenticator,
                    staffAuthenticator, staff, pageSupport, secureCookie, operationLog));
            GroupRegister groups = GroupRegister.create(new GroupRegister.Parts(db, config.get("groups"), clock, tenancy,
                    authenticator, staffAuthenticator, staff, pageSupport, secureCookie, operationLog, mailOutbox));
            // A booking for a group (団体利用) names one the booker represents, approved today.
            BookingFees bookingFees = new BookingFees(new RoomFees(db), new EquipmentCatalog(db),
                    config.get("hold-duration").as(Duration.class).orElse(Duration.ofHours(72)),
                    (townId, account, groupId) -> municipalities.byId(townId)
                            .flatMap(town -> groups.groups().approvedGroup(town, account, groupId)).isPresent());
            LotteryRepository lotteryTables = new LotteryRepository(db);
            FairBooking fair = new FairBooking(db);
            BookingService bookings = new BookingService(new JdbcReservationRepository(db), facilities,
                    new GrantIssuer(doors, keys, sealer), doors, sealer, clock, bookingFees, money.refunds(),
                    new LotteryTimes(lotteryTables), fair);
            Treasury treasury = Treasury.create(db, money, bookings, municipalities, tenancy, authenticator, clock,
                    pageSupport, facilities, jp.kominkan.cloud.receipt.ReceiptFont.fromConfig(config.get("receipt")));
            BackOffice backOffice = BackOffice.create(new BackOffice.Parts(db, clock, tenancy, facilities, accounts, staff,
                    staffAuthenticator, bookings, pageSupport, secureCookie, operationLog, mailOutbox, gatewayActions));
            ReductionDesk reductions = ReductionDesk.create(new ReductionDesk.Parts(db, clock, tenancy, authenticator,
                    staffAuthenticator, staff, pageSupport, secureCookie, operationLog, mailOutbox, bookings, bookingFees,
                    facilities, groups.groups(), accounts));
            LotteryDesk lottery = LotteryDesk.create(new LotteryDesk.Parts(db, lotteryTables, clock, tenancy,
                    authenticator, staffAuthenticator, keys, accounts, groups.groups(), facilities, bookings,
                    municipalities, mailOutbox, operationLog, config.get("lottery.promotion-window").as(Duration.class)
                    .orElse(Duration.ofDays(3)), pageSupport, staff, secureCookie));
            ShelterDesk shelter = ShelterDesk.create(new ShelterDesk.Parts(db, clock, tenancy, staffAuthenticator, staff,
                    pageSupport, secureCookie, new GrantIssuer(doors, keys, sealer), facilities, operationLog));
            return new Services(accounts, staff, bookings, keys,
                    identity,
                    new AccountHttpService(accounts, authenticator, tenancy,
                            (municipality, account) -> {
                                bookings.cancelUpcoming(municipality, account);
                                lottery.applications().withdrawOpen(municipality, account);
                            }, secureCookie, clients),
                    new StaffHttpService(staff, staffAuthenticator, tenancy, secureCookie, operationLog, clients),
                    new FacilityHttpService(facilities, tenancy),
                    new RoomHttpService(bookings, tenancy),
                    new ReservationHttpService(bookings, authenticator, tenancy, clock),
                    new StaffReservationHttpService(backOffice.bookings(), backOffice.search(), staffAuthenticator, tenancy,
                            clock),
                    ca, certificates, enrollments,
                    new GatewayHttpService(new JdbcGatewayRepository(db), gatewayActions, staffAuthenticator, tenancy),
                    new EnrollmentHttpService(enrollments, tenancy),
                    new jp.kominkan.cloud.pki.CrlHttpService(new BrokerFiles(ca, certificates, clock)),
                    new DoorEventHttpService(new DoorEventRepository(db), staffAuthenticator, tenancy),
                    municipalities,
                    new StaticPages(pageSupport),
                    new FacilityPages(pageSupport, tenancy, facilities, bookings, clock),
                    new MyBookingsPages(pageSupport, tenancy, facilities, bookings, clock),
                    new BookingPages(pageSupport, tenancy, facilities, bookings, new DoorPasses(db, keys), clock,
                            new EquipmentCatalog(db), groups.groups(), reductions.reductions()),
                    new AccountPages(pageSupport, tenancy, accounts, identity.service()),
                    new StaffPages(pageSupport, staff, tenancy),
                    new ErrorPages(pageSupport, tenancy), backOffice, groups, treasury, reductions, lottery,
                    shelter, Caretaking.create(new Caretaking.Parts(db, config.get("doors"), clock, tenancy,
                            staffAuthenticator, municipalities, mailOutbox, operationLog, grantId -> shelter.codes()
                            .useOf(grantId).map(use -> new ShelterLookup.Use(use.shelterCodeId(), use.holder())),
                            pageSupport, staff, secureCookie)),
                    FairnessDesk.create(new FairnessDesk.Parts(db, clock, tenancy, facilities, staffAuthenticator, staff,
                            pageSupport, secureCookie, operationLog, bookings, accounts, authenticator, municipalities,
                            mailOutbox, config.get("waitlist.offer-hold").as(Duration.class).orElse(Duration.ofHours(24)))));
        }

        /**
         * Enrollment, with the broker's CRL and ACL written again after each change when
         * {@code kominkan.mqtt.broker-files} names the broker's folder (and the broker told to
         * reload them when {@code kominkan.mqtt.broker-pid-file} names its pid file).
         */
        private static Enrollments enrollments(Database database, Config config, Clock clock, GrantKeyStore keys,
                                               CertificateAuthority ca, CertificateRegistry certificates) {
            BrokerShards shards = BrokerShards.fromConfig(config.get("mqtt"));
            BrokerFiles files = new BrokerFiles(ca, certificates, clock);
            // Every shard's broker trusts the same CA and refuses the same revoked certificates.
            Runnable changed = () -> shards.all().forEach(shard -> shard.brokerFiles().ifPresent(dir -> {
                files.writeRevocations(dir);
                shard.brokerPidFile().ifPresent(BrokerReload::signal);
            }));
            return new Enrollments(database.client(), new JdbcGatewayRepository(database.client()), ca, keys, clock,
                    new Enrollments.Settings(
                            config.get("enrollment.token-lifetime").as(Duration.class).orElse(Duration.ofMinutes(30)),
                            config.get("enrollment.certificate-lifetime").as(Duration.class).orElse(Duration.ofDays(90)),
                            shards), changed);
        }
    }
}
