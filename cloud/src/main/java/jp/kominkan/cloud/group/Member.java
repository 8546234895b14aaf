package jp.kominkan.cloud.group;

import java.util.Objects;

import jp.kominkan.cloud.web.Problem;

/**
 * One person on a group's roster (名簿): the name, whether they live in the municipality, and their age
 * band — what the fee reduction (減免) rules count ("half the members 75 or over"). No birth dates or
 * addresses are asked: the rules need no more, and the representative types them, unverified.
 *
 * @param name      the member's name as typed, 1–50 characters, no control characters
 * @param residency 市内 or 市外
 * @param ageBand   the age band
 */
public record Member(String name, Residency residency, AgeBand ageBand) {

    /** Longest name accepted. */
    public static final int NAME_MAX = 50;

    /** Checks the name (as field {@code members}) and that the parts are present. */
    public Member {
        name = GroupText.required(name, NAME_MAX, "members", "member name", "会員の氏名");
        Objects.requireNonNull(residency, "residency");
        Objects.requireNonNull(ageBand, "ageBand");
    }

    /** @return the name as compared between rosters */
    public String key() {
        return Overlap.key(name);
    }

    /** Resident (市内) or not (市外). */
    public enum Residency {
        /** Lives in the municipality (市内在住). */
        RESIDENT("resident"),
        /** Lives elsewhere (市外). */
        NON_RESIDENT("non-resident");

        private final String wire;

        Residency(String wire) {
            this.wire = wire;
        }

        /** @return the name stored and sent */
        public String wire() {
            return wire;
        }

        /**
         * @param wire a name sent or stored
         * @return the residency
         * @throws Problem 400 for another name
         */
        public static Residency of(String wire) {
            for (Residency r : values()) {
                if (r.wire.equals(wire)) {
                    return r;
                }
            }
            throw Problem.badField("members", "A member's residency is resident or non-resident.",
                    "会員の住所区分は resident（市内）か non-resident（市外）です。");
        }
    }

    /** Age bands as municipal 減免 rules write them (18歳未満, 65歳以上, 75歳以上). */
    public enum AgeBand {
        /** Under 18 (18歳未満). */
        UNDER_18("under-18"),
        /** 18 to 64. */
        ADULT("18-64"),
        /** 65 to 74 (前期高齢者). */
        SENIOR("65-74"),
        /** 75 or over (後期高齢者). */
        ELDERLY("75+");

        private final String wire;

        AgeBand(String wire) {
            this.wire = wire;
        }

        /** @return the name stored and sent */
        public String wire() {
            return wire;
        }

        /**
         * @param wire a name sent or stored
         * @return the band
         * @throws Problem 400 for another name
         */
        public static AgeBand of(String wire) {
            for (AgeBand band : values()) {
                if (band.wire.equals(wire)) {
                    return band;
                }
            }
            throw Problem.badField("members", "A member's age band is under-18, 18-64, 65-74 or 75+.",
                    "会員の年齢区分は under-18・18-64・65-74・75+ のいずれかです。");
        }
    }
}
