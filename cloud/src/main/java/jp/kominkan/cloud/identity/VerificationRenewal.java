package jp.kominkan.cloud.identity;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.config.Config;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.municipality.Municipality;

/**
 * Re-verification between logins (docs/identity.md): at an interval, for each resident verified through xID whose
 * refresh token is kept, trade it for an access token, ask xID whether its facts are current and request a
 * re-verification when they are not ({@link XidUserdataApi#renew}), read the Userdata again and renew the account's
 * verification with it ({@link IdentityStore#link}: a move shows as an {@code identity_change}, 市内 ↔ 市外). A token
 * the provider refuses, that does not open, or that comes back for another person is dropped (the resident's next
 * login renews them instead); an outage postpones the resident and, after too many in a row, drops the token.
 * Several cloud instances may run it: each row is claimed by one ({@link RenewalTokens#claim}).
 */
public final class VerificationRenewal implements Runnable {

    private static final System.Logger LOG = System.getLogger(VerificationRenewal.class.getName());

    private final RenewalTokens tokens;
    private final IdentityProviders providers;
    private final IdentityStore store;
    private final Municipalities municipalities;
    private final Clock clock;
    private final Settings settings;

    /**
     * @param tokens         the kept tokens
     * @param providers      the providers
     * @param store          links and the audit trail
     * @param municipalities where each resident lives, for their residency
     * @param clock          the clock
     * @param settings       how often
     */
    public VerificationRenewal(RenewalTokens tokens, IdentityProviders providers, IdentityStore store,
                               Municipalities municipalities, Clock clock, Settings settings) {
        this.tokens = tokens;
        this.providers = providers;
        this.store = store;
        this.municipalities = municipalities;
        this.clock = clock;
        this.settings = settings;
    }

    /** @return how often */
    public Settings settings() {
        return settings;
    }

    /** @return the kept tokens (for tests in this package) */
    RenewalTokens tokens() {
        return tokens;
    }

    /**
     * Keeps the refresh token a login at the provider gave, if it gave one and the provider renews verifications
     * (it has a Userdata API).
     *
     * @param accountId      the account now linked
     * @param municipalityId where
     * @param providerId     the provider
     * @param refreshToken   the token, if any
     */
    void keep(UUID accountId, long municipalityId, String providerId, Optional<String> refreshToken) {
        if (refreshToken.isEmpty() || !settings.enabled()) {
            return;
        }
        Instant now = clock.instant();
        tokens.keep(accountId, municipalityId, providerId, refreshToken.get(), now, now.plus(settings.interval()));
    }

