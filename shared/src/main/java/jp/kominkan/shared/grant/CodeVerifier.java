package jp.kominkan.shared.grant;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyed verifier of a booking code: the first 16 bytes of
 * HMAC-SHA256(door key, "kominkan-code-v1" 0x00 door id 0x00 code).
 *
 * <p>A grant carries this instead of the code. Whoever reads a grant on the wire, in a QR code or
 * in the broker cannot try the 10^8 codes without the door key, which only the cloud and the
 * door's gateway hold. The door id is inside the MAC, so a verifier for one door is useless on
 * another; it is deterministic, so the gateway finds a typed code's grants with one lookup.
 *
 * @param bytes 16 bytes
 */
public record CodeVerifier(byte[] bytes) {

    /** Length in bytes. */
    public static final int LENGTH = 16;
    private static final byte[] LABEL = "kominkan-code-v1".getBytes(StandardCharsets.US_ASCII);

    /** Checks the length and copies the bytes. */
    public CodeVerifier {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("A code verifier is " + LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    /**
     * @param doorKey the door's secret key (at least 32 bytes)
     * @param doorId  the door
     * @param code    the booking code as typed
     * @return its verifier
     */
    public static CodeVerifier of(byte[] doorKey, String doorId, String code) {
        if (doorKey.length < 32) {
            throw new IllegalArgumentException("A door key is at least 32 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(doorKey, "HmacSHA256"));
            mac.update(LABEL);
            mac.update((byte) 0);
            mac.update(doorId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(code.getBytes(StandardCharsets.UTF_8));
            return new CodeVerifier(Arrays.copyOf(mac.doFinal(), LENGTH));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * @param other another verifier
     * @return whether they are equal, compared in constant time
     */
    public boolean matches(CodeVerifier other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodeVerifier other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CodeVerifier[" + HexFormat.of().formatHex(bytes, 0, 4) + "…]";
    }
}
