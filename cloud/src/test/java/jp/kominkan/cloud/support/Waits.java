package jp.kominkan.cloud.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waiting on a condition, never a fixed time: looked at again every 20 ms until it holds or time is up. */
public final class Waits {

    private Waits() {
    }

    /**
     * @param what      what is awaited, for the failure message
     * @param timeout   longest to wait
     * @param condition what must come true
     * @throws Exception what the condition throws
     */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());   // then look again
        }
    }
}
