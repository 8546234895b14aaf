package jp.kominkan.cloud.fleet;

import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.grant.GrantKeyStore;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.pki.CertificateAuthority;
import jp.kominkan.cloud.pki.CertificateRegistry;
import jp.kominkan.cloud.pki.CertificateRequest;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.tls.Pem;

/**
 * A gateway's life as an identity: staff register it, hand the installer a one-time token, the
 * gateway enrolls with a certificate request for a key it made itself, renews over its mutual-TLS
 * link, and is decommissioned (certificates revoked, messages refused). See docs/security.md.
 */
public final class Enrollments {

    private static final System.Logger LOG = System.getLogger(Enrollments.class.getName());
    /** After the municipality code and a dash: 1–57 topic-safe characters (64 in all). */
    private static final Pattern LOCAL_ID = Pattern.compile("[A-Za-z0-9._-]{1,57}");
    /** A gateway whose clock is this far off would misjudge every grant's window: fix the clock first. */
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final DbClient db;
    private final JdbcGatewayRepository gateways;
    private final EnrollmentRepository tokens;
    private final CertificateAuthority ca;
    private final GrantKeyStore keys;
    private final Clock clock;
    private final Settings settings;
    private final Runnable credentialsChanged;

    /**
     * @param db                 the database
     * @param gateways           gateways
     * @param ca                 the door network CA
     * @param keys               the cloud's keys (for the site profile)
     * @param clock              the clock
     * @param settings           lifetimes and the broker shards gateways go on
     * @param credentialsChanged runs after a certificate is issued or revoked (rewrites the broker's CRL and ACL)
     */
    public Enrollments(DbClient db, JdbcGatewayRepository gateways, CertificateAuthority ca, GrantKeyStore keys,
                       Clock clock, Settings settings, Runnable credentialsChanged) {
        this.db = db;
        this.gateways = gateways;
        this.tokens = new EnrollmentRepository(db);
        this.ca = ca;
        this.keys = keys;
        this.clock = clock;
        this.settings = settings;
        this.credentialsChanged = credentialsChanged;
    }

    /**
     * How enrollment is set up.
     *
     * @param tokenLifetime       how long a token may be used (30 minutes)
     * @param certificateLifetime how long a gateway certificate is valid
     * @param shards              the brokers gateways are spread over, each with the URI its gateways connect to
     */
    public record Settings(Duration tokenLifetime, Duration certificateLifetime, BrokerShards shards) {
    }

    /**
     * Registers a gateway for a building.
     *
     * @param staff        who asks
     * @param municipality the municipality
     * @param id           the new id: the municipality code, a dash, 1–57 of A-Z a-z 0-9 . _ -
     * @param facilityId   the building
     * @param name         a name staff recognise
     * @param shard        the broker shard to put it on; empty: the one with the fewest gateways
     * @return the gateway
     */
    public Gateway register(StaffMember staff, Municipality municipality, String id, long facilityId, String name,
                           Optional<String> shard) {
        String prefix = municipality.code() + "-";
        if (id == null || !id.startsWith(prefix) || !LOCAL_ID.matcher(id.substring(prefix.length())).matches()) {
            throw Problem.badField("id", "A gateway id is '" + prefix + "' followed by 1 to 57 of A-Z a-z 0-9 . _ -"
                            + " (e.g. " + prefix + "gw-hall).",
                    "ゲートウェイ ID は「" + prefix + "」に続けて英数字と . _ - を 1〜57 文字にしてください（例: " + prefix + "gw-hall）。");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw Problem.badField("name", "Give the gateway a name of 1 to 200 characters.",
                    "ゲートウェイ名を 1〜200 文字で入力してください。");
        }
        if (!gateways.facilityExists(municipality.id(), facilityId)) {
            throw Problem.badField("facilityId", "There is no facility " + facilityId + " in this municipality.",
                    "施設 " + facilityId + " はこの自治体にありません。");
        }
        if (!staff.mayManage(facilityId)) {
            throw Problem.forbidden("You may not manage this facility.", "この施設を管理する権限がありません。");
        }
        String brokerShard = shard.filter(s -> !s.isBlank()).map(String::strip)
                .orElseGet(() -> settings.shards().leastUsed(gateways.inServicePerShard()));
        if (settings.shards().find(brokerShard).isEmpty()) {
            throw Problem.badField("brokerShard", "There is no broker shard by that name; choose one of "
                            + settings.shards().ids() + " or leave it out.",
                    "そのブローカーのシャードはありません。" + settings.shards().ids() + " から選ぶか、空欄にしてください。");
        }
        if (!gateways.insert(municipality.id(), facilityId, id, name.strip(), brokerShard)) {
            throw Problem.conflict("gateway-exists", "A gateway with id " + id + " is already registered.",
                    "ID " + id + " のゲートウェイはすでに登録されています。");
        }
        return gateways.find(id).orElseThrow();
    }

