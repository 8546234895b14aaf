package jp.kominkan.cloud.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.cloud.support.Waits;
import jp.kominkan.shared.tls.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A broker on another machine than the cloud keeps its CRL from {@code GET /api/v1/pki/crl} with
 * {@code cluster/broker-sync.sh} (docs/deploy.md): a revocation reaches its file and the broker is told;
 * a CRL of another CA, garbage, an oversized body, an expired CRL and a replayed older one, served by a
 * server in the cloud's place, each leave the file as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerSyncIT {

    static final Path SCRIPT = Path.of("..", "cluster", "broker-sync.sh").toAbsolutePath().normalize();

    MutableClock clock;
    Cloud cloud;
    Path dir;
    Process broker;
    Path hups;

    @BeforeAll
    void start() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), clock, false);
        dir = Files.createTempDirectory("kominkan-remote-broker");
        new BrokerFiles(cloud.services().ca(), cloud.services().certificates(), clock)
                .writeAll(dir, List.of("127.0.0.1", "localhost"));
        // Stands in for Mosquitto's reload: counts the SIGHUPs it gets.
        hups = dir.resolve("hups");
        broker = new ProcessBuilder("bash", "-c", "trap 'echo hup >> " + hups + "' HUP; while :; do sleep 0.1; done")
                .start();
        Files.writeString(dir.resolve("broker.pid"), broker.pid() + "\n");
    }

    @AfterAll
    void stop() {
        broker.destroyForcibly();
        cloud.close();
    }

    @Test
    void aRevocationReachesARemoteBrokersFileAndNothingForgedOrOldDoes() throws Exception {
        Api api = new Api(cloud.port());
        Api.Response served = api.get("/api/v1/pki/crl").send();
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.contentType()).hasValueSatisfying(type -> assertThat(type).startsWith("application/x-pem-file"));
        X509CRL before = crl(served.body());
        before.verify(cloud.services().ca().certificate().getPublicKey());
        String oldCrl = served.body();

        clock.advance(Duration.ofHours(1));
        X509Certificate keypad = OldDeviceCertificate.issue(cloud.services().ca(), cloud.services().certificates(),
                "keypad.999991-door-study", clock.instant());
        assertThat(cloud.services().certificates().revokeDevice("keypad.999991-door-study", clock.instant())).isEqualTo(1);
        assertThat(crl(api.get("/api/v1/pki/crl").send().body()).getRevokedCertificate(keypad.getSerialNumber()))
                .as("served at once").isNotNull();

        assertThat(sync("http://127.0.0.1:" + cloud.port()).exit()).isZero();
        assertThat(crl(Files.readString(dir.resolve("crl.pem"))).getRevokedCertificate(keypad.getSerialNumber()))
                .as("in the broker's file").isNotNull();
        Waits.until("the broker told to reload", Duration.ofSeconds(10),
                () -> Files.exists(hups) && Files.readAllLines(hups).size() >= 1);
        byte[] inPlace = Files.readAllBytes(dir.resolve("crl.pem"));

        // Nothing new: the file stays and the broker is not reloaded again.
        assertThat(sync("http://127.0.0.1:" + cloud.port()).exit()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("crl.pem"))).isEqualTo(inPlace);

        CertificateAuthority other = CertificateAuthority.openOrCreate(Files.createTempDirectory("other-ca").resolve("ca"),
                "Kominkan door network CA", clock);
        Map<String, byte[]> attacks = Map.of(
                "another CA's CRL, revoking nothing", pem(other.crl(Map.of(), Duration.ofDays(30))),
                "garbage", "not a CRL\n".getBytes(StandardCharsets.US_ASCII),
                "2 MiB", new byte[2 * 1024 * 1024],
                "the older CRL, before the revocation (a replay)", oldCrl.getBytes(StandardCharsets.US_ASCII),
                "an expired CRL", expired());
        for (Map.Entry<String, byte[]> attack : attacks.entrySet()) {
            Result result = serving(attack.getValue());
            assertThat(result.exit()).as(attack.getKey() + ": " + result.stderr()).isEqualTo(1);
            assertThat(result.stderr()).as(attack.getKey()).contains("broker-sync:");
            assertThat(Files.readAllBytes(dir.resolve("crl.pem"))).as(attack.getKey()).isEqualTo(inPlace);
        }
        assertThat(Files.readAllLines(hups)).as("reloads").hasSize(1);
    }

    /** A CRL of the real CA that was due again ten days ago (signed with the cloud's clock set back). */
    byte[] expired() throws Exception {
        clock.advance(Duration.ofDays(-40));
        try {
            return pem(cloud.services().ca().crl(Map.of(), Duration.ofDays(30)));
        } finally {
            clock.advance(Duration.ofDays(40));
        }
    }

    Result serving(byte[] body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/pki/crl", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException closedEarly) {
                // curl stops reading an oversized body
            }
        });
        server.start();
        try {
            return sync("http://127.0.0.1:" + server.getAddress().getPort());
        } finally {
            server.stop(0);
        }
    }

    Result sync(String cloudUrl) throws Exception {
        Process process = new ProcessBuilder("bash", SCRIPT.toString(), "--cloud", cloudUrl, "--dir", dir.toString(),
                "--pid-file", dir.resolve("broker.pid").toString(), "--once").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), stderr);
    }

    static X509CRL crl(String pem) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    static byte[] pem(X509CRL crl) throws Exception {
        return Pem.encode("X509 CRL", crl.getEncoded()).getBytes(StandardCharsets.US_ASCII);
    }

    record Result(int exit, String stderr) {
    }
}
