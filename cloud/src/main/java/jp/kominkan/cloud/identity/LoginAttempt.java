package jp.kominkan.cloud.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A login under way at a provider: what its callback must match. Kept in the database so any cloud
 * instance can take the callback, and used once.
 *
 * @param stateHash      SHA-256 of the state sent to the provider
 * @param browserHash    SHA-256 of the random binding held in the browser's cookie
 * @param municipalityId where
 * @param provider       the provider's id
 * @param purpose        register, log in, or verify an existing account
 * @param accountId      for verify: the account being verified
 * @param nonce          the nonce the ID token must carry
 * @param codeVerifier   the PKCE verifier
 * @param returnTo       the local path to go back to
 * @param createdAt      when it started
 * @param expiresAt      when it can no longer complete
 */
public record LoginAttempt(String stateHash, String browserHash, long municipalityId, String provider, Purpose purpose,
                           Optional<UUID> accountId, String nonce, String codeVerifier, String returnTo,
                           Instant createdAt, Instant expiresAt) {

    /** Checks the fields are present. */
    public LoginAttempt {
        Objects.requireNonNull(stateHash, "stateHash");
        Objects.requireNonNull(browserHash, "browserHash");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(returnTo, "returnTo");
        if (purpose == Purpose.VERIFY && accountId.isEmpty()) {
            throw new IllegalArgumentException("A verification belongs to an account");
        }
    }

    /** Why the person went to the provider. */
    public enum Purpose {
        /** Create an account from the verified facts (xID で新規登録). */
        REGISTER("register"),
        /** Log in to the account linked to this person (xID でログイン). */
        LOGIN("login"),
        /** Link the logged-in account to this person (本人確認). */
        VERIFY("verify");

        private final String wire;

        Purpose(String wire) {
            this.wire = wire;
        }

        /** @return the name in URLs and the database */
        public String wire() {
            return wire;
        }

        /**
         * @param wire a name
         * @return the purpose, if the name is one
         */
        public static Optional<Purpose> of(String wire) {
            for (Purpose purpose : values()) {
                if (purpose.wire.equals(wire)) {
                    return Optional.of(purpose);
                }
            }
            return Optional.empty();
        }
    }
}
