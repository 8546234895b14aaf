package jp.kominkan.cloud.account;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an account holds about its person. Shown only to that person: there is no staff API to it yet.
 *
 * @param account        the account (its residency already the effective one)
 * @param phone          telephone number
 * @param organisation   organisation or group (団体名)
 * @param nameSubstitute the name with substitute characters (代替文字), when the verified name has
 *                       characters outside JIS
 * @param formerName     former name (旧氏), when the verified record holds one
 * @param address        address
 * @param birthDate      birth date
 * @param link           the verification, if the person has verified
 * @param hasPassword    whether the account can log in with a password (not when made through a provider)
 */
public record Profile(Account account, Optional<String> phone, Optional<String> organisation,
                      Optional<String> nameSubstitute, Optional<String> formerName, Optional<PostalAddress> address,
                      Optional<LocalDate> birthDate, Optional<IdentityLink> link, boolean hasPassword) {

    /** Checks the fields are present. */
    public Profile {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(nameSubstitute, "nameSubstitute");
        Objects.requireNonNull(formerName, "formerName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(birthDate, "birthDate");
        Objects.requireNonNull(link, "link");
    }
}
