package jp.kominkan.cloud.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often a gateway may make the cloud work for it: a "hello" (resend from here) at most once
 * per {@code helloEvery}, a snapshot (every live grant, megabytes for a big building) at most once
 * per {@code snapshotEvery}, a certificate renewal at most once per {@code renewEvery}. A gateway
 * that asks more often is ignored until its time comes; it asks again on its own (after a
 * reconnect or a gap), so nothing is lost. Transport-free, so it is tested with a clock.
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

    /** @return whether a hello from this gateway is answered now */
    boolean hello(String gatewayId) {
        return take(lastHello, gatewayId, helloEvery);
    }

    /** @return whether this gateway may be sent a snapshot now */
    boolean snapshot(String gatewayId) {
        return take(lastSnapshot, gatewayId, snapshotEvery);
    }

    /** @return whether a renewal request from this gateway is looked at now */
    boolean renewal(String gatewayId) {
        return take(lastRenewal, gatewayId, renewEvery);
    }

    private boolean take(Map<String, Instant> last, String gatewayId, Duration every) {
        Instant now = clock.instant();
        boolean[] allowed = {false};
        last.compute(gatewayId, (id, at) -> {
            if (at == null || !now.isBefore(at.plus(every))) {
                allowed[0] = true;
                return now;
            }
            return at;
        });
        return allowed[0];
    }
}
