package jp.kominkan.gateway.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.wire.LogText;

/**
 * What the doors' Wi-Fi devices say, parsed and handed to their door; free of MQTT. Only the
 * door's own keypad may publish on its topic (the broker's ACL), so whatever reaches the lockout
 * here came from that keypad.
 */
final class DeviceMessages {

    /** Largest keypad message: {@code {"code":"12345678"}} is 19 bytes. */
    static final int MAX_KEYPAD_BYTES = 256;

    private final Map<String, DoorController> wifiKeypads;
    private final Map<String, DoorController> lockStatus;

    /**
     * @param wifiKeypads doors with a Wi-Fi keypad, by door id
     * @param lockStatus  doors with a Wi-Fi lock, by the lock's status topic
     */
    DeviceMessages(Map<String, DoorController> wifiKeypads, Map<String, DoorController> lockStatus) {
        this.wifiKeypads = Map.copyOf(wifiKeypads);
        this.lockStatus = Map.copyOf(lockStatus);
    }

    /** @return whether the topic is one of this gateway's Wi-Fi locks' status topics */
    boolean isLockStatus(String topic) {
        return lockStatus.containsKey(topic);
    }

    /**
     * A Wi-Fi lock's status: its MQTT Last Will says {@code offline} when it drops off the network,
     * and it says {@code tamper} when its housing is opened; {@code online} needs nothing.
     */
    void onLockStatus(String topic, byte[] payload) {
        DoorController door = lockStatus.get(topic);
        String status = new String(payload, StandardCharsets.UTF_8).strip();
        switch (status) {
            case "offline" -> door.report(DoorEvent.Type.LOCK_OFFLINE, Optional.empty());
            case "tamper" -> door.report(DoorEvent.Type.TAMPER, Optional.of("lock"));
            case "online" -> { }
            default -> throw new IllegalArgumentException("unknown lock status");
        }
    }

    /** A code typed on a door's Wi-Fi keypad: {@code {"code":"12345678"}}. */
    void onKeypad(String doorId, byte[] payload) {
        DoorController door = wifiKeypads.get(doorId);
        if (door == null) {
            throw new IllegalArgumentException("no Wi-Fi keypad door " + LogText.safe(doorId) + " here");
        }
        if (payload.length > MAX_KEYPAD_BYTES) {
            throw new IllegalArgumentException("keypad message over " + MAX_KEYPAD_BYTES + " bytes");
        }
        CBORObject json;
        try {
            json = CBORObject.FromJSONString(new String(payload, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("keypad message is not JSON");
        }
        CBORObject code = json.getType() == CBORType.Map ? json.get("code") : null;
        if (code == null || code.getType() != CBORType.TextString) {
            throw new IllegalArgumentException("keypad message has no \"code\" string");
        }
        door.codeEntered(code.AsString());
    }
}
