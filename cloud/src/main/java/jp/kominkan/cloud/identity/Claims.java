package jp.kominkan.cloud.identity;

import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reading of a provider's JSON claims. Each getter names the claim in its failure, and
 * values are NFKC-normalised and stripped, so full-width digits and stray spaces read as they should.
 */
final class Claims {

    /** Claims that would carry the 個人番号; never read, never stored, never logged with their value. */
    static final Set<String> MY_NUMBER_CLAIMS = Set.of("my_number", "mynumber", "individual_number",
            "kojin_bango", "personal_number");

    private final Map<String, Object> values;

    Claims(Map<String, Object> values) {
        this.values = values;
    }

    /** @return the subject ({@code sub}) */
    String subject() {
        return requiredText("sub");
    }

    /**
     * A name as registered: stripped, inner runs of spaces (also the ideographic space) made one
     * space, but not normalised — NFKC would fold compatibility ideographs and change the name.
     */
    Optional<String> name(String claim, int max) {
        Object value = values.get(claim);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw IdentityFailure.claims(claim, "This item has an unexpected form.", "項目の形式が正しくありません。");
        }
        String clean = text.strip().replaceAll("[\\s\u3000]+", " ");
        return clean.isEmpty() ? Optional.empty() : Optional.of(limited(claim, clean, max));
    }

    String requiredName(String claim, int max) {
        return name(claim, max).orElseThrow(() -> IdentityFailure.claims(claim,
                "The identity service did not send this item.", "本人確認サービスから必要な項目が届きませんでした。"));
    }

    /** @return the value, when it fits the column it goes to */
    static String limited(String claim, String value, int max) {
        if (value.length() > max) {
            throw IdentityFailure.claims(claim, "This item is longer than we can store (" + max + " characters).",
                    "項目が長すぎて登録できません（" + max + " 文字まで）。");
        }
        return value;
    }

    /** @return the e-mail, when it is well-formed and the provider has not said it is unverified */
    Optional<String> email() {
        if (Boolean.FALSE.equals(values.get("email_verified"))) {
            return Optional.empty();
        }
        return text("email").flatMap(jp.kominkan.cloud.account.PersonFields::email);
    }

    /** @return the telephone number, when it reads as one */
    Optional<String> phone() {
        return text("phone_number").flatMap(jp.kominkan.cloud.account.PhoneNumbers::normalise);
    }

    Optional<String> text(String claim) {
        Object value = values.get(claim);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw IdentityFailure.claims(claim, "This item has an unexpected form.", "項目の形式が正しくありません。");
        }
        String clean = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
        return clean.isEmpty() ? Optional.empty() : Optional.of(clean);
    }

    String requiredText(String claim) {
        return text(claim).orElseThrow(() -> IdentityFailure.claims(claim,
                "The identity service did not send this item.", "本人確認サービスから必要な項目が届きませんでした。"));
    }

    Optional<Claims> object(String claim) {
        Object value = values.get(claim);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw IdentityFailure.claims(claim, "This item has an unexpected form.", "項目の形式が正しくありません。");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) map;
        return Optional.of(new Claims(typed));
    }

    Claims requiredObject(String claim) {
        return object(claim).orElseThrow(() -> IdentityFailure.claims(claim,
                "The identity service did not send this item.", "本人確認サービスから必要な項目が届きませんでした。"));
    }

    /**
     * A whole number sent as a JSON number or a string of digits (full-width allowed).
     */
    int requiredNumber(String claim) {
        Object value = values.get(claim);
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.intValue();
        }
        if (value instanceof String) {
            String digits = requiredText(claim);
            if (digits.matches("\\d{1,4}")) {
                return Integer.parseInt(digits);
            }
        }
        if (value == null) {
            throw IdentityFailure.claims(claim, "The identity service did not send this item.",
                    "本人確認サービスから必要な項目が届きませんでした。");
        }
        throw IdentityFailure.claims(claim, "This item is not a number.", "項目が数値ではありません。");
    }

    /**
     * @return a real calendar date not in the future and not absurdly old
     */
    static LocalDate date(String claim, int year, int month, int day, LocalDate today) {
        LocalDate date;
        try {
            date = LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw IdentityFailure.claims(claim, "The birth date is not a real date.", "生年月日が正しい日付ではありません。");
        }
        if (date.isAfter(today) || date.isBefore(today.minusYears(150))) {
            throw IdentityFailure.claims(claim, "The birth date is out of range.", "生年月日が範囲外です。");
        }
        return date;
    }
}
