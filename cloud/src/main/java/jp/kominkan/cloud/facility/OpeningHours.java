package jp.kominkan.cloud.facility;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * When a room can be used, per weekday, in local time. A weekday without hours is a weekly closed
 * day (定休日). Hours are minutes from midnight; closing at 1440 means open until midnight.
 */
public final class OpeningHours {

    private final Map<DayOfWeek, Daily> byDay;

    /**
     * @param byDay hours per weekday
     */
    public OpeningHours(Map<DayOfWeek, Daily> byDay) {
        this.byDay = byDay.isEmpty() ? Map.of() : new EnumMap<>(byDay);
    }

    /**
     * @param day a weekday
     * @return its hours, unless the room is closed that weekday
     */
    public Optional<Daily> on(DayOfWeek day) {
        return Optional.ofNullable(byDay.get(day));
    }

    /**
     * @param date        a local date
     * @param minuteOfDay a minute of that day
     * @return whether the room is open then (closed days aside)
     */
    public boolean isOpen(LocalDate date, int minuteOfDay) {
        Daily daily = byDay.get(date.getDayOfWeek());
        return daily != null && minuteOfDay >= daily.opensMinute() && minuteOfDay < daily.closesMinute();
    }

    /** @return hours for every weekday that has them */
    public Map<DayOfWeek, Daily> byDay() {
        return Map.copyOf(byDay);
    }

    /**
     * One day's hours.
     *
     * @param opensMinute  minutes from midnight when it opens
     * @param closesMinute minutes from midnight when it closes, up to 1440
     */
    public record Daily(int opensMinute, int closesMinute) {

        /** Checks the hours lie in one day and on the 15-minute grid. */
        public Daily {
            if (opensMinute < 0 || closesMinute > 1440 || opensMinute >= closesMinute
                    || opensMinute % 15 != 0 || closesMinute % 15 != 0) {
                throw new IllegalArgumentException("Bad opening hours " + opensMinute + "–" + closesMinute);
            }
        }

        /** @return "HH:MM" */
        public String opens() {
            return clock(opensMinute);
        }

        /** @return "HH:MM", "24:00" for midnight */
        public String closes() {
            return clock(closesMinute);
        }

        private static String clock(int minute) {
            return "%02d:%02d".formatted(minute / 60, minute % 60);
        }
    }
}
