package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Browser;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.sandbox.XidSandbox;
import jp.kominkan.shared.seal.SealedBox;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * xID as published: the code flow with scope {@code openid verification}, then the Userdata API with the access
 * token, its fields sealed to the municipality's key — against the xID sandbox (a real OpenID provider and the
 * Userdata API beside it, sealing with libsodium's construction). A cloud holding another key cannot read the
 * facts and creates nothing; the 個人番号 is never stored.
 */
@org.junit.jupiter.api.Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES)
class XidUserdataIT {

    static final SecureRandom RANDOM = new SecureRandom();
    static MockOAuth2Server sandbox;
    static Cloud cloud;
    static String base;
    static int serial;

    @BeforeAll
    static void start() {
        SealedBox.KeyPair municipality = SealedBox.generate(RANDOM);
        SealedBox.KeyPair stranger = SealedBox.generate(RANDOM);
        Path page = Path.of("..", "xid-sandbox", "src", "main", "resources", "jp", "kominkan", "sandbox", "login.html");
        var signing = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(RANDOM);
        sandbox = XidSandbox.start(0, page.toAbsolutePath(), municipality.publicKey(), signing);
        int port = TestCloud.freePort();
        base = "http://127.0.0.1:" + port;
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", Integer.toString(port));
        provider(settings, 0, "xid", municipality);
        provider(settings, 1, "xid-other-key", stranger);
        // The Userdata signature checked (inference, UserdataSignature): pinned to the sandbox's key, and to another.
        provider(settings, 2, "xid-signed", municipality);
        settings.put("kominkan.identity.providers.2.userdata-signature", "check");
        settings.put("kominkan.identity.providers.2.userdata-signing-key", UserdataSignatureTest.publicKey(signing));
        provider(settings, 3, "xid-signed-other", municipality);
        settings.put("kominkan.identity.providers.3.userdata-signature", "check");
        settings.put("kominkan.identity.providers.3.userdata-signing-key",
                UserdataSignatureTest.publicKey(new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(RANDOM)));
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(java.time.Instant.now()),
                true, settings);
    }

    private static void provider(Map<String, String> settings, int i, String id, SealedBox.KeyPair keys) {
        xidProvider(settings, i, id, sandbox.issuerUrl("xid").toString(), sandbox.baseUrl() + "v4", base, keys);
    }

    /**
     * An xID provider of the demo municipality as the tests configure it: scope {@code openid verification}, the
     * Userdata API and the municipality's sealed-box key pair.
     *
     * @param settings where the settings go
     * @param i        its index in {@code kominkan.identity.providers}
     * @param id       its id
     * @param issuer   the issuer
     * @param api      the Userdata API base
     * @param base     the cloud's address, for the redirect URI
     * @param keys     the municipality's key pair
     */
    static void xidProvider(Map<String, String> settings, int i, String id, String issuer, String api, String base,
                            SealedBox.KeyPair keys) {
        String key = "kominkan.identity.providers." + i + ".";
        settings.put(key + "municipality", DemoData.CODE);
        settings.put(key + "id", id);
        settings.put(key + "profile", "xid");
        settings.put(key + "issuer", issuer);
        settings.put(key + "client-id", "kominkan-test");
        settings.put(key + "client-secret", "test-secret");
        settings.put(key + "redirect-uri", base + "/auth/" + id + "/callback");
        settings.put(key + "scopes.0", "openid");
        settings.put(key + "scopes.1", "verification");
        settings.put(key + "userdata-api", api);
        settings.put(key + "box-public-key", keys.publicKeyBase64());
        settings.put(key + "box-secret-key", keys.secretKeyBase64());
    }

    @AfterAll
    static void stop() {
        cloud.close();
        sandbox.shutdown();
    }

    @Test
    void registeringReadsTheSealedFactsFromTheUserdataApi() {
        Browser browser = new Browser();
        String subject = "userdata-" + (++serial);
        Browser.Page start = browser.get(base + "/auth/xid/login?purpose=register");
        assertThat(start.redirect()).contains("scope=openid+verification").contains("code_challenge_method=S256");
        Map<String, Object> person = person(subject);
        person.put("my_number", "123456789018");
        Browser.Page done = complete(browser, start.redirect(), subject, person);
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        JsonNode me = browser.get(base + "/api/v1/me").json();
        assertThat(me.get("name").asText()).isEqualTo("髙橋 美咲");
        assertThat(me.get("address").get("city").asText()).isEqualTo("山吹市");
        assertThat(me.get("address").get("rest").asText()).isEqualTo("駅前2-8");
        assertThat(me.get("birthDate").asText()).isEqualTo("1992-11-03");
        assertThat(me.get("verification").get("residency").asText()).isEqualTo("resident");
        assertThat(DatabaseDump.everyValue(cloud)).contains("駅前2-8").doesNotContain("123456789018");
    }

    @Test
    void aResidentWhoMovesBecomesNonResidentAtTheNextLoginAfterReVerification() {
        Browser browser = new Browser();
        String subject = "mover-" + (++serial);
        Browser.Page registered = complete(browser, browser.get(base + "/auth/xid/login?purpose=register").redirect(),
                subject, person(subject));
        assertThat(registered.status()).isEqualTo(303);
        assertThat(browser.get(base + "/api/v1/me").json().get("verification").get("residency").asText())
                .isEqualTo("resident");
        // Logging in again with nothing changed at xID changes nothing.
        Browser.Page again = complete(browser, browser.get(base + "/auth/xid/login?purpose=login").redirect(),
                subject, person(subject));
        assertThat(again.status()).isEqualTo(303);
        assertThat(browser.get(base + "/api/v1/me/verification/changes").json().get("changes").size()).isZero();

        // The person moves to Tokyo; xID does not know until they re-read their card.
        Browser sandboxUser = new Browser();
        Browser.Page moved = sandboxUser.postForm(sandbox.baseUrl() + "sandbox/move", Map.of("subject", subject,
                "prefecture", "東京都", "city", "千代田区", "rest", "丸の内1-1"));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        Browser.Page login = complete(browser, browser.get(base + "/auth/xid/login?purpose=login").redirect(),
                subject, person(subject));
        assertThat(login.status()).as(login.body()).isEqualTo(303);
        JsonNode me = browser.get(base + "/api/v1/me").json();
        assertThat(me.get("address").get("city").asText()).isEqualTo("千代田区");
        assertThat(me.get("verification").get("residency").asText()).isEqualTo("non-resident");
        JsonNode changes = browser.get(base + "/api/v1/me/verification/changes").json().get("changes");
        assertThat(changes.size()).isEqualTo(1);
        assertThat(changes.get(0).get("facts").toString()).isEqualTo("[\"address\"]");
        assertThat(changes.get(0).get("residencyBefore").asText()).isEqualTo("resident");
        assertThat(changes.get(0).get("residencyAfter").asText()).isEqualTo("non-resident");
        assertThat(changes.toString()).doesNotContain("千代田区").doesNotContain("山吹市");
        assertThat(browser.get(base + "/mypage").body()).contains("住所が更新されました（市内 → 市外）");
        // xID's app showed the resident why: the request carried the reason and the notification's words.
        assertThat(sandboxUser.get(sandbox.baseUrl() + "sandbox/move").body())
                .contains(XidUserdataApi.TITLE, XidUserdataApi.REASON);
    }

    @Test
    void theReVerificationEndpointsRefuseAStrangersToken() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("v4/verification/status", "v4/verification/re-verification")) {
            var request = java.net.http.HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                    .timeout(java.time.Duration.ofSeconds(10)).header("Authorization", "Bearer not-a-token");
            var forged = http.send((path.endsWith("status") ? request.GET()
                    : request.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void aCloudWithAnotherKeyCannotReadTheFactsAndCreatesNothing() {
        Browser browser = new Browser();
        String subject = "userdata-" + (++serial);
        long accounts = DatabaseDump.count(cloud, "account");
        Browser.Page start = browser.get(base + "/auth/xid-other-key/login?purpose=register");
        Browser.Page done = complete(browser, start.redirect(), subject, person(subject));
        assertThat(done.status()).isEqualTo(502);
        assertThat(done.json().get("detail").asText()).contains("復号できませんでした");
        assertThat(done.body()).doesNotContain("山吹市").doesNotContain("駅前");
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
        assertThat(browser.cookie("kominkan_session")).isEmpty();
    }

    @Test
    void withTheSignatureCheckedTheSandboxsSignedAnswerIsReadAndAnotherKeysIsRefused() {
        Browser browser = new Browser();
        String subject = "signed-" + (++serial);
        // Another person than the other tests' (who registered through the provider "xid": one person, one account).
        Map<String, Object> signer = person(subject);
        signer.put("first_name", "署名");
        Browser.Page done = complete(browser, browser.get(base + "/auth/xid-signed/login?purpose=register").redirect(),
                subject, signer);
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(browser.get(base + "/api/v1/me").json().get("address").get("city").asText()).isEqualTo("山吹市");

        Browser other = new Browser();
        long accounts = DatabaseDump.count(cloud, "account");
        String stranger = "signed-" + (++serial);
        Browser.Page refused = complete(other,
                other.get(base + "/auth/xid-signed-other/login?purpose=register").redirect(), stranger, person(stranger));
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.json().get("detail").asText()).contains("登録されていない鍵で署名");
        assertThat(refused.body()).doesNotContain("山吹市").doesNotContain("駅前");
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
        assertThat(other.cookie("kominkan_session")).isEmpty();
    }

    @Test
    void theUserdataApiRefusesATokenItDidNotSignOrWithoutTheScope() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        URI api = URI.create(sandbox.baseUrl() + "v4/verification/userdata");
        var forged = http.send(java.net.http.HttpRequest.newBuilder(api).timeout(java.time.Duration.ofSeconds(10)).header("Authorization",
                "Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
        String noScope = sandbox.issueToken("xid", "someone", new DefaultOAuth2TokenCallback("xid", "someone", "JWT",
                List.of("kominkan-test"), person("someone"), 3600)).serialize();
        var narrow = http.send(java.net.http.HttpRequest.newBuilder(api).timeout(java.time.Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + noScope)
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(narrow.statusCode()).isEqualTo(403);
        assertThat(narrow.body()).doesNotContain("山吹市");
    }

    private static Browser.Page complete(Browser browser, String authorize, String subject, Map<String, Object> claims) {
        return consent(base, browser, authorize, subject, claims);
    }

    /**
     * Answers the xID sandbox's consent page as the person would and follows the redirect back to the cloud.
     *
     * @param base      the cloud's address
     * @param browser   the person's browser
     * @param authorize the authorization request the cloud sent the browser to
     * @param subject   who logs in at the sandbox
     * @param claims    the facts their card holds
     * @return the cloud's answer to the callback
     */
    static Browser.Page consent(String base, Browser browser, String authorize, String subject,
                                Map<String, Object> claims) {
        // The sandbox's consent page, as a person would send it: who, the facts their card holds, and the scope
        // granted (mock-oauth2-server does not copy the requested scope into its tokens; the page says it).
        assertThat(browser.get(authorize).status()).isEqualTo(200);
        Map<String, Object> granted = new HashMap<>(claims);
        granted.put("scope", "openid verification");
        Browser.Page atProvider = browser.postForm(authorize, Map.of("username", subject,
                "claims", com.nimbusds.jose.util.JSONObjectUtils.toJSONString(granted)));
        assertThat(atProvider.status()).as(atProvider.body()).isEqualTo(302);
        String callback = atProvider.redirect();
        return browser.get(callback.startsWith("/") ? base + callback : callback);
    }

    static Map<String, Object> person(String subject) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("last_name", "髙橋");
        claims.put("first_name", "美咲");
        claims.put("former_last_name", "佐藤");
        claims.put("former_first_name", "美咲");
        claims.put("address", Map.of("prefecture", "山梨県", "city", "山吹市", "rest", "駅前2-8"));
        claims.put("date_of_birth", Map.of("year", 1992, "month", 11, "day", 3));
        claims.put("gender", "2");
        claims.put("email", subject + "@example.jp");
        return claims;
    }
}
