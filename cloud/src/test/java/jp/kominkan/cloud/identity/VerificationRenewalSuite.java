package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Browser;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.sandbox.XidSandbox;
import jp.kominkan.shared.seal.SealedBox;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Re-verification between logins, against the xID sandbox (a real OpenID provider that issues and honours refresh
 * tokens, and the Userdata and re-verification APIs beside it): a resident who moves becomes 市外 after the renewal
 * job, with no login; the refresh token is kept only sealed; a tampered, moved or forged token, an unreachable
 * provider and 退会 each stop the renewal of that resident and change nothing else. The clock is the test's: the
 * job's own timer is set far off, so only the test runs it.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
abstract class VerificationRenewalSuite {

    static final SecureRandom RANDOM = new SecureRandom();
    MockOAuth2Server xid;
    Cloud cloud;
    MutableClock clock;
    String base;
    long town;
    int serial;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        SealedBox.KeyPair box = SealedBox.generate(RANDOM);
        Path page = Path.of("..", "xid-sandbox", "src", "main", "resources", "jp", "kominkan", "sandbox", "login.html");
        xid = XidSandbox.start(0, page.toAbsolutePath(), box.publicKey());
        int port = TestCloud.freePort();
        base = "http://127.0.0.1:" + port;
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", Integer.toString(port));
        provider(settings, 0, "xid", xid.issuerUrl("xid").toString(), xid.baseUrl() + "v4", box);
        // A provider whose servers are down: nothing listens on that port.
        String down = "http://127.0.0.1:" + TestCloud.freePort();
        provider(settings, 1, "xid-down", down + "/xid", down + "/v4", box);
        settings.put("kominkan.identity.timeout", "PT2S");
        settings.put("kominkan.identity.renewal.sweep-interval", "PT1H");
        settings.put("kominkan.identity.renewal.most-failures", "2");
        clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true, settings);
        town = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow().id();
    }

    private void provider(Map<String, String> settings, int i, String id, String issuer, String api,
                          SealedBox.KeyPair box) {
        XidUserdataIT.xidProvider(settings, i, id, issuer, api, base, box);
    }

    @AfterAll
    void stop() {
        cloud.close();
        xid.shutdown();
    }

    @Test
    void aResidentWhoMovesBecomesNonResidentAfterTheRenewalJobWithoutLoggingIn() {
        String subject = "renewal-mover-" + (++serial);
        UUID account = register(new Browser(), subject);
        assertThat(fact(account, "select residency from identity_link where account_id = ?")).isEqualTo("resident");
        RenewalTokens.State kept = tokens().state(account, "xid").orElseThrow();
        assertThat(kept.dueAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
        // Kept sealed: it opens with the cloud's key, and its clear value is in no table.
        String token = tokens().open(due(account)).orElseThrow();
        assertThat(token).isNotBlank();
        assertThat(DatabaseDump.everyValue(cloud)).doesNotContain(token);
        // Not due yet: the job leaves the resident alone.
        renewal().runOnce();
        assertThat(tokens().state(account, "xid").orElseThrow().dueAt()).isEqualTo(kept.dueAt());

        // The resident moves to Tokyo and tells nobody; a month on, the job asks xID.
        assertThat(new Browser().postForm(xid.baseUrl() + "sandbox/move", Map.of("subject", subject,
                "prefecture", "東京都", "city", "千代田区", "rest", "丸の内1-1")).status()).isEqualTo(200);
        clock.advance(Duration.ofDays(31));
        // Two instances read the same due row: only one claims it.
        RenewalTokens.Due row = due(account);
        assertThat(tokens().claim(row, clock.instant().plusSeconds(1))).isPresent();
        assertThat(tokens().claim(row, clock.instant().plusSeconds(1))).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        renewal().runOnce();

        assertThat(fact(account, "select address_city from account where id = ?")).isEqualTo("千代田区");
        assertThat(fact(account, "select residency from identity_link where account_id = ?")).isEqualTo("non-resident");
        List<IdentityStore.Change> changes = new IdentityStore(cloud.database().client(), new byte[32]).changes(account);
        assertThat(changes).hasSize(1);
        assertThat(changes.getFirst().facts()).containsExactly("address");
        assertThat(changes.getFirst().before()).isEqualTo(jp.kominkan.cloud.account.Account.Residency.RESIDENT);
        assertThat(changes.getFirst().after()).isEqualTo(jp.kominkan.cloud.account.Account.Residency.NON_RESIDENT);
        assertThat(tokens().state(account, "xid").orElseThrow())
                .isEqualTo(new RenewalTokens.State(clock.instant().plus(Duration.ofDays(30)), 0));
        assertThat(audit(account)).contains("renewed");
        // xID's app showed the resident why it asked.
        assertThat(new Browser().get(xid.baseUrl() + "sandbox/move").body()).contains(XidUserdataApi.TITLE);
        // Renewed again a month later with nothing new: nothing changes and no change is listed.
        clock.advance(Duration.ofDays(31));
        renewal().runOnce();
        assertThat(fact(account, "select residency from identity_link where account_id = ?")).isEqualTo("non-resident");
        assertThat(new IdentityStore(cloud.database().client(), new byte[32]).changes(account)).hasSize(1);
        assertThat(audit(account).stream().filter("renewed"::equals).count()).isEqualTo(2);
    }

    @Test
    void aTamperedMovedForgedOrSwappedTokenStopsTheRenewalAndChangesNothing() {
        UUID tampered = register(new Browser(), "renewal-tampered-" + (++serial));
        UUID source = register(new Browser(), "renewal-source-" + (++serial));
        UUID moved = register(new Browser(), "renewal-moved-" + (++serial));
        UUID forged = register(new Browser(), "renewal-forged-" + (++serial));
        UUID swapped = register(new Browser(), "renewal-swapped-" + (++serial));
        var db = cloud.database().client().execute();
        String sealed = fact(tampered, "select sealed_token from identity_renewal where account_id = ?");
        char flip = sealed.charAt(20) == 'A' ? 'B' : 'A';
        db.update("update identity_renewal set sealed_token = ? where account_id = ?",
                sealed.substring(0, 20) + flip + sealed.substring(21), tampered);
        // Another resident's sealed token copied onto this row: sealed for that account, it does not open here.
        db.update("update identity_renewal set sealed_token = ? where account_id = ?",
                fact(source, "select sealed_token from identity_renewal where account_id = ?"), moved);
        // A refresh token xID never gave for this person (the sandbox then answers for someone else).
        renewal().keep(forged, town, "xid", Optional.of("forged-" + UUID.randomUUID()));
        // Another person's real token, sealed for this account (by someone holding the key): xID answers for them.
        renewal().keep(swapped, town, "xid", tokens().open(due(source)));
        String cityBefore = fact(forged, "select address_city from account where id = ?");

        clock.advance(Duration.ofDays(31));
        renewal().runOnce();

        assertThat(tokens().state(tampered, "xid")).isEmpty();
        assertThat(tokens().state(moved, "xid")).isEmpty();
        assertThat(tokens().state(forged, "xid")).isEmpty();
        assertThat(tokens().state(swapped, "xid")).isEmpty();
        assertThat(reasons(tampered)).containsExactly("renewal-token-unreadable");
        assertThat(reasons(moved)).containsExactly("renewal-token-unreadable");
        // xID refuses a refresh token it never gave (invalid_grant, as for one revoked).
        assertThat(reasons(forged)).containsExactly("refresh-invalid_grant");
        assertThat(reasons(swapped)).containsExactly("renewal-subject-mismatch");
        assertThat(fact(forged, "select address_city from account where id = ?")).isEqualTo(cityBefore);
        for (UUID account : List.of(tampered, moved, forged, swapped)) {
            assertThat(audit(account)).doesNotContain("renewed");
            assertThat(fact(account, "select residency from identity_link where account_id = ?")).isEqualTo("resident");
        }
        // The resident whose token was copied is renewed as usual.
        assertThat(audit(source)).contains("renewed");
        assertThat(tokens().state(source, "xid")).isPresent();
    }

    @Test
    void anUnreachableProviderPostponesTheResidentThenGivesUp() {
        UUID account = register(new Browser(), "renewal-down-" + (++serial));
        String subject = fact(account, "select subject from identity_subject where account_id = ?");
        cloud.database().client().execute().insert("insert into identity_subject (account_id, municipality_id,"
                + " provider, subject, linked_at) values (?, ?, ?, ?, ?)", account, town, "xid-down", subject,
                Sql.at(clock.instant()));
        renewal().keep(account, town, "xid-down", Optional.of("token-" + UUID.randomUUID()));
        clock.advance(Duration.ofDays(31));
        renewal().runOnce();
        RenewalTokens.State postponed = tokens().state(account, "xid-down").orElseThrow();
        assertThat(postponed).isEqualTo(new RenewalTokens.State(clock.instant().plus(Duration.ofHours(6)), 1));
        assertThat(reasons(account)).isEmpty();

        clock.advance(Duration.ofHours(7));
        renewal().runOnce();
        assertThat(tokens().state(account, "xid-down")).isEmpty();
        assertThat(reasons(account)).containsExactly("renewal-gave-up:discovery-failed");
        // Its xID renewal is untouched.
        assertThat(tokens().state(account, "xid")).isPresent();
    }

    @Test
    void aLoginDuringARenewalKeepsItsFreshTokenWhateverTheRenewalThenWrites() {
        UUID account = register(new Browser(), "renewal-racer-" + (++serial));
        clock.advance(Duration.ofDays(31));
        RenewalTokens.Due claimed = tokens().claim(due(account), clock.instant().plus(Duration.ofMinutes(10)))
                .orElseThrow();
        // The resident logs in meanwhile: a fresh token, due a month on.
        renewal().keep(account, town, "xid", Optional.of("fresh-" + UUID.randomUUID()));
        RenewalTokens.State fresh = tokens().state(account, "xid").orElseThrow();
        // The renewal, finishing late, writes as its claim: none of it lands on the fresh row.
        tokens().renewed(claimed, "stale-token", clock.instant().plus(Duration.ofDays(30)), clock.instant());
        tokens().rotated(claimed, "stale-token");
        tokens().postponed(claimed, clock.instant().plus(Duration.ofHours(6)));
        assertThat(tokens().drop(claimed)).isFalse();
        assertThat(tokens().state(account, "xid")).contains(fresh);
        assertThat(tokens().open(due(account))).hasValueSatisfying(t -> assertThat(t).startsWith("fresh-"));
    }

    @Test
    void leavingDeletesTheKeptToken() {
        Browser browser = new Browser();
        UUID account = register(browser, "renewal-leaver-" + (++serial));
        assertThat(tokens().state(account, "xid")).isPresent();
        Browser.Page left = browser.delete(base + "/api/v1/me");
        assertThat(left.status()).as(left.body()).isEqualTo(204);
        assertThat(tokens().state(account, "xid")).isEmpty();
        clock.advance(Duration.ofDays(31));
        renewal().runOnce();
        assertThat(audit(account)).doesNotContain("renewed");
    }

    private UUID register(Browser browser, String subject) {
        Browser.Page done = XidUserdataIT.consent(base, browser,
                browser.get(base + "/auth/xid/login?purpose=register").redirect(), subject, XidUserdataIT.person(subject));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        return UUID.fromString(browser.get(base + "/api/v1/me").json().get("id").asText());
    }

    private VerificationRenewal renewal() {
        return cloud.services().identity().renewal();
    }

    private RenewalTokens tokens() {
        return renewal().tokens();
    }

    private RenewalTokens.Due due(UUID account) {
        return tokens().due(clock.instant().plus(Duration.ofDays(3650)), 1000).stream()
                .filter(d -> d.accountId().equals(account) && d.provider().equals("xid")).findFirst().orElseThrow();
    }

    private String fact(UUID account, String sql) {
        return cloud.database().client().execute().get(sql, account).map(row -> row.column(1).getString())
                .orElseThrow();
    }

    private List<String> audit(UUID account) {
        return Sql.list(cloud.database().client().execute().query(
                "select event from identity_audit where account_id = ? order by id", account), r -> Sql.text(r, "event"));
    }

    private List<String> reasons(UUID account) {
        return Sql.list(cloud.database().client().execute().query("select reason from identity_audit"
                + " where account_id = ? and event = 'renewal-stopped' order by id", account), r -> Sql.text(r, "reason"));
    }
}