    /**
     * Issues a one-time enrollment token; only its hash is kept, so it is shown once.
     *
     * @param staff        who asks
     * @param municipality the municipality
     * @param gatewayId    the gateway
     * @return the token and when it expires
     */
    public IssuedToken issueToken(StaffMember staff, Municipality municipality, String gatewayId) {
        Gateway gateway = manageable(staff, municipality, gatewayId);
        if (!gateway.inService()) {
            throw Problem.gone("gateway-decommissioned", "Gateway " + gatewayId
                            + " was decommissioned and cannot be enrolled again; register the device under a new id.",
                    "ゲートウェイ " + gatewayId + " は廃止済みのため再登録できません。新しい ID で登録してください。");
        }
        String token = Tokens.random();
        Instant now = clock.instant();
        Instant expires = now.plus(settings.tokenLifetime());
        // A new token replaces any earlier one still open: the one staff handed out last is the one that works.
        tokens.cancelOpen(gatewayId, now);
        tokens.insert(Tokens.sha256Hex(token), gatewayId, staff.id(), now, expires);
        LOG.log(Level.INFO, "Enrollment token issued for gateway " + gatewayId + " until " + expires);
        return new IssuedToken(gatewayId, token, expires);
    }

    /**
     * Enrolls a gateway: checks the token and the request, certifies the gateway's key and uses
     * up the token, all or nothing. An earlier certificate of the same gateway is revoked (a
     * replaced or re-imaged device).
     *
     * @param municipality the municipality whose host was called
     * @param token        the one-time token
     * @param csrPem       the certificate request
     * @param clientTime   the gateway's clock, when it says
     * @return what the gateway needs
     */
    public Enrolled enroll(Municipality municipality, String token, String csrPem, Optional<Instant> clientTime) {
        Instant now = clock.instant();
        String hash = Tokens.sha256Hex(token == null ? "" : token.strip());
        Gateway gateway = usable(municipality, token, clientTime, now);
        CertificateRequest csr;
        try {
            csr = CertificateRequest.parse(csrPem);
        } catch (CertificateRequest.Invalid e) {
            throw Problem.badField("csr", "The certificate request cannot be used: " + e.getMessage() + ".",
                    "証明書要求（CSR）が正しくありません: " + e.getMessage() + "。");
        }
        if (!csr.commonName().equals(gateway.id())) {
            throw Problem.badField("csr", "The certificate request names '" + csr.commonName()
                            + "' but this token enrolls gateway " + gateway.id() + ".",
                    "証明書要求の名前「" + csr.commonName() + "」がこのトークンのゲートウェイ " + gateway.id() + " と違います。");
        }
        String broker = settings.shards().find(gateway.brokerShard()).map(BrokerShards.Shard::gatewayBroker)
                .orElseThrow(() -> EnrollmentProblems.shardNotConfigured(gateway));
        X509Certificate certificate = ca.issueClient(gateway.id(), csr.publicKey(), settings.certificateLifetime());
        // Written before anything is committed: once the token is used, nothing may fail.
        String profile = SiteProfileExport.enrolled(db, gateway.id(), broker, keys);
        DbTransaction tx = db.transaction();
        try {
            if (!JdbcGatewayRepository.lockInService(tx, gateway.id())) {
                tx.rollback();
                throw EnrollmentProblems.decommissioned();
            }
            if (!EnrollmentRepository.consume(tx, hash, now)) {
                tx.rollback();
                throw EnrollmentProblems.usedToken();
            }
            CertificateRegistry.revokeGateway(tx, gateway.id(), now);
            CertificateRegistry.record(tx, certificate, gateway.id(), CertificateRegistry.Purpose.GATEWAY,
                    Optional.of(gateway.id()), now);
            tx.commit();
        } catch (RuntimeException e) {
            if (!(e instanceof Problem)) {
                Sql.rollbackQuietly(tx);
            }
            throw e;
        }
        updateBroker();
        LOG.log(Level.INFO, "Gateway " + gateway.id() + " enrolled; certificate valid until "
                + certificate.getNotAfter().toInstant());
        return new Enrolled(gateway.id(), Pem.encode(certificate), Pem.encode(ca.certificate()),
                broker, profile, now, certificate.getNotAfter().toInstant());
    }

