package jp.kominkan.cloud.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jp.kominkan.cloud.db.Database;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.tls.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cloud broker's files on a real database: only the cloud and the gateways are in the ACL, and
 * a device certificate an earlier version issued lands on the CRL the first time the files are
 * written, so no device credential works on the cloud's broker (issue 11).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrokerFilesSuite {

    private static final List<String> HOSTS = List.of("127.0.0.1", "localhost");

    MutableClock clock;
    Database database;
    CertificateAuthority ca;
    CertificateRegistry registry;
    BrokerFiles files;
    Path scratch;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void openDatabase() throws IOException {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        database = Database.open(TestCloud.config(TestDatabases.fresh(kind()), Map.of()).get("db"));
        scratch = Files.createTempDirectory("kominkan-broker-files");
        ca = CertificateAuthority.openOrCreate(scratch.resolve("ca"), "Kominkan door network CA", clock);
        registry = new CertificateRegistry(database.client());
        files = new BrokerFiles(ca, registry, clock);
    }

    @AfterAll
    void closeDatabase() {
        database.close();
    }

    @Test
    void aDeviceCertificateOfAnEarlierVersionIsRevokedOnceWhenTheBrokerFilesAreWritten() throws Exception {
        X509Certificate keypad = OldDeviceCertificate.issue(ca, registry, "keypad.999991-door-study", clock.instant());
        X509Certificate lock = OldDeviceCertificate.issue(ca, registry, "lock.999991-door-group", clock.instant());
        X509Certificate cloud = ca.issueClient(BrokerFiles.CLOUD_USER, CertificateAuthority.newKeyPair().getPublic(),
                Duration.ofDays(365));
        registry.record(cloud, BrokerFiles.CLOUD_USER, CertificateRegistry.Purpose.CLOUD, clock.instant());
        Path dir = scratch.resolve("first");
        Instant firstWrite = clock.instant();

        List<String> logged = logOf(() -> files.writeAll(dir, HOSTS));

        X509CRL crl = crl(dir);
        assertThat(crl.getRevokedCertificate(keypad.getSerialNumber())).as("the old keypad").isNotNull();
        assertThat(crl.getRevokedCertificate(lock.getSerialNumber())).as("the old lock").isNotNull();
        assertThat(crl.getRevokedCertificate(cloud.getSerialNumber())).as("the cloud's own client").isNull();
        X509Certificate broker = Pem.certificates(Files.readString(dir.resolve("broker.pem"))).getFirst();
        assertThat(crl.getRevokedCertificate(broker.getSerialNumber())).as("the broker's server certificate").isNull();
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("Revoked 2 device certificates"));
        assertThat(String.join("\n", logged)).doesNotContain("keypad.").doesNotContain("lock.")
                .doesNotContain(keypad.getSerialNumber().toString(16));

        // Written again a day later: already revoked, so revoked once, at the first write, and not logged again.
        clock.advance(Duration.ofDays(1));
        List<String> again = logOf(() -> files.writeRevocations(dir));
        assertThat(again).noneSatisfy(line -> assertThat(line).contains("device certificates"));
        assertThat(crl(dir).getRevokedCertificate(keypad.getSerialNumber()).getRevocationDate().toInstant())
                .isEqualTo(firstWrite);
        assertThat(registry.revokeAllDevices(clock.instant())).isZero();
    }

    @Test
    void theAclHasNoRuleForADeviceAndNoSiteTopic() throws Exception {
        X509Certificate keypad = OldDeviceCertificate.issue(ca, registry, "keypad.999991-door-hall", clock.instant());
        Path dir = scratch.resolve("acl");
        files.writeAll(dir, HOSTS);

        String acl = Files.readString(dir.resolve("acl"), StandardCharsets.US_ASCII);
        assertThat(acl).doesNotContain("keypad").doesNotContain("lock").doesNotContain("site");
        List<String> rules = acl.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(rules).filteredOn(line -> line.startsWith("user ")).containsExactly("user " + BrokerFiles.CLOUD_USER);
        assertThat(rules).allSatisfy(line -> assertThat(line).matches(
                "user kominkan-cloud|topic (read|write) kominkan/v1/gw/\\+/[a-z]+|pattern (read|write) kominkan/v1/gw/%u/[a-z]+"));
        assertThat(rules).filteredOn(line -> line.startsWith("pattern ")).containsExactlyInAnyOrder(
                "pattern write kominkan/v1/gw/%u/ack", "pattern write kominkan/v1/gw/%u/events",
                "pattern write kominkan/v1/gw/%u/csr", "pattern read kominkan/v1/gw/%u/grants",
                "pattern read kominkan/v1/gw/%u/receipts", "pattern read kominkan/v1/gw/%u/cert");
        assertThat(crl(dir).getRevokedCertificate(keypad.getSerialNumber())).isNotNull();
    }

    @Test
    void aDeviceCertificateRevokedByNameStaysRevokedFromThen() {
        X509Certificate keypad = OldDeviceCertificate.issue(ca, registry, "keypad.999991-door-annex", clock.instant());
        Instant stolen = clock.instant();
        assertThat(registry.revokeDevice("keypad.999991-door-annex", stolen)).isEqualTo(1);
        clock.advance(Duration.ofHours(1));
        files.writeRevocations(scratch.resolve("by-name"));
        assertThat(registry.revoked(clock.instant())).containsEntry(keypad.getSerialNumber(), stolen);
    }

    private X509CRL crl(Path dir) throws IOException, GeneralSecurityException {
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
                new ByteArrayInputStream(Files.readAllBytes(dir.resolve("crl.pem"))));
        crl.verify(ca.certificate().getPublicKey());
        return crl;
    }

    /** What BrokerFiles logged at INFO and above while {@code action} ran. */
    private static List<String> logOf(Runnable action) {
        Logger logger = Logger.getLogger(BrokerFiles.class.getName());
        List<String> lines = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }
        return lines;
    }
}
