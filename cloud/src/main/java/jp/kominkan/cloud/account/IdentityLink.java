package jp.kominkan.cloud.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An account's link to a verified person at an identity provider (本人確認済み).
 *
 * @param provider   the provider's id in this municipality, e.g. {@code xid}
 * @param residency  resident or not, judged from the verified address
 * @param verifiedAt when the person last verified
 */
public record IdentityLink(String provider, Account.Residency residency, Instant verifiedAt) {

    /** Checks the fields are present. */
    public IdentityLink {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(residency, "residency");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
    }

    /**
     * @param now    now
     * @param maxAge how long a verification counts
     * @return whether the verification still counts
     */
    public boolean currentAt(Instant now, Duration maxAge) {
        return verifiedAt.plus(maxAge).isAfter(now);
    }
}
