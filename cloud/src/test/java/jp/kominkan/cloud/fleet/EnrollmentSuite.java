package jp.kominkan.cloud.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.tls.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Registering, enrolling, renewing and decommissioning gateways over the real API, tried as an
 * installer would and as an attacker would: every bad token, request or body is a clear 4xx and
 * leaves the token unused and no certificate issued.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EnrollmentSuite {

    static MutableClock clock;
    static Cloud cloud;
    static Api api;
    static String main;
    static long ekimae;
    static int serial;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        clock = new MutableClock(Instant.now());
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true, Map.of());
        api = new Api(cloud.port());
        main = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        ekimae = cloud.database().client().execute().get("select facility_id from gateway where id = ?",
                DemoData.CODE + "-gw-ekimae").map(r -> Sql.longValue(r, "facility_id")).orElseThrow();
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    @Test
    void anInstallerEnrollsARegisteredGatewayOnceWithAKeyItMadeItself() throws Exception {
        String id = register();
        Api.Response issued = api.post("/api/v1/staff/gateways/" + id + "/enrollment", null).token(main).send();
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String token = issued.json().get("token").asText();
        assertThat(token).hasSize(43);   // 256 random bits
        assertThat(issued.json().get("qrSvg").asText()).startsWith("<svg");
        assertThat(issued.json().get("command").asText()).contains("enroll --cloud http://127.0.0.1:").endsWith(token);
        assertThat(count("select count(*) as n from gateway_enrollment where token_hash = ?", Tokens.sha256Hex(token)))
                .isEqualTo(1);
        assertThat(count("select count(*) as n from gateway_enrollment where token_hash = ?", token)).isZero();

        Api.Response dry = enroll("{\"token\":\"" + token + "\",\"dryRun\":true,\"clientTime\":\"" + clock.instant() + "\"}");
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(dry.json().get("gatewayId").asText()).isEqualTo(id);

        KeyPair key = Csrs.key();
        Api.Response enrolled = enroll(body(token, Csrs.request(id, key)));
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(200);
        X509Certificate certificate = Pem.certificates(enrolled.json().get("certificate").asText()).getFirst();
        X509Certificate ca = Pem.certificates(enrolled.json().get("caCertificates").asText()).getFirst();
        certificate.verify(ca.getPublicKey());
        assertThat(certificate.getPublicKey()).isEqualTo(key.getPublic());
        assertThat(certificate.getSubjectX500Principal().getName()).startsWith("CN=" + id + ",");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");   // TLS client only
        assertThat(Duration.between(clock.instant(), certificate.getNotAfter().toInstant()).toDays()).isBetween(89L, 90L);
        String profile = enrolled.json().get("siteProfile").asText();
        assertThat(profile).contains("  id: " + id).contains("tls:").contains("certificate: gateway.pem");
        assertThat(enrolled.json().get("broker").asText()).isNotBlank();
        assertThat(count("select count(*) as n from issued_certificate where gateway_id = ? and purpose = 'gateway'", id))
                .isEqualTo(1);

        Api.Response again = enroll(body(token, Csrs.request(id, Csrs.key())));
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.json().get("type").asText()).endsWith("enrollment-token-used");
        assertThat(again.json().get("detail").asText()).contains("使用済み");
        assertThat(count("select count(*) as n from issued_certificate where gateway_id = ?", id)).isEqualTo(1);
    }

    @Test
    void theProfileGivesEachDoorItsSiteDevicesNamedByTheirSecretFilesAndNoSecret() {
        String profile = SiteProfileExport.enrolled(cloud.database().client(), DemoData.CODE + "-gw-ekimae",
                "ssl://broker.example:8883", cloud.services().keys());
        String door = DemoData.CODE + "-door-group";
        assertThat(profile).contains("""
                  - id: %1$s
                    name: "グループ学習室 入口"
                """.formatted(door)).contains("""
                    lock:
                      type: gpio-relay
                      pin: 17
                      pulse-ms: 3000
                    keypad:
                      - type: coap
                        device: %1$s.keypad
                        secret-file: secrets/%1$s.keypad.psk
                      - type: mqtt-local
                        device: %1$s.wifi-keypad
                        secret-file: secrets/%1$s.wifi-keypad.pw
                    qr-reader:
                      type: coap
                      device: %1$s.qr
                      secret-file: secrets/%1$s.qr.psk
                """.formatted(door)).contains("device: " + DemoData.CODE + "-door-study.keypad\n");
        assertThat(profile).as("no device on the cloud broker, defaults for the site link")
                .doesNotContain("type: wifi", "type: mqtt\n", "topic:", "site-link:", "secret:", "password:");
    }

    @Test
    void everyBadRequestIsExplainedAndLeavesTheTokenUnusedAndNoCertificate() throws Exception {
        String id = register();
        String token = token(id);
        KeyPair key = Csrs.key();
        KeyPair other = Csrs.key();
        Map<String, String> attempts = new java.util.LinkedHashMap<>();
        attempts.put("not PEM", body(token, "hello"));
        attempts.put("a certificate, not a request", body(token, Pem.encode(cloud.services().ca().certificate())));
        attempts.put("key does not match the signature",
                body(token, Csrs.request(id, key.getPublic(), other.getPrivate(), "SHA256withECDSA")));
        attempts.put("another gateway's name", body(token, Csrs.request(DemoData.CODE + "-gw-ekimae", key)));
        KeyPair rsa = Csrs.rsa();
        attempts.put("an RSA key", body(token, Csrs.request(id, rsa.getPublic(), rsa.getPrivate(), "SHA256withRSA")));
        attempts.put("a clock ten minutes fast", "{\"token\":\"" + token + "\",\"csr\":" + json(Csrs.request(id, key))
                + ",\"clientTime\":\"" + clock.instant().plus(Duration.ofMinutes(10)) + "\"}");
        attempts.put("a clock that is not a time", "{\"token\":\"" + token + "\",\"clientTime\":\"yesterday\"}");
        attempts.put("no request at all", "{\"token\":\"" + token + "\"}");
        for (Map.Entry<String, String> attempt : attempts.entrySet()) {
            Api.Response response = enroll(attempt.getValue());
            assertThat(response.status()).as(attempt.getKey() + ": " + response.body()).isEqualTo(400);
            assertThat(response.json().get("detail").asText()).as(attempt.getKey()).isNotBlank();
        }
        assertThat(enroll("{\"token\":").status()).isEqualTo(400);
        assertThat(enroll("[]").status()).isEqualTo(400);
        assertThat(enroll(body("x".repeat(43), Csrs.request(id, key))).status()).isEqualTo(401);
        assertThat(enroll(body("", Csrs.request(id, key))).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/enroll", "x".repeat(70_000)).send().status()).isEqualTo(413);
        // Another municipality's address does not know this municipality's tokens.
        assertThat(api.post("/api/v1/enroll", body(token, Csrs.request(id, key))).header("Host", TestCloud.OTHER_HOST)
                .send().status()).isEqualTo(401);

        assertThat(count("select count(*) as n from gateway_enrollment where gateway_id = ? and used_at is not null", id))
                .isZero();
        assertThat(count("select count(*) as n from issued_certificate where gateway_id = ?", id)).isZero();
        assertThat(enroll(body(token, Csrs.request(id, key))).status()).as("the token still works").isEqualTo(200);
    }

    @Test
    void aNewTokenReplacesTheOneBefore() throws Exception {
        String id = register();
        String first = token(id);
        String second = token(id);
        Api.Response old = enroll(body(first, Csrs.request(id, Csrs.key())));
        assertThat(old.status()).isEqualTo(410);
        assertThat(old.json().get("detail").asText()).contains("置き換え");
        assertThat(enroll(body(second, Csrs.request(id, Csrs.key()))).status()).isEqualTo(200);
    }

    @Test
    void aTokenExpiresAfterThirtyMinutes() throws Exception {
        String id = register();
        String token = token(id);
        clock.advance(Duration.ofMinutes(31));
        try {
            Api.Response late = enroll(body(token, Csrs.request(id, Csrs.key())));
            assertThat(late.status()).isEqualTo(410);
            assertThat(late.json().get("type").asText()).endsWith("enrollment-token-expired");
            assertThat(count("select count(*) as n from issued_certificate where gateway_id = ?", id)).isZero();
        } finally {
            clock.advance(Duration.ofMinutes(-31));
        }
    }

    @Test
    void registrationIsCheckedOnTheServer() {
        assertThat(api.post("/api/v1/staff/gateways", newGateway("gw-without-prefix", ekimae)).token(main).send().status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/staff/gateways", newGateway(DemoData.CODE + "-gw/../x", ekimae)).token(main).send()
                .status()).isEqualTo(400);
        assertThat(api.post("/api/v1/staff/gateways", newGateway(TestCloud.OTHER_CODE + "-gw-x", ekimae)).token(main).send()
                .status()).as("another municipality's prefix").isEqualTo(400);
        assertThat(api.post("/api/v1/staff/gateways", newGateway(DemoData.CODE + "-gw-nowhere", 999_999)).token(main).send()
                .status()).isEqualTo(400);
        assertThat(api.post("/api/v1/staff/gateways", newGateway(DemoData.CODE + "-gw-ekimae", ekimae)).token(main).send()
                .status()).isEqualTo(409);
        assertThat(api.post("/api/v1/staff/gateways", newGateway(DemoData.CODE + "-gw-anon", ekimae)).send().status())
                .isEqualTo(401);
        String resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        assertThat(api.post("/api/v1/staff/gateways", newGateway(DemoData.CODE + "-gw-res", ekimae)).token(resident).send()
                .status()).isEqualTo(401);
        assertThat(api.post("/api/v1/staff/gateways/" + DemoData.CODE + "-gw-ekimae/enrollment", null).send().status())
                .isEqualTo(401);
        assertThat(api.post("/api/v1/staff/gateways/" + DemoData.CODE + "-gw-ekimae/enrollment", null)
                .header("Host", TestCloud.OTHER_HOST).token(main).send().status()).as("another municipality").isEqualTo(401);
        assertThat(api.post("/api/v1/staff/gateways/" + DemoData.CODE + "-gw-unknown/enrollment", null).token(main).send()
                .status()).isEqualTo(404);
        assertThat(count("select count(*) as n from gateway where id like ?", DemoData.CODE + "-gw-res%")).isZero();
    }

    @Test
    void aDecommissionedGatewayLosesItsCertificatesAndCannotComeBack() throws Exception {
        String id = register();
        KeyPair key = Csrs.key();
        assertThat(enroll(body(token(id), Csrs.request(id, key))).status()).isEqualTo(200);
        String open = token(id);
        // Renewal over the gateway's own link: only for the key it holds.
        X509Certificate renewed = cloud.services().enrollments().renew(id, Csrs.request(id, key));
        assertThat(renewed.getPublicKey()).isEqualTo(key.getPublic());
        assertThatThrownBy(() -> cloud.services().enrollments().renew(id, Csrs.request(id, Csrs.key())))
                .hasMessageContaining("not for the key");
        assertThatThrownBy(() -> cloud.services().enrollments().renew(id, Csrs.request(DemoData.CODE + "-gw-ekimae", key)))
                .hasMessageContaining("another gateway");

        Api.Response gone = api.post("/api/v1/staff/gateways/" + id + "/decommission", null).token(main).send();
        assertThat(gone.status()).as(gone.body()).isEqualTo(200);
        assertThat(gone.json().get("certificatesRevoked").asLong()).isEqualTo(2);
        assertThat(gone.json().get("brokerUpdated").asBoolean()).isTrue();
        assertThat(count("select count(*) as n from issued_certificate where gateway_id = ? and revoked_at is null", id))
                .isZero();
        assertThat(cloud.services().certificates().revoked(clock.instant())).containsKey(renewed.getSerialNumber());
        assertThat(enroll(body(open, Csrs.request(id, Csrs.key()))).status()).as("an open token").isEqualTo(410);
        assertThat(api.post("/api/v1/staff/gateways/" + id + "/enrollment", null).token(main).send().status()).isEqualTo(410);
        assertThat(api.post("/api/v1/staff/gateways/" + id + "/decommission", null).token(main).send().status()).isEqualTo(409);
        assertThatThrownBy(() -> cloud.services().enrollments().renew(id, Csrs.request(id, key)))
                .hasMessageContaining("not in service");
        JsonNode listed = api.get("/api/v1/staff/gateways").token(main).send().json().get("gateways");
        JsonNode view = java.util.stream.StreamSupport.stream(listed.spliterator(), false)
                .filter(g -> g.get("id").asText().equals(id)).findFirst().orElseThrow();
        assertThat(view.get("decommissionedAt").isNull()).isFalse();
    }

    @Test
    void theCrlListsRevokedCertificatesSignedByTheCa() throws Exception {
        String id = register();
        assertThat(enroll(body(token(id), Csrs.request(id, Csrs.key()))).status()).isEqualTo(200);
        api.post("/api/v1/staff/gateways/" + id + "/decommission", null).token(main).send();
        var crl = cloud.services().ca().crl(cloud.services().certificates().revoked(clock.instant()), Duration.ofDays(30));
        crl.verify(cloud.services().ca().certificate().getPublicKey());
        String serial = cloud.database().client().execute()
                .get("select serial from issued_certificate where gateway_id = ?", id).map(r -> Sql.text(r, "serial"))
                .orElseThrow();
        assertThat(crl.getRevokedCertificate(new java.math.BigInteger(serial, 16))).isNotNull();
    }

    String register() {
        String id = DemoData.CODE + "-gw-test-" + (++serial) + "-" + kind().name().toLowerCase();
        Api.Response created = api.post("/api/v1/staff/gateways", newGateway(id, ekimae)).token(main).send();
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return id;
    }

    String token(String id) {
        return api.post("/api/v1/staff/gateways/" + id + "/enrollment", null).token(main).send().json().get("token").asText();
    }

    static Api.Response enroll(String body) {
        return api.post("/api/v1/enroll", body).send();
    }

    static String body(String token, String csr) {
        return "{\"token\":\"" + token + "\",\"csr\":" + json(csr) + "}";
    }

    static String json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newGateway(String id, long facility) {
        return "{\"id\":\"" + id + "\",\"facilityId\":" + facility + ",\"name\":\"テスト ゲートウェイ\"}";
    }

    static long count(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).map(r -> Sql.longValue(r, "n")).orElseThrow();
    }
}
