package jp.kominkan.cloud.resident;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jp.kominkan.cloud.booking.Availability;
import jp.kominkan.cloud.page.Page;

/**
 * One day of a room as people think of it: the free ranges (空き 9:00–12:30、14:00–21:00), the start times
 * that can be booked, and for a start the ends that fit before the next booking, block or closing time.
 * What the range picker offers, so a time that cannot be booked cannot be chosen. Minutes are from the
 * day's local midnight; 1440 is the end of the day (24:00).
 *
 * @param date the day
 * @param runs the free ranges, in order, none touching
 */
public record FreeRanges(LocalDate date, List<Run> runs) {

    private static final int QUARTER = 15;

    /** Copies the list. */
    public FreeRanges {
        runs = List.copyOf(runs);
    }

    /**
     * @param slots the room's slots, of any days; only this day's are used
     * @param date  the day
     * @param zone  the room's zone
     * @return the day's free ranges
     */
    public static FreeRanges of(List<Availability.Slot> slots, LocalDate date, ZoneId zone) {
        List<Run> runs = new ArrayList<>();
        int from = -1;
        int last = -1;
        for (Availability.Slot slot : slots) {
            ZonedDateTime local = slot.start().atZone(zone);
            if (!local.toLocalDate().equals(date)) {
                continue;
            }
            int minute = local.getHour() * 60 + local.getMinute();
            boolean free = slot.state() == Availability.State.FREE;
            if (free && from >= 0 && minute == last) {
                last = minute + QUARTER;
            } else if (free) {
                if (from >= 0) {
                    runs.add(new Run(from, last));
                }
                from = minute;
                last = minute + QUARTER;
            } else if (from >= 0) {
                runs.add(new Run(from, last));
                from = -1;
            }
        }
        if (from >= 0) {
            runs.add(new Run(from, last));
        }
        return new FreeRanges(date, runs);
    }

    /** @return whether anything is free */
    public boolean any() {
        return !runs.isEmpty();
    }

    /**
     * @param page the page
     * @return e.g. 「空き 9:00–12:30、14:00–21:00」, or 「空きなし」
     */
    public String words(Page page) {
        if (runs.isEmpty()) {
            return page.t("空きなし", "Nothing free");
        }
        return page.t("空き ", "Free ") + runs.stream().map(Run::label).collect(Collectors.joining(page.t("、", ", ")));
    }

    /** @return the runs as the page's script reads them: "540-750,840-1260" */
    public String wire() {
        return runs.stream().map(r -> r.from() + "-" + r.to()).collect(Collectors.joining(","));
    }

    /** @return every start time that can be booked, HH:MM */
    public List<String> starts() {
        List<String> starts = new ArrayList<>();
        for (Run run : runs) {
            for (int m = run.from(); m < run.to(); m += QUARTER) {
                starts.add(clock(m));
            }
        }
        return starts;
    }

    /**
     * @param start a start time, HH:MM
     * @return the ends that fit from it, up to the end of its free range; empty when it is not free
     */
    public List<String> endsFrom(String start) {
        Optional<Integer> minute = minute(start);
        List<String> ends = new ArrayList<>();
        if (minute.isEmpty()) {
            return ends;
        }
        runs.stream().filter(r -> r.from() <= minute.get() && minute.get() < r.to()).findFirst().ifPresent(run -> {
            for (int m = minute.get() + QUARTER; m <= run.to(); m += QUARTER) {
                ends.add(clock(m));
            }
        });
        return ends;
    }

    /**
     * The end to offer first: the wanted one when it fits, else an hour after the start or the end of the
     * free range, whichever comes first.
     *
     * @param start  a start time
     * @param wanted the end asked for, may be empty
     * @return the end, empty when the start is not free
     */
    public Optional<String> defaultEnd(String start, String wanted) {
        List<String> ends = endsFrom(start);
        if (ends.isEmpty()) {
            return Optional.empty();
        }
        if (ends.contains(wanted)) {
            return Optional.of(wanted);
        }
        return Optional.of(ends.get(Math.min(3, ends.size() - 1)));
    }

    /**
     * @param time HH:MM, 24:00 allowed
     * @return minutes from midnight, when it is a quarter hour
     */
    static Optional<Integer> minute(String time) {
        if (time == null || !time.matches("([01][0-9]|2[0-3]):[0-5][0-9]|24:00")) {
            return Optional.empty();
        }
        int minute = Integer.parseInt(time.substring(0, 2)) * 60 + Integer.parseInt(time.substring(3));
        return minute % QUARTER == 0 ? Optional.of(minute) : Optional.empty();
    }

    /**
     * @param minute minutes from midnight
     * @return HH:MM, 24:00 at the day's end (the form's value)
     */
    static String clock(int minute) {
        return "%02d:%02d".formatted(minute / 60, minute % 60);
    }

    /**
     * @param time HH:MM
     * @return how it is shown: 9:00 rather than 09:00 (typing 9 picks it in a list)
     */
    public static String shown(String time) {
        return time.startsWith("0") ? time.substring(1) : time;
    }

    /**
     * A free range.
     *
     * @param from its first minute
     * @param to   the minute after its last
     */
    public record Run(int from, int to) {

        /** @return e.g. 9:00–12:30, with word joiners so a narrow page never breaks it at the dash */
        public String label() {
            return shown(clock(from)) + "\u2060–\u2060" + shown(clock(to));
        }
    }
}
