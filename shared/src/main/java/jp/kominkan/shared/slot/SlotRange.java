package jp.kominkan.shared.slot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A half-open run of whole slots, {@code [start, end)}: the time a booking or a block takes.
 *
 * @param start the first slot's start, on the grid
 * @param end   the end of the last slot, on the grid, after {@code start}
 */
public record SlotRange(Instant start, Instant end) {

    /**
     * Validates that both ends lie on the grid and the range is not empty.
     */
    public SlotRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!Slots.isBoundary(start)) {
            throw new IllegalArgumentException("start " + start + " is not on a 15-minute boundary");
        }
        if (!Slots.isBoundary(end)) {
            throw new IllegalArgumentException("end " + end + " is not on a 15-minute boundary");
        }
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end " + end + " is not after start " + start);
        }
    }

    /**
     * The number of slots in the range.
     *
     * @return at least one
     */
    public int count() {
        // toIntExact: a range too long to count is an error, never a small number by wrap-around.
        return Math.toIntExact((end.getEpochSecond() - start.getEpochSecond()) / Slots.LENGTH.toSeconds());
    }

    /**
     * The start of every slot in the range, in order.
     *
     * @return slot starts, earliest first
     */
    public List<Instant> slotStarts() {
        int count = count();
        List<Instant> starts = new ArrayList<>(count);
        Instant slot = start;
        for (int i = 0; i < count; i++) {
            starts.add(slot);
            slot = slot.plus(Slots.LENGTH);
        }
        return starts;
    }

    /**
     * Whether two ranges share at least one slot.
     *
     * @param other the other range
     * @return true when they overlap
     */
    public boolean overlaps(SlotRange other) {
        return start.isBefore(other.end) && other.start.isBefore(end);
    }

    /**
     * Whether an instant lies inside the range.
     *
     * @param instant the instant
     * @return true when {@code start <= instant < end}
     */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }
}
