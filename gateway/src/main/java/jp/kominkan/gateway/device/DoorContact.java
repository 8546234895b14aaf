package jp.kominkan.gateway.device;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;

/**
 * A door contact on a GPIO input (high = open), debounced so a rattling door reports once.
 */
public final class DoorContact {

    private final DigitalInput pin;

    /**
     * @param pi4j     the Pi4J context
     * @param bcm      BCM pin number
     * @param id       a name for the pin
     * @param debounce how long a level must hold
     * @param changed  told true when the door opens, false when it closes
     */
    public DoorContact(Context pi4j, int bcm, String id, Duration debounce, Consumer<Boolean> changed) {
        this.pin = pi4j.create(DigitalInput.newConfigBuilder(pi4j)
                .id(id)
                .address(bcm)
                .pull(PullResistance.PULL_DOWN)
                .debounce(debounce.toNanos() / 1000, TimeUnit.MICROSECONDS)
                .build());
        pin.addListener(event -> changed.accept(event.state() == DigitalState.HIGH));
    }

    /** @return whether the door is open now */
    public boolean isOpen() {
        return pin.isHigh();
    }
}
