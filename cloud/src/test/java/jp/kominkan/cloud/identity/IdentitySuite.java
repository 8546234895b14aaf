package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.Browser;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Register, log in and verify through a real OpenID Connect provider (mock-oauth2-server) issuing
 * xID-shaped and standard claims, and every way a callback can be forged, replayed or tampered with.
 * Nothing here makes a token by hand: the provider issues them, the test only chooses their claims.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdentitySuite {

    static final String CLIENT_ID = "kominkan-test";
    static MockOAuth2Server provider;
    static MutableClock clock;
    static Cloud cloud;
    static String base;
    static int serial;

    Browser browser;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        provider = new MockOAuth2Server();
        provider.start();
        clock = new MutableClock(java.time.Instant.now());
        int port = TestCloud.freePort();
        base = "http://127.0.0.1:" + port;
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", Integer.toString(port));
        provider(settings, 0, "xid", "xid", provider.issuerUrl("xid").toString());
        provider(settings, 1, "mynaapp", "standard", provider.issuerUrl("mynaapp").toString());
        provider(settings, 2, "down", "xid", "http://127.0.0.1:1/down");
        settings.put("kominkan.identity.timeout", "PT2S");
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true, settings);
    }

    private static void provider(Map<String, String> settings, int i, String id, String profile, String issuer) {
        String key = "kominkan.identity.providers." + i + ".";
        settings.put(key + "municipality", DemoData.CODE);
        settings.put(key + "id", id);
        settings.put(key + "profile", profile);
        settings.put(key + "issuer", issuer);
        settings.put(key + "client-id", CLIENT_ID);
        settings.put(key + "client-secret", "test-secret");
        settings.put(key + "redirect-uri", base + "/auth/" + id + "/callback");
    }

    @AfterAll
    void stop() {
        cloud.close();
        provider.shutdown();
    }

    @BeforeEach
    void newBrowser() {
        browser = new Browser();
    }

    // ---- the flows --------------------------------------------------------------------------

    @Test
    void theEnabledProvidersAreListed() {
        JsonNode providers = browser.get(base + "/api/v1/identity/providers").json().get("providers");
        assertThat(providers.findValuesAsText("id")).containsExactly("xid", "mynaapp", "down");
        assertThat(providers.get(0).get("loginPath").asText()).isEqualTo("/auth/xid/login");
    }

    @Test
    void registeringWithXidCreatesAVerifiedResidentWithoutTyping() {
        String subject = subject();
        long registeredBefore = audit("registered");
        Browser.Page done = login("xid", "register", xid(subject, "山梨県", "山吹市"));
        assertThat(done.status()).isEqualTo(303);
        assertThat(done.redirect()).isEqualTo("/mypage");
        assertThat(browser.cookie("kominkan_session")).isPresent();
        JsonNode me = browser.get(base + "/api/v1/me").json();
        assertThat(me.get("name").asText()).isEqualTo("山吹 花子");
        assertThat(me.get("address").get("prefecture").asText()).isEqualTo("山梨県");
        assertThat(me.get("address").get("city").asText()).isEqualTo("山吹市");
        assertThat(me.get("address").get("rest").asText()).isEqualTo("中央1-2-3");
        assertThat(me.get("birthDate").asText()).isEqualTo("1985-04-01");
        assertThat(me.get("email").asText()).isEqualTo(subject + "@example.jp");
        JsonNode verification = me.get("verification");
        assertThat(verification.get("status").asText()).isEqualTo("verified");
        assertThat(verification.get("provider").asText()).isEqualTo("xid");
        assertThat(verification.get("residency").asText()).isEqualTo("resident");
        assertThat(me.get("missing").findValuesAsText("")).isEmpty();
        assertThat(me.get("missing").toString()).isEqualTo("[\"phone\"]");
        assertThat(audit("registered")).isEqualTo(registeredBefore + 1);
    }

    @Test
    void withoutAnEmailFromTheProviderTheResidentIsAskedForOne() {
        Map<String, Object> claims = xid(subject(), "東京都", "千代田区");
        claims.remove("email");
        login("xid", "register", claims).redirect();
        JsonNode me = browser.get(base + "/api/v1/me").json();
        assertThat(me.has("email")).isFalse();
        assertThat(me.get("missing").toString()).isEqualTo("[\"email\",\"phone\"]");
        assertThat(me.get("verification").get("residency").asText()).isEqualTo("non-resident");
        Browser.Page added = browser.patch(base + "/api/v1/me",
                "{\"email\":\"Misaki@Example.jp\",\"phone\":\"０５５−１２３−４５６７\"}");
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.json().get("email").asText()).isEqualTo("misaki@example.jp");
        assertThat(added.json().get("missing").size()).isZero();
    }

    @Test
    void aRegisteredPersonLogsInWithXidAndAnUnknownOneIsToldToRegister() {
        String subject = subject();
        login("xid", "register", xid(subject, "山梨県", "山吹市")).redirect();
        String id = browser.get(base + "/api/v1/me").json().get("id").asText();

        Browser other = new Browser();
        browser = other;
        Browser.Page done = login("xid", "login", xid(subject, "山梨県", "山吹市"));
        assertThat(done.status()).isEqualTo(303);
        assertThat(browser.get(base + "/api/v1/me").json().get("id").asText()).isEqualTo(id);

        browser = new Browser();
        Browser.Page unknown = login("xid", "login", xid(subject(), "山梨県", "山吹市"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).contains("xID で新規登録");
        assertThat(browser.cookie("kominkan_session")).isEmpty();
    }

    @Test
    void aPasswordAccountIsVerifiedInOneClickThenItsFactsAreLockedUntilUnlinked() {
        String email = subject() + "@example.jp";
        passwordAccount(email, "仮 名前");
        Browser.Page done = login("xid", "verify", xid(subject(), "東京都", "千代田区"));
        assertThat(done.status()).isEqualTo(303);
        JsonNode me = browser.get(base + "/api/v1/me").json();
        assertThat(me.get("name").asText()).isEqualTo("山吹 花子");
        assertThat(me.get("email").asText()).isEqualTo(email);
        assertThat(me.get("verification").get("status").asText()).isEqualTo("verified");
        assertThat(me.get("verification").get("residency").asText()).isEqualTo("non-resident");

        Browser.Page locked = browser.patch(base + "/api/v1/me", "{\"name\":\"別の 名前\"}");
        assertThat(locked.status()).isEqualTo(409);
        assertThat(locked.json().get("detail").asText()).contains("xID アプリで変更", "もう一度本人確認");
        assertThat(browser.patch(base + "/api/v1/me", "{\"birthDate\":\"1990-01-01\"}").status()).isEqualTo(409);
        assertThat(browser.patch(base + "/api/v1/me", "{\"organisation\":\"山吹囲碁クラブ\"}").status()).isEqualTo(200);
        assertThat(browser.get(base + "/api/v1/me").json().get("name").asText()).isEqualTo("山吹 花子");

        assertThat(browser.delete(base + "/api/v1/me/verification").status()).isEqualTo(204);
        JsonNode unlinked = browser.get(base + "/api/v1/me").json();
        assertThat(unlinked.get("verification").get("status").asText()).isEqualTo("unverified");
        assertThat(unlinked.get("verification").get("residency").asText()).isEqualTo("unknown");
        assertThat(browser.patch(base + "/api/v1/me", "{\"name\":\"別の 名前\"}").status()).isEqualTo(200);
        assertThat(audit("unlinked")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anAccountMadeWithXidCannotUnlinkItselfOutOfReach() {
        login("xid", "register", xid(subject(), "山梨県", "山吹市")).redirect();
        Browser.Page refused = browser.delete(base + "/api/v1/me/verification");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("退会");
        assertThat(browser.get(base + "/api/v1/me").json().get("verification").get("status").asText())
                .isEqualTo("verified");
    }

    @Test
    void registeringWithAnEmailThatHasAnAccountPointsToThatAccount() {
        String email = subject() + "@example.jp";
        new Api(cloud.port()).post("/api/v1/accounts", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\",\"name\":\"既存 利用者\"}").send();
        long accounts = DatabaseDump.count(cloud, "account");
        Map<String, Object> claims = xid(subject(), "山梨県", "山吹市");
        claims.put("email", email);
        Browser.Page taken = login("xid", "register", claims);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("detail").asText()).contains("マイページから本人確認");
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
    }

    @Test
    void aLoginStartedOnAnotherHostMovesToTheRegisteredCallbackHostFirst() {
        Browser.Page moved = browser.get(base.replace("127.0.0.1", "localhost") + "/auth/xid/login?purpose=login");
        assertThat(moved.status()).isEqualTo(303);
        assertThat(moved.redirect()).isEqualTo(base + "/auth/xid/login?purpose=login");
    }

    @Test
    void twoLoginsUnderWayInOneBrowserBothComplete() {
        Browser.Page first = browser.get(base + "/auth/xid/login?purpose=register");
        Browser.Page second = browser.get(base + "/auth/xid/login?purpose=register");
        String subjectA = subject();
        String subjectB = subject();
        provider.enqueueCallback(callback("xid", subjectA, withoutSub(xid(subjectA, "山梨県", "山吹市")), 3600));
        String callbackA = absolute(browser.get(first.redirect()).redirect());
        assertThat(browser.get(callbackA).status()).isEqualTo(303);
        provider.enqueueCallback(callback("xid", subjectB, withoutSub(xid(subjectB, "山梨県", "山吹市")), 3600));
        String callbackB = absolute(browser.get(second.redirect()).redirect());
        assertThat(browser.get(callbackB).status()).isEqualTo(303);
    }

    @Test
    void onePersonHoldsOneAccountPerMunicipality() {
        String person = subject();
        login("xid", "register", xid(person, "山梨県", "山吹市")).redirect();

        browser = new Browser();
        passwordAccount(subject() + "@example.jp", "二つ目 アカウント");
        long before = audit("duplicate-person");
        Browser.Page second = login("xid", "verify", xid(person, "山梨県", "山吹市"));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("type").asText()).endsWith("identity-in-use");
        assertThat(second.json().get("detail").asText()).contains("別のアカウントで本人確認");
        JsonNode me = browser.get(base + "/api/v1/me").json();
        assertThat(me.get("verification").get("status").asText()).isEqualTo("unverified");
        assertThat(me.get("name").asText()).isEqualTo("二つ目 アカウント");
        assertThat(audit("duplicate-person")).isEqualTo(before + 1);
    }

    @Test
    void aVerificationExpiresAfterAYearAndReVerificationRecomputesResidency() {
        String email = subject() + "@example.jp";
        passwordAccount(email, "期限 確認");
        String person = subject();
        login("xid", "verify", xid(person, "山梨県", "山吹市")).redirect();
        assertThat(browser.get(base + "/api/v1/me").json().get("verification").get("residency").asText())
                .isEqualTo("resident");
        clock.advance(Duration.ofDays(366));
        try {
            browser.clearCookies();
            browser.post(base + "/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}");
            JsonNode expired = browser.get(base + "/api/v1/me").json().get("verification");
            assertThat(expired.get("status").asText()).isEqualTo("expired");
            assertThat(expired.get("residency").asText()).isEqualTo("unknown");
            // The person moved out: verifying again with the new address makes them non-resident.
            login("xid", "verify", xid(person, "神奈川県", "横浜市中区")).redirect();
            JsonNode renewed = browser.get(base + "/api/v1/me").json();
            assertThat(renewed.get("verification").get("status").asText()).isEqualTo("verified");
            assertThat(renewed.get("verification").get("residency").asText()).isEqualTo("non-resident");
            assertThat(renewed.get("address").get("city").asText()).isEqualTo("横浜市中区");
        } finally {
            clock.advance(Duration.ofDays(-366));
        }
    }

    @Test
    void theStandardClaimsProfileRegistersToo() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("name", "桜川　太郎");
        claims.put("address", Map.of("region", "山梨県", "locality", "山吹市", "street_address", "駅前2-8"));
        claims.put("birthdate", "1979-12-31");
        login("mynaapp", "register", subject(), claims).redirect();
        JsonNode me = browser.get(base + "/api/v1/me").json();
        assertThat(me.get("name").asText()).isEqualTo("桜川 太郎");
        assertThat(me.get("birthDate").asText()).isEqualTo("1979-12-31");
        assertThat(me.get("verification").get("provider").asText()).isEqualTo("mynaapp");
        assertThat(me.get("verification").get("residency").asText()).isEqualTo("resident");
    }

    @Test
    void deletingTheAccountRemovesPersonalDataAndAnonymisesBookings() {
        String subject = subject();
        login("xid", "register", xid(subject, "山梨県", "山吹市")).redirect();
        String id = browser.get(base + "/api/v1/me").json().get("id").asText();
        LocalDate day = LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Tokyo"))).plusDays(5);
        Api.Response booked = new Api(cloud.port()).post("/api/v1/reservations", """
                {"roomId": %d, "start": "%sT10:00:00+09:00", "end": "%sT11:00:00+09:00",
                 "purpose": "山吹 花子の誕生会", "attendees": 1}""".formatted(studyRoom(), day, day))
                .token(browser.cookie("kominkan_session").orElseThrow())
                .header("Idempotency-Key", subject()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        String reservation = booked.json().get("id").asText();

        assertThat(browser.delete(base + "/api/v1/me").status()).isEqualTo(204);
        assertThat(browser.get(base + "/api/v1/me").status()).isEqualTo(401);
        var db = cloud.database().client().execute();
        var row = db.get("select email, name, birth_date, address_city, deleted_at from account where id = ?",
                java.util.UUID.fromString(id)).orElseThrow();
        assertThat(Sql.optionalText(row, "email")).isEmpty();
        assertThat(Sql.text(row, "name")).isEqualTo("(退会済み)");
        assertThat(Sql.value(row, "birth_date")).isEmpty();
        assertThat(Sql.optionalText(row, "address_city")).isEmpty();
        var booking = db.get("select status, purpose from reservation where id = ?",
                java.util.UUID.fromString(reservation)).orElseThrow();
        assertThat(Sql.text(booking, "status")).isEqualTo("cancelled");
        assertThat(Sql.text(booking, "purpose")).doesNotContain("山吹");
        assertThat(db.get("select count(*) as n from identity_link where account_id = ?",
                java.util.UUID.fromString(id)).map(r -> Sql.longValue(r, "n")).orElseThrow()).isZero();
        assertThat(db.get("select count(*) as n from identity_subject where account_id = ?",
                java.util.UUID.fromString(id)).map(r -> Sql.longValue(r, "n")).orElseThrow()).isZero();
        // The person may register afresh.
        browser = new Browser();
        assertThat(login("xid", "register", xid(subject, "山梨県", "山吹市")).status()).isEqualTo(303);
        assertThat(browser.get(base + "/api/v1/me").json().get("id").asText()).isNotEqualTo(id);
    }

    @Test
    void theMyNumberIsNeverStoredEvenIfAProviderSendsIt() {
        String subject = subject();
        Map<String, Object> claims = xid(subject, "山梨県", "山吹市");
        claims.put("my_number", "123456789018");
        claims.put("individual_number", "123456789018");
        assertThat(login("xid", "register", claims).status()).isEqualTo(303);
        // Every value of every table: the person is there (their e-mail), the number is not.
        String dump = DatabaseDump.everyValue(cloud);
        assertThat(dump).contains(subject + "@example.jp").doesNotContain("123456789018");
    }

    @Test
    void theAuditTrailHoldsNoPersonalData() {
        String subject = subject();
        login("xid", "register", xid(subject, "山梨県", "山吹市")).redirect();
        List<String> rows = Sql.list(cloud.database().client().execute().query(
                "select event, coalesce(reason, '') as reason, coalesce(subject_hash, '') as subject_hash"
                        + " from identity_audit"), r -> Sql.text(r, "event") + "|" + Sql.text(r, "reason") + "|"
                + Sql.text(r, "subject_hash"));
        assertThat(rows).isNotEmpty();
        // The subject only as a SHA-256 (whose hex may hold any digits, "1985" too), nothing else about the person.
        assertThat(rows).allMatch(row -> row.matches("[^|]*\\|[^|]*\\|([0-9a-f]{64})?"), "event|reason|sha-256");
        assertThat(rows.stream().map(row -> row.substring(0, row.lastIndexOf('|'))).toList().toString())
                .doesNotContain(subject, "山吹 花子", "中央1-2-3", "1985");
    }

    // ---- bad answers from the provider -------------------------------------------------------

    @Test
    void missingOrMalformedClaimsAreExplainedAndCreateNothing() {
        long accounts = DatabaseDump.count(cloud, "account");
        Map<String, Object> noAddress = xid(subject(), "山梨県", "山吹市");
        noAddress.remove("address");
        Browser.Page missing = login("xid", "register", noAddress);
        assertThat(missing.status()).isEqualTo(502);
        assertThat(missing.json().get("detail").asText()).contains("address", "アプリに登録されている情報");

        Map<String, Object> oddDate = new HashMap<>(Map.of("name", "桜川 花", "birthdate", "0000-04-01",
                "address", Map.of("region", "山梨県", "locality", "山吹市")));
        Browser.Page badDate = login("mynaapp", "register", subject(), oddDate);
        assertThat(badDate.status()).isEqualTo(502);
        assertThat(badDate.json().get("detail").asText()).contains("生年月日");

        Map<String, Object> impossible = xid(subject(), "山梨県", "山吹市");
        impossible.put("date_of_birth", Map.of("year", 1985, "month", 2, "day", 30));
        assertThat(login("xid", "register", impossible).status()).isEqualTo(502);
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
        assertThat(browser.cookie("kominkan_session")).isEmpty();
    }

    @Test
    void aProviderThatIsDownGetsAClearJapaneseMessage() {
        Browser.Page down = browser.get(base + "/auth/down/login?purpose=register");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().get("detail").asText()).contains("本人確認サービスに接続できません");
    }

    @Test
    void cancellingAtTheProviderChangesNothing() {
        Browser.Page start = browser.get(base + "/auth/xid/login?purpose=register");
        String state = query(start.redirect(), "state");
        Browser.Page back = browser.get(base + "/auth/xid/callback?error=access_denied&state=" + state);
        assertThat(back.status()).isEqualTo(400);
        assertThat(back.json().get("type").asText()).endsWith("identity-cancelled");
        assertThat(browser.cookie("kominkan_session")).isEmpty();
    }

    // ---- forged, replayed and tampered callbacks ---------------------------------------------

    @Test
    void aCallbackWithoutOrWithAWrongStateIsRefused() {
        browser.get(base + "/auth/xid/login?purpose=register");
        long accounts = DatabaseDump.count(cloud, "account");
        assertThat(browser.get(base + "/auth/xid/callback?code=abc").status()).isEqualTo(400);
        Browser.Page wrong = browser.get(base + "/auth/xid/callback?code=abc&state=forged");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("detail").asText()).contains("最初からやり直してください");
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
        assertThat(browser.cookie("kominkan_session")).isEmpty();
        assertThat(lastFailure()).isEqualTo("state-unknown-or-used");
    }

    @Test
    void aCallbackInAnotherBrowserIsRefused() {
        Browser.Page start = browser.get(base + "/auth/xid/login?purpose=register");
        Browser.Page atProvider = browser.get(start.redirect());
        Browser attacker = new Browser();
        Browser.Page forged = attacker.get(absolute(atProvider.redirect()));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(attacker.cookie("kominkan_session")).isEmpty();
        assertThat(lastFailure()).isEqualTo("browser-binding-missing");
    }

    @Test
    void aReplayedCallbackIsRefused() {
        provider.enqueueCallback(callback("xid", subject(), xid(subject(), "山梨県", "山吹市"), 3600));
        Browser.Page start = browser.get(base + "/auth/xid/login?purpose=register");
        String callback = absolute(browser.get(start.redirect()).redirect());
        Browser.Page first = browser.get(callback);
        assertThat(first.status()).isEqualTo(303);
        Browser.Page replay = browser.get(callback);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(lastFailure()).isEqualTo("state-unknown-or-used");
    }

    @Test
    void aCodeFromAnotherLoginFailsThePkceCheckAtTheProvider() {
        // The attacker's login yields a code; the victim's browser is made to deliver it with its own state.
        Browser attacker = new Browser();
        Browser.Page attackerStart = attacker.get(base + "/auth/xid/login?purpose=register");
        String attackerCode = query(attacker.get(attackerStart.redirect()).redirect(), "code");
        Browser.Page start = browser.get(base + "/auth/xid/login?purpose=register");
        String victimState = query(browser.get(start.redirect()).redirect(), "state");
        long accounts = DatabaseDump.count(cloud, "account");
        Browser.Page injected = browser.get(base + "/auth/xid/callback?code=" + attackerCode + "&state=" + victimState);
        assertThat(injected.status()).isEqualTo(400);
        assertThat(lastFailure()).isEqualTo("token-invalid_grant");
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
        assertThat(browser.cookie("kominkan_session")).isEmpty();
    }

    @Test
    void aWrongNonceIsRefused() {
        Map<String, Object> claims = xid(subject(), "山梨県", "山吹市");
        claims.put("nonce", "not-the-nonce-of-this-login");
        assertRejected(login("xid", "register", claims), "id-token-nonce");
    }

    @Test
    void aWrongIssuerIsRefused() {
        Map<String, Object> claims = xid(subject(), "山梨県", "山吹市");
        claims.put("iss", "http://evil.example/xid");
        assertRejected(login("xid", "register", claims), "id-token-issuer");
    }

    @Test
    void aWrongAudienceIsRefused() {
        Map<String, Object> claims = xid(subject(), "山梨県", "山吹市");
        claims.put("aud", "another-client");
        assertRejected(login("xid", "register", claims), "id-token-audience");
    }

    @Test
    void anExpiredIdTokenIsRefused() {
        // Through the whole flow the provider's token response itself carries a negative lifetime.
        String subject = subject();
        long accounts = DatabaseDump.count(cloud, "account");
        Browser.Page expired = login("xid", "register", subject, xid(subject, "山梨県", "山吹市"), -3600);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
        assertThat(browser.cookie("kominkan_session")).isEmpty();
        // And the ID token check on its own: a token the provider signed an hour after it expired.
        SignedJWT token = provider.issueToken("xid", CLIENT_ID, signedFor(subject, Map.of("nonce", "n-1"), -3600));
        assertThat(reasonFor(token, "n-1")).isEqualTo("id-token-expired");
    }

    @Test
    void anUnsignedOrForeignSignedIdTokenIsRefused() throws Exception {
        SignedJWT genuine = provider.issueToken("xid", CLIENT_ID, signedFor(subject(), Map.of("nonce", "n-2"), 3600));
        assertThat(client().checkIdToken(genuine, "n-2").getSubject()).isNotNull();
        // alg: none, with the genuine claims
        PlainJWT unsigned = new PlainJWT(genuine.getJWTClaimsSet());
        assertThat(reasonFor(unsigned, "n-2")).isEqualTo("id-token-unsigned");
        // the same claims and key id, signed by a key of another provider's own (not the bundled default keys)
        MockOAuth2Server stranger = new MockOAuth2Server(new OAuth2Config(false, null, null, false,
                new OAuth2TokenProvider(new KeyProvider(List.of()))));
        stranger.start();
        try {
            SignedJWT foreign = stranger.issueToken("xid", CLIENT_ID, new DefaultOAuth2TokenCallback("xid",
                    genuine.getJWTClaimsSet().getSubject(), "JWT", List.of(CLIENT_ID),
                    Map.of("nonce", "n-2", "iss", provider.issuerUrl("xid").toString()), 3600));
            assertThat(reasonFor(foreign, "n-2")).isEqualTo("id-token-signature");
        } finally {
            stranger.shutdown();
        }
    }

    @Test
    void aReplayedIdTokenIsRefused() {
        Map<String, Object> claims = xid(subject(), "山梨県", "山吹市");
        claims.put("jti", "the-same-token-" + subject());
        assertThat(login("xid", "register", claims).status()).isEqualTo(303);
        browser = new Browser();
        assertRejected(login("xid", "login", claims), "id-token-replayed");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static OidcClient client() {
        return new OidcClient(new IdentityProvider(DemoData.CODE, "xid", "xID", ProviderProfile.XID,
                URI.create(provider.issuerUrl("xid").toString()), CLIENT_ID, "test-secret",
                URI.create(base + "/auth/xid/callback"), List.of("openid")), Duration.ofSeconds(2));
    }

    private static String reasonFor(com.nimbusds.jwt.JWT token, String nonce) {
        try {
            client().checkIdToken(token, nonce);
        } catch (IdentityFailure e) {
            return e.reason();
        }
        throw new AssertionError("the ID token was accepted");
    }

    private void assertRejected(Browser.Page page, String reason) {
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.json().get("type").asText()).endsWith("identity-rejected");
        assertThat(page.json().get("detail").asText()).contains("本人確認を完了できませんでした");
        assertThat(browser.cookie("kominkan_session")).isEmpty();
        assertThat(lastFailure()).isEqualTo(reason);
    }

    private Browser.Page login(String providerId, String purpose, Map<String, Object> claims) {
        return login(providerId, purpose, (String) claims.get("sub"), claims, 3600);
    }

    private Browser.Page login(String providerId, String purpose, String subject, Map<String, Object> claims) {
        return login(providerId, purpose, subject, claims, 3600);
    }

    /** Walks the whole login: our login URL → the provider → our callback. */
    private Browser.Page login(String providerId, String purpose, String subject, Map<String, Object> claims,
                               long expiry) {
        Browser.Page start = browser.get(base + "/auth/" + providerId + "/login?purpose=" + purpose);
        assertThat(start.status()).isEqualTo(303);
        String authorize = start.redirect();
        assertThat(query(authorize, "code_challenge_method")).isEqualTo("S256");
        assertThat(query(authorize, "nonce")).isNotBlank();
        Map<String, Object> withoutSub = new HashMap<>(claims);
        withoutSub.remove("sub");
        provider.enqueueCallback(callback(providerId, subject, withoutSub, expiry));
        Browser.Page atProvider = browser.get(authorize);
        assertThat(atProvider.status()).isEqualTo(302);
        return browser.get(absolute(atProvider.redirect()));
    }

    /** A token as the provider issues it to us (audience: our client id), for checking it directly. */
    private static DefaultOAuth2TokenCallback signedFor(String subject, Map<String, Object> claims, long expiry) {
        return new DefaultOAuth2TokenCallback("xid", subject, "JWT", List.of(CLIENT_ID), claims, expiry);
    }

    private static Map<String, Object> withoutSub(Map<String, Object> claims) {
        Map<String, Object> copy = new HashMap<>(claims);
        copy.remove("sub");
        return copy;
    }

    private static DefaultOAuth2TokenCallback callback(String issuerId, String subject, Map<String, Object> claims,
                                                       long expiry) {
        return new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", null, claims, expiry);
    }

    private void passwordAccount(String email, String name) {
        Api api = new Api(cloud.port());
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\","
                + "\"name\":\"" + name + "\"}").send().status()).isEqualTo(201);
        assertThat(browser.post(base + "/api/v1/session",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}").status()).isEqualTo(200);
    }

    static Map<String, Object> xid(String subject, String prefecture, String city) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", subject);
        claims.put("last_name", "山吹");
        claims.put("first_name", "花子");
        claims.put("address", Map.of("prefecture", prefecture, "city", city, "rest", "中央1-2-3"));
        claims.put("date_of_birth", Map.of("year", 1985, "month", 4, "day", 1));
        claims.put("email", subject + "@example.jp");
        return claims;
    }

    private static synchronized String subject() {
        return "person-" + (++serial) + "-" + System.nanoTime();
    }

    private static long studyRoom() {
        return cloud.database().client().execute()
                .get("select r.id from room r join municipality m on m.id = r.municipality_id"
                        + " where m.code = ? and r.name like '%自習%'", DemoData.CODE)
                .map(r -> Sql.longValue(r, "id")).orElseThrow();
    }

    private static long audit(String event) {
        return cloud.database().client().execute().get("select count(*) as n from identity_audit where event = ?", event)
                .map(r -> Sql.longValue(r, "n")).orElseThrow();
    }

    private static String lastFailure() {
        return cloud.database().client().execute()
                .get("select reason from identity_audit where event = 'failed' order by id desc limit 1")
                .map(r -> Sql.text(r, "reason")).orElseThrow();
    }

    private static String absolute(String location) {
        return location.startsWith("/") ? base + location : location;
    }

    private static String query(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + Pattern.quote(name) + "=([^&]*)").matcher(URI.create(url).getRawQuery() == null
                ? url : "?" + URI.create(url).getRawQuery());
        if (!m.find()) {
            throw new AssertionError(name + " not in " + url);
        }
        return java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }
}
