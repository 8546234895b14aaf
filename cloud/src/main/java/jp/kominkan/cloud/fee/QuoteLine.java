package jp.kominkan.cloud.fee;

import java.util.Objects;

/**
 * One line of a quote (見積明細): what it is, and its yen, negative for discounts and reductions.
 *
 * @param kind    what kind of line
 * @param code    the schedule's code for it (午前, 入場料加算, 冷暖房…)
 * @param labelJa label in Japanese, with the date where it has one
 * @param labelEn label in English
 * @param yen     signed yen
 */
public record QuoteLine(Kind kind, String code, String labelJa, String labelEn, long yen) {

    /** Kinds of line, in the order a quote lists them. */
    public enum Kind {
        /** A unit's price (基本使用料). */
        BASE,
        /** Overrun (延長). */
        OVERRUN,
        /** A surcharge (加算). */
        SURCHARGE,
        /** A late-booking discount (直前割引); negative. */
        DISCOUNT,
        /** Equipment (附属設備). */
        EQUIPMENT,
        /** A seasonal item (冷暖房費). */
        SEASONAL,
        /** A reduction or exemption (減免); negative. */
        REDUCTION,
        /** The rounding of the total (端数処理); either sign. */
        ROUNDING
    }

    /** Validates. */
    public QuoteLine {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(code);
        Objects.requireNonNull(labelJa);
        Objects.requireNonNull(labelEn);
        boolean negative = kind == Kind.DISCOUNT || kind == Kind.REDUCTION;
        if (kind != Kind.ROUNDING && (negative ? yen > 0 : yen < 0)) {
            throw new IllegalArgumentException(kind + " line with " + yen + " yen");
        }
    }
}
