package jp.kominkan.cloud.identity;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import jp.kominkan.shared.seal.SealedBox;

/**
 * The identity providers each municipality has enabled, from {@code kominkan.identity.providers}:
 * <pre>
 * - municipality: "999991"
 *   id: xid
 *   label: xID
 *   profile: xid            # or standard, or digital-agency
 *   issuer: https://…
 *   client-id: …
 *   client-secret: …        # better from the environment
 *   client-jwk-file: /…/rp.jwk   # profile digital-agency instead of client-secret: our private JWK for
 *                                # private_key_jwt (its public half is registered with the Agency)
 *   redirect-uri: https://yoyaku.city.example.lg.jp/auth/xid/callback
 *   scopes: [openid]        # optional; the profile's defaults otherwise
 *   userdata-api: https://api.x-id.io/v4   # xID: the verified facts come from its Userdata API
 *   box-public-key: …       # the municipality's X25519 key pair for xID's sealed fields (raw, Base64)
 *   box-secret-key: …       # from the environment
 *   userdata-signature: off # or check: the Userdata answer's public_key/signature (inference: UserdataSignature)
 *   userdata-signing-key: … # with check: xID's Ed25519 key, raw, Base64, as registered with xID
 * </pre>
 */
public final class IdentityProviders {

    private final Map<String, Map<String, OidcClient>> byMunicipality;

    private IdentityProviders(Map<String, Map<String, OidcClient>> byMunicipality) {
        this.byMunicipality = byMunicipality;
    }

    /**
     * @param identity the {@code kominkan.identity} node
     * @return the providers
     * @throws IllegalArgumentException naming the entry and setting at fault
     */
    public static IdentityProviders fromConfig(Config identity) {
        Duration timeout = identity.get("timeout").as(Duration.class).orElse(Duration.ofSeconds(5));
        Map<String, Map<String, OidcClient>> all = new LinkedHashMap<>();
        List<Config> entries = identity.get("providers").asNodeList().orElse(List.of());
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            IdentityProvider provider;
            try {
                ProviderProfile profile = ProviderProfile.of(required(entry, "profile"));
                List<String> scopes = entry.get("scopes").asList(String.class).orElse(profile.defaultScopes());
                provider = new IdentityProvider(required(entry, "municipality"), required(entry, "id"),
                        entry.get("label").asString().orElse(required(entry, "id")), profile,
                        URI.create(required(entry, "issuer")), required(entry, "client-id"),
                        credential(entry, profile), URI.create(required(entry, "redirect-uri")), scopes);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("kominkan.identity.providers[" + i + "]: " + e.getMessage(), e);
            }
            Map<String, OidcClient> forTown = all.computeIfAbsent(provider.municipalityCode(), k -> new LinkedHashMap<>());
            Optional<XidUserdataApi> userdata;
            try {
                userdata = userdata(entry, timeout);
                if (userdata.isPresent() && !provider.scopes().contains("verification")) {
                    throw new IllegalArgumentException("userdata-api needs the scope verification in scopes");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("kominkan.identity.providers[" + i + "]: " + e.getMessage(), e);
            }
            if (forTown.put(provider.id(), new OidcClient(provider, timeout, userdata)) != null) {
                throw new IllegalArgumentException("kominkan.identity.providers[" + i + "]: provider id "
                        + provider.id() + " appears twice for municipality " + provider.municipalityCode());
            }
        }
        return new IdentityProviders(all);
    }

    /**
     * @param municipalityCode a municipality
     * @return its providers, in configured order
     */
    public List<IdentityProvider> enabled(String municipalityCode) {
        List<IdentityProvider> providers = new ArrayList<>();
        byMunicipality.getOrDefault(municipalityCode, Map.of()).values().forEach(c -> providers.add(c.provider()));
        return providers;
    }

    /**
     * @param municipalityCode a municipality
     * @param id               a provider id
     * @return its client, if the municipality has enabled it
     */
    public Optional<OidcClient> client(String municipalityCode, String id) {
        return Optional.ofNullable(byMunicipality.getOrDefault(municipalityCode, Map.of()).get(id));
    }

    /**
     * xID's Userdata API, when {@code userdata-api} is set: then the municipality's sealed-box key pair
     * ({@code box-public-key}, {@code box-secret-key}) must be set too.
     */
    private static Optional<XidUserdataApi> userdata(Config entry, Duration timeout) {
        Optional<String> api = entry.get("userdata-api").asString().asOptional().filter(v -> !v.isBlank());
        if (api.isEmpty()) {
            return Optional.empty();
        }
        SealedBox box = SealedBox.fromBase64(required(entry, "box-public-key"), required(entry, "box-secret-key"));
        String check = entry.get("userdata-signature").asString().orElse("off");
        Optional<UserdataSignature> signature = switch (check) {
            case "off" -> Optional.empty();
            case "check" -> Optional.of(new UserdataSignature(required(entry, "userdata-signing-key")));
            default -> throw new IllegalArgumentException("userdata-signature must be off or check, not " + check);
        };
        return Optional.of(new XidUserdataApi(URI.create(api.get()), box, signature, timeout));
    }

    /**
     * A client secret for xid and standard; for digital-agency ({@code private_key_jwt} only) the private JWK in
     * {@code client-jwk-file}, and no secret.
     */
    private static IdentityProvider.ClientCredential credential(Config entry, ProviderProfile profile) {
        if (profile != ProviderProfile.DIGITAL_AGENCY) {
            return new IdentityProvider.ClientCredential.Secret(required(entry, "client-secret"));
        }
        if (entry.get("client-secret").asString().asOptional().filter(v -> !v.isBlank()).isPresent()) {
            throw new IllegalArgumentException("profile digital-agency authenticates with private_key_jwt only:"
                    + " remove client-secret and set client-jwk-file");
        }
        java.nio.file.Path file = java.nio.file.Path.of(required(entry, "client-jwk-file"));
        String json;
        try {
            json = java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("client-jwk-file " + file + " cannot be read: " + e.getMessage(), e);
        }
        try {
            return new IdentityProvider.ClientCredential.PrivateKey(com.nimbusds.jose.jwk.JWK.parse(json));
        } catch (java.text.ParseException e) {
            // The message would not hold key material, but say only where the file is.
            throw new IllegalArgumentException("client-jwk-file " + file + " is not a JWK (JSON Web Key)", e);
        }
    }

    private static String required(Config entry, String key) {
        return entry.get(key).asString().asOptional()
                .filter(value -> !value.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("set " + key));
    }
}
