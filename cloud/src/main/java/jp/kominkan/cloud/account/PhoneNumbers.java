package jp.kominkan.cloud.account;

import java.text.Normalizer;
import java.util.Optional;
import java.util.regex.Pattern;

/** Telephone numbers as people type them: full-width digits, any of the dashes, spaces. */
public final class PhoneNumbers {

    private static final Pattern PHONE = Pattern.compile("^[0-9+()\\- ]{6,20}$");

    private PhoneNumbers() {
    }

    /**
     * @param typed what was typed or sent
     * @return the number with ASCII digits and hyphens, if it looks like one
     */
    public static Optional<String> normalise(String typed) {
        String clean = Normalizer.normalize(typed, Normalizer.Form.NFKC).strip()
                .replaceAll("[\\u2010-\\u2015\\u2212\\u30FC\\uFF70]", "-");
        return PHONE.matcher(clean).matches() ? Optional.of(clean) : Optional.empty();
    }
}
