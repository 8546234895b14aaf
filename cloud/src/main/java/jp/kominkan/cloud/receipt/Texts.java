package jp.kominkan.cloud.receipt;

import java.util.Locale;
import java.util.Objects;

/** The checks and number formats shared by the receipt records and their PDFs. */
final class Texts {

    /** Longest text a record accepts: enough for any facility's name, short enough to keep a page bounded. */
    static final int MAX_LENGTH = 400;

    private Texts() {
    }

    /**
     * @return {@code text}, checked: present, not blank, at most {@link #MAX_LENGTH} characters, and no control
     *         characters (a line break inside a name would break the layout; lines are the PDF's business)
     */
    static String requireText(String text, String what) {
        Objects.requireNonNull(text, what);
        if (text.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_LENGTH + " characters");
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " has a control character");
        }
        return text;
    }

    /** @return e.g. {@code 2,620} (comma every three digits, as Japanese receipts write yen) */
    static String yen(long amount) {
        return String.format(Locale.ROOT, "%,d", amount);
    }
}
