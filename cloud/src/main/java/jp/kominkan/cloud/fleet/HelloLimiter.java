package jp.kominkan.cloud.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often a gateway may make the cloud work for it: a "hello" (resend from here) at most once
 * per {@code helloEvery}, a snapshot (every live grant, megabytes for a big building) at most once
 * per {@code snapshotEvery}, a certificate renewal at most once per {@code renewEvery}. A hello
 * that comes too soon is not dropped — a wiped gateway that is never answered would wait forever —
 * but answered when its time comes, and any more hellos meanwhile are folded into that one
 * answer. A renewal asked too soon is dropped (the gateway asks again hours later).
 * Transport-free, so it is tested with a clock.
 */
final class HelloLimiter {

    private final Clock clock;
    private final Duration helloEvery;
    private final Duration snapshotEvery;
    private final Duration renewEvery;
    private final Map<String, Instant> lastHello = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSnapshot = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastRenewal = new ConcurrentHashMap<>();

    HelloLimiter(Clock clock, Duration helloEvery, Duration snapshotEvery, Duration renewEvery) {
        this.clock = clock;
        this.helloEvery = helloEvery;
        this.snapshotEvery = snapshotEvery;
        this.renewEvery = renewEvery;
    }

    /** @return zero when a hello from this gateway is answered now (and counted), else how long until it may be */
    Duration hello(String gatewayId) {
        return take(lastHello, gatewayId, helloEvery);
    }

    /** @return zero when this gateway may be sent a snapshot now (and counted), else how long until it may */
    Duration snapshot(String gatewayId) {
        return take(lastSnapshot, gatewayId, snapshotEvery);
    }

    /** @return whether a renewal request from this gateway is looked at now */
    boolean renewal(String gatewayId) {
        return take(lastRenewal, gatewayId, renewEvery).isZero();
    }

    private Duration take(Map<String, Instant> last, String gatewayId, Duration every) {
        Instant now = clock.instant();
        Duration[] wait = {Duration.ZERO};
        last.compute(gatewayId, (id, at) -> {
            if (at == null || !now.isBefore(at.plus(every))) {
                return now;
            }
            wait[0] = Duration.between(now, at.plus(every));
            return at;
        });
        return wait[0];
    }
}