    /**
     * Checks a token without using it up: which gateway it enrolls, and that the gateway's clock is right.
     *
     * @param municipality the municipality whose host was called
     * @param token        the token
     * @param clientTime   the gateway's clock
     * @return the gateway and the cloud's time
     */
    public TokenCheck check(Municipality municipality, String token, Optional<Instant> clientTime) {
        Instant now = clock.instant();
        Gateway gateway = usable(municipality, token, clientTime, now);
        EnrollmentRepository.Token stored = tokens.find(Tokens.sha256Hex(token.strip())).orElseThrow();
        return new TokenCheck(gateway.id(), now, stored.expires());
    }

    private Gateway usable(Municipality municipality, String token, Optional<Instant> clientTime, Instant now) {
        if (token == null || token.isBlank() || token.length() > 100) {
            throw EnrollmentProblems.unknownToken();
        }
        EnrollmentRepository.Token stored = tokens.find(Tokens.sha256Hex(token.strip()))
                .filter(t -> t.municipalityId() == municipality.id())
                .orElseThrow(EnrollmentProblems::unknownToken);
        Gateway gateway = gateways.find(stored.gatewayId()).filter(Gateway::inService)
                .orElseThrow(EnrollmentProblems::decommissioned);
        if (stored.used().isPresent()) {
            throw EnrollmentProblems.usedToken();
        }
        if (!stored.expires().isAfter(now)) {
            throw Problem.gone("enrollment-token-expired", "This enrollment token expired at " + stored.expires()
                            + "; ask staff for a new one.",
                    "この登録トークンは有効期限が切れています。職員に新しいトークンを発行してもらってください。");
        }
        if (clientTime.isPresent()) {
            long minutes = Duration.between(now, clientTime.get()).abs().toMinutes();
            if (minutes >= MAX_CLOCK_SKEW.toMinutes()) {
                throw Problem.badField("clientTime", "This gateway's clock says " + clientTime.get() + " but the cloud's says "
                                + now + " (" + minutes + " minutes apart); set the time (NTP) and enroll again.",
                        "ゲートウェイの時計が " + minutes + " 分ずれています（" + clientTime.get() + "、クラウド " + now
                                + "）。時刻（NTP）を合わせてから登録し直してください。");
            }
        }
        return gateway;
    }

