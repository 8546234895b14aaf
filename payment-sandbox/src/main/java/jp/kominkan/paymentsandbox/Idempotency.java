package jp.kominkan.paymentsandbox;

import java.util.HashMap;
import java.util.Map;

/**
 * Stripe's idempotent requests: the first response to a POST with an {@code Idempotency-Key} (status and body) is
 * kept for 24 hours per API key and replayed for the same key. The same key with another endpoint or other
 * parameters is a 400 {@code idempotency_error}. A request refused in validation keeps nothing, as at Stripe.
 * Callers hold the {@link Payments} lock around lookup, execution and store, so two requests with one key never
 * both execute.
 */
final class Idempotency {

    static final long KEEP_SECONDS = 24 * 3600;

    record Stored(String fingerprint, int status, String body, String requestId, long at) {
    }

    private final Map<String, Stored> byKey = new HashMap<>();
    private final SandboxClock clock;

    Idempotency(SandboxClock clock) {
        this.clock = clock;
    }

    /**
     * @return the stored response to replay, or null when the request should execute
     * @throws ApiError when the key was used with other parameters
     */
    synchronized Stored lookup(String apiKey, String key, String fingerprint) {
        Stored s = byKey.get(apiKey + "\n" + key);
        if (s == null || clock.unix() - s.at() > KEEP_SECONDS) {
            return null;
        }
        if (!s.fingerprint().equals(fingerprint)) {
            throw ApiError.idempotency("Keys for idempotent requests can only be used with the same parameters they "
                    + "were first used with. Try using a key other than '" + key + "' if you meant to execute a "
                    + "different request.");
        }
        return s;
    }

    synchronized void store(String apiKey, String key, String fingerprint, int status, String body, String requestId) {
        byKey.put(apiKey + "\n" + key, new Stored(fingerprint, status, body, requestId, clock.unix()));
    }

    synchronized void sweep() {
        long now = clock.unix();
        byKey.values().removeIf(s -> now - s.at() > KEEP_SECONDS);
    }
}
