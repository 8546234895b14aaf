package jp.kominkan.cloud.booking;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * Finding rooms free on a day (空き検索): every published room of the town with its runs of free slots that day,
 * kept when the asked time range is free throughout, or when a free run is at least as long as asked. Free means
 * what availability says: open, not taken, not blocked, not begun, and within reach of the booking window.
 */
public final class RoomSearch {

    /** Longest run asked for: a whole day. */
    public static final int MAX_MINUTES = 24 * 60;

    private final BookingService bookings;
    private final FacilityRepository facilities;

    /**
     * @param bookings   availability
     * @param facilities the town's facilities and rooms
     */
    public RoomSearch(BookingService bookings, FacilityRepository facilities) {
        this.bookings = bookings;
        this.facilities = facilities;
    }

    /**
     * What to look for.
     *
     * @param date    the day
     * @param from    start of a time range that must be free throughout
     * @param to      its end
     * @param minutes otherwise, the shortest free run wanted (15 when not asked)
     */
    public record Query(LocalDate date, Optional<LocalTime> from, Optional<LocalTime> to, int minutes) {
        /** Checks the query makes sense. */
        public Query {
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from.isPresent() != to.isPresent()) {
                throw Problem.badField(from.isPresent() ? "to" : "from", "Give both from and to, or neither.",
                        "開始時刻と終了時刻は両方指定してください。");
            }
            if (from.isPresent() && (!from.get().isBefore(to.get()) && !to.get().equals(LocalTime.MIDNIGHT)
                    || from.get().getMinute() % 15 != 0 || to.get().getMinute() % 15 != 0)) {
                throw Problem.badField("to", "The time range must end after it starts, on quarter hours.",
                        "時間帯は 15 分単位で、終了を開始より後にしてください。");
            }
            if (minutes < 15 || minutes > MAX_MINUTES || minutes % 15 != 0) {
                throw Problem.badField("minutes", "minutes must be a multiple of 15 from 15 to " + MAX_MINUTES + ".",
                        "minutes は 15〜" + MAX_MINUTES + " の 15 の倍数で指定してください。");
            }
        }
    }

    /**
     * A room with free time.
     *
     * @param room     the room
     * @param facility its facility
     * @param free     its runs of free slots that day, in order
     */
    public record FreeRoom(Room room, Facility facility, List<SlotRange> free) {
    }

    /**
     * @param town  where
     * @param query what
     * @return the rooms that match, by facility and room
     */
    public List<FreeRoom> free(Municipality town, Query query) {
        List<FreeRoom> found = new ArrayList<>();
        for (Facility facility : facilities.facilities(town.id())) {
            if (!facility.published()) {
                continue;
            }
            for (Room room : facilities.rooms(town.id(), facility.id())) {
                List<SlotRange> runs = runs(bookings.availability(town, room.id(), Optional.of(query.date()), 1).slots());
                if (matches(runs, query, room)) {
                    found.add(new FreeRoom(room, facility, runs));
                }
            }
        }
        return found;
    }

    private static boolean matches(List<SlotRange> runs, Query query, Room room) {
        if (query.from().isPresent()) {
            Instant start = query.date().atTime(query.from().get()).atZone(room.zone()).toInstant();
            LocalDate endDay = query.to().get().equals(LocalTime.MIDNIGHT) ? query.date().plusDays(1) : query.date();
            Instant end = endDay.atTime(query.to().get()).atZone(room.zone()).toInstant();
            return runs.stream().anyMatch(r -> !r.start().isAfter(start) && !r.end().isBefore(end));
        }
        Duration wanted = Duration.ofMinutes(query.minutes());
        return runs.stream().anyMatch(r -> Duration.between(r.start(), r.end()).compareTo(wanted) >= 0);
    }

    private static List<SlotRange> runs(List<Availability.Slot> slots) {
        List<SlotRange> runs = new ArrayList<>();
        Instant runStart = null;
        Instant runEnd = null;
        for (Availability.Slot slot : slots) {
            if (slot.state() == Availability.State.FREE) {
                if (runStart == null) {
                    runStart = slot.start();
                }
                runEnd = slot.end();
            } else if (runStart != null) {
                runs.add(new SlotRange(runStart, runEnd));
                runStart = null;
            }
        }
        if (runStart != null) {
            runs.add(new SlotRange(runStart, runEnd));
        }
        return runs;
    }
}
