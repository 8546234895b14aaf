package jp.kominkan.cloud.reduction;

import jp.kominkan.cloud.group.Member;
import jp.kominkan.cloud.group.RosterCounts;

/**
 * A condition a 減免 category sets on the group's roster (名簿), computed from the counts, never typed in by
 * staff: e.g. 高齢者団体 — "at least half the members are 75 or over".
 */
public enum RosterRule {
    /** At least half the members are 75 or over (高齢者団体). */
    ELDERLY_HALF("elderly-half", "会員の半数以上が75歳以上", "At least half the members are 75 or over"),
    /** At least half the members live in the municipality (市内団体). */
    RESIDENTS_HALF("residents-half", "会員の半数以上が市内在住", "At least half the members live in the municipality");

    private final String wire;
    private final String labelJa;
    private final String labelEn;

    RosterRule(String wire, String labelJa, String labelEn) {
        this.wire = wire;
        this.labelJa = labelJa;
        this.labelEn = labelEn;
    }

    /** @return the stored name */
    public String wire() {
        return wire;
    }

    /** @return what it asks, in Japanese */
    public String labelJa() {
        return labelJa;
    }

    /** @return what it asks, in English */
    public String labelEn() {
        return labelEn;
    }

    /**
     * @param roster a roster counted
     * @return whether the rule holds; never for an empty roster
     */
    public boolean holds(RosterCounts roster) {
        int counted = switch (this) {
            case ELDERLY_HALF -> roster.of(Member.AgeBand.ELDERLY);
            case RESIDENTS_HALF -> roster.of(Member.Residency.RESIDENT);
        };
        // "半数以上": 2 × counted ≥ total, in integers (3 of 6 holds, 3 of 7 does not).
        return roster.total() > 0 && 2L * counted >= roster.total();
    }

    /**
     * @param roster a roster counted
     * @return the count the rule looks at, as "3 / 6"
     */
    public String shown(RosterCounts roster) {
        int counted = switch (this) {
            case ELDERLY_HALF -> roster.of(Member.AgeBand.ELDERLY);
            case RESIDENTS_HALF -> roster.of(Member.Residency.RESIDENT);
        };
        return counted + " / " + roster.total();
    }

    /**
     * @param wire a stored name
     * @return the rule
     * @throws IllegalArgumentException for another name
     */
    public static RosterRule of(String wire) {
        for (RosterRule rule : values()) {
            if (rule.wire.equals(wire)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("Unknown roster rule " + wire);
    }
}
