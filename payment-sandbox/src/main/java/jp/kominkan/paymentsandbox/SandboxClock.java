package jp.kominkan.paymentsandbox;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sandbox's time: the system clock plus an offset that {@code POST /_sandbox/clock/advance} moves forward.
 * Every {@code created}, konbini deadline, expiry and webhook signature timestamp ({@code t=}) reads it; only the
 * webhook retry backoff waits in real time.
 */
final class SandboxClock {

    private final AtomicLong offsetSeconds = new AtomicLong();

    Instant now() {
        return Instant.now().plusSeconds(offsetSeconds.get());
    }

    long unix() {
        return now().getEpochSecond();
    }

    long offsetSeconds() {
        return offsetSeconds.get();
    }

    void advance(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("the sandbox clock only moves forward");
        }
        offsetSeconds.addAndGet(seconds);
    }
}
