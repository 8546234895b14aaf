package jp.kominkan.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The demo's stand-in for the Digital Agency's デジタル認証アプリ: a small OpenID provider on loopback that follows the
 * Agency's protocol as its relying parties use it (docs/identity.md, "デジタル認証アプリ"), with Keycloak's layout under
 * {@code http://localhost:PORT/api/realms/main}: discovery, {@code …/protocol/openid-connect/auth} (a Japanese
 * consent page offering demo people), {@code token}, {@code userinfo} and {@code certs}.
 *
 * <p>What it insists on, as the Agency does: {@code response_type=code}, a registered {@code client_id} and
 * {@code redirect_uri}, {@code state}, {@code nonce}, PKCE with {@code S256}, {@code acr_values} holding {@code aal3};
 * at the token endpoint {@code private_key_jwt} only (a client assertion signed with the client's registered key,
 * iss = sub = client id, aud = the token URL, unexpired, at most 10 minutes long, its {@code jti} never seen before),
 * the PKCE verifier, a code used once within 60 seconds. Its ID tokens are ES256 (RS256 on request, for tests) with
 * {@code iss}, {@code aud}, a pairwise {@code sub}, {@code nonce}, {@code acr: aal3}, {@code at_hash}, {@code iat},
 * {@code exp}; the person's 基本4情報 come from userinfo as plain strings, per granted scope.
 *
 * <p>Its keys are made at start and live in memory; it knows only demo people. It must never be configured as a
 * provider of a real municipality. Tests can make it misbehave on purpose ({@link #misbehave}).
 */
public final class AgencySandbox implements AutoCloseable {

    /** The realm path, as Keycloak lays it out and the Agency serves it. */
    public static final String REALM = "/api/realms/main";
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    static final Duration LONGEST_ASSERTION = Duration.ofMinutes(10);
    static final Set<String> CLAIM_SCOPES = Set.of("name", "address", "birthdate", "gender");

    private final HttpServer server;
    private final String issuer;
    private final Map<String, Client> clients;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ECKey ecKey;
    private final RSAKey rsaKey;
    private final byte[] pairwiseSecret = new byte[32];
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> seenAssertions = new ConcurrentHashMap<>();
    private final Set<String> myNumberTokens = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Misbehaviour> next = new AtomicReference<>();
    private volatile JWSAlgorithm signing = JWSAlgorithm.ES256;

    /**
     * A relying party registered with the sandbox.
     *
     * @param id           its client id
     * @param publicKey    the public half of its {@code private_key_jwt} key
     * @param redirectUris its registered redirect URIs
     */
    public record Client(String id, JWK publicKey, List<URI> redirectUris) {
        /** Keeps only the public half of the key. */
        public Client {
            publicKey = publicKey.toPublicJWK();
            redirectUris = List.copyOf(redirectUris);
        }
    }

    /** Ways to get the next token wrong on purpose, for tests of the relying party. */
    public enum Misbehaviour {
        /** An {@code at_hash} of another access token. */
        WRONG_AT_HASH,
        /** No {@code at_hash}. */
        NO_AT_HASH,
        /** {@code acr} of a lower level ({@code aal2}). */
        WRONG_ACR,
        /** No {@code acr}. */
        NO_ACR,
        /** Userinfo also sends a {@code my_number} claim, which a relying party must never store. */
        SEND_MY_NUMBER
    }

    private record Grant(Client client, URI redirectUri, AgencyPerson person, String nonce, String challenge,
                         List<String> scopes, Instant expires) {
    }

    private AgencySandbox(HttpServer server, List<Client> clients, Clock clock) throws JOSEException {
        this.server = server;
        this.issuer = "http://localhost:" + server.getAddress().getPort() + REALM;
        this.clock = clock;
        Map<String, Client> byId = new LinkedHashMap<>();
        clients.forEach(c -> byId.put(c.id(), c));
        this.clients = Map.copyOf(byId);
        this.ecKey = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                .keyID("sandbox-es256").generate();
        this.rsaKey = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                .keyID("sandbox-rs256").generate();
        random.nextBytes(pairwiseSecret);
    }

    /**
     * @param args {@code [--port N] --client-jwk FILE [--client-id ID] [--redirect-uri URI]}
     * @throws Exception when it cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 8091;
        Path jwk = null;
        String clientId = "KominkanDemo";
        String redirect = "http://localhost:8080/auth/mynaapp/callback";
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage();
            }
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--client-jwk" -> jwk = Path.of(args[++i]);
                case "--client-id" -> clientId = args[++i];
                case "--redirect-uri" -> redirect = args[++i];
                default -> usage();
            }
        }
        if (jwk == null) {
            usage();
        }
        AgencySandbox sandbox = start(port, List.of(new Client(clientId, AgencyClientKeys.read(jwk),
                List.of(URI.create(redirect)))));
        System.out.println("デジタル認証アプリ sandbox: issuer " + sandbox.issuer() + " (demo people only; never production)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    private static void usage() {
        System.err.println("Usage: AgencySandbox [--port N] --client-jwk FILE [--client-id ID] [--redirect-uri URI]");
        System.exit(2);
    }

    /**
     * @param port    the port on loopback, 0 for any
     * @param clients the relying parties it knows
     * @return the running sandbox
     */
    public static AgencySandbox start(int port, List<Client> clients) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            AgencySandbox sandbox = new AgencySandbox(server, clients, Clock.systemUTC());
            server.createContext(REALM + "/.well-known/openid-configuration", sandbox.handler(sandbox::discovery));
            server.createContext(REALM + "/protocol/openid-connect/auth", sandbox.handler(sandbox::authorize));
            server.createContext(REALM + "/protocol/openid-connect/token", sandbox.handler(sandbox::token));
            server.createContext(REALM + "/protocol/openid-connect/userinfo", sandbox.handler(sandbox::userinfo));
            server.createContext(REALM + "/protocol/openid-connect/certs", sandbox.handler(sandbox::certs));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return sandbox;
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException("The Agency sandbox cannot start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** @return its issuer, {@code http://localhost:PORT/api/realms/main} */
    public String issuer() {
        return issuer;
    }

    /** @return its token endpoint's URL, the audience of client assertions */
    public URI tokenEndpoint() {
        return URI.create(issuer + "/protocol/openid-connect/token");
    }

    /**
     * Gets the next ID token wrong on purpose.
     *
     * @param misbehaviour how
     */
    public void misbehave(Misbehaviour misbehaviour) {
        next.set(misbehaviour);
    }

    /**
     * @param algorithm ES256 (the Agency's, the default) or RS256: how ID tokens are signed from now on
     */
    public void signWith(JWSAlgorithm algorithm) {
        if (!algorithm.equals(JWSAlgorithm.ES256) && !algorithm.equals(JWSAlgorithm.RS256)) {
            throw new IllegalArgumentException("ES256 or RS256");
        }
        signing = algorithm;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- endpoints ---------------------------------------------------------------------------

    private Reply discovery(HttpExchange exchange) {
        String base = issuer + "/protocol/openid-connect";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", base + "/auth");
        metadata.put("token_endpoint", base + "/token");
        metadata.put("userinfo_endpoint", base + "/userinfo");
        metadata.put("jwks_uri", base + "/certs");
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("grant_types_supported", List.of("authorization_code"));
        metadata.put("subject_types_supported", List.of("pairwise"));
        metadata.put("id_token_signing_alg_values_supported", List.of("ES256", "RS256"));
        metadata.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        metadata.put("token_endpoint_auth_signing_alg_values_supported", List.of("ES256", "RS256"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("scopes_supported", List.of("openid", "name", "address", "birthdate", "gender"));
        metadata.put("claims_supported", List.of("sub", "name", "address", "birthdate", "gender"));
        metadata.put("acr_values_supported", List.of("aal3"));
        return Reply.json(200, metadata);
    }

    private Reply certs(HttpExchange exchange) {
        return Reply.json(200, new JWKSet(List.of(ecKey.toPublicJWK(), rsaKey.toPublicJWK())).toJSONObject(true));
    }

    /**
     * GET shows the consent page for a valid request; POST (the page's form) issues the code or, on 「同意しない」,
     * answers {@code access_denied}. A bad client or redirect URI gets an error page, never a redirect (RFC 6749
     * §4.1.2.1); any other fault is sent back to the relying party as {@code invalid_request}.
     */
    private Reply authorize(HttpExchange exchange) throws IOException {
        Map<String, String> params = exchange.getRequestMethod().equals("POST")
                ? form(exchange) : query(exchange.getRequestURI().getRawQuery());
        Client client = clients.get(params.getOrDefault("client_id", ""));
        if (client == null) {
            return Reply.html(400, AgencyConsentPage.error("クライアントが登録されていません（client_id）。"));
        }
        URI redirect;
        try {
            redirect = URI.create(params.getOrDefault("redirect_uri", ""));
        } catch (IllegalArgumentException e) {
            return Reply.html(400, AgencyConsentPage.error("リダイレクト先が正しくありません（redirect_uri）。"));
        }
        if (!client.redirectUris().contains(redirect)) {
            return Reply.html(400, AgencyConsentPage.error("リダイレクト先が登録されていません（redirect_uri）。"));
        }
        String state = params.getOrDefault("state", "");
        Optional<String> fault = requestFault(params);
        if (fault.isPresent()) {
            return Reply.redirect(withQuery(redirect, List.of("error", "invalid_request", "error_description",
                    fault.get(), "state", state)));
        }
        if (exchange.getRequestMethod().equals("GET")) {
            return Reply.html(200, AgencyConsentPage.consent(params, AgencyPerson.DEMO));
        }
        if (!"consent".equals(params.get("decision"))) {
            return Reply.redirect(withQuery(redirect, List.of("error", "access_denied", "state", state)));
        }
        Optional<AgencyPerson> person = AgencyPerson.DEMO.stream().filter(p -> p.id().equals(params.get("person")))
                .findFirst();
        if (person.isEmpty()) {
            return Reply.html(400, AgencyConsentPage.error("利用者を選んでください。"));
        }
        String code = randomToken();
        codes.put(code, new Grant(client, redirect, person.get(), params.get("nonce"), params.get("code_challenge"),
                List.of(params.get("scope").split(" ")), clock.instant().plus(CODE_LIFETIME)));
        return Reply.redirect(withQuery(redirect, List.of("code", code, "state", state,
                "session_state", randomToken())));
    }

    private static Optional<String> requestFault(Map<String, String> params) {
        if (!"code".equals(params.get("response_type"))) {
            return Optional.of("response_type must be code");
        }
        String scope = params.getOrDefault("scope", "");
        if (!List.of(scope.split(" ")).contains("openid")) {
            return Optional.of("scope must include openid");
        }
        String state = params.getOrDefault("state", "");
        if (state.isEmpty() || state.length() > 255 || !state.matches("[\\x20-\\x7e]+")) {
            return Optional.of("state is required (1-255 printable ASCII characters)");
        }
        if (params.getOrDefault("nonce", "").isEmpty()) {
            return Optional.of("nonce is required");
        }
        if (!params.getOrDefault("code_challenge", "").matches("[A-Za-z0-9_-]{43}")) {
            return Optional.of("code_challenge is required (S256)");
        }
        if (!"S256".equals(params.get("code_challenge_method"))) {
            return Optional.of("code_challenge_method must be S256");
        }
        if (!List.of(params.getOrDefault("acr_values", "").split(" ")).contains("aal3")) {
            return Optional.of("acr_values must include aal3");
        }
        return Optional.empty();
    }

    private Reply token(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            return Reply.json(405, error("invalid_request", "POST only"));
        }
        Map<String, String> params = form(exchange);
        Optional<Client> client = authenticate(params);
        if (client.isEmpty()) {
            return Reply.json(401, error("invalid_client", "client authentication failed (private_key_jwt)"));
        }
        if (!"authorization_code".equals(params.get("grant_type"))) {
            return Reply.json(400, error("unsupported_grant_type", "authorization_code only"));
        }
        Grant grant = codes.remove(params.getOrDefault("code", ""));
        if (grant == null || grant.expires().isBefore(clock.instant()) || !grant.client().id().equals(client.get().id())
                || !grant.redirectUri().toString().equals(params.get("redirect_uri"))) {
            return Reply.json(400, error("invalid_grant", "unknown, used, expired or foreign code"));
        }
        String verifier = params.getOrDefault("code_verifier", "");
        if (!verifier.matches("[A-Za-z0-9._~-]{43,128}") || !s256(verifier).equals(grant.challenge())) {
            return Reply.json(400, error("invalid_grant", "PKCE verification failed"));
        }
        String accessToken = randomToken();
        accessTokens.put(accessToken, new Grant(grant.client(), grant.redirectUri(), grant.person(), grant.nonce(),
                grant.challenge(), grant.scopes(), clock.instant().plus(TOKEN_LIFETIME)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", "Bearer");
        body.put("expires_in", TOKEN_LIFETIME.toSeconds());
        body.put("scope", String.join(" ", grant.scopes()));
        Misbehaviour misbehaviour = next.getAndSet(null);
        if (misbehaviour == Misbehaviour.SEND_MY_NUMBER) {
            myNumberTokens.add(accessToken);
        }
        body.put("id_token", idToken(grant, accessToken, misbehaviour));
        return Reply.json(200, body);
    }

    /**
     * {@code private_key_jwt} (RFC 7523 §3): the client named by the assertion's {@code iss}, which must equal its
     * {@code sub} (and {@code client_id} when sent), signed with that client's registered key, for this token
     * endpoint, unexpired, not longer than {@link #LONGEST_ASSERTION}, and never seen before.
     */
    private Optional<Client> authenticate(Map<String, String> params) {
        if (!ASSERTION_TYPE.equals(params.get("client_assertion_type")) || params.get("client_assertion") == null) {
            return Optional.empty();
        }
        try {
            SignedJWT assertion = SignedJWT.parse(params.get("client_assertion"));
            JWTClaimsSet claims = assertion.getJWTClaimsSet();
            Client client = claims.getIssuer() == null ? null : clients.get(claims.getIssuer());
            if (client == null || !claims.getIssuer().equals(claims.getSubject())
                    || (params.get("client_id") != null && !params.get("client_id").equals(client.id()))) {
                return Optional.empty();
            }
            JWSVerifier verifier = switch (client.publicKey()) {
                case ECKey ec -> new ECDSAVerifier(ec);
                case RSAKey rsa -> new RSASSAVerifier(rsa);
                default -> null;
            };
            if (verifier == null || !verifier.supportedJWSAlgorithms().contains(assertion.getHeader().getAlgorithm())
                    || !assertion.verify(verifier)) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            Date exp = claims.getExpirationTime();
            if (claims.getAudience() == null || !claims.getAudience().contains(tokenEndpoint().toString())
                    || exp == null || !exp.toInstant().isAfter(now)
                    || exp.toInstant().isAfter(now.plus(LONGEST_ASSERTION)) || claims.getJWTID() == null) {
                return Optional.empty();
            }
            seenAssertions.values().removeIf(until -> until.isBefore(now));
            if (seenAssertions.putIfAbsent(client.id() + " " + claims.getJWTID(), exp.toInstant()) != null) {
                return Optional.empty();
            }
            return Optional.of(client);
        } catch (java.text.ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    private Reply userinfo(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        Grant grant = header == null || !header.startsWith("Bearer ") ? null : accessTokens.get(header.substring(7));
        if (grant == null || grant.expires().isBefore(clock.instant())) {
            return new Reply(401, "application/json", "{\"error\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8),
                    Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("sub", pairwise(grant.client(), grant.person()));
        grant.person().claims().forEach((claim, value) -> {
            if (grant.scopes().contains(claim)) {
                info.put(claim, value);
            }
        });
        if (myNumberTokens.contains(header.substring(7))) {
            info.put("my_number", AgencyPerson.DEMO_MY_NUMBER);
        }
        return Reply.json(200, info);
    }

    // ---- tokens ------------------------------------------------------------------------------

    private String idToken(Grant grant, String accessToken, Misbehaviour misbehaviour) {
        JWSAlgorithm algorithm = signing;
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(grant.client().id())
                .subject(pairwise(grant.client(), grant.person()))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .jwtID(randomToken())
                .claim("nonce", grant.nonce())
                .claim("azp", grant.client().id());
        if (misbehaviour != Misbehaviour.NO_AT_HASH) {
            claims.claim("at_hash", atHash(misbehaviour == Misbehaviour.WRONG_AT_HASH ? accessToken + "x" : accessToken));
        }
        if (misbehaviour != Misbehaviour.NO_ACR) {
            claims.claim("acr", misbehaviour == Misbehaviour.WRONG_ACR ? "aal2" : "aal3");
        }
        try {
            JWSSigner signer = algorithm.equals(JWSAlgorithm.ES256) ? new ECDSASigner(ecKey) : new RSASSASigner(rsaKey);
            SignedJWT token = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT)
                    .keyID(algorithm.equals(JWSAlgorithm.ES256) ? ecKey.getKeyID() : rsaKey.getKeyID()).build(),
                    claims.build());
            token.sign(signer);
            return token.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OpenID Connect Core §3.1.3.6: base64url of the left half of SHA-256 (ES256 and RS256 both hash with it). */
    static String atHash(String accessToken) {
        byte[] hash = sha256(accessToken);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16));
    }

    /** A subject per relying party (pairwise, OpenID Connect Core §8.1), so two clients cannot link a person. */
    private String pairwise(Client client, AgencyPerson person) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pairwiseSecret, "HmacSHA256"));
            byte[] id = mac.doFinal((client.id() + "\n" + person.id()).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String s256(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---- HTTP --------------------------------------------------------------------------------

    private interface Endpoint {
        Reply answer(HttpExchange exchange) throws IOException;
    }

    private com.sun.net.httpserver.HttpHandler handler(Endpoint endpoint) {
        return exchange -> {
            try (exchange) {
                Reply reply;
                try {
                    reply = endpoint.answer(exchange);
                } catch (RuntimeException e) {
                    reply = Reply.json(500, error("server_error", "the sandbox failed"));
                }
                reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
                exchange.getResponseHeaders().set("Content-Type", reply.type());
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                if (reply.type().startsWith("text/html")) {
                    exchange.getResponseHeaders().set("Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
                }
                exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
                if (reply.body().length > 0) {
                    exchange.getResponseBody().write(reply.body());
                }
            }
        };
    }

    private static Map<String, Object> error(String code, String description) {
        return Map.of("error", code, "error_description", description);
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return query(new String(in.readNBytes(64 * 1024), StandardCharsets.US_ASCII));
        }
    }

    /** Parameters of a query or form; a repeated parameter makes the request invalid (RFC 6749 §3.1). */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        List<String> repeated = new ArrayList<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (params.put(name, value) != null) {
                    repeated.add(name);
                }
            }
        }
        repeated.forEach(params::remove);
        return params;
    }

    /** @param params names and values in turn, kept in this order */
    private static URI withQuery(URI base, List<String> params) {
        StringBuilder uri = new StringBuilder(base.toString()).append(base.getRawQuery() == null ? '?' : '&');
        for (int i = 0; i + 1 < params.size(); i += 2) {
            uri.append(URLEncoder.encode(params.get(i), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(params.get(i + 1), StandardCharsets.UTF_8)).append('&');
        }
        uri.setLength(uri.length() - 1);
        return URI.create(uri.toString());
    }

    private record Reply(int status, String type, byte[] body, Map<String, String> headers) {
        static Reply json(int status, Map<String, Object> body) {
            return new Reply(status, "application/json", JSONObjectUtils.toJSONString(body)
                    .getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Reply html(int status, String page) {
            return new Reply(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Reply redirect(URI to) {
            return new Reply(302, "text/plain", new byte[0], Map.of("Location", to.toString()));
        }
    }
}
