package jp.kominkan.cloud.fee;

import java.util.Objects;

/**
 * How a municipality rounds money: up, down or to the nearest (half up) multiple of 1, 10 or 100
 * yen. Ordinances differ (睦沢町 truncates below 10 yen, 高岡市 rounds up to 10 yen, いずみティ21
 * rounds its cancellation fee up to 100 yen; docs/fees-payments-research.md §5), so it is data.
 *
 * @param mode up, down or nearest
 * @param unit 1, 10 or 100 yen
 */
public record Rounding(Mode mode, int unit) {

    /** No rounding: whole yen, fractions dropped (1円未満切り捨て). */
    public static final Rounding NONE = new Rounding(Mode.DOWN, 1);

    /** Which way. */
    public enum Mode {
        /** 切り上げ. */
        UP("up"),
        /** 切り捨て. */
        DOWN("down"),
        /** 四捨五入 (half up). */
        NEAREST("nearest");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        /** @return the name in the document */
        public String wire() {
            return wire;
        }
    }

    /** Validates. */
    public Rounding {
        Objects.requireNonNull(mode);
        if (unit != 1 && unit != 10 && unit != 100) {
            throw new IllegalArgumentException("rounding unit must be 1, 10 or 100 yen, not " + unit);
        }
    }

    /**
     * @param yen a non-negative amount
     * @return it rounded
     */
    public long apply(long yen) {
        return apply(yen, 1);
    }

    /**
     * Rounds an exact fraction of yen, so that a refund of 30 % is rounded once, not truncated first.
     *
     * @param numerator   a non-negative amount times the denominator
     * @param denominator positive
     * @return numerator / denominator rounded to the unit
     */
    public long apply(long numerator, long denominator) {
        if (numerator < 0 || denominator <= 0) {
            throw new IllegalArgumentException("rounding works on non-negative amounts");
        }
        long scaled = Math.multiplyExact(denominator, unit);
        long units = switch (mode) {
            case DOWN -> numerator / scaled;
            case UP -> (numerator + scaled - 1) / scaled;
            case NEAREST -> (2 * numerator + scaled) / (2 * scaled);
        };
        return units * unit;
    }
}
