package jp.kominkan.gateway.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock, shifted by an amount a test sets: a gateway starts on the real time (so the
 * snapshot it gets on connecting is fresh) and is then moved to the hour of a booking.
 */
public final class ShiftableClock extends Clock {

    private final AtomicReference<Duration> shift = new AtomicReference<>(Duration.ZERO);

    /**
     * @param to the instant the clock should read now
     */
    public void shiftTo(Instant to) {
        shift.set(Duration.between(Instant.now(), to));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock in UTC");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(shift.get());
    }
}
