package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Browser;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.sandbox.AgencyPerson;
import jp.kominkan.sandbox.AgencySandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * デジタル認証アプリ (profile {@code digital-agency}) against the Agency sandbox, over real sockets: the code flow with
 * PKCE, nonce and {@code acr_values=aal3 crl}; {@code private_key_jwt} at the token endpoint; an ES256 (or RS256) ID
 * token with {@code at_hash} and {@code acr}; the 基本4情報 from userinfo as strings. A wrong client key, a missing
 * PKCE verifier, a wrong {@code acr} and a bad {@code at_hash} are each refused and create nothing; the 個人番号 is
 * never stored.
 */
class AgencyIT {

    static final String CLIENT_ID = "KominkanTest";
    static AgencySandbox sandbox;
    static Cloud cloud;
    static String base;
    static ECKey clientKey;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path keys;

    @BeforeAll
    static void start() throws Exception {
        clientKey = new ECKeyGenerator(Curve.P_256).keyID("rp-1").generate();
        ECKey strangerKey = new ECKeyGenerator(Curve.P_256).keyID("rp-1").generate();
        int port = TestCloud.freePort();
        base = "http://127.0.0.1:" + port;
        sandbox = AgencySandbox.start(0, List.of(new AgencySandbox.Client(CLIENT_ID, clientKey,
                List.of(URI.create(base + "/auth/mynaapp/callback"), URI.create(base + "/auth/mynaapp-other/callback")))));
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", Integer.toString(port));
        provider(settings, 0, "mynaapp", clientKey);
        provider(settings, 1, "mynaapp-other", strangerKey);
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true,
                settings);
    }

    private static void provider(Map<String, String> settings, int i, String id, ECKey key) throws Exception {
        Path file = keys.resolve(id + ".jwk");
        Files.writeString(file, key.toJSONString());
        String prefix = "kominkan.identity.providers." + i + ".";
        settings.put(prefix + "municipality", DemoData.CODE);
        settings.put(prefix + "id", id);
        settings.put(prefix + "label", "デジタル認証アプリ");
        settings.put(prefix + "profile", "digital-agency");
        settings.put(prefix + "issuer", sandbox.issuer());
        settings.put(prefix + "client-id", CLIENT_ID);
        settings.put(prefix + "client-jwk-file", file.toString());
        settings.put(prefix + "redirect-uri", base + "/auth/" + id + "/callback");
    }

    @AfterAll
    static void stop() {
        cloud.close();
        sandbox.close();
    }

    @AfterEach
    void signWithTheAgencysAlgorithmAgain() {
        sandbox.signWith(JWSAlgorithm.ES256);
    }

    @Test
    void registeringMapsTheAgencysFactsAndNeverStoresTheMyNumber() {
        Browser browser = new Browser();
        Browser.Page start = browser.get(base + "/auth/mynaapp/login?purpose=register");
        Map<String, String> request = query(URI.create(start.redirect()));
        assertThat(start.redirect()).startsWith(sandbox.issuer() + "/protocol/openid-connect/auth?");
        assertThat(request).containsEntry("acr_values", "aal3 crl").containsEntry("code_challenge_method", "S256")
                .containsEntry("scope", "openid name address birthdate gender").containsEntry("client_id", CLIENT_ID)
                .containsKeys("nonce", "state", "code_challenge");
        sandbox.misbehave(AgencySandbox.Misbehaviour.SEND_MY_NUMBER);
        Browser.Page done = callback(browser, consent(browser, start.redirect(), "p1"));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        JsonNode me = browser.get(base + "/api/v1/me").json();
        assertThat(me.get("name").asText()).isEqualTo("山吹 太郎");
        assertThat(me.get("address").get("prefecture").asText()).isEqualTo("山梨県");
        assertThat(me.get("address").get("city").asText()).isEqualTo("山吹市");
        assertThat(me.get("address").get("rest").asText()).isEqualTo("中央1-2-3");
        assertThat(me.get("birthDate").asText()).isEqualTo("1980-01-15");
        assertThat(me.get("verification").get("residency").asText()).isEqualTo("resident");
        assertThat(DatabaseDump.everyValue(cloud)).contains("中央1-2-3").doesNotContain(AgencyPerson.DEMO_MY_NUMBER);
    }

    @Test
    void aPersonInADesignatedCityWardIsNonResident() {
        Browser browser = new Browser();
        Browser.Page start = browser.get(base + "/auth/mynaapp/login?purpose=register");
        Browser.Page done = callback(browser, consent(browser, start.redirect(), "p2"));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        JsonNode me = browser.get(base + "/api/v1/me").json();
        assertThat(me.get("address").get("prefecture").asText()).isEqualTo("神奈川県");
        assertThat(me.get("address").get("city").asText()).isEqualTo("横浜市中区");
        assertThat(me.get("birthDate").asText()).isEqualTo("1992-11-03");
        assertThat(me.get("verification").get("residency").asText()).isEqualTo("non-resident");
    }

    @Test
    void anRs256IdTokenIsAcceptedToo() {
        sandbox.signWith(JWSAlgorithm.RS256);
        Browser browser = new Browser();
        Browser.Page start = browser.get(base + "/auth/mynaapp/login?purpose=register");
        Browser.Page done = callback(browser, consent(browser, start.redirect(), "p3"));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(browser.get(base + "/api/v1/me").json().get("address").get("city").asText())
                .isEqualTo("西多摩郡瑞穂町");
    }

    @Test
    void aClientAssertionSignedWithAnotherKeyIsRefusedAndCreatesNothing() {
        assertRefused("mynaapp-other", null, "token-invalid_client");
    }

    @Test
    void aWrongAcrIsRefusedAndCreatesNothing() {
        assertRefused("mynaapp", AgencySandbox.Misbehaviour.WRONG_ACR, "id-token-acr");
        assertRefused("mynaapp", AgencySandbox.Misbehaviour.NO_ACR, "id-token-acr");
    }

    @Test
    void aBadAtHashIsRefusedAndCreatesNothing() {
        assertRefused("mynaapp", AgencySandbox.Misbehaviour.WRONG_AT_HASH, "id-token-at-hash");
        assertRefused("mynaapp", AgencySandbox.Misbehaviour.NO_AT_HASH, "id-token-at-hash");
    }

    @Test
    void theSandboxRefusesACodeWithoutItsPkceVerifierAndAReplayedAssertion() throws Exception {
        Browser browser = new Browser();
        Browser.Page start = browser.get(base + "/auth/mynaapp/login?purpose=register");
        String callback = consent(browser, start.redirect(), "p1");
        String code = query(URI.create(callback)).get("code");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", base + "/auth/mynaapp/callback");
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion(sandbox.tokenEndpoint().toString()));
        HttpResponse<String> noVerifier = token(form);
        assertThat(noVerifier.statusCode()).isEqualTo(400);
        assertThat(noVerifier.body()).contains("invalid_grant").doesNotContain("id_token");
        // the same assertion again (its jti seen), and one for another audience: the client is not authenticated
        assertThat(token(form).statusCode()).isEqualTo(401);
        form.put("client_assertion", assertion("https://elsewhere.example/token"));
        assertThat(token(form).statusCode()).isEqualTo(401);
        // and the code was used up by the first try, even with a fresh assertion and some verifier
        form.put("client_assertion", assertion(sandbox.tokenEndpoint().toString()));
        form.put("code_verifier", "a".repeat(43));
        assertThat(token(form).body()).contains("invalid_grant");
    }

    @Test
    void theSandboxSendsAnAuthorizationRequestWithoutAal3BackWithAnError() {
        Browser browser = new Browser();
        String authorize = browser.get(base + "/auth/mynaapp/login?purpose=register").redirect();
        Browser.Page refused = browser.get(authorize.replace("acr_values=aal3+crl", "acr_values=aal2"));
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.redirect()).startsWith(base + "/auth/mynaapp/callback?error=invalid_request");
        Browser.Page foreign = browser.get(authorize.replaceFirst("redirect_uri=[^&]+",
                "redirect_uri=" + URLEncoder.encode("https://attacker.example/cb", StandardCharsets.UTF_8)));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.location()).isEmpty();
    }

    @Test
    void theRegisterAndLoginPagesOfferEveryEnabledProvider() {
        Browser browser = new Browser();
        String register = browser.get(base + "/register").body();
        assertThat(register).contains("href=\"/auth/mynaapp/login?purpose=register&amp;return=/mypage\"")
                .contains("href=\"/auth/mynaapp-other/login?purpose=register&amp;return=/mypage\"")
                .contains("デジタル認証アプリ で新規登録");
        assertThat(browser.get(base + "/login").body())
                .contains("href=\"/auth/mynaapp/login?purpose=login&amp;return=/mypage\"");
    }

    @Test
    void myPageOffersToVerifyAnExistingAccountWithTheAgency() {
        Browser browser = new Browser();
        String email = "agency-verify-" + System.nanoTime() + "@example.jp";
        jp.kominkan.cloud.support.Api api = new jp.kominkan.cloud.support.Api(cloud.port());
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\","
                + "\"name\":\"確認 待子\"}").send().status()).isEqualTo(201);
        assertThat(browser.post(base + "/api/v1/session", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\"}").status()).isEqualTo(200);
        String mypage = browser.get(base + "/mypage").body();
        assertThat(mypage).contains("href=\"/auth/mynaapp/login?purpose=verify&amp;return=/mypage\"")
                .contains("デジタル認証アプリ で本人確認する");
        Browser.Page start = browser.get(base + "/auth/mynaapp/login?purpose=verify&return=/mypage");
        assertThat(start.status()).isEqualTo(303);
        assertThat(query(URI.create(start.redirect()))).containsEntry("acr_values", "aal3 crl");
        assertThat(browser.get(start.redirect()).body()).contains("情報提供への同意");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void assertRefused(String providerId, AgencySandbox.Misbehaviour misbehaviour, String reason) {
        long accounts = DatabaseDump.count(cloud, "account");
        Browser browser = new Browser();
        Browser.Page start = browser.get(base + "/auth/" + providerId + "/login?purpose=register");
        if (misbehaviour != null) {
            sandbox.misbehave(misbehaviour);
        }
        Browser.Page done = callback(browser, consent(browser, start.redirect(), "p3"));
        assertThat(done.status()).as(done.body()).isEqualTo(400);
        assertThat(done.json().get("type").asText()).endsWith("identity-rejected");
        assertThat(done.body()).doesNotContain("瑞穂");
        assertThat(browser.cookie("kominkan_session")).isEmpty();
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
        assertThat(lastFailure()).isEqualTo(reason);
    }

    /** The consent page, then its form sent as a person would: the chosen demo person and 「同意して情報を提供する」. */
    /** The Agency sandbox's consent page, answered as a person would: who, and 同意. */
    static String consent(Browser browser, String authorize, String person) {
        Browser.Page page = browser.get(authorize);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("情報提供への同意").contains("value=\"" + person + "\"");
        Map<String, String> fields = new LinkedHashMap<>(query(URI.create(authorize)));
        fields.put("person", person);
        fields.put("decision", "consent");
        Browser.Page answered = browser.postForm(authorize, fields);
        assertThat(answered.status()).as(answered.body()).isEqualTo(302);
        return answered.redirect();
    }

    private static Browser.Page callback(Browser browser, String callback) {
        return browser.get(callback.startsWith("/") ? base + callback : callback);
    }

    private static String assertion(String audience) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(clientKey.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(CLIENT_ID).subject(CLIENT_ID).audience(audience)
                        .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(60))).build());
        jwt.sign(new ECDSASigner(clientKey));
        return jwt.serialize();
    }

    private static HttpResponse<String> token(Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return HTTP.send(HttpRequest.newBuilder(sandbox.tokenEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String lastFailure() {
        return cloud.database().client().execute()
                .get("select reason from identity_audit where event = 'failed' order by id desc limit 1")
                .map(r -> Sql.text(r, "reason")).orElseThrow();
    }
}
