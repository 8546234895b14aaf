package jp.kominkan.cloud.lottery;

/** Where a round is (抽選の状態). */
public enum RoundStatus {
    /** Before and during the application window (受付中・受付前). */
    OPEN("open", "受付"),
    /** Applications frozen and committed to; waiting for the draw (締切・抽選待ち). */
    CLOSED("closed", "抽選待ち"),
    /** Drawn: winners confirm and pay (抽選済み・当選確定期間). */
    PUBLISHED("published", "抽選済み"),
    /** Leftovers released first-come (先着順受付中・終了). */
    FINISHED("finished", "終了"),
    /** Called off before the draw (中止). */
    CANCELLED("cancelled", "中止");

    private final String wire;
    private final String japanese;

    RoundStatus(String wire, String japanese) {
        this.wire = wire;
        this.japanese = japanese;
    }

    /** @return the stored name */
    public String wire() {
        return wire;
    }

    /** @return the name residents and staff read */
    public String japanese() {
        return japanese;
    }

    /**
     * @param wire a stored name
     * @return the status
     */
    public static RoundStatus of(String wire) {
        for (RoundStatus status : values()) {
            if (status.wire.equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown round status " + wire);
    }
}
