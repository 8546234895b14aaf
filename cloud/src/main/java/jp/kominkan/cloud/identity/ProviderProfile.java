package jp.kominkan.cloud.identity;

import java.util.List;

/**
 * The kinds of identity provider we speak to, each with its scopes and its claims mapping.
 */
public enum ProviderProfile {
    /** xID (digital-ID app on the My Number Card): scope {@code verification} grants its Userdata API. */
    XID("xid", List.of("openid", "verification"), new XidClaims()),
    /** OpenID standard claims, as the Digital Agency's デジタル認証アプリ sends them. */
    STANDARD("standard", List.of("openid", "name", "address", "birthdate"), new StandardClaims()),
    /**
     * The Digital Agency's デジタル認証アプリ as its protocol is published and used: 基本4情報 as plain strings from
     * userinfo, {@code acr_values=aal3 crl}, client authentication by {@code private_key_jwt}, ID tokens in ES256
     * with {@code at_hash} (see {@link OidcClient}).
     */
    DIGITAL_AGENCY("digital-agency", List.of("openid", "name", "address", "birthdate", "gender"), new AgencyClaims());

    private final String wire;
    private final List<String> defaultScopes;
    private final ClaimsMapping mapping;

    ProviderProfile(String wire, List<String> defaultScopes, ClaimsMapping mapping) {
        this.wire = wire;
        this.defaultScopes = defaultScopes;
        this.mapping = mapping;
    }

    /** @return the name used in configuration */
    public String wire() {
        return wire;
    }

    /** @return the scopes asked for unless configured otherwise */
    public List<String> defaultScopes() {
        return defaultScopes;
    }

    /** @return how the provider's claims become verified facts */
    public ClaimsMapping mapping() {
        return mapping;
    }

    /**
     * @param wire a configured name
     * @return the profile
     */
    public static ProviderProfile of(String wire) {
        for (ProviderProfile profile : values()) {
            if (profile.wire.equals(wire)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("Unknown identity provider profile '" + wire + "' (use xid, standard or digital-agency)");
    }
}
