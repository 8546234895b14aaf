package jp.kominkan.cloud.identity;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One OpenID provider as a municipality has registered with it.
 *
 * @param municipalityCode the municipality (全国地方公共団体コード)
 * @param id               the provider's id in our URLs, {@code /auth/{id}/login}
 * @param label            what residents see, e.g. xID
 * @param profile          which data shape it sends
 * @param issuer           its issuer URL; discovery is read from {@code issuer/.well-known/openid-configuration}
 * @param clientId         our client id there
 * @param clientSecret     our client secret there
 * @param redirectUri      our callback as registered there, {@code https://…/auth/{id}/callback}
 * @param scopes           the scopes asked for
 */
public record IdentityProvider(String municipalityCode, String id, String label, ProviderProfile profile, URI issuer,
                               String clientId, String clientSecret, URI redirectUri, List<String> scopes) {

    /** Checks the fields are present and the id is URL-safe. */
    public IdentityProvider {
        Objects.requireNonNull(municipalityCode, "municipality");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(clientId, "client-id");
        Objects.requireNonNull(clientSecret, "client-secret");
        Objects.requireNonNull(redirectUri, "redirect-uri");
        scopes = List.copyOf(scopes);
        if (!id.matches("[a-z0-9-]{1,20}")) {
            throw new IllegalArgumentException("Identity provider id '" + id + "' must be 1-20 of a-z 0-9 -");
        }
        if (!scopes.contains("openid")) {
            throw new IllegalArgumentException("Identity provider " + id + ": scopes must include openid");
        }
    }

    /** Hides the secret from logs. */
    @Override
    public String toString() {
        return "IdentityProvider[" + municipalityCode + "/" + id + " " + profile.wire() + " " + issuer + "]";
    }
}
