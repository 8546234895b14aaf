package jp.kominkan.cloud.identity;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;

/**
 * One OpenID provider as a municipality has registered with it.
 *
 * @param municipalityCode the municipality (全国地方公共団体コード)
 * @param id               the provider's id in our URLs, {@code /auth/{id}/login}
 * @param label            what residents see, e.g. xID
 * @param profile          which data shape it sends
 * @param issuer           its issuer URL; discovery is read from {@code issuer/.well-known/openid-configuration}
 * @param clientId         our client id there
 * @param credential       how we authenticate at its token endpoint: a client secret, or (profile
 *                         {@code digital-agency}, which requires it) our private key for {@code private_key_jwt}
 * @param redirectUri      our callback as registered there, {@code https://…/auth/{id}/callback}
 * @param scopes           the scopes asked for
 */
public record IdentityProvider(String municipalityCode, String id, String label, ProviderProfile profile, URI issuer,
                               String clientId, ClientCredential credential, URI redirectUri, List<String> scopes) {

    /** Checks the fields are present and the id is URL-safe. */
    public IdentityProvider {
        Objects.requireNonNull(municipalityCode, "municipality");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(clientId, "client-id");
        Objects.requireNonNull(credential, "client credential");
        Objects.requireNonNull(redirectUri, "redirect-uri");
        scopes = List.copyOf(scopes);
        if (!id.matches("[a-z0-9-]{1,20}")) {
            throw new IllegalArgumentException("Identity provider id '" + id + "' must be 1-20 of a-z 0-9 -");
        }
        if (!scopes.contains("openid")) {
            throw new IllegalArgumentException("Identity provider " + id + ": scopes must include openid");
        }
        if (profile == ProviderProfile.DIGITAL_AGENCY && !(credential instanceof ClientCredential.PrivateKey)) {
            throw new IllegalArgumentException("Identity provider " + id
                    + ": profile digital-agency authenticates with private_key_jwt; set client-jwk-file");
        }
        if (profile != ProviderProfile.DIGITAL_AGENCY && !(credential instanceof ClientCredential.Secret)) {
            throw new IllegalArgumentException("Identity provider " + id + ": profile " + profile.wire()
                    + " authenticates with a client secret; set client-secret");
        }
    }

    /**
     * A provider we authenticate to with a client secret.
     *
     * @param municipalityCode the municipality
     * @param id               the provider's id in our URLs
     * @param label            what residents see
     * @param profile          which data shape it sends
     * @param issuer           its issuer URL
     * @param clientId         our client id there
     * @param clientSecret     our client secret there
     * @param redirectUri      our callback as registered there
     * @param scopes           the scopes asked for
     */
    public IdentityProvider(String municipalityCode, String id, String label, ProviderProfile profile, URI issuer,
                            String clientId, String clientSecret, URI redirectUri, List<String> scopes) {
        this(municipalityCode, id, label, profile, issuer, clientId, new ClientCredential.Secret(clientSecret),
                redirectUri, scopes);
    }

    /** How we prove at the token endpoint that we are the registered client. */
    public sealed interface ClientCredential {

        /**
         * {@code client_secret_basic} or {@code client_secret_post}.
         *
         * @param value the secret
         */
        record Secret(String value) implements ClientCredential {
            /** Checks it is there. */
            public Secret {
                Objects.requireNonNull(value, "client-secret");
            }

            /** Hides the secret. */
            @Override
            public String toString() {
                return "Secret[…]";
            }
        }

        /**
         * {@code private_key_jwt} (RFC 7523, OpenID Connect Core §9): a JWT signed with our private key, whose
         * public half is registered with the provider.
         *
         * @param key our private key, an RSA or EC (P-256) JWK
         */
        record PrivateKey(JWK key) implements ClientCredential {
            /** Checks it is a private signing key of a kind the Agency accepts (RS256 or ES256). */
            public PrivateKey {
                Objects.requireNonNull(key, "client-jwk");
                if (!key.isPrivate()) {
                    throw new IllegalArgumentException("client-jwk-file holds a public key only; it needs the private key");
                }
                algorithm(key);
            }

            /** @return the signing algorithm for this key: ES256 for P-256, RS256 for RSA */
            public JWSAlgorithm algorithm() {
                return algorithm(key);
            }

            private static JWSAlgorithm algorithm(JWK key) {
                if (key instanceof com.nimbusds.jose.jwk.ECKey ec
                        && com.nimbusds.jose.jwk.Curve.P_256.equals(ec.getCurve())) {
                    return JWSAlgorithm.ES256;
                }
                if (key instanceof com.nimbusds.jose.jwk.RSAKey) {
                    return JWSAlgorithm.RS256;
                }
                throw new IllegalArgumentException("client-jwk-file must hold an RSA or a P-256 EC key");
            }

            /** Hides the key. */
            @Override
            public String toString() {
                return "PrivateKey[" + key.getKeyID() + "]";
            }
        }
    }

    /** Hides the secret from logs. */
    @Override
    public String toString() {
        return "IdentityProvider[" + municipalityCode + "/" + id + " " + profile.wire() + " " + issuer + "]";
    }
}
