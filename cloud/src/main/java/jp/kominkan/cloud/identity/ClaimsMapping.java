package jp.kominkan.cloud.identity;

import java.time.LocalDate;
import java.util.Map;

/**
 * Turns one provider profile's claims into {@link VerifiedFacts}. One implementation per data shape.
 */
public interface ClaimsMapping {

    /**
     * @param claims the ID token's claims merged with the userinfo response (userinfo wins)
     * @param today  today in the municipality, to check birth dates
     * @return the facts
     * @throws IdentityFailure of kind {@code CLAIMS} naming the missing or garbled claim
     */
    VerifiedFacts map(Map<String, Object> claims, LocalDate today);
}
