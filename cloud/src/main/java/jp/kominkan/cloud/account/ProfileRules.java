package jp.kominkan.cloud.account;

import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.TextRules;

/**
 * Checks and applies a {@link ProfileChange}, naming the field at fault in plain words.
 */
final class ProfileRules {

    private ProfileRules() {
    }

    static Profile apply(Profile current, ProfileChange change) {
        Account account = current.account();
        Optional<String> email = change.email() == null ? account.email()
                : Optional.of(AccountService.normaliseEmail(change.email()));
        String name = change.name() == null ? account.name() : PersonFields.name(change.name());
        Optional<String> phone = change.phone() == null ? current.phone() : phone(change.phone());
        Optional<String> organisation = change.organisation() == null ? current.organisation()
                : optionalText("organisation", change.organisation(), 200, "団体名");
        Optional<PostalAddress> address = change.address() == null ? current.address() : Optional.of(address(change.address()));
        Optional<LocalDate> birthDate = change.birthDate() == null ? current.birthDate()
                : Optional.of(birthDate(change.birthDate()));
        return new Profile(new Account(account.id(), account.municipalityId(), email, name, account.residency()),
                phone, organisation, current.nameSubstitute(), current.formerName(), address, birthDate,
                current.link(), current.hasPassword());
    }

    static boolean verifiedFactsDiffer(Profile before, Profile after) {
        return !before.account().name().equals(after.account().name())
                || !Objects.equals(before.address(), after.address())
                || !Objects.equals(before.birthDate(), after.birthDate());
    }

    private static Optional<String> phone(String phone) {
        if (phone.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(PhoneNumbers.normalise(phone).orElseThrow(() -> Problem.badField("phone",
                "Enter a telephone number such as 055-123-4567.", "電話番号を正しく入力してください（例: 055-123-4567）。")));
    }

    private static Optional<String> optionalText(String field, String value, int max, String japaneseName) {
        String clean = value.strip();
        if (clean.length() > max) {
            throw Problem.badField(field, "Use at most " + max + " characters.",
                    japaneseName + "は " + max + " 文字までにしてください。");
        }
        plain(field, clean, japaneseName);
        return clean.isEmpty() ? Optional.empty() : Optional.of(clean);
    }

    private static PostalAddress address(ProfileChange.AddressChange address) {
        String prefecture = required("address.prefecture", address.prefecture(), 10, "都道府県");
        String city = required("address.city", address.city(), 50, "市区町村");
        String rest = address.rest() == null ? "" : optionalText("address.rest", address.rest(), 300, "町域・番地")
                .orElse("");
        return new PostalAddress(prefecture, city, rest);
    }

    private static String required(String field, String value, int max, String japaneseName) {
        String clean = value == null ? "" : value.strip();
        if (clean.isEmpty() || clean.length() > max) {
            throw Problem.badField(field, "Enter the " + field + " (up to " + max + " characters).",
                    japaneseName + "を入力してください（" + max + " 文字まで）。");
        }
        plain(field, clean, japaneseName);
        return clean;
    }

    /** No NUL, control or bidi override characters in what staff pages, mails and exports show ({@link TextRules}). */
    private static void plain(String field, String text, String japaneseName) {
        if (!TextRules.isPlainText(text)) {
            throw Problem.badField(field, "The " + field + " contains characters that cannot be used (control characters"
                    + " or direction overrides).", japaneseName + "に使えない文字（制御文字や文字の向きを変える記号）が含まれています。");
        }
    }

    private static LocalDate birthDate(String text) {
        try {
            LocalDate date = LocalDate.parse(Normalizer.normalize(text, Normalizer.Form.NFKC).strip());
            if (date.isAfter(LocalDate.now()) || date.getYear() < 1870) {
                throw new DateTimeParseException("out of range", text, 0);
            }
            return date;
        } catch (DateTimeParseException e) {
            throw Problem.badField("birthDate", "Enter the birth date as YYYY-MM-DD, e.g. 1985-04-01.",
                    "生年月日は 1985-04-01 のように入力してください。");
        }
    }
}
