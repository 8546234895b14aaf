package jp.kominkan.cloud.account;

/** Where an account stands with identity verification (本人確認). */
public enum VerificationStatus {
    /** Never verified, or unlinked (未実施). */
    UNVERIFIED("unverified"),
    /** Verified within the configured age (確認済み). */
    VERIFIED("verified"),
    /** Verified too long ago: verify again for resident privileges (期限切れ). */
    EXPIRED("expired");

    private final String wire;

    VerificationStatus(String wire) {
        this.wire = wire;
    }

    /** @return the name sent */
    public String wire() {
        return wire;
    }
}
