package jp.kominkan.cloud.identity;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.InvalidHashException;
import jp.kominkan.cloud.crypto.Tokens;

/**
 * The relying-party side of OpenID Connect for one provider, with Nimbus: discovery, the
 * authorization request (code + PKCE S256 + state + nonce), the code exchange, ID-token validation
 * (signature with the provider's published keys, {@code iss}, {@code aud}, {@code exp}, {@code nonce};
 * unsigned tokens refused) and userinfo. Holds no per-login state: that lives in the database.
 *
 * <p>For the profile {@code digital-agency} (デジタル認証アプリ) it follows what the Agency's relying parties do
 * (docs/identity.md, "デジタル認証アプリ"): {@code acr_values=aal3 crl} in the authorization request; client
 * authentication by {@code private_key_jwt} (RFC 7523 §3, OpenID Connect Core §9) with our registered private key;
 * ID tokens signed ES256 or RS256 with a key from the provider's JWKS; {@code at_hash} required and checked
 * (Core §3.1.3.6); {@code acr} required to be {@code aal3}. Other profiles behave as before.
 */
public final class OidcClient {

    private static final System.Logger LOG = System.getLogger(OidcClient.class.getName());
    /** How far the provider's clock may be from ours. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    /** What the Agency is asked for: assurance level 3 (card and PIN), with a revocation check of the card's certificate. */
    static final List<ACR> AGENCY_ACR_VALUES = List.of(new ACR("aal3"), new ACR("crl"));
    /** The {@code acr} an Agency ID token must carry. */
    static final String AGENCY_ACR = "aal3";
    /** How long our client assertion is good for (RFC 7523 §3: short; the Agency's samples use 5 s to 5 min). */
    static final Duration CLIENT_ASSERTION_LIFETIME = Duration.ofMinutes(5);

    private final IdentityProvider provider;
    private final int timeoutMillis;
    private final AtomicReference<Discovered> discovered = new AtomicReference<>();
    private final Optional<XidUserdataApi> userdata;

    /**
     * @param provider the provider
     * @param timeout  connect and read timeout for each call to it
     */
    public OidcClient(IdentityProvider provider, Duration timeout) {
        this(provider, timeout, Optional.empty());
    }

    /**
     * @param provider the provider
     * @param timeout  connect and read timeout for each call to it
     * @param userdata xID's Userdata API, where the facts come from when the provider has one
     */
    public OidcClient(IdentityProvider provider, Duration timeout, Optional<XidUserdataApi> userdata) {
        this.provider = provider;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        this.userdata = userdata;
    }

    /** @return the provider */
    public IdentityProvider provider() {
        return provider;
    }

    /** @return xID's Userdata API, when the verified facts come from it rather than from the ID token */
    public Optional<XidUserdataApi> userdata() {
        return userdata;
    }

