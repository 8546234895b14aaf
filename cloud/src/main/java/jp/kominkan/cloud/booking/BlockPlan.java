package jp.kominkan.cloud.booking;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The dates a block takes: once, every week, or every month on the same weekday of the month
 * (毎月第2火曜), from a first date until a last one, each from a start to an end time.
 *
 * @param first  the first date
 * @param start  start time
 * @param end    end time (24:00 as {@link LocalTime#MIDNIGHT} with {@code untilMidnight})
 * @param repeat how it repeats
 * @param until  the last date a repetition may fall on
 */
public record BlockPlan(LocalDate first, LocalTime start, LocalTime end, Repeat repeat, LocalDate until) {

    /** Most dates one block series may take. */
    public static final int MAX_DATES = 120;

    /** How a block repeats. */
    public enum Repeat {
        /** One date. */
        NONE,
        /** Every week on the first date's weekday. */
        WEEKLY,
        /** Every month on the first date's weekday and its ordinal in the month (第n曜日). */
        MONTHLY;

        /**
         * @param wire none, weekly or monthly
         * @return the repeat
         */
        public static Repeat of(String wire) {
            return switch (wire == null ? "none" : wire) {
                case "", "none" -> NONE;
                case "weekly" -> WEEKLY;
                case "monthly" -> MONTHLY;
                default -> throw Problem.badField("repeat", "repeat is none, weekly or monthly.",
                        "繰り返しは「なし」「毎週」「毎月（第n曜日）」から選んでください。");
            };
        }
    }

    /** Checks the plan. */
    public BlockPlan {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(repeat, "repeat");
        if (until.isBefore(first) || until.isAfter(first.plusYears(1))) {
            throw Problem.badField("until", "The last date must be after the first and within a year of it.",
                    "繰り返しの終了日は開始日以降、1 年以内にしてください。");
        }
    }

    /**
     * @return the dates, in order
     */
    public List<LocalDate> dates() {
        List<LocalDate> dates = new ArrayList<>();
        switch (repeat) {
            case NONE -> dates.add(first);
            case WEEKLY -> {
                for (LocalDate d = first; !d.isAfter(until); d = d.plusWeeks(1)) {
                    dates.add(d);
                }
            }
            case MONTHLY -> {
                DayOfWeek weekday = first.getDayOfWeek();
                int ordinal = (first.getDayOfMonth() - 1) / 7 + 1;
                for (LocalDate month = first.withDayOfMonth(1); !month.isAfter(until); month = month.plusMonths(1)) {
                    LocalDate d = month.with(TemporalAdjusters.dayOfWeekInMonth(ordinal, weekday));
                    // A fifth Tuesday that a month lacks falls into the next month: that month has none.
                    if (d.getMonth() == month.getMonth() && !d.isBefore(first) && !d.isAfter(until)) {
                        dates.add(d);
                    }
                }
            }
        }
        if (dates.size() > MAX_DATES) {
            throw Problem.badField("until", "A block series may take at most " + MAX_DATES + " dates; split it.",
                    "一度に登録できるのは " + MAX_DATES + " 日までです。期間を分けてください。");
        }
        return dates;
    }

    /**
     * @param date one of the dates
     * @param zone the municipality's zone
     * @param untilMidnight whether the end is 24:00
     * @return the slots it takes that day
     */
    public SlotRange on(LocalDate date, ZoneId zone, boolean untilMidnight) {
        return new SlotRange(date.atTime(start).atZone(zone).toInstant(),
                (untilMidnight ? date.plusDays(1).atStartOfDay(zone) : date.atTime(end).atZone(zone)).toInstant());
    }
}
