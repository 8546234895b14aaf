package jp.kominkan.gateway.device;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;

/**
 * A Wiegand keypad on two GPIO lines: a falling edge on DATA0 is a 0 bit, on DATA1 a 1 bit, and a
 * pause (by default {@value #FRAME_GAP_MS} ms) ends a frame. Keys are collected until '#', or until 8 digits;
 * '*' or {@value #IDLE_CLEAR_MS} ms without a key start again. The code is handed on and never logged.
 */
public final class WiegandKeypad implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WiegandKeypad.class.getName());
    static final int FRAME_GAP_MS = 25;
    static final int IDLE_CLEAR_MS = 10_000;
    private static final int MAX_BITS = 64;

    private final Consumer<String> codeEntered;
    private final long frameGapMs;
    private final ScheduledExecutorService timer;
    private final AtomicLong rejected = new AtomicLong();
    private final StringBuilder typed = new StringBuilder(8);
    private long bits;
    private int length;
    private ScheduledFuture<?> frameEnd;
    private ScheduledFuture<?> idle;

    /**
     * @param pi4j        the Pi4J context
     * @param d0          DATA0 pin (BCM)
     * @param d1          DATA1 pin (BCM)
     * @param id          a name for the pins
     * @param codeEntered told each complete code
     */
    public WiegandKeypad(Context pi4j, int d0, int d1, String id, Consumer<String> codeEntered) {
        this(pi4j, d0, d1, id, codeEntered, java.time.Duration.ofMillis(FRAME_GAP_MS));
    }

    /**
     * @param pi4j        the Pi4J context
     * @param d0          DATA0 pin (BCM)
     * @param d1          DATA1 pin (BCM)
     * @param id          a name for the pins
     * @param codeEntered told each complete code
     * @param frameGap    the pause that ends a frame
     */
    public WiegandKeypad(Context pi4j, int d0, int d1, String id, Consumer<String> codeEntered,
                         java.time.Duration frameGap) {
        this.codeEntered = codeEntered;
        this.frameGapMs = frameGap.toMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("wiegand-" + id).daemon().factory());
        line(pi4j, d0, id + "-d0").addListener(e -> {
            if (e.state() == DigitalState.LOW) {
                bit(0);
            }
        });
        line(pi4j, d1, id + "-d1").addListener(e -> {
            if (e.state() == DigitalState.LOW) {
                bit(1);
            }
        });
    }

    private static DigitalInput line(Context pi4j, int pin, String id) {
        return pi4j.create(DigitalInput.newConfigBuilder(pi4j).id(id).address(pin).pull(PullResistance.PULL_UP).build());
    }

    /** @return frames that were not valid Wiegand, since start */
    public long rejected() {
        return rejected.get();
    }

    private synchronized void bit(int bit) {
        if (length < MAX_BITS) {
            bits = (bits << 1) | bit;
        }
        length++;
        if (frameEnd != null) {
            frameEnd.cancel(false);
        }
        frameEnd = timer.schedule(this::endFrame, frameGapMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void endFrame() {
        var input = length <= MAX_BITS ? WiegandDecoder.decode(bits, length) : java.util.Optional.<WiegandDecoder.Input>empty();
        int frameLength = length;
        bits = 0;
        length = 0;
        if (input.isEmpty()) {
            rejected.incrementAndGet();
            LOG.log(Level.WARNING, "Rejected a Wiegand frame of " + frameLength + " bits");
            return;
        }
        switch (input.get()) {
            case WiegandDecoder.Input.Digit digit -> {
                typed.append(digit.digit());
                if (typed.length() == 8) {
                    submit();
                } else {
                    restartIdle();
                }
            }
            case WiegandDecoder.Input.Clear clear -> typed.setLength(0);
            case WiegandDecoder.Input.Enter enter -> submit();
            case WiegandDecoder.Input.Code code -> {
                typed.setLength(0);
                codeEntered.accept(code.digits());
            }
        }
    }

    private void submit() {
        String code = typed.toString();
        typed.setLength(0);
        if (idle != null) {
            idle.cancel(false);
        }
        codeEntered.accept(code);
    }

    private void restartIdle() {
        if (idle != null) {
            idle.cancel(false);
        }
        idle = timer.schedule(() -> {
            synchronized (this) {
                typed.setLength(0);
            }
        }, IDLE_CLEAR_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
