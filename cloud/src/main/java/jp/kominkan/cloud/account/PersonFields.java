package jp.kominkan.cloud.account;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.TextRules;

/**
 * The rules for a person's e-mail address and name, for residents, staff and identity providers alike: neither may
 * hold a NUL, a control character or a bidi override ({@link TextRules}), which would make a name read otherwise in
 * staff pages, mails and CSV exports than it is stored, or smuggle a header into a mail.
 */
public final class PersonFields {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final int MAX_NAME = 100;

    private PersonFields() {
    }

    /**
     * @param email an e-mail address as typed or sent
     * @return it stripped and lower-cased, if it is a usable address of at most 254 characters, without control,
     *         format or unassigned characters
     */
    public static Optional<String> email(String email) {
        String normalised = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        return normalised.length() <= 254 && EMAIL.matcher(normalised).matches() && TextRules.isPlainText(normalised)
                ? Optional.of(normalised) : Optional.empty();
    }

    /**
     * @param name a name as typed
     * @return it stripped only: normalising would fold compatibility ideographs and change a registered name
     * @throws Problem 400 on the field {@code name} when it is empty, longer than 100 characters, or holds a control,
     *                 format (bidi override) or unassigned character
     */
    public static String name(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
            throw Problem.badField("name", "Enter your name (up to " + MAX_NAME + " characters).",
                    "お名前を入力してください（" + MAX_NAME + " 文字まで）。");
        }
        if (!TextRules.isPlainText(trimmed)) {
            throw Problem.badField("name", "The name contains characters that cannot be used (control characters or"
                    + " direction overrides).", "お名前に使えない文字（制御文字や文字の向きを変える記号）が含まれています。");
        }
        return trimmed;
    }
}
