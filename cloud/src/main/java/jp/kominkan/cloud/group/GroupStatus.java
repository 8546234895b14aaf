package jp.kominkan.cloud.group;

/**
 * Where a group (団体) stands with its registration: a draft the representative edits, pending staff
 * review, approved until a date, rejected with a note, or expired. Only a draft or a rejected group
 * can be edited; an approved group is renewed by sending it for review again.
 */
public enum GroupStatus {
    /** Being written by the representative (下書き). */
    DRAFT("draft"),
    /** Sent, waiting for staff (審査中). */
    PENDING("pending"),
    /** Approved until its valid_until (承認済み). */
    APPROVED("approved"),
    /** Not approved; the note says why, and the representative may correct it and send it again (差戻し). */
    REJECTED("rejected"),
    /** The approval ran out (期限切れ). */
    EXPIRED("expired");

    private final String wire;

    GroupStatus(String wire) {
        this.wire = wire;
    }

    /** @return the name stored and sent */
    public String wire() {
        return wire;
    }

    /** @return whether the representative may change name, category, roster and evidence */
    public boolean editable() {
        return this == DRAFT || this == REJECTED;
    }

    /** @return whether a group in this status counts towards its representative's cap */
    public boolean countsTowardsCap() {
        return this == DRAFT || this == PENDING || this == APPROVED;
    }

    /**
     * @param wire a stored name
     * @return the status
     * @throws IllegalArgumentException for another name
     */
    public static GroupStatus of(String wire) {
        for (GroupStatus status : values()) {
            if (status.wire.equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown group status " + wire);
    }
}
