package jp.kominkan.cloud.account;

import java.time.Instant;
import java.util.Optional;

/**
 * Where accounts and login sessions are kept.
 */
public interface AccountRepository {

    /**
     * Stores a new account.
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
     * @return the account and its password hash
     */
    Optional<Credential> findByEmail(long municipalityId, String email);

    /**
     * @param tokenHash SHA-256 of the token, hex
     * @param account   whose session it is
     * @param createdAt now
     * @param expiresAt when it stops working
     */
    void insertSession(String tokenHash, Account account, Instant createdAt, Instant expiresAt);

    /**
     * @param tokenHash SHA-256 of the token, hex
     * @param now       now
     * @return the account, while the session has not expired
     */
    Optional<Account> findBySession(String tokenHash, Instant now);

    /**
     * @param tokenHash SHA-256 of the token, hex
     */
    void deleteSession(String tokenHash);

    /**
     * An account with what proves it.
     *
     * @param account      the account
     * @param passwordHash its PHC string
     */
    record Credential(Account account, String passwordHash) {
    }
}
