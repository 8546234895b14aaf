package jp.kominkan.cloud.login;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How many failed logins one counter forgives, and how the wait grows after that: once {@code free} failures
 * have been counted, the next attempt waits {@code 2^(failures - free)} seconds after the last failure, never more
 * than {@code cap}. A counter whose last failure is older than {@code window} starts again from nothing. A wait,
 * never a lock: whoever waits may try again.
 *
 * @param free   failures counted before any wait
 * @param cap    the longest wait
 * @param window how long a failure is remembered
 */
public record Budget(int free, Duration cap, Duration window) {

    /** Validates. */
    public Budget {
        Objects.requireNonNull(cap);
        Objects.requireNonNull(window);
        if (free < 1 || cap.isNegative() || cap.isZero() || window.compareTo(cap) < 0) {
            throw new IllegalArgumentException("a budget forgives at least one failure and remembers longer than its cap");
        }
    }

    /**
     * @param failures      failures counted
     * @param lastFailureAt when the last one was
     * @param now           now
     * @return how long the next attempt must still wait (zero: it may go)
     */
    public Duration wait(int failures, Instant lastFailureAt, Instant now) {
        if (forgotten(lastFailureAt, now) || failures < free) {
            return Duration.ZERO;
        }
        Duration remaining = Duration.between(now, lastFailureAt.plus(delay(failures)));
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    /**
     * @param failures      failures counted
     * @param lastFailureAt when the last one was
     * @param now           the time of one more failure
     * @return the count after it (1 when the earlier ones are forgotten)
     */
    public int next(int failures, Instant lastFailureAt, Instant now) {
        return forgotten(lastFailureAt, now) ? 1 : failures + 1;
    }

    /**
     * @param failures failures counted
     * @return the wait after the last of them
     */
    Duration delay(int failures) {
        int doublings = failures - free;
        if (doublings < 0) {
            return Duration.ZERO;
        }
        if (doublings >= 31) {
            return cap;
        }
        Duration grown = Duration.ofSeconds(1L << doublings);
        return grown.compareTo(cap) > 0 ? cap : grown;
    }

    private boolean forgotten(Instant lastFailureAt, Instant now) {
        return !now.isBefore(lastFailureAt.plus(window));
    }
}
