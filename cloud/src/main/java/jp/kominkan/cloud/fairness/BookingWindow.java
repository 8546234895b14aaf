package jp.kominkan.cloud.fairness;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A facility's booking window (予約受付期間) by who books. For the month tiers, every day of a month of use opens
 * at the same moment: {@code opensHour}:00 on day {@code opensDay} of the month that lies {@code months} before it
 * (3 months, day 1, 9 h: all of June opens on 1 March at 9:00). For accounts not verified the window rolls: a day
 * opens at midnight {@code unverifiedDays} days before it, like a room's booking horizon.
 *
 * @param residentMonths    months ahead for verified 市内 residents and registered groups
 * @param nonResidentMonths months ahead for verified 市外 accounts
 * @param unverifiedDays    days ahead for accounts not verified
 * @param opensDay          the day of the month (1–28) a month opens
 * @param opensHour         the hour (0–23) it opens
 */
public record BookingWindow(int residentMonths, int nonResidentMonths, int unverifiedDays, int opensDay,
                            int opensHour) {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd H:mm");

    /** Checks the bounds the table also checks. */
    public BookingWindow {
        if (residentMonths < 0 || residentMonths > 24 || nonResidentMonths < 0 || nonResidentMonths > residentMonths
                || unverifiedDays < 0 || unverifiedDays > 730 || opensDay < 1 || opensDay > 28 || opensHour < 0
                || opensHour > 23) {
            throw new IllegalArgumentException("booking window out of bounds");
        }
    }

    /**
     * @param tier who books
     * @param date a day of use
     * @param zone the facility's zone
     * @return when booking that day opens for them
     */
    public Instant opensAt(Booker.Tier tier, LocalDate date, ZoneId zone) {
        return switch (tier) {
            case RESIDENT -> monthOpens(date, residentMonths, zone);
            case NON_RESIDENT -> monthOpens(date, nonResidentMonths, zone);
            case UNVERIFIED -> date.minusDays(unverifiedDays).atStartOfDay(zone).toInstant();
        };
    }

    /**
     * @param tier who books
     * @param now  now
     * @param zone the facility's zone
     * @return the last day they can book now
     */
    public LocalDate lastOpenDay(Booker.Tier tier, Instant now, ZoneId zone) {
        LocalDate today = now.atZone(zone).toLocalDate();
        if (tier == Booker.Tier.UNVERIFIED) {
            return today.plusDays(unverifiedDays);
        }
        int months = tier == Booker.Tier.RESIDENT ? residentMonths : nonResidentMonths;
        LocalDate month = today.withDayOfMonth(1).plusMonths(months);
        if (monthOpens(month, months, zone).isAfter(now)) {
            month = month.minusMonths(1);
        }
        return month.plusMonths(1).minusDays(1);
    }

    /**
     * @param at   an instant
     * @param zone the zone
     * @return it as people read it: {@code 2027-03-01 9:00}
     */
    public static String format(Instant at, ZoneId zone) {
        return LocalDateTime.ofInstant(at, zone).format(AT);
    }

    private Instant monthOpens(LocalDate date, int months, ZoneId zone) {
        return date.withDayOfMonth(1).minusMonths(months).withDayOfMonth(opensDay).atTime(opensHour, 0)
                .atZone(zone).toInstant();
    }
}
