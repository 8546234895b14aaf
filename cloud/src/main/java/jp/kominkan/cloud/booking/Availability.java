package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jp.kominkan.cloud.facility.Room;
import jp.kominkan.shared.slot.Slots;

/**
 * The state of every 15-minute slot of a room over some days (空き状況), computed from the room's
 * rules and what takes its slots. Pure: no I/O, so it is cheap to test and to run.
 */
public final class Availability {

    private Availability() {
    }

    /**
     * @param room       the room
     * @param closedDays the facility's closed days in the range
     * @param occupied   taken slots and what took them
     * @param from       first local date
     * @param days       number of days
     * @param now        now
     * @return every slot from the first date's midnight to the last date's end, in order
     */
    public static List<Slot> of(Room room, Set<LocalDate> closedDays, Map<Instant, ReservationRepository.Occupant> occupied,
                                LocalDate from, int days, Instant now) {
        LocalDate today = now.atZone(room.zone()).toLocalDate();
        LocalDate lastBookable = today.plusDays(room.bookingHorizonDays());
        List<Slot> slots = new ArrayList<>(days * Slots.PER_DAY);
        for (int d = 0; d < days; d++) {
            LocalDate date = from.plusDays(d);
            ZonedDateTime midnight = date.atStartOfDay(room.zone());
            Instant dayEnd = date.plusDays(1).atStartOfDay(room.zone()).toInstant();
            boolean dateClosed = closedDays.contains(date) || date.isAfter(lastBookable);
            int minute = 0;
            for (Instant start = midnight.toInstant(); start.isBefore(dayEnd); start = start.plus(Slots.LENGTH)) {
                State state;
                if (start.isBefore(now)) {
                    state = State.PAST;
                } else if (dateClosed || !room.hours().isOpen(date, minute)) {
                    state = State.CLOSED;
                } else {
                    ReservationRepository.Occupant occupant = occupied.get(start);
                    state = occupant == null ? State.FREE
                            : occupant == ReservationRepository.Occupant.BLOCK ? State.BLOCKED : State.BOOKED;
                }
                slots.add(new Slot(start, state));
                minute += 15;
            }
        }
        return slots;
    }

    /**
     * One slot and its state.
     *
     * @param start its start
     * @param state its state
     */
    public record Slot(Instant start, State state) {

        /** @return its end */
        public Instant end() {
            return start.plus(Slots.LENGTH);
        }
    }

    /** What a slot is now. */
    public enum State {
        /** Can be booked. */
        FREE("free"),
        /** Taken by a reservation. */
        BOOKED("booked"),
        /** Taken for maintenance or city use. */
        BLOCKED("blocked"),
        /** Outside opening hours, on a closed day, or beyond the booking horizon. */
        CLOSED("closed"),
        /** Already begun. */
        PAST("past");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        /** @return the name sent */
        public String wire() {
            return wire;
        }
    }
}
