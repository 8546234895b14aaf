package jp.kominkan.gateway.door;

import java.time.Duration;

/**
 * Whatever releases a door: a strike relay on a pin, or a Wi-Fi smart lock over MQTT.
 */
public interface Lock {

    /**
     * @param length how long to stay open
     */
    void release(Duration length);

    /**
     * @return whether the lock reports its own state (a smart lock sends {@code lock-state}); a strike
     *         relay does not, so its door controller journals {@code relocked} when a pulse ends
     */
    default boolean reportsState() {
        return false;
    }

    /**
     * @param release what releases a smart lock
     * @return that lock, saying it reports its own state
     */
    static Lock reportingItsState(Lock release) {
        return new Lock() {
            @Override
            public void release(Duration length) {
                release.release(length);
            }

            @Override
            public boolean reportsState() {
                return true;
            }
        };
    }
}