    /**
     * @param state         the state, random
     * @param nonce         the nonce, random
     * @param codeVerifier  the PKCE verifier, random
     * @return where to send the browser
     */
    public URI authorizationUri(String state, String nonce, String codeVerifier) {
        Discovered d = discovered();
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope(provider.scopes().toArray(String[]::new)), new ClientID(provider.clientId()),
                provider.redirectUri())
                .endpointURI(d.metadata().getAuthorizationEndpointURI())
                .state(new State(state))
                .nonce(new Nonce(nonce))
                .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256);
        if (agency()) {
            request.acrValues(AGENCY_ACR_VALUES);
        }
        return request.build().toURI();
    }

    /**
     * Exchanges the code, checks the ID token and reads userinfo.
     *
     * @param code          the authorization code from the callback
     * @param codeVerifier  the PKCE verifier of this login
     * @param expectedNonce the nonce of this login
     * @return the subject, the token's id and expiry, and the merged claims
     * @throws IdentityFailure when anything does not check out or the provider is down
     */
    public Completed complete(String code, String codeVerifier, String expectedNonce) {
        Discovered d = discovered();
        OIDCTokenResponse ok = tokens(new TokenRequest(d.metadata().getTokenEndpointURI(), clientAuthentication(d),
                new AuthorizationCodeGrant(new AuthorizationCode(code), provider.redirectUri(),
                        new CodeVerifier(codeVerifier))), "token");
        JWT idToken = ok.getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw IdentityFailure.rejected("id-token-missing");
        }
        IDTokenClaimsSet idClaims = checkIdToken(idToken, expectedNonce);
        if (agency()) {
            checkAgencyClaims(idToken, idClaims, ok.getOIDCTokens().getAccessToken());
        }
        Map<String, Object> claims = new HashMap<>(idClaims.toJSONObject());
        if (d.metadata().getUserInfoEndpointURI() != null) {
            claims.putAll(userInfo(d.metadata().getUserInfoEndpointURI(), ok.getOIDCTokens().getAccessToken(),
                    idClaims.getSubject().getValue()));
        }
        for (String myNumber : Claims.MY_NUMBER_CLAIMS) {
            if (claims.remove(myNumber) != null) {
                LOG.log(Level.WARNING, provider + " sent a claim named " + myNumber
                        + "; it was dropped unread. Ask the provider to stop sending it.");
            }
        }
        String tokenId = idClaims.getStringClaim("jti") != null
                ? Tokens.sha256Hex("jti:" + provider.issuer() + ":" + idClaims.getStringClaim("jti"))
                : Tokens.sha256Hex("token:" + idToken.serialize());
        return new Completed(idClaims.getSubject().getValue(), tokenId,
                idClaims.getExpirationTime().toInstant(), Map.copyOf(claims),
                ok.getOIDCTokens().getAccessToken().getValue(), refreshToken(ok));
    }

    /**
     * Trades a kept refresh token for a fresh access token (RFC 6749 §6), to renew a verification while the resident
     * is not there. An ID token in the answer is checked like a login's, without a nonce (Core §12.2), and names the
     * subject the token belongs to.
     *
     * @param refreshToken the kept refresh token
     * @return the subject (when an ID token came back), the access token, and the refresh token to keep next
     * @throws IdentityFailure {@code refresh-<error>} when the provider refuses the token (revoked, expired), or
     *                         {@link IdentityFailure.Kind#PROVIDER_DOWN} when it cannot be reached
     */
    public Refreshed refresh(String refreshToken) {
        Discovered d = discovered();
        OIDCTokenResponse ok = tokens(new TokenRequest(d.metadata().getTokenEndpointURI(), clientAuthentication(d),
                new RefreshTokenGrant(new RefreshToken(refreshToken))), "refresh");
        JWT idToken = ok.getOIDCTokens().getIDToken();
        Optional<String> subject = idToken == null ? Optional.empty()
                : Optional.of(checkIdToken(idToken, null).getSubject().getValue());
        return new Refreshed(subject, ok.getOIDCTokens().getAccessToken().getValue(),
                refreshToken(ok).orElse(refreshToken));
    }

    /**
     * Sends a token request; a refusal is {@code <what>-<error code>}. The provider failing (HTTP 5xx,
     * {@code server_error}, {@code temporarily_unavailable}) is an outage, not a refusal: a kept refresh token is
     * not dropped for it.
     */
    private OIDCTokenResponse tokens(TokenRequest request, String what) {
        TokenResponse response;
        try {
            HTTPResponse answer = send(request.toHTTPRequest(), what);
            if (answer.getStatusCode() >= 500) {
                LOG.log(Level.WARNING, provider + ": token endpoint answered " + answer.getStatusCode());
                throw IdentityFailure.providerDown(what + "-unavailable");
            }
            response = OIDCTokenResponseParser.parse(answer);
        } catch (ParseException e) {
            LOG.log(Level.WARNING, provider + ": unreadable " + what + " response: " + e.getMessage());
            throw IdentityFailure.rejected(what + "-response-unreadable");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            String code = error.getCode() != null && error.getCode().matches("[a-z_]{1,40}") ? error.getCode() : "other";
            LOG.log(Level.INFO, provider + ": token endpoint refused the " + what + ": " + code);
            if (code.equals("server_error") || code.equals("temporarily_unavailable")) {
                throw IdentityFailure.providerDown(what + "-" + code);
            }
            throw IdentityFailure.rejected(what + "-" + code);
        }
        return (OIDCTokenResponse) response.toSuccessResponse();
    }

    private static Optional<String> refreshToken(OIDCTokenResponse ok) {
        return Optional.ofNullable(ok.getOIDCTokens().getRefreshToken()).map(RefreshToken::getValue)
                .filter(token -> !token.isBlank());
    }

    /**
     * Checks an ID token's signature against the provider's published keys (unsigned tokens are
     * refused), and its {@code iss}, {@code aud}, {@code exp}, {@code iat} and {@code nonce}.
     *
     * @param idToken       the token
     * @param expectedNonce the nonce of this login; null for a refresh's ID token, which carries none to check
     * @return its claims
     * @throws IdentityFailure naming what failed
     */
    IDTokenClaimsSet checkIdToken(JWT idToken, String expectedNonce) {
        try {
            return discovered().validator().validate(idToken, expectedNonce == null ? null : new Nonce(expectedNonce));
        } catch (BadJOSEException | JOSEException e) {
            String reason = idTokenReason(e.getMessage());
            LOG.log(Level.INFO, provider + ": ID token rejected (" + reason + "): " + e.getMessage());
            throw IdentityFailure.rejected(reason);
        }
    }

    /**
     * The Agency's further checks: {@code at_hash} binds the access token to this ID token (Core §3.1.3.6; the hash
     * of the ID token's own algorithm, left half of SHA-256 for ES256 and RS256), and {@code acr} says the person
     * was authenticated at the level asked for. Both are required: without them the token does not prove either.
     */
    void checkAgencyClaims(JWT idToken, IDTokenClaimsSet idClaims, AccessToken accessToken) {
        if (idClaims.getAccessTokenHash() == null) {
            LOG.log(Level.INFO, provider + ": ID token rejected (id-token-at-hash): no at_hash");
            throw IdentityFailure.rejected("id-token-at-hash");
        }
        try {
            AccessTokenValidator.validate(accessToken,
                    (JWSAlgorithm) idToken.getHeader().getAlgorithm(), idClaims.getAccessTokenHash());
        } catch (InvalidHashException | RuntimeException e) {
            LOG.log(Level.INFO, provider + ": ID token rejected (id-token-at-hash): " + e.getMessage());
            throw IdentityFailure.rejected("id-token-at-hash");
        }
        ACR acr = idClaims.getACR();
        if (acr == null || !AGENCY_ACR.equals(acr.getValue())) {
            LOG.log(Level.INFO, provider + ": ID token rejected (id-token-acr): acr " + (acr == null ? "missing" : acr));
            throw IdentityFailure.rejected("id-token-acr");
        }
    }

    private boolean agency() {
        return provider.profile() == ProviderProfile.DIGITAL_AGENCY;
    }

    private Map<String, Object> userInfo(URI endpoint, AccessToken accessToken, String subject) {
        UserInfoResponse response;
        try {
            response = UserInfoResponse.parse(send(new UserInfoRequest(endpoint, accessToken).toHTTPRequest(),
                    "userinfo"));
        } catch (ParseException e) {
            LOG.log(Level.WARNING, provider + ": unreadable userinfo response: " + e.getMessage());
            throw IdentityFailure.providerDown("userinfo-unreadable");
        }
        if (!response.indicatesSuccess()) {
            LOG.log(Level.WARNING, provider + ": userinfo refused: "
                    + response.toErrorResponse().getErrorObject().getCode());
            throw IdentityFailure.providerDown("userinfo-refused");
        }
        var info = response.toSuccessResponse().getUserInfo();
        if (info.getSubject() == null || !subject.equals(info.getSubject().getValue())) {
            throw IdentityFailure.rejected("userinfo-subject-mismatch");
        }
        return info.toJSONObject();
    }

    private ClientAuthentication clientAuthentication(Discovered d) {
        ClientID id = new ClientID(provider.clientId());
        if (provider.credential() instanceof IdentityProvider.ClientCredential.PrivateKey key) {
            return privateKeyJwt(id, d.metadata().getTokenEndpointURI(), key);
        }
        List<ClientAuthenticationMethod> methods = d.metadata().getTokenEndpointAuthMethods();
        Secret secret = new Secret(((IdentityProvider.ClientCredential.Secret) provider.credential()).value());
        if (methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
            return new ClientSecretPost(id, secret);
        }
        return new ClientSecretBasic(id, secret);
    }

    /**
     * {@code private_key_jwt}: iss = sub = our client id, aud = the token endpoint's URL, a fresh {@code jti},
     * {@code iat} now and {@code exp} five minutes on, signed with our key (ES256 for P-256, RS256 for RSA) and
     * naming its {@code kid} when it has one.
     */
    private static ClientAuthentication privateKeyJwt(ClientID id, URI tokenEndpoint,
                                                      IdentityProvider.ClientCredential.PrivateKey key) {
        Instant now = Instant.now();
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(id, List.of(new Audience(tokenEndpoint)),
                java.util.Date.from(now.plus(CLIENT_ASSERTION_LIFETIME)), null, java.util.Date.from(now), new JWTID());
        try {
            java.security.PrivateKey privateKey = switch (key.key()) {
                case com.nimbusds.jose.jwk.ECKey ec -> ec.toPrivateKey();
                case com.nimbusds.jose.jwk.RSAKey rsa -> rsa.toPrivateKey();
                default -> throw new JOSEException("not an EC or RSA key");
            };
            return new PrivateKeyJWT(claims, key.algorithm(), privateKey, key.key().getKeyID(), null);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the client assertion: " + e.getMessage(), e);
        }
    }

    private HTTPResponse send(HTTPRequest request, String what) {
        request.setConnectTimeout(timeoutMillis);
        request.setReadTimeout(timeoutMillis);
        try {
            return request.send();
        } catch (IOException e) {
            LOG.log(Level.WARNING, provider + ": " + what + " endpoint unreachable: " + e);
            throw IdentityFailure.providerDown(what + "-unreachable");
        }
    }

    private Discovered discovered() {
        Discovered known = discovered.get();
        if (known != null) {
            return known;
        }
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.resolve(new Issuer(provider.issuer()), timeoutMillis, timeoutMillis);
        } catch (GeneralException | IOException e) {
            LOG.log(Level.WARNING, provider + ": discovery failed: " + e);
            throw IdentityFailure.providerDown("discovery-failed");
        }
        List<JWSAlgorithm> algorithms = metadata.getIDTokenJWSAlgs();
        JWSAlgorithm algorithm = algorithms == null || algorithms.isEmpty() || algorithms.contains(JWSAlgorithm.RS256)
                ? JWSAlgorithm.RS256 : algorithms.getFirst();
        if (algorithm.getName().equals("none")) {
            throw IdentityFailure.providerDown("unsigned-id-tokens-offered");
        }
        try {
            DefaultResourceRetriever retriever = new DefaultResourceRetriever(timeoutMillis, timeoutMillis);
            IDTokenValidator validator = agency()
                    // The Agency signs with ES256 (third-party notes); RS256 is accepted too, as its relying parties do.
                    ? new IDTokenValidator(metadata.getIssuer(), new ClientID(provider.clientId()),
                            new JWSVerificationKeySelector<SecurityContext>(
                                    java.util.Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256),
                                    JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(), retriever)
                                            .build()), null)
                    : new IDTokenValidator(metadata.getIssuer(), new ClientID(provider.clientId()),
                            algorithm, metadata.getJWKSetURI().toURL(), retriever);
            validator.setMaxClockSkew(Math.toIntExact(MAX_CLOCK_SKEW.toSeconds()));
            Discovered fresh = new Discovered(metadata, validator);
            discovered.compareAndSet(null, fresh);
            return discovered.get();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, provider + ": unusable metadata: " + e);
            throw IdentityFailure.providerDown("metadata-unusable");
        }
    }

    private static String idTokenReason(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("signed") && (m.contains("expected") || m.contains("unsigned") || m.contains("plain"))) {
            return "id-token-unsigned";
        }
        if (m.contains("issuer")) {
            return "id-token-issuer";
        }
        if (m.contains("audience")) {
            return "id-token-audience";
        }
        if (m.contains("expired")) {
            return "id-token-expired";
        }
        if (m.contains("nonce")) {
            return "id-token-nonce";
        }
        if (m.contains("signature") || m.contains("key")) {
            return "id-token-signature";
        }
        return "id-token-invalid";
    }


    private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    /**
     * A refreshed access.
     *
     * @param subject      the subject of the ID token that came back, if one did
     * @param accessToken  the new access token; never logged, never stored
     * @param refreshToken the refresh token to keep: the provider's new one when it rotates them, else the same
     */
    public record Refreshed(Optional<String> subject, String accessToken, String refreshToken) {

        /** Leaves the tokens out. */
        @Override
        public String toString() {
            return "Refreshed[" + subject.isPresent() + "]";
        }
    }

    /**
     * A checked login at the provider.
     *
     * @param subject   the provider's id for the person
     * @param tokenId   a hash naming the ID token, to refuse it a second time
     * @param expiresAt when the ID token expires
     * @param claims    the ID token's claims merged with userinfo
     * @param accessToken the access token, for xID's Userdata API; never logged, never stored
     * @param refreshToken the refresh token, if the provider gave one; never logged, only ever stored sealed
     *                     ({@link RenewalTokens})
     */
    public record Completed(String subject, String tokenId, Instant expiresAt, Map<String, Object> claims,
                            String accessToken, Optional<String> refreshToken) {

        /** Leaves the claims and the tokens out. */
        @Override
        public String toString() {
            return "Completed[" + tokenId + "]";
        }
    }
}
