package jp.kominkan.cloud.identity;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

import jp.kominkan.cloud.account.PostalAddress;

/**
 * What an identity provider vouches for about a person, in our terms: the three basic facts the
 * My Number Card holds and a resident agrees to share (name, address, birth date — never the
 * 個人番号 itself), and contact details when the provider has them.
 *
 * @param subject        the provider's stable id for the person
 * @param name           the name as registered, family name first
 * @param nameSubstitute the name with substitute characters, when it differs
 * @param formerName     former name (旧氏), when present
 * @param address        the registered address
 * @param birthDate      birth date
 * @param email          e-mail, when the provider gives one
 * @param phone          telephone, when the provider gives one
 */
public record VerifiedFacts(String subject, String name, Optional<String> nameSubstitute, Optional<String> formerName,
                            PostalAddress address, LocalDate birthDate, Optional<String> email,
                            Optional<String> phone) {

    /** Checks the fields are present. */
    public VerifiedFacts {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nameSubstitute, "nameSubstitute");
        Objects.requireNonNull(formerName, "formerName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(birthDate, "birthDate");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(phone, "phone");
    }
}
