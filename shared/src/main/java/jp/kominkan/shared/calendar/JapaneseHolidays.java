package jp.kominkan.shared.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Japan's public holidays (国民の祝日), computed from 国民の祝日に関する法律 — not typed in — for fee
 * schedules whose prices differ on 土日祝 (docs/fees-payments-research.md §4): the fixed days, the
 * Happy-Monday days, 春分の日 and 秋分の日 by the usual approximation (valid 2000–2099; the 国立天文台
 * announces them a year ahead and has always agreed within this range), 振替休日 (第3条第2項: a
 * holiday on a Sunday moves to the next day that is not a holiday) and 国民の休日 (第3条第3項: a day
 * between two holidays). Years 2022–2099 only: 2019–2021 had one-off days (即位, the Olympics).
 */
public final class JapaneseHolidays {

    /** First year computed. */
    public static final int FIRST_YEAR = 2022;
    /** Last year computed. */
    public static final int LAST_YEAR = 2099;

    private JapaneseHolidays() {
    }

    /**
     * @param year a year from {@value #FIRST_YEAR} to {@value #LAST_YEAR}
     * @return its holidays with their names, in date order
     * @throws IllegalArgumentException for another year
     */
    public static Map<LocalDate, String> of(int year) {
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw new IllegalArgumentException("Japanese holidays are computed for " + FIRST_YEAR + "–" + LAST_YEAR
                    + ", not " + year);
        }
        TreeMap<LocalDate, String> days = new TreeMap<>();
        days.put(LocalDate.of(year, 1, 1), "元日");
        days.put(monday(year, Month.JANUARY, 2), "成人の日");
        days.put(LocalDate.of(year, 2, 11), "建国記念の日");
        days.put(LocalDate.of(year, 2, 23), "天皇誕生日");
        days.put(LocalDate.of(year, 3, equinox(year, 20.8431)), "春分の日");
        days.put(LocalDate.of(year, 4, 29), "昭和の日");
        days.put(LocalDate.of(year, 5, 3), "憲法記念日");
        days.put(LocalDate.of(year, 5, 4), "みどりの日");
        days.put(LocalDate.of(year, 5, 5), "こどもの日");
        days.put(monday(year, Month.JULY, 3), "海の日");
        days.put(LocalDate.of(year, 8, 11), "山の日");
        days.put(monday(year, Month.SEPTEMBER, 3), "敬老の日");
        days.put(LocalDate.of(year, 9, equinox(year, 23.2488)), "秋分の日");
        days.put(monday(year, Month.OCTOBER, 2), "スポーツの日");
        days.put(LocalDate.of(year, 11, 3), "文化の日");
        days.put(LocalDate.of(year, 11, 23), "勤労感謝の日");
        // 第3条第3項 first (it looks at 祝日 only), then 第3条第2項 (it skips every day already a holiday).
        for (LocalDate day : new java.util.ArrayList<>(days.keySet())) {
            LocalDate between = day.plusDays(1);
            if (!days.containsKey(between) && days.containsKey(between.plusDays(1)) && between.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days.put(between, "国民の休日");
            }
        }
        for (LocalDate day : new java.util.ArrayList<>(days.keySet())) {
            if (day.getDayOfWeek() == DayOfWeek.SUNDAY && !"振替休日".equals(days.get(day))) {
                LocalDate substitute = day.plusDays(1);
                while (days.containsKey(substitute)) {
                    substitute = substitute.plusDays(1);
                }
                days.put(substitute, "振替休日");
            }
        }
        return Collections.unmodifiableMap(days);
    }

    /**
     * @param date a day
     * @return its holiday's name, if it is one
     */
    public static Optional<String> name(LocalDate date) {
        return Optional.ofNullable(of(date.getYear()).get(date));
    }

    /**
     * @param date a day
     * @return whether it is a public holiday (振替休日 and 国民の休日 included)
     */
    public static boolean isHoliday(LocalDate date) {
        return of(date.getYear()).containsKey(date);
    }

    private static LocalDate monday(int year, Month month, int nth) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(nth, DayOfWeek.MONDAY));
    }

    /** The usual approximation of the equinox day, 1980–2099. */
    private static int equinox(int year, double base) {
        return (int) Math.floor(base + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
    }
}
