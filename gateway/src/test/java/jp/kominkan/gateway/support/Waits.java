package jp.kominkan.gateway.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting on a condition, never for a fixed time: polls until it holds or the limit passes.
 */
public final class Waits {

    private Waits() {
    }

    /**
     * @param what      what is awaited, for the failure message
     * @param limit     how long at most
     * @param condition the condition
     * @return how long it took
     */
    public static Duration until(String what, Duration limit, BooleanSupplier condition) {
        Instant start = Instant.now();
        Instant deadline = start.plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out after " + limit + " waiting for " + what);
            }
            pause();
        }
        return Duration.between(start, Instant.now());
    }

    /**
     * @param what     what is awaited
     * @param limit    how long at most
     * @param supplier gives the value, or null while not there
     * @param <T>      its type
     * @return the value
     */
    public static <T> T forValue(String what, Duration limit, Supplier<T> supplier) {
        Object[] holder = new Object[1];
        until(what, limit, () -> (holder[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }

    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
