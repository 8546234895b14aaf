package jp.kominkan.cloud.booking;

/**
 * Where a reservation is in its life.
 */
public enum ReservationStatus {
    /** 仮予約: holds its slots until paid or approved, or until its deadline passes. */
    HELD("held"),
    /** 本予約: paid, approved, or free of charge. */
    CONFIRMED("confirmed"),
    /** Cancelled by the resident; its slots are free again. */
    CANCELLED("cancelled"),
    /** Not paid by the deadline; its slots are free again. */
    EXPIRED("expired");

    private final String wire;

    ReservationStatus(String wire) {
        this.wire = wire;
    }

    /** @return the name stored and sent */
    public String wire() {
        return wire;
    }

    /**
     * @param wire a stored name
     * @return the status
     */
    public static ReservationStatus of(String wire) {
        for (ReservationStatus status : values()) {
            if (status.wire.equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown status " + wire);
    }
}
