package jp.kominkan.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import jp.kominkan.cloud.db.Database;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.pki.OldDeviceCertificate;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code kominkan-cloud pki …} against a real database: the cloud issues no device certificates
 * any more and says where devices went; a device certificate of an earlier version can still be
 * revoked by name; {@code pki broker} writes the broker's files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PkiCommandIT {

    Config config;
    Database database;
    Cloud.Services services;
    Path scratch;

    @BeforeAll
    void freshDatabase() throws IOException {
        config = TestCloud.config(TestDatabases.fresh(TestDatabases.Kind.H2), Map.of());
        database = Database.open(config.get("db"));
        services = Cloud.Services.create(database, config.get("kominkan"), Clock.systemUTC());
        scratch = Files.createTempDirectory("kominkan-pki");
    }

    @AfterAll
    void close() {
        database.close();
    }

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    Run pki(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("pki"));
        all.addAll(List.of(args));
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = new PkiCommand(o, e).dispatch(all.toArray(String[]::new), config, Clock.systemUTC());
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void pkiDeviceIssuesNothingAndSaysDevicesBelongToTheGatewaysSiteLink() throws IOException {
        Path dir = scratch.resolve("device");
        long before = certificates();

        Run run = pki("device", "--door", "999991-door-study", "--kind", "keypad", "--out", dir.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("site link").contains("docs/gateway.md \"Site link\"")
                .contains("docs/site-profile.md");
        assertThat(run.out()).isEmpty();
        assertThat(dir).doesNotExist();
        assertThat(certificates()).isEqualTo(before);
        assertThat(pki("help").err()).doesNotContain("pki device").contains("pki revoke");
    }

    @Test
    void aDeviceCertificateOfAnEarlierVersionIsRevokedByName() {
        X509Certificate keypad = OldDeviceCertificate.issue(services.ca(), services.certificates(),
                "keypad.999991-door-revoked", Clock.systemUTC().instant());

        Run revoked = pki("revoke", "--name", "keypad.999991-door-revoked");
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out()).startsWith("Revoked 1 certificates of keypad.999991-door-revoked");
        assertThat(services.certificates().revoked(Clock.systemUTC().instant())).containsKey(keypad.getSerialNumber());

        Run again = pki("revoke", "--name", "keypad.999991-door-revoked");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out()).contains("No unrevoked certificate of keypad.999991-door-revoked");
    }

    @Test
    void pkiBrokerWritesTheBrokersFilesWithOldDeviceCertificatesOnTheCrl() throws IOException {
        X509Certificate lock = OldDeviceCertificate.issue(services.ca(), services.certificates(),
                "lock.999991-door-broker", Clock.systemUTC().instant());
        Path dir = scratch.resolve("broker");

        Run run = pki("broker", "--out", dir.toString(), "--host", "localhost");

        assertThat(run.exit()).as(run.err()).isZero();
        for (String file : List.of("ca.pem", "broker.pem", "broker.key", "crl.pem", "acl")) {
            assertThat(dir.resolve(file)).isNotEmptyFile();
        }
        assertThat(services.certificates().revoked(Clock.systemUTC().instant())).containsKey(lock.getSerialNumber());
        assertThat(Files.readString(dir.resolve("acl"))).doesNotContain("lock.");
    }

    private long certificates() {
        return database.client().execute().get("select count(*) as n from issued_certificate")
                .map(row -> Sql.longValue(row, "n")).orElseThrow();
    }
}
