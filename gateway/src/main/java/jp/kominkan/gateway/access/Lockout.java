package jp.kominkan.gateway.access;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down code guessing at a door (see docs/gateway.md for the sizing).
 *
 * <p>Every {@value #FREE_TRIES} wrong codes lock the door's keypad, for 1 minute the first time and
 * twice as long each time after, up to 1 hour. The level only decays after an hour without wrong
 * codes — a right code does not reset it, so an attacker cannot ride on a resident's visits.
 */
public final class Lockout {

    /** Wrong codes allowed before each lock. */
    public static final int FREE_TRIES = 5;
    static final Duration FIRST = Duration.ofMinutes(1);
    static final Duration LONGEST = Duration.ofHours(1);
    static final Duration FORGIVE_AFTER = Duration.ofHours(1);

    private final Map<String, State> doors = new HashMap<>();

    /**
     * @param doorId a door
     * @param now    now
     * @return whether its keypad is locked
     */
    public synchronized boolean isLocked(String doorId, Instant now) {
        State state = doors.get(doorId);
        return state != null && now.isBefore(state.lockedUntil);
    }

    /**
     * Counts a wrong code.
     *
     * @param doorId the door
     * @param now    now
     * @return how long the keypad is now locked, when this code locked it (the door journals one
     *         {@code lockout} event for it); empty otherwise
     */
    public synchronized Optional<Duration> wrongCode(String doorId, Instant now) {
        State state = doors.computeIfAbsent(doorId, d -> new State());
        // The quiet hour is counted from the end of the last lock, not from the guess that caused it.
        Instant quietSince = state.lastWrong == null ? null
                : state.lockedUntil.isAfter(state.lastWrong) ? state.lockedUntil : state.lastWrong;
        if (quietSince != null && Duration.between(quietSince, now).compareTo(FORGIVE_AFTER) > 0) {
            state.level = 0;
            state.failures = 0;
        }
        state.lastWrong = now;
        state.failures++;
        if (state.failures >= FREE_TRIES) {
            Duration lock = FIRST.multipliedBy(1L << Math.min(state.level, 6));
            Duration length = lock.compareTo(LONGEST) > 0 ? LONGEST : lock;
            state.lockedUntil = now.plus(length);
            state.level++;
            state.failures = 0;
            return Optional.of(length);
        }
        return Optional.empty();
    }

    private static final class State {
        private int failures;
        private int level;
        private Instant lastWrong;
        private Instant lockedUntil = Instant.MIN;
    }
}
