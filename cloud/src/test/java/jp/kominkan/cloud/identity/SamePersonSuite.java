package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.Browser;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.sandbox.AgencyPerson;
import jp.kominkan.sandbox.AgencySandbox;
import jp.kominkan.sandbox.XidSandbox;
import jp.kominkan.shared.seal.SealedBox;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * One person across providers, with both real protocols side by side: xID (sandbox, sealed Userdata) and the
 * デジタル認証アプリ (sandbox, private_key_jwt). The two share no identifier, so a person verified through one who
 * registers through the other is held back for staff; staff decide "the same person" (the second provider is
 * linked to the first account) or "different people" (the person may register). Every role and scope is checked
 * on the server; the 個人番号 is never stored.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
abstract class SamePersonSuite {

    static final SecureRandom RANDOM = new SecureRandom();
    static final String CLIENT_ID = "KominkanSamePerson";
    static MockOAuth2Server xid;
    static AgencySandbox agency;
    static Cloud cloud;
    static String base;
    static Api api;
    static String admin;
    static int serial;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() throws Exception {
        SealedBox.KeyPair box = SealedBox.generate(RANDOM);
        Path page = Path.of("..", "xid-sandbox", "src", "main", "resources", "jp", "kominkan", "sandbox", "login.html");
        xid = XidSandbox.start(0, page.toAbsolutePath(), box.publicKey());
        ECKey clientKey = new ECKeyGenerator(Curve.P_256).keyID("rp-1").generate();
        int port = TestCloud.freePort();
        base = "http://127.0.0.1:" + port;
        agency = AgencySandbox.start(0, List.of(new AgencySandbox.Client(CLIENT_ID, clientKey,
                List.of(URI.create(base + "/auth/mynaapp/callback")))));
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", Integer.toString(port));
        XidUserdataIT.xidProvider(settings, 0, "xid", xid.issuerUrl("xid").toString(), xid.baseUrl() + "v4", base, box);
        settings.put("kominkan.identity.providers.0.label", "xID");
        Path jwk = Files.createTempFile("same-person", ".jwk");
        jwk.toFile().deleteOnExit();
        Files.writeString(jwk, clientKey.toJSONString());
        String a = "kominkan.identity.providers.1.";
        settings.put(a + "municipality", DemoData.CODE);
        settings.put(a + "id", "mynaapp");
        settings.put(a + "label", "デジタル認証アプリ");
        settings.put(a + "profile", "digital-agency");
        settings.put(a + "issuer", agency.issuer());
        settings.put(a + "client-id", CLIENT_ID);
        settings.put(a + "client-jwk-file", jwk.toString());
        settings.put(a + "redirect-uri", base + "/auth/mynaapp/callback");
        cloud = TestCloud.start(TestDatabases.fresh(kind()), new MutableClock(Instant.now()), true,
                settings);
        api = new Api(port);
        admin = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    @AfterAll
    void stop() {
        cloud.close();
        agency.close();
        xid.shutdown();
    }

    @Test
    void theSamePersonThroughTheOtherProviderIsHeldBackThenLinkedToTheFirstAccount() {
        AgencyPerson taro = AgencyPerson.DEMO.get(0);
        Browser first = new Browser();
        // Registered through xID (姓 and 名 apart); the Agency sends 「山吹 太郎」 as one string.
        assertThat(registerWithXid(first, "xid-taro", "山吹", "太郎", 1980, 1, 15).status()).isEqualTo(303);
        String account = first.get(base + "/api/v1/me").json().get("id").asText();
        long accounts = DatabaseDump.count(cloud, "account");

        agency.misbehave(AgencySandbox.Misbehaviour.SEND_MY_NUMBER);
        Browser second = new Browser();
        Browser.Page held = registerWithAgency(second, taro.id());
        assertThat(held.status()).as(held.body()).isEqualTo(409);
        assertThat(held.json().get("type").asText()).endsWith("identity-under-review");
        assertThat(held.json().get("detail").asText()).contains("職員が確認します");
        assertThat(second.cookie("kominkan_session")).isEmpty();
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
        // Trying again does not open a second review.
        assertThat(registerWithAgency(new Browser(), taro.id()).status()).isEqualTo(409);

        JsonNode review = pendingFor(account);
        assertThat(review.get("provider").asText()).isEqualTo("mynaapp");
        assertThat(review.get("claimed").get("name").asText()).isEqualTo("山吹 太郎");
        assertThat(review.get("claimed").get("birthDate").asText()).isEqualTo("1980-01-15");
        assertThat(review.get("existing").get("providers").toString()).isEqualTo("[\"xid\"]");
        assertThat(review.toString()).doesNotContain("subject").doesNotContain(AgencyPerson.DEMO_MY_NUMBER);
        assertThat(api.get("/api/v1/staff/identity-reviews").token(admin).send().json().get("reviews").size())
                .isEqualTo(pendingCount());
        long id = review.get("id").asLong();

        Api.Response linked = decide(admin, id, "same-person");
        assertThat(linked.status()).as(linked.body()).isEqualTo(200);
        assertThat(linked.json().get("status").asText()).isEqualTo("same-person");
        assertThat(linked.json().has("claimed")).as("the claimed facts are forgotten").isFalse();
        assertThat(decide(admin, id, "different-people").status()).isEqualTo(409);
        assertThat(cloud.database().client().execute().get("select count(*) as n from staff_operation"
                + " where action = 'identity.same-person' and target_id = ?", account)
                .map(r -> Sql.longValue(r, "n")).orElseThrow()).isEqualTo(1L);

        // Now the person logs in to their one account through either provider.
        Browser again = new Browser();
        Browser.Page login = loginWithAgency(again, taro.id());
        assertThat(login.status()).as(login.body()).isEqualTo(303);
        assertThat(again.get(base + "/api/v1/me").json().get("id").asText()).isEqualTo(account);
        assertThat(linkedAt(account)).containsExactly("mynaapp", "xid");
        assertThat(DatabaseDump.count(cloud, "account")).isEqualTo(accounts);
        assertThat(registerWithXid(new Browser(), "xid-taro", "山吹", "太郎", 1980, 1, 15).status()).isEqualTo(303);
        assertThat(DatabaseDump.everyValue(cloud)).doesNotContain(AgencyPerson.DEMO_MY_NUMBER);
    }

    @Test
    void differentPeopleWithTheSameNameAndBirthDateMayRegisterOnceStaffSaySo() {
        AgencyPerson ichiro = AgencyPerson.DEMO.get(2);
        Browser first = new Browser();
        // Another 瑞穂 一郎 born the same day, verified through xID.
        assertThat(registerWithXid(first, "xid-ichiro", "瑞穂", "一郎", 1955, 7, 4).status()).isEqualTo(303);
        String account = first.get(base + "/api/v1/me").json().get("id").asText();
        Browser second = new Browser();
        assertThat(registerWithAgency(second, ichiro.id()).status()).isEqualTo(409);
        long id = pendingFor(account).get("id").asLong();

        String clerk = member(StaffRole.CLERK);
        assertThat(api.get("/api/v1/staff/identity-reviews/" + id).token(clerk).send().status()).isEqualTo(200);
        assertThat(decide(clerk, id, "different-people").status()).isEqualTo(403);
        String caretaker = member(StaffRole.CARETAKER);
        assertThat(api.get("/api/v1/staff/identity-reviews").token(caretaker).send().status()).isEqualTo(403);
        assertThat(api.get("/api/v1/staff/identity-reviews").send().status()).isEqualTo(401);
        Api.Response bogus = decide(admin, id, "maybe");
        assertThat(bogus.status()).isEqualTo(400);
        assertThat(bogus.json().get("detail").asText()).contains("「同じ方」か「別の方」");
        assertThat(decide(admin, 999_999, "same-person").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/staff/identity-reviews/" + id + "/decision", "{\"decision\":")
                .token(admin).send().status()).isEqualTo(400);
        assertThat(pendingFor(account).get("status").asText()).isEqualTo("pending");

        assertThat(decide(admin, id, "different-people").status()).isEqualTo(200);
        Browser.Page registered = registerWithAgency(second, ichiro.id());
        assertThat(registered.status()).as(registered.body()).isEqualTo(303);
        String other = second.get(base + "/api/v1/me").json().get("id").asText();
        assertThat(other).isNotEqualTo(account);
        assertThat(second.get(base + "/api/v1/me").json().get("address").get("city").asText())
                .isEqualTo("西多摩郡瑞穂町");
    }

    @Test
    void verifyingAnExistingAccountAsAPersonVerifiedElsewhereIsHeldBackToo() {
        AgencyPerson hanako = AgencyPerson.DEMO.get(1);
        Browser first = new Browser();
        assertThat(registerWithXid(first, "xid-hanako", "横浜", "花子", 1992, 11, 3).status()).isEqualTo(303);
        String verified = first.get(base + "/api/v1/me").json().get("id").asText();

        String email = "hanako-" + (++serial) + "@example.jp";
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\","
                + "\"name\":\"横浜 花子\"}").send().status()).isEqualTo(201);
        Browser passwordAccount = new Browser();
        assertThat(passwordAccount.post(base + "/api/v1/session", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\"}").status()).isEqualTo(200);
        Browser.Page start = passwordAccount.get(base + "/auth/mynaapp/login?purpose=verify");
        Browser.Page held = callback(passwordAccount, AgencyIT.consent(passwordAccount, start.redirect(), hanako.id()));
        assertThat(held.status()).as(held.body()).isEqualTo(409);
        JsonNode review = pendingFor(verified);
        String asking = passwordAccount.get(base + "/api/v1/me").json().get("id").asText();
        assertThat(review.get("askingAccount").asText()).isEqualTo(asking);
        assertThat(passwordAccount.get(base + "/api/v1/me").json().get("verification").get("status").asText())
                .isEqualTo("unverified");
        // The page staff use lists it, with both sides and the two decisions, and decides by keyboard-usable buttons.
        long id = review.get("id").asLong();
        try (ChromePages pages = new ChromePages(base)) {
            pages.open("/staff/login");
            pages.fill("email", DemoData.ADMIN_EMAIL);
            pages.fill("password", DemoData.ADMIN_PASSWORD);
            pages.submit("ログイン");
            pages.waitForPath("/staff");
            pages.open("/staff/identity-reviews");
            assertThat(pages.text()).contains("本人確認の重複確認", "既存アカウントの本人確認", "横浜 花子", "1992-11-03",
                    "神奈川県横浜市中区日本大通1", "同じ方（既存のアカウントに連携）", "別の方（本人確認を認める）");
            pages.check("identity-reviews", List.of(1280, 360));
            pages.click(By.xpath("//form[@action='/staff/identity-reviews/" + id
                    + "/decision']//button[@value='same-person']"));
            assertThat(pages.waitFor(By.cssSelector("[role=status]")).getText())
                    .contains("同じ方として既存のアカウントに連携しました");
            pages.check("identity-reviews-done", List.of(1280, 360));
            pages.open("/staff/identity-reviews?status=same-person");
            pages.check("identity-reviews-decided", List.of(1280, 360));
            assertThat(pages.violations()).isEmpty();
        }
        assertThat(api.get("/api/v1/staff/identity-reviews/" + id).token(admin).send().json().get("status").asText())
                .isEqualTo("same-person");
        assertThat(linkedAt(verified)).containsExactly("mynaapp", "xid");
    }

    private static String member(StaffRole role) {
        String email = role.wire() + "-" + (++serial) + "@kominkan.example";
        var town = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
        cloud.services().staff().createMember(town, email, "staff-password-1", "職員 " + role.wire(), role,
                java.util.Set.of());
        return api.staffLogin(email, "staff-password-1");
    }

    private static List<String> linkedAt(String account) {
        return Sql.list(cloud.database().client().execute().query("select provider from identity_subject"
                + " where account_id = ? order by provider", UUID.fromString(account)), r -> Sql.text(r, "provider"));
    }

    private static Api.Response decide(String token, long id, String decision) {
        return api.post("/api/v1/staff/identity-reviews/" + id + "/decision", "{\"decision\":\"" + decision + "\"}")
                .token(token).send();
    }

    private static JsonNode pendingFor(String existingAccount) {
        Api.Response listed = api.get("/api/v1/staff/identity-reviews?status=pending").token(admin).send();
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        JsonNode all = listed.json().get("reviews");
        for (JsonNode review : all) {
            if (review.get("existing").get("accountId").asText().equals(existingAccount)) {
                return api.get("/api/v1/staff/identity-reviews/" + review.get("id").asLong()).token(admin).send().json();
            }
        }
        throw new AssertionError("No pending review for " + existingAccount + ": " + all);
    }

    private static long pendingCount() {
        return cloud.database().client().execute().get("select count(*) as n from identity_review where status = 'pending'")
                .map(r -> Sql.longValue(r, "n")).orElseThrow();
    }

    private static Browser.Page registerWithXid(Browser browser, String subject, String last, String first, int year,
                                                int month, int day) {
        Map<String, Object> claims = XidUserdataIT.person(subject);
        claims.put("last_name", last);
        claims.put("first_name", first);
        claims.put("date_of_birth", Map.of("year", year, "month", month, "day", day));
        claims.put("scope", "openid verification");
        String authorize = browser.get(base + "/auth/xid/login?purpose=register").redirect();
        assertThat(browser.get(authorize).status()).isEqualTo(200);
        Browser.Page atProvider = browser.postForm(authorize, Map.of("username", subject,
                "claims", com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims)));
        assertThat(atProvider.status()).as(atProvider.body()).isEqualTo(302);
        return callback(browser, atProvider.redirect());
    }

    private static Browser.Page registerWithAgency(Browser browser, String person) {
        Browser.Page start = browser.get(base + "/auth/mynaapp/login?purpose=register");
        return callback(browser, AgencyIT.consent(browser, start.redirect(), person));
    }

    private static Browser.Page loginWithAgency(Browser browser, String person) {
        Browser.Page start = browser.get(base + "/auth/mynaapp/login?purpose=login");
        return callback(browser, AgencyIT.consent(browser, start.redirect(), person));
    }

    private static Browser.Page callback(Browser browser, String callback) {
        return browser.get(callback.startsWith("/") ? base + callback : callback);
    }
}
