package jp.kominkan.cloud.fee;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Refunds on cancellation (還付), as an ordinance or a hall's rules write them: for each reason,
 * rows keyed on how far ahead of the use date the cancellation came, in calendar days or months
 * in the facility's zone ("日前3日まで" = on or before the use date − 3 days; never Instant
 * arithmetic), each with a percent. The first row that holds wins; none holding refunds nothing.
 * The reason is an input because the rate depends on it (美馬市 規則第3条: 100 % for weather or
 * the city's decision, 50 % for a reason the mayor accepts, 30 % for one's own convenience).
 * Parsed from a document by {@link RefundSchedules}.
 *
 * @param source                  the rule's source
 * @param rules                   rows per reason, every reason present
 * @param rounding                how the refund is rounded (e.g. 10円未満切り捨て)
 * @param equipmentAlwaysRefunded whether equipment fees are refunded in full whatever the date
 */
public record RefundSchedule(String source, Map<Reason, List<Row>> rules, Rounding rounding,
                             boolean equipmentAlwaysRefunded) {

    /** Why a booking is cancelled. */
    public enum Reason {
        /** The user's own convenience (自己都合). */
        USER("自己都合"),
        /** The user's reason, accepted as good cause (正当な理由). */
        USER_WITH_CAUSE("正当な理由による取消し"),
        /** Weather, disaster, or another cause not the user's fault (天災等). */
        FORCE_MAJEURE("天災等、利用者の責めによらない理由"),
        /** The city revoked the permit or needs the room (市の都合). */
        CITY("市の都合");

        private final String labelJa;

        Reason(String labelJa) {
            this.labelJa = labelJa;
        }

        /** @return the reason in Japanese */
        public String labelJa() {
            return labelJa;
        }
    }

    /**
     * One row: cancelled at least so many days or months before the use date (or at any time,
     * when neither is given) → percent.
     *
     * @param minDaysBefore   on or before the use date minus this many days
     * @param minMonthsBefore on or before the use date minus this many months
     * @param percent         refunded
     */
    public record Row(OptionalInt minDaysBefore, OptionalInt minMonthsBefore, int percent) {

        /** Validates. */
        public Row {
            Objects.requireNonNull(minDaysBefore);
            Objects.requireNonNull(minMonthsBefore);
            if ((minDaysBefore.isPresent() && minMonthsBefore.isPresent()) || percent < 0 || percent > 100
                    || minDaysBefore.orElse(0) < 0 || minMonthsBefore.orElse(0) < 0) {
                throw new IllegalArgumentException("a row has days or months (≥ 0), not both, and 0–100 %");
            }
        }

        /** @return whether it holds whatever the date */
        public boolean always() {
            return minDaysBefore.isEmpty() && minMonthsBefore.isEmpty();
        }

        boolean holds(LocalDate useDate, LocalDate cancelledOn) {
            if (minDaysBefore.isPresent()) {
                return !cancelledOn.isAfter(useDate.minusDays(minDaysBefore.getAsInt()));
            }
            if (minMonthsBefore.isPresent()) {
                return !cancelledOn.isAfter(useDate.minusMonths(minMonthsBefore.getAsInt()));
            }
            return true;
        }

        String ja() {
            if (minDaysBefore.isPresent()) {
                return minDaysBefore.getAsInt() == 0 ? "利用日当日まで" : "利用日の " + minDaysBefore.getAsInt() + " 日前まで";
            }
            if (minMonthsBefore.isPresent()) {
                return "利用日の " + minMonthsBefore.getAsInt() + " か月前まで";
            }
            return "期日にかかわらず";
        }
    }

    /** Validates: every reason has rows; nothing follows a row that always holds. */
    public RefundSchedule {
        Objects.requireNonNull(source);
        Objects.requireNonNull(rounding);
        EnumMap<Reason, List<Row>> copy = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            List<Row> rows = List.copyOf(Objects.requireNonNull(rules.get(reason), "rules for " + reason));
            for (int i = 0; i < rows.size() - 1; i++) {
                if (rows.get(i).always()) {
                    throw new FeeScheduleException("rules." + reason.name() + "[" + (i + 1) + "]",
                            "前の行が期日にかかわらず適用されるので、この行は使われません。",
                            "The row before always applies, so this row is never reached.");
                }
            }
            copy.put(reason, rows);
        }
        rules = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * @param paidYen     what was paid
     * @param useDate     the use date, local
     * @param cancelledOn the cancellation date, local
     * @param reason      why
     * @return the refund and the fee
     */
    public RefundDecision decide(long paidYen, LocalDate useDate, LocalDate cancelledOn, Reason reason) {
        return decide(paidYen, 0, useDate, cancelledOn, reason);
    }

    /**
     * @param paidYen      what was paid, equipment included
     * @param equipmentYen the equipment part of it (refunded in full when {@link #equipmentAlwaysRefunded})
     * @param useDate      the use date, local
     * @param cancelledOn  the cancellation date, local
     * @param reason       why
     * @return the refund and the fee
     */
    public RefundDecision decide(long paidYen, long equipmentYen, LocalDate useDate, LocalDate cancelledOn,
                                 Reason reason) {
        if (paidYen < 0 || equipmentYen < 0 || equipmentYen > paidYen) {
            throw new IllegalArgumentException("paid ≥ equipment ≥ 0");
        }
        Row row = rules.get(reason).stream().filter(r -> r.holds(useDate, cancelledOn)).findFirst().orElse(null);
        int percent = row == null ? 0 : row.percent();
        long always = equipmentAlwaysRefunded ? equipmentYen : 0;
        long refund = Math.min(paidYen, always + rounding.apply(Math.multiplyExact(paidYen - always, percent), 100));
        String rule = reason.labelJa() + "（" + (row == null ? "期限後" : row.ja()) + "）: " + percent + "%"
                + (always > 0 ? "、附属設備は全額" : "");
        return new RefundDecision(percent, refund, paidYen - refund, rule);
    }
}
