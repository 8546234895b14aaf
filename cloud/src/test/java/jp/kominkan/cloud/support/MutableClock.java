package jp.kominkan.cloud.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test can move forward, to see holds expire without waiting for them. A {@link #ticking()} clock
 * also runs on with real time, for a cloud that talks to a server reading the real clock (the payment
 * sandbox signs webhooks with its own time, and the cloud refuses those too far from its clock).
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    /** When ticking: the real instant at which {@link #now} was read. */
    private final Optional<Instant> realStart;

    /**
     * @param start the first instant
     */
    public MutableClock(Instant start) {
        this(start, Optional.empty());
    }

    private MutableClock(Instant start, Optional<Instant> realStart) {
        this.now = new AtomicReference<>(start);
        this.realStart = realStart;
    }

    /** @return a clock on the real time that {@link #advance} moves ahead */
    public static MutableClock ticking() {
        Instant start = Instant.now();
        return new MutableClock(start, Optional.of(start));
    }

    /**
     * @param duration how far to move
     */
    public void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(instant(), zone);
    }

    @Override
    public Instant instant() {
        Instant base = now.get();
        return realStart.map(start -> base.plus(Duration.between(start, Instant.now()))).orElse(base);
    }
}
