package jp.kominkan.shared.slot;

import java.time.Duration;
import java.time.Instant;

/**
 * The 15-minute grid (15分単位) on which every room is booked, in one place for cloud and gateway.
 *
 * <p>The grid is aligned to the Unix epoch. Every UTC offset in use today is a whole number of
 * quarter hours (Japan is +09:00), so a quarter hour of UTC is also a quarter hour of local time.
 */
public final class Slots {

    /** The length of one slot. */
    public static final Duration LENGTH = Duration.ofMinutes(15);

    /** Slots in one hour. */
    public static final int PER_HOUR = 4;

    /** Slots in one day of 24 hours. */
    public static final int PER_DAY = 96;

    private static final long SECONDS = LENGTH.toSeconds();

    private Slots() {
    }

    /**
     * Whether an instant starts a slot.
     *
     * @param instant the instant
     * @return true when it lies exactly on a quarter hour
     */
    public static boolean isBoundary(Instant instant) {
        return instant.getNano() == 0 && Math.floorMod(instant.getEpochSecond(), SECONDS) == 0;
    }

    /**
     * The start of the slot that contains an instant.
     *
     * @param instant the instant
     * @return the slot start at or before it
     */
    public static Instant floor(Instant instant) {
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), SECONDS) * SECONDS);
    }

    /**
     * The first slot boundary at or after an instant.
     *
     * @param instant the instant
     * @return the boundary
     */
    public static Instant ceil(Instant instant) {
        Instant floor = floor(instant);
        return floor.equals(instant) ? floor : floor.plus(LENGTH);
    }
}
