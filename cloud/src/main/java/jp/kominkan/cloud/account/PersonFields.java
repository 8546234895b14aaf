package jp.kominkan.cloud.account;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jp.kominkan.cloud.web.Problem;

/** The rules for a person's e-mail address and name, for residents, staff and identity providers alike. */
public final class PersonFields {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final int MAX_NAME = 100;

    private PersonFields() {
    }

    /**
     * @param email an e-mail address as typed or sent
     * @return it stripped and lower-cased, if it is a usable address of at most 254 characters
     */
    public static Optional<String> email(String email) {
        String normalised = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        return normalised.length() <= 254 && EMAIL.matcher(normalised).matches()
                ? Optional.of(normalised) : Optional.empty();
    }

    /**
     * @param name a name as typed
     * @return it stripped only: normalising would fold compatibility ideographs and change a registered name
     * @throws Problem 400 on the field {@code name} when it is empty or longer than 100 characters
     */
    public static String name(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
            throw Problem.badField("name", "Enter your name (up to " + MAX_NAME + " characters).",
                    "お名前を入力してください（" + MAX_NAME + " 文字まで）。");
        }
        return trimmed;
    }
}
