package jp.kominkan.shared.pass;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Base45 encoding of RFC 9285: bytes as text drawn only from the 45 characters of a QR code's
 * alphanumeric mode, so a door pass fills a smaller QR code than base64 would (5.5 bits per
 * character) and survives readers that hand over text, not bytes.
 *
 * <p>Written here because no maintained Base45 artifact is on Maven Central's list for this project;
 * it is the whole algorithm of RFC 9285 §4, with the strict decoding of §6.
 */
public final class Base45 {

    /** RFC 9285 §4.2, in value order. */
    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = i;
        }
    }

    private Base45() {
    }

    /**
     * @param bytes any bytes
     * @return their Base45 text: three characters for every two bytes, two for a last odd byte
     */
    public static String encode(byte[] bytes) {
        StringBuilder text = new StringBuilder((bytes.length + 1) / 2 * 3);
        for (int i = 0; i + 1 < bytes.length; i += 2) {
            // RFC 9285 §4: n = a * 256 + b = c + d * 45 + e * 45², written c d e.
            int n = (bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff;
            text.append(ALPHABET.charAt(n % 45)).append(ALPHABET.charAt(n / 45 % 45)).append(ALPHABET.charAt(n / 2025));
        }
        if (bytes.length % 2 == 1) {
            int n = bytes[bytes.length - 1] & 0xff;
            text.append(ALPHABET.charAt(n % 45)).append(ALPHABET.charAt(n / 45));
        }
        return text.toString();
    }

    /**
     * @param text Base45 text
     * @return its bytes
     * @throws IllegalArgumentException for a character outside the alphabet, a length that leaves one
     *                                  character over, or a group whose value does not fit (RFC 9285 §6)
     */
    public static byte[] decode(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() % 3 == 1) {
            throw new IllegalArgumentException("Base45 text of " + text.length() + " characters leaves one over");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() / 3 * 2 + 1);
        for (int i = 0; i < text.length(); i += 3) {
            int c = value(text, i);
            int d = value(text, i + 1);
            if (i + 2 < text.length()) {
                int n = c + d * 45 + value(text, i + 2) * 2025;
                if (n > 0xffff) {
                    throw new IllegalArgumentException("Base45 group at " + i + " is larger than two bytes");
                }
                out.write(n >> 8);
                out.write(n & 0xff);
            } else {
                int n = c + d * 45;
                if (n > 0xff) {
                    throw new IllegalArgumentException("Base45 last group at " + i + " is larger than a byte");
                }
                out.write(n);
            }
        }
        return out.toByteArray();
    }

    private static int value(String text, int index) {
        char c = text.charAt(index);
        int value = c < VALUES.length ? VALUES[c] : -1;
        if (value < 0) {
            throw new IllegalArgumentException("Base45 text has a character outside its alphabet at " + index);
        }
        return value;
    }
}
