package jp.kominkan.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.firmware.profile.SiteProfileParser;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.enroll.Enrollment;
import jp.kominkan.gateway.support.DoorNetwork;
import jp.kominkan.gateway.support.Waits;
import jp.kominkan.shared.tls.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code kominkan-gateway enroll} as an installer meets it: every step printed, every failure one
 * sentence with nothing written, the files owner-only, and a gateway that runs from them; then the
 * certificate renewed over the gateway's own mutual-TLS link before it expires. Certificates here
 * live two minutes, so renewal is due at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnrollmentCommandIT {

    static final String GATEWAY = DemoData.CODE + "-gw-ekimae";

    DoorNetwork network;
    URI cloud;

    @BeforeAll
    void start() {
        network = DoorNetwork.start(Map.of("kominkan.enrollment.certificate-lifetime", "PT2M"));
        cloud = URI.create("http://127.0.0.1:" + network.cloud().port());
    }

    @AfterAll
    void stop() {
        network.close();
    }

    @Test
    void theInstallerSeesEachStepAndGetsOwnerOnlyFilesAGatewayRunsFrom() throws Exception {
        Path dir = Files.createTempDirectory("pi").resolve("kominkan-gateway");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path profileFile = new Enrollment(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC())
                .enroll(new Enrollment.Options(cloud, network.enrollmentToken(GATEWAY), dir, Optional.empty(), false));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("1/5", "2/5", "3/5", "4/5", "5/5", "Enrolled gateway " + GATEWAY);
        assertThat(printed).as("the private key is never printed").doesNotContain("PRIVATE KEY");
        for (String file : List.of("gateway.key", "gateway.pem", "ca.pem", "site.yaml")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(file))).as(file)
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
        assertThat(Files.getPosixFilePermissions(dir)).doesNotContain(PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_READ);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".enrolling"));
        }

        // Each device the cloud named has a fresh secret of its own, owner-only, never printed.
        assertThat(Files.getPosixFilePermissions(dir.resolve("secrets"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Map<String, String> secrets = new java.util.HashMap<>();
        for (String door : List.of(DemoData.CODE + "-door-study", DemoData.CODE + "-door-group")) {
            for (String file : List.of(door + ".keypad.psk", door + ".wifi-keypad.pw", door + ".qr.psk")) {
                Path secret = dir.resolve("secrets").resolve(file);
                assertThat(Files.getPosixFilePermissions(secret)).as(file).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                String content = Files.readString(secret);
                assertThat(content).matches("[A-Za-z0-9]{24}\n");
                assertThat(printed).doesNotContain(content.strip());
                secrets.put(file, content.strip());
                String device = file.substring(0, file.lastIndexOf('.'));
                assertThat(printed).contains("    Device " + device + ": secret written to secrets/" + file
                        + " (owner-only); set the same secret on the device — `kominkan-gateway` never prints it.\n");
            }
        }
        assertThat(secrets.values()).as("each one fresh").doesNotHaveDuplicates().hasSize(6);

        // The gateway starts from the written profile alone and connects over mutual TLS.
        var parsed = SiteProfileParser.parse(Files.readString(profileFile), dir);
        assertThat(parsed).isInstanceOf(SiteProfileParser.Result.Valid.class);
        SiteProfile profile = ((SiteProfileParser.Result.Valid) parsed).profile();
        assertThat(profile.storage()).isEqualTo(dir.resolve("state"));
        assertThat(profile.broker().getScheme()).isEqualTo("ssl");
        SiteProfile.Door study = profile.doors().stream().filter(d -> d.id().equals(DemoData.CODE + "-door-study"))
                .findFirst().orElseThrow();
        assertThat(study.keypads()).hasSize(2).first().isEqualTo(new SiteProfile.Keypad.Coap(new SiteProfile.Device(
                DemoData.CODE + "-door-study.keypad", new SiteProfile.Credential.Secret(secrets.get(DemoData.CODE
                + "-door-study.keypad.psk").getBytes(StandardCharsets.US_ASCII),
                dir.resolve("secrets").resolve(DemoData.CODE + "-door-study.keypad.psk")))));
        assertThat(study.qrReaders()).singleElement().isInstanceOf(SiteProfile.QrReader.Coap.class);
        // The demo cloud tells gateways its own broker; here the test broker listens elsewhere, and
        // the site link listens on loopback at free ports.
        SiteProfile local = new SiteProfile(profile.gatewayId(), profile.municipalityCode(), URI.create(network.broker().uri()),
                profile.storage(), profile.trustedKeys(), profile.doors(), profile.tls())
                .withSiteLink(new SiteProfile.SiteLink(new SiteProfile.CoapListener("127.0.0.1", 0),
                        new SiteProfile.LocalBroker("127.0.0.1", 0, SiteProfile.SiteLink.DEFAULT.mqtt().mosquitto(),
                                SiteProfile.SiteLink.DEFAULT.mqtt().mosquittoPasswd())));
        try (Gateway gateway = Gateway.start(local, Gateway.mockPlatform(), Clock.systemUTC())) {
            Waits.until("connected with the enrolled certificate", Duration.ofSeconds(15), gateway.link()::isConnected);
            X509Certificate before = certificate(dir);

            // Renewal: due at once with a two-minute certificate; same key, later expiry (certificates
            // count whole seconds, so ask once the second of the enrollment has passed), file replaced.
            Waits.until("a second past the enrollment", Duration.ofSeconds(3),
                    () -> Instant.now().isAfter(before.getNotAfter().toInstant().minus(Duration.ofMinutes(2)).plusSeconds(1)));
            // A second cloud instance on the broker too: the request is answered by one of them, once.
            var second = network.startCloud(false);
            try {
                Waits.until("the second instance subscribed", Duration.ofSeconds(15),
                        () -> second.bridge().orElseThrow().subscribed());
                long issued = gatewayCertificates();
                gateway.link().renewIfDue();
                Waits.until("renewed certificate written", Duration.ofSeconds(15),
                        () -> certificate(dir).getNotAfter().after(before.getNotAfter()));
                // Both instances handle what reaches them in order: once the gateway's next event is stored, a second
                // answer to the request would have been issued already.
                long events = doorEvents();
                gateway.door(DemoData.CODE + "-door-study").report(jp.kominkan.shared.event.DoorEvent.Type.TAMPER,
                        Optional.of("after-renewal"));
                Waits.until("the next event stored", Duration.ofSeconds(15), () -> doorEvents() > events);
                assertThat(gatewayCertificates()).isEqualTo(issued + 1);
            } finally {
                second.close();
            }
            X509Certificate after = certificate(dir);
            assertThat(after.getPublicKey()).isEqualTo(before.getPublicKey());
            assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
            assertThat(Files.getPosixFilePermissions(dir.resolve("gateway.pem")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            // The next connection presents the renewed certificate.
            network.broker().restart();
            Waits.until("reconnected after a broker restart", Duration.ofSeconds(20), gateway.link()::isConnected);
        }
    }

    long gatewayCertificates() {
        return network.cloud().database().client().execute().get("select count(*) as n from issued_certificate"
                + " where gateway_id = ? and purpose = 'gateway'", GATEWAY)
                .map(row -> jp.kominkan.cloud.db.Sql.longValue(row, "n")).orElseThrow();
    }

    long doorEvents() {
        return network.cloud().database().client().execute().get("select count(*) as n from door_event"
                + " where gateway_id = ?", GATEWAY).map(row -> jp.kominkan.cloud.db.Sql.longValue(row, "n")).orElseThrow();
    }

    @Test
    void everyFailureIsOneSentenceAndWritesNothing() throws Exception {
        Path dir = Files.createTempDirectory("pi-fail").resolve("kominkan-gateway");
        String token = network.enrollmentToken(GATEWAY);
        assertThat(failure(URI.create("http://127.0.0.1:" + TestCloud.freePort()), token, dir, false))
                .startsWith("Cannot reach the cloud at http://127.0.0.1:");
        assertThat(failure(URI.create("http://192.0.2.10:8080"), token, dir, false))
                .contains("must use https://");
        assertThat(failure(URI.create("ftp://127.0.0.1/"), token, dir, false)).contains("https://");
        assertThat(failure(cloud, "not-a-token", dir, false)).contains("not known here");
        assertThat(Files.exists(dir)).as("nothing written").isFalse();

        new Enrollment(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC())
                .enroll(new Enrollment.Options(cloud, token, dir, Optional.empty(), false));
        String key = Files.readString(dir.resolve("gateway.key"));
        assertThat(failure(cloud, token, dir, true)).contains("already been used");
        assertThat(failure(cloud, network.enrollmentToken(GATEWAY), dir, false)).contains("already holds an enrolled gateway");
        assertThat(Files.readString(dir.resolve("gateway.key"))).as("the key stays").isEqualTo(key);

        // A gateway whose clock is wrong is told before the token is used up.
        String fresh = network.enrollmentToken(GATEWAY);
        Clock wrong = Clock.offset(Clock.systemUTC(), Duration.ofHours(-9));
        assertThatThrownBy(() -> new Enrollment(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                wrong).enroll(new Enrollment.Options(cloud, fresh, dir, Optional.empty(), true)))
                .hasMessageContaining("clock").hasMessageContaining("540 minutes");
        assertThat(Files.readString(dir.resolve("gateway.key"))).isEqualTo(key);
        Path secret = dir.resolve("secrets").resolve(DemoData.CODE + "-door-study.keypad.psk");
        String before = Files.readString(secret);
        assertThat(failure(cloud, fresh, dir, true)).as("the token still works").isEmpty();
        assertThat(Files.readString(secret)).as("re-enrollment keeps the devices' secrets").isEqualTo(before);
    }

    String failure(URI at, String token, Path dir, boolean force) {
        try {
            new Enrollment(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC())
                    .enroll(new Enrollment.Options(at, token, dir, Optional.empty(), force));
            return "";
        } catch (Enrollment.Failure e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
    }

    static X509Certificate certificate(Path dir) {
        try {
            return Pem.certificates(Files.readString(dir.resolve("gateway.pem"))).getFirst();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
