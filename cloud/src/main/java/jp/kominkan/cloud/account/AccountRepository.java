package jp.kominkan.cloud.account;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Where residents' accounts, profiles and login sessions are kept. Reads take {@code verifiedSince}:
 * a verification older than that no longer makes its person a resident.
 */
public interface AccountRepository {

    /**
     * Stores a new account registered with e-mail and password.
     *
     * @param account      the account
     * @param passwordHash its password's PHC string
     * @param createdAt    now
     * @return false when the e-mail is already registered in the municipality
     */
    boolean insert(Account account, String passwordHash, Instant createdAt);

    /**
     * @param municipalityId the municipality
     * @param email          lower-case e-mail
     * @param verifiedSince  the oldest verification that still counts
     * @return the live account and its password hash (empty for accounts made through a provider)
     */
    Optional<Credential> findByEmail(long municipalityId, String email, Instant verifiedSince);

    /**
     * @param accountId     the account
     * @param verifiedSince the oldest verification that still counts
     * @return the live account
     */
    Optional<Account> find(UUID accountId, Instant verifiedSince);

    /**
     * @param tokenHash SHA-256 of the token, hex
     * @param account   whose session it is
     * @param createdAt now
     * @param expiresAt when it stops working
     */
    void insertSession(String tokenHash, Account account, Instant createdAt, Instant expiresAt);

    /**
     * @param tokenHash     SHA-256 of the token, hex
     * @param now           now
     * @param verifiedSince the oldest verification that still counts
     * @return the account, while the session has not expired
     */
    Optional<Account> findBySession(String tokenHash, Instant now, Instant verifiedSince);

    /**
     * @param tokenHash SHA-256 of the token, hex
     */
    void deleteSession(String tokenHash);

    /**
     * @param accountId     the account
     * @param verifiedSince the oldest verification that still counts
     * @return everything the account holds about its person
     */
    Optional<Profile> profile(UUID accountId, Instant verifiedSince);

    /**
     * Writes the profile's editable fields (all of them, as given).
     *
     * @param profile the profile as it should be
     * @return false when the e-mail is taken by another account in the municipality
     */
    boolean update(Profile profile);

    /**
     * Removes the person's data from the account and its bookings, ends its sessions and its link to a
     * verified person. The row stays, anonymous, so bookings and reports still add up.
     *
     * @param accountId the account
     * @param now       now
     */
    void anonymise(UUID accountId, Instant now);

    /**
     * An account with what proves it.
     *
     * @param account      the account
     * @param passwordHash its PHC string, if it has a password
     */
    record Credential(Account account, Optional<String> passwordHash) {
    }
}
