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
}