    /**
     * Renews a gateway's certificate for the key it already holds (asked over its own mutual-TLS
     * link; a request for any other key is refused, so a broker cannot get a certificate for a
     * key of its own).
     *
     * @param gatewayId the gateway, from the topic the request came on
     * @param csrPem    the request
     * @return the new certificate
     * @throws IllegalArgumentException when it cannot be renewed, saying why
     */
    public X509Certificate renew(String gatewayId, String csrPem) {
        Instant now = clock.instant();
        Gateway gateway = gateways.find(gatewayId).filter(Gateway::inService)
                .orElseThrow(() -> new IllegalArgumentException("gateway not in service"));
        CertificateRequest csr;
        try {
            csr = CertificateRequest.parse(csrPem);
        } catch (CertificateRequest.Invalid e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (!csr.commonName().equals(gateway.id())) {
            throw new IllegalArgumentException("the request names another gateway");
        }
        X509Certificate certificate = ca.issueClient(gateway.id(), csr.publicKey(), settings.certificateLifetime());
        DbTransaction tx = db.transaction();
        try {
            if (!JdbcGatewayRepository.lockInService(tx, gateway.id())) {
                tx.rollback();
                throw new IllegalArgumentException("gateway not in service");
            }
            // Checked under the gateway's lock: a re-enrollment that revoked this key has committed by now.
            byte[] requested = csr.publicKey().getEncoded();
            if (new CertificateRegistry(db).publicKeys(gateway.id(), now).stream()
                    .noneMatch(key -> java.util.Arrays.equals(key.getEncoded(), requested))) {
                tx.rollback();
                throw new IllegalArgumentException("the request is not for the key of a valid certificate of this gateway");
            }
            CertificateRegistry.record(tx, certificate, gateway.id(), CertificateRegistry.Purpose.GATEWAY,
                    Optional.of(gateway.id()), now);
            tx.commit();
        } catch (RuntimeException e) {
            if (!(e instanceof IllegalArgumentException)) {
                Sql.rollbackQuietly(tx);
            }
            throw e;
        }
        LOG.log(Level.INFO, "Gateway " + gateway.id() + " renewed its certificate until " + certificate.getNotAfter().toInstant());
        return certificate;
    }

    /**
     * Takes a gateway out of service: revokes its certificates (the broker refuses it once its CRL
     * is reloaded) and from now on the cloud ignores its messages.
     *
     * @param staff        who asks
     * @param municipality the municipality
     * @param gatewayId    the gateway
     * @return how many certificates were revoked, and whether the broker was told
     */
    public Decommissioned decommission(StaffMember staff, Municipality municipality, String gatewayId) {
        manageable(staff, municipality, gatewayId);
        Instant now = clock.instant();
        DbTransaction tx = db.transaction();
        long revoked;
        try {
            if (!JdbcGatewayRepository.decommission(tx, gatewayId, now)) {
                tx.rollback();
                throw Problem.conflict("gateway-decommissioned", "Gateway " + gatewayId + " is already decommissioned.",
                        "ゲートウェイ " + gatewayId + " はすでに廃止されています。");
            }
            revoked = CertificateRegistry.revokeGateway(tx, gatewayId, now);
            EnrollmentRepository.cancelOpen(tx, gatewayId, now);
            tx.commit();
        } catch (RuntimeException e) {
            if (!(e instanceof Problem)) {
                Sql.rollbackQuietly(tx);
            }
            throw e;
        }
        boolean brokerUpdated = updateBroker();
        LOG.log(Level.INFO, "Gateway " + gatewayId + " decommissioned; " + revoked + " certificates revoked");
        return new Decommissioned(revoked, brokerUpdated);
    }

    /**
     * Rewrites the broker's CRL and ACL after a change that is already committed: a failure here is
     * logged and left to the next change or the daily refresh, never turned into an error for a
     * change that has happened.
     *
     * @return whether the broker's files were written
     */
    private boolean updateBroker() {
        try {
            credentialsChanged.run();
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not rewrite the broker's CRL and ACL (" + e.getMessage()
                    + "); they are written again on the next change and daily");
            return false;
        }
    }

    /**
     * A decommissioning.
     *
     * @param certificatesRevoked certificates revoked
     * @param brokerUpdated       whether the broker's CRL and ACL were rewritten at once
     */
    public record Decommissioned(long certificatesRevoked, boolean brokerUpdated) {
    }

    /** @return the broker shards gateways are put on */
    public BrokerShards shards() {
        return settings.shards();
    }

    /**
     * Writes the broker's CRL and ACL again and has it reload them. Runs daily as well as after
     * each change: a CRL past its next-update date makes Mosquitto refuse every client.
     */
    public void refreshBrokerFiles() {
        credentialsChanged.run();
    }

    private Gateway manageable(StaffMember staff, Municipality municipality, String gatewayId) {
        Gateway gateway = gateways.find(gatewayId).filter(g -> g.municipalityId() == municipality.id())
                .orElseThrow(() -> Problem.notFound("gateway", "ゲートウェイ"));
        if (!staff.mayManage(gateway.facilityId())) {
            throw Problem.forbidden("You may not manage this gateway's facility.", "このゲートウェイの施設を管理する権限がありません。");
        }
        return gateway;
    }


    /**
     * A token checked without being used.
     *
     * @param gatewayId  the gateway it enrolls
     * @param serverTime the cloud's clock
     * @param expires    when the token stops working
     */
    public record TokenCheck(String gatewayId, Instant serverTime, Instant expires) {
    }

    /**
     * A token as issued: shown once.
     *
     * @param gatewayId the gateway it enrolls
     * @param token     the token
     * @param expires   when it stops working
     */
    public record IssuedToken(String gatewayId, String token, Instant expires) {
    }

    /**
     * What an enrolled gateway receives.
     *
     * @param gatewayId      its id
     * @param certificate    its certificate, PEM
     * @param caCertificates the CA chain to trust, PEM
     * @param broker         the broker to connect to
     * @param siteProfile    its site profile (YAML, with door keys: a secret)
     * @param serverTime     the cloud's clock, for the gateway to check its own
     * @param notAfter       when the certificate expires
     */
    public record Enrolled(String gatewayId, String certificate, String caCertificates, String broker, String siteProfile,
                           Instant serverTime, Instant notAfter) {
    }
}
