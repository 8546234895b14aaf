package jp.kominkan.cloud.lottery;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jp.kominkan.cloud.web.Problem;

/**
 * A round's schedule (日程): applications from {@code opensAt} until {@code closesAt}, the draw from {@code drawAt},
 * wins confirmed and paid by {@code confirmBy} (当選確定期限), and what is left open first-come (第2次・先着順) from
 * {@code firstComeAt}.
 *
 * @param opensAt     applications open
 * @param closesAt    applications close; the list is frozen and committed to
 * @param drawAt      the earliest draw
 * @param confirmBy   wins lapse unless confirmed by then
 * @param firstComeAt leftovers open first-come
 */
public record RoundSchedule(Instant opensAt, Instant closesAt, Instant drawAt, Instant confirmBy, Instant firstComeAt) {

    /** Checks the order: open &lt; close ≤ draw &lt; confirm ≤ first-come. */
    public RoundSchedule {
        Objects.requireNonNull(opensAt, "opensAt");
        Objects.requireNonNull(closesAt, "closesAt");
        Objects.requireNonNull(drawAt, "drawAt");
        Objects.requireNonNull(confirmBy, "confirmBy");
        Objects.requireNonNull(firstComeAt, "firstComeAt");
        // Whole seconds: what both databases store and give back alike, and what people read.
        opensAt = opensAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        closesAt = closesAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        drawAt = drawAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        confirmBy = confirmBy.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        firstComeAt = firstComeAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (!opensAt.isBefore(closesAt) || drawAt.isBefore(closesAt) || !drawAt.isBefore(confirmBy)
                || firstComeAt.isBefore(confirmBy)) {
            throw Problem.badField("schedule", "The schedule must run: applications open, close, draw, confirm"
                            + " deadline, first-come opening, in that order.",
                    "日程は「申込開始 → 申込締切 → 抽選 → 当選確定期限 → 先着順受付開始」の順にしてください。");
        }
    }

    /**
     * A schedule template (日程のひな形), relative to the month of use: e.g. apply on the 1st–7th two months before,
     * draw from the 8th, confirm by the 15th, first-come from the 16th at 9:00.
     *
     * @param code         its code
     * @param name         its name for staff
     * @param monthsBefore how many months before the month of use the schedule runs
     * @param applyFrom    first day of applications (at 0:00)
     * @param applyTo      last day of applications (until 24:00)
     * @param drawDay      the day the draw may run from (at 0:00)
     * @param confirmTo    the last day to confirm (until 24:00)
     * @param firstComeDay the day first-come opens
     * @param firstComeAt  the time it opens
     */
    public record Template(String code, String name, int monthsBefore, int applyFrom, int applyTo, int drawDay,
                           int confirmTo, int firstComeDay, LocalTime firstComeAt) {

        /** The templates offered. */
        public static final List<Template> ALL = List.of(
                new Template("two-months", "2か月前: 1〜7日申込・8日抽選・15日まで確定・16日9時から先着", 2, 1, 7, 8, 15, 16,
                        LocalTime.of(9, 0)),
                new Template("one-month", "1か月前: 1〜7日申込・8日抽選・15日まで確定・16日9時から先着", 1, 1, 7, 8, 15, 16,
                        LocalTime.of(9, 0)),
                new Template("three-months", "3か月前: 1〜10日申込・11日抽選・20日まで確定・21日9時から先着", 3, 1, 10, 11, 20,
                        21, LocalTime.of(9, 0)));

        /**
         * @param code a code
         * @return the template
         */
        public static Optional<Template> of(String code) {
            return ALL.stream().filter(t -> t.code().equals(code)).findFirst();
        }

        /**
         * @param useMonth the month of use
         * @param zone     the municipality's zone
         * @return the schedule
         */
        public RoundSchedule forMonth(YearMonth useMonth, ZoneId zone) {
            YearMonth month = useMonth.minusMonths(monthsBefore);
            return new RoundSchedule(start(month.atDay(applyFrom), zone), start(month.atDay(applyTo).plusDays(1), zone),
                    start(month.atDay(drawDay), zone), start(month.atDay(confirmTo).plusDays(1), zone),
                    month.atDay(firstComeDay).atTime(firstComeAt).atZone(zone).toInstant());
        }

        private static Instant start(LocalDate date, ZoneId zone) {
            return date.atStartOfDay(zone).toInstant();
        }
    }
}
