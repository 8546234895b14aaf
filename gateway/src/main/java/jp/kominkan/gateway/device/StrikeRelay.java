package jp.kominkan.gateway.device;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;

/**
 * A door strike on a relay: energised for a pulse to release the door, de-energised otherwise —
 * at boot (the pin's initial state), after every pulse and at shutdown.
 */
public final class StrikeRelay implements AutoCloseable {

    private final DigitalOutput pin;
    private final ScheduledExecutorService timer;
    private final AtomicInteger pulses = new AtomicInteger();
    private ScheduledFuture<?> release;

    /**
     * @param pi4j the Pi4J context
     * @param bcm  BCM pin number
     * @param id   a name for the pin
     */
    public StrikeRelay(Context pi4j, int bcm, String id) {
        this.pin = pi4j.create(DigitalOutput.newConfigBuilder(pi4j)
                .id(id)
                .address(bcm)
                .initial(DigitalState.LOW)
                .shutdown(DigitalState.LOW)
                .build());
        pin.low();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("relay-" + id).daemon().factory());
    }

    /**
     * Releases the strike for a while; a second pulse while open restarts it from now, so it may end
     * sooner than the first would have (the door controller never asks for less than is left). No
     * limit of its own: a strike is not a smart lock, whose commands last at most a minute.
     *
     * @param length how long
     */
    public synchronized void pulse(Duration length) {
        if (release != null) {
            release.cancel(false);
        }
        pin.high();
        pulses.incrementAndGet();
        release = timer.schedule(this::deenergise, length.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return whether the strike is released right now */
    public boolean isEnergised() {
        return pin.isHigh();
    }

    /** @return pulses since start */
    public int pulses() {
        return pulses.get();
    }

    private synchronized void deenergise() {
        pin.low();
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        pin.low();
    }
}
