package jp.kominkan.cloud.shelter;

import java.time.Instant;

/** Where a shelter code (避難所コード) stands at an instant: what the list shows, never the code. */
public enum ShelterStatus {
    /** Opens the facility's doors now. */
    ACTIVE("active", "有効", "Active"),
    /** Its window has not begun. */
    NOT_YET("not-yet", "開始前", "Not yet valid"),
    /** Its window is over. */
    EXPIRED("expired", "期限切れ", "Expired"),
    /** Revoked by an administrator; its grants were revoked through the stream. */
    REVOKED("revoked", "取消済み", "Revoked");

    private final String wire;
    private final String japanese;
    private final String english;

    ShelterStatus(String wire, String japanese, String english) {
        this.wire = wire;
        this.japanese = japanese;
        this.english = english;
    }

    /**
     * @param code a shelter code
     * @param now  an instant
     * @return its status then; a revocation wins over the window
     */
    static ShelterStatus of(ShelterCode code, Instant now) {
        if (code.revokedAt().isPresent()) {
            return REVOKED;
        }
        if (now.isBefore(code.validFrom())) {
            return NOT_YET;
        }
        return now.isBefore(code.validUntil()) ? ACTIVE : EXPIRED;
    }

    /** @return the API's name, e.g. {@code not-yet} */
    public String wire() {
        return wire;
    }

    /** @return the name in Japanese */
    public String japanese() {
        return japanese;
    }

    /** @return the name in English */
    public String english() {
        return english;
    }
}
