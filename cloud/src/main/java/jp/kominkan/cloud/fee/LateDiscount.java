package jp.kominkan.cloud.fee;

import java.util.Objects;
import java.util.Set;

/**
 * A late-booking discount (直前割引). 横浜市 杉田地区センター: "利用日を含めた7日前からの申し込みは
 * 1コマ半額", i.e. booked on or after the use date − 6 days, for the listed bands only (not 延長,
 * not same-day hourly use). Dates are local dates in the facility's zone, never Instant arithmetic.
 *
 * @param code           code
 * @param labelJa        Japanese label
 * @param labelEn        English label
 * @param fromDaysBefore booked on or after the use date minus this many days
 * @param percent        off the listed units' base price
 * @param units          the unit codes it applies to
 */
public record LateDiscount(String code, String labelJa, String labelEn, int fromDaysBefore, int percent,
                           Set<String> units) {

    /** Validates. */
    public LateDiscount {
        Objects.requireNonNull(code);
        units = Set.copyOf(units);
        if (code.isBlank() || labelJa.isBlank() || labelEn.isBlank() || fromDaysBefore < 0 || fromDaysBefore > 366
                || percent < 0 || percent > 100 || units.isEmpty()) {
            throw new IllegalArgumentException("a late discount needs a code, labels, 0–366 days, 0–100 % and units");
        }
    }
}
