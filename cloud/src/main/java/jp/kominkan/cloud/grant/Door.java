package jp.kominkan.cloud.grant;

import java.util.Objects;

/**
 * A door into a room, driven by a gateway.
 *
 * @param id        door id (topic-safe)
 * @param roomId    the room it opens into
 * @param gatewayId the gateway that drives it
 * @param name      what residents call it, e.g. 正面入口
 * @param key       the HMAC key of its code verifiers
 */
public record Door(String id, long roomId, String gatewayId, String name, byte[] key) {

    /** Checks the fields are present and copies the key. */
    public Door {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(name, "name");
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "Door[" + id + ", room " + roomId + ", gateway " + gatewayId + "]";
    }
}
