package jp.kominkan.shared.grant;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The number a resident types at the door (暗証番号): 8 digits from a CSPRNG.
 *
 * <p>Never logged and never stored in clear: {@link #toString()} hides it, and grants carry only
 * its {@link CodeVerifier}.
 *
 * @param digits the code
 */
public record BookingCode(String digits) {

    /** Digits in a code. */
    public static final int LENGTH = 8;

    /** Checks the code is exactly eight ASCII digits. */
    public BookingCode {
        Objects.requireNonNull(digits, "digits");
        if (!isWellFormed(digits)) {
            throw new IllegalArgumentException("A booking code is " + LENGTH + " digits");
        }
    }

    /**
     * @param random a CSPRNG
     * @return a fresh code, uniform over 00000000–99999999
     */
    public static BookingCode random(SecureRandom random) {
        return new BookingCode("%08d".formatted(random.nextInt(100_000_000)));
    }

    /**
     * @param text what was typed or sent
     * @return whether it has the form of a code
     */
    public static boolean isWellFormed(String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "BookingCode[********]";
    }
}