    /** For the timer: one pass, never throwing. */
    @Override
    public void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Verification renewal pass failed: " + e);
        }
    }

    /**
     * Renews every resident due now (at most {@link Settings#batch()}).
     *
     * @return what the pass did
     */
    public Outcome runOnce() {
        if (!settings.enabled()) {
            // Turned off: no token stays kept (docs/identity.md).
            long dropped = tokens.dropAll();
            if (dropped > 0) {
                LOG.log(Level.INFO, "Verification renewal is off: " + dropped + " kept tokens deleted");
            }
            return new Outcome(0, 0, 0);
        }
        int renewed = 0;
        int dropped = 0;
        int postponed = 0;
        Instant now = clock.instant();
        for (RenewalTokens.Due due : tokens.due(now, settings.batch())) {
            // Each claim runs a lease from when it is taken: a long pass never leaves its later rows to another.
            Instant claimedAt = clock.instant();
            Optional<RenewalTokens.Due> claimed = tokens.claim(due, claimedAt.plus(settings.lease()));
            if (claimed.isEmpty()) {
                continue;
            }
            switch (renew(claimed.get(), claimedAt)) {
                case RENEWED -> renewed++;
                case DROPPED -> dropped++;
                case POSTPONED -> postponed++;
            }
        }
        if (renewed + dropped + postponed > 0) {
            LOG.log(Level.INFO, "Verification renewal: " + renewed + " renewed, " + dropped + " tokens dropped, "
                    + postponed + " postponed");
        }
        return new Outcome(renewed, dropped, postponed);
    }

    private Result renew(RenewalTokens.Due due, Instant now) {
        Optional<Municipality> municipality = municipalities.byId(due.municipalityId());
        Optional<OidcClient> client = municipality.flatMap(m -> providers.client(m.code(), due.provider()))
                .filter(c -> c.userdata().isPresent());
        if (client.isEmpty()) {
            return drop(due, "renewal-provider-gone", now);
        }
        Optional<String> subject = store.subjectAt(due.accountId(), due.provider());
        if (subject.isEmpty()) {
            return drop(due, "renewal-unlinked", now);
        }
        Optional<String> refreshToken = tokens.open(due);
        if (refreshToken.isEmpty()) {
            return drop(due, "renewal-token-unreadable", now);
        }
        try {
            OidcClient.Refreshed refreshed = client.get().refresh(refreshToken.get());
            if (refreshed.subject().isPresent() && !refreshed.subject().get().equals(subject.get())) {
                return drop(due, "renewal-subject-mismatch", now);
            }
            if (!refreshed.refreshToken().equals(refreshToken.get())) {
                tokens.rotated(due, refreshed.refreshToken());
            }
            XidUserdataApi api = client.get().userdata().orElseThrow();
            Municipality town = municipality.get();
            api.renew(refreshed.accessToken());
            LocalDate today = LocalDate.now(clock.withZone(town.zone()));
            VerifiedFacts facts = XidUserdataApi.facts(api.fetch(refreshed.accessToken(), today), subject.get(),
                    Map.of());
            Account.Residency residency = ResidencyJudge.judge(facts.address().prefecture(), facts.address().city(),
                    town.prefecture(), town.city());
            if (!store.link(due.accountId(), due.municipalityId(), due.provider(), facts, residency, now)) {
                return drop(due, "renewal-subject-taken", now);
            }
            tokens.renewed(due, refreshed.refreshToken(), now.plus(settings.interval()), now);
            audit(due, "renewed", Optional.empty(), subject, now);
            return Result.RENEWED;
        } catch (IdentityFailure e) {
            if (e.kind() != IdentityFailure.Kind.PROVIDER_DOWN) {
                return drop(due, e.reason(), now);
            }
            if (due.failures() + 1 >= settings.mostFailures()) {
                return drop(due, "renewal-gave-up:" + e.reason(), now);
            }
            tokens.postponed(due, now.plus(settings.retry()));
            LOG.log(Level.INFO, "Verification renewal postponed (" + e.reason() + ")");
            return Result.POSTPONED;
        }
    }

    private Result drop(RenewalTokens.Due due, String reason, Instant now) {
        if (!tokens.drop(due)) {
            // Replaced meanwhile (the resident logged in and a fresh token is kept): nothing to stop.
            return Result.POSTPONED;
        }
        LOG.log(Level.INFO, "Verification renewal stopped for one resident at " + due.provider() + " (" + reason
                + "); their next login renews them");
        audit(due, "renewal-stopped", Optional.of(reason), Optional.empty(), now);
        return Result.DROPPED;
    }

    private void audit(RenewalTokens.Due due, String event, Optional<String> reason, Optional<String> subject,
                       Instant now) {
        store.audit(new IdentityStore.AuditEntry(due.municipalityId(), Optional.of(due.accountId()), due.provider(),
                event, reason.map(r -> r.length() > 60 ? r.substring(0, 60) : r), subject, now));
    }

    private enum Result { RENEWED, DROPPED, POSTPONED }

    /**
     * What a pass did.
     *
     * @param renewed   residents whose verification was renewed
     * @param dropped   tokens dropped (refused, unreadable, another person's, provider gone)
     * @param postponed residents left for later (the provider was down)
     */
    public record Outcome(int renewed, int dropped, int postponed) {
    }

    /**
     * {@code kominkan.identity.renewal}.
     *
     * @param enabled      whether tokens are kept and residents renewed (default true)
     * @param interval     how long after a login or a renewal a resident is renewed again (default P30D)
     * @param sweep        how often the job looks for residents due (default PT15M)
     * @param retry        how long after an outage it tries again (default PT6H)
     * @param lease        how long a claimed row is this instance's before another may take it (default PT10M)
     * @param batch        most residents per pass (default 100)
     * @param mostFailures outages in a row after which the token is dropped (default 10)
     */
    public record Settings(boolean enabled, Duration interval, Duration sweep, Duration retry, Duration lease,
                           int batch, int mostFailures) {

        /**
         * @param renewal the {@code kominkan.identity.renewal} node
         * @return the settings
         */
        public static Settings fromConfig(Config renewal) {
            return new Settings(renewal.get("enabled").asBoolean().orElse(true),
                    renewal.get("interval").as(Duration.class).orElse(Duration.ofDays(30)),
                    renewal.get("sweep-interval").as(Duration.class).orElse(Duration.ofMinutes(15)),
                    renewal.get("retry").as(Duration.class).orElse(Duration.ofHours(6)),
                    renewal.get("lease").as(Duration.class).orElse(Duration.ofMinutes(10)),
                    renewal.get("batch").asInt().orElse(100),
                    renewal.get("most-failures").asInt().orElse(10));
        }
    }
}
