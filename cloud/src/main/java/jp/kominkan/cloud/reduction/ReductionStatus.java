package jp.kominkan.cloud.reduction;

/** Where a 減免 application is: waiting for staff, or decided. */
public enum ReductionStatus {
    /** Sent; the booking is held for the review (審査中). */
    PENDING("pending"),
    /** Granted; the fee was priced again and frozen (承認). */
    APPROVED("approved"),
    /** Refused with a note; the fee is unchanged (不承認). */
    REJECTED("rejected");

    private final String wire;

    ReductionStatus(String wire) {
        this.wire = wire;
    }

    /** @return the stored name */
    public String wire() {
        return wire;
    }

    /**
     * @param wire a stored name
     * @return the status
     */
    public static ReductionStatus of(String wire) {
        for (ReductionStatus status : values()) {
            if (status.wire.equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown reduction status " + wire);
    }
}
