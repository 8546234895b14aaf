package jp.kominkan.cloud.fairness;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;
import java.util.Optional;

import jp.kominkan.shared.calendar.JapaneseHolidays;
import jp.kominkan.shared.slot.SlotRange;

/**
 * A limit on use (利用回数の上限) of one facility: at most {@code cap} bookings or hours per month or ISO week of use,
 * on every day or only on 土日祝 (Saturdays, Sundays and Japanese public holidays), per person or per group.
 * A booking counts in the period of the day it starts.
 *
 * @param id            the rule's id
 * @param subject       who is counted
 * @param measure       bookings or hours
 * @param period        month or week
 * @param days          every day, or only 土日祝
 * @param cap           the most (bookings or hours), for verified accounts and groups
 * @param unverifiedCap the most for accounts not verified, when tighter (person rules only)
 */
public record Quota(long id, Subject subject, Measure measure, Period period, Days days, int cap,
                    Optional<Integer> unverifiedCap) {

    /** Checks the fields. */
    public Quota {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(unverifiedCap, "unverifiedCap");
    }

    /** Who a quota counts. */
    public enum Subject {
        /** The account that books, for bookings not made for a group. */
        PERSON,
        /** The group a booking is for. */
        GROUP
    }

    /** What a quota counts. */
    public enum Measure {
        /** Bookings. */
        BOOKINGS,
        /** Hours, in 15-minute slots. */
        HOURS
    }

    /** The period a quota counts over. */
    public enum Period {
        /** A calendar month. */
        MONTH,
        /** An ISO week, Monday to Sunday. */
        WEEK
    }

    /** Which days a quota counts. */
    public enum Days {
        /** Every day. */
        ALL,
        /** Saturdays, Sundays and public holidays (土日祝). */
        HOLIDAYS
    }

    /**
     * @param booker who books
     * @return whether this rule counts the booking, and at what cap
     */
    public Optional<Integer> capFor(Booker booker) {
        if (subject == Subject.GROUP) {
            return booker.groupId().map(g -> cap);
        }
        if (booker.groupId().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(booker.verified() ? cap : unverifiedCap.orElse(cap));
    }

    /**
     * @param booker who books
     * @return the subject key a place is stored under
     */
    public String subjectKey(Booker booker) {
        return subject == Subject.GROUP ? "group:" + booker.groupId().orElseThrow() : "account:" + booker.accountId();
    }

    /**
     * @param day the day a booking starts
     * @return whether this rule counts it
     */
    public boolean covers(LocalDate day) {
        return days == Days.ALL || day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY
                || JapaneseHolidays.isHoliday(day);
    }

    /**
     * @param day the day a booking starts
     * @return the first day of its period
     */
    public LocalDate periodStart(LocalDate day) {
        return period == Period.MONTH ? day.withDayOfMonth(1) : day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /**
     * @param range the booking's slots
     * @return how many places it takes: one per booking, or one per 15-minute slot
     */
    public int units(SlotRange range) {
        return measure == Measure.BOOKINGS ? 1 : range.slotStarts().size();
    }

    /**
     * @param capShown the cap that applies
     * @return the rule in Japanese, e.g. {@code 1 か月に 4 回まで（土日祝）}
     */
    public String japanese(int capShown) {
        String per = period == Period.MONTH ? "1 か月" : "1 週間";
        String amount = measure == Measure.BOOKINGS ? capShown + " 回" : capShown + " 時間";
        return (subject == Subject.GROUP ? "団体ごとに" : "") + per + "に " + amount + "まで"
                + (days == Days.HOLIDAYS ? "（土日祝）" : "");
    }

    /**
     * @param capShown the cap that applies
     * @return the rule in English, e.g. {@code 4 bookings a month (weekends and holidays)}
     */
    public String english(int capShown) {
        String amount = measure == Measure.BOOKINGS ? capShown + " bookings" : capShown + " hours";
        return amount + (period == Period.MONTH ? " a month" : " a week")
                + (subject == Subject.GROUP ? " per group" : "")
                + (days == Days.HOLIDAYS ? " on weekends and public holidays" : "");
    }

    /**
     * @param capInUnit a cap in the rule's unit (bookings or hours)
     * @return how many places that is: hours are counted in 15-minute slots
     */
    public int places(int capInUnit) {
        return measure == Measure.HOURS ? capInUnit * 4 : capInUnit;
    }

    /** @return the wire name of the subject */
    public String subjectWire() {
        return subject.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the wire name of the measure */
    public String measureWire() {
        return measure.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the wire name of the period */
    public String periodWire() {
        return period.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the wire name of the days */
    public String daysWire() {
        return days.name().toLowerCase(java.util.Locale.ROOT);
    }
}
