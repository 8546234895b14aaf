package jp.kominkan.shared.wire;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * UUIDs as the 16 big-endian bytes every Kominkan wire format and ledger uses (grant ids,
 * reservation ids, event ids), written and read in one place.
 */
public final class UuidBytes {

    /** Length of an encoded UUID. */
    public static final int LENGTH = 16;

    private UuidBytes() {
    }

    /**
     * @param id a UUID
     * @return its 16 bytes
     */
    public static byte[] of(UUID id) {
        return ByteBuffer.allocate(LENGTH).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    /**
     * @param bytes exactly 16 bytes
     * @return the UUID
     */
    public static UUID uuid(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an id must be " + LENGTH + " bytes, not " + bytes.length);
        }
        return read(ByteBuffer.wrap(bytes));
    }

    /**
     * @param buffer a buffer with at least 16 bytes left
     * @return the next UUID in it
     */
    public static UUID read(ByteBuffer buffer) {
        return new UUID(buffer.getLong(), buffer.getLong());
    }
}
