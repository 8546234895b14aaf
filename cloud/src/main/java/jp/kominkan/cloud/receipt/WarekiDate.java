package jp.kominkan.cloud.receipt;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.chrono.JapaneseDate;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Objects;

/**
 * Dates in the Japanese calendar (和暦), the way a municipal document prints them: {@code 令和8年12月1日}.
 *
 * <p>It exists because the JDK gets the first year of an era wrong for official documents:
 * {@code DateTimeFormatter.ofPattern("GGGGy年M月d日", Locale.JAPAN)} prints {@code 令和1年5月1日}, while every
 * public office writes {@code 令和元年5月1日} (first year, 元年). The era and its boundaries still come from
 * {@link JapaneseDate}, so an era the JDK learns later (a new 元号) is printed without a change here.
 */
public final class WarekiDate {

    /** The first day {@link JapaneseDate} supports (明治6年1月1日, when Japan took the Gregorian calendar). */
    private static final LocalDate FIRST = LocalDate.of(1873, 1, 1);

    private WarekiDate() {
    }

    /**
     * @param date a day in the facility's zone
     * @return e.g. {@code 令和8年12月1日}, or {@code 令和元年5月1日} in an era's first year
     * @throws IllegalArgumentException before 1873-01-01, which has no 和暦 date in the Gregorian sense
     */
    public static String format(LocalDate date) {
        Objects.requireNonNull(date, "date");
        if (date.isBefore(FIRST)) {
            throw new IllegalArgumentException("No 和暦 date before " + FIRST + ": " + date);
        }
        JapaneseDate japanese;
        try {
            japanese = JapaneseDate.from(date);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("No 和暦 date for " + date, e);
        }
        String era = japanese.getEra().getDisplayName(TextStyle.FULL, Locale.JAPAN);
        int year = japanese.get(ChronoField.YEAR_OF_ERA);
        return era + (year == 1 ? "元" : Integer.toString(year)) + "年"
                + date.getMonthValue() + "月" + date.getDayOfMonth() + "日";
    }

    /**
     * Both calendars, so a reader (or a bank, or software) never has to convert: the 和暦 first, the ISO
     * 8601 date after it in full-width parentheses.
     *
     * @param date a day in the facility's zone
     * @return e.g. {@code 令和8年12月1日（2026-12-01）}
     */
    public static String formatWithIso(LocalDate date) {
        return format(date) + "（" + date + "）";
    }
}
