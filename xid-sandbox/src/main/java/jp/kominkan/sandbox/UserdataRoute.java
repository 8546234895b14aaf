package jp.kominkan.sandbox;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jp.kominkan.shared.seal.SealedBox;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * xID's Userdata API as published ({@code GET /v4/verification/userdata}, Bearer the access token; docs/identity.md),
 * and its re-verification status and request ({@code GET /v4/verification/status} → {@code is_latest} or
 * {@code not_latest}; {@code POST /v4/verification/re-verification} with reason, notification title and description
 * — paths and answers are our inference, xID does not publish them), with a sandbox page to move a demo person
 * ({@link MovePage}):
 * the demo person's facts, {@code last_name}, {@code first_name} and {@code verified_at} in clear and every other
 * field as Base64 of 24 random bytes and a libsodium sealed box to the municipality's public key. The access token
 * must be one this sandbox signed (its JWKS), for the {@code xid} issuer, unexpired, with scope {@code verification}.
 */
final class UserdataRoute implements Route {

    static final String PATH = "/v4/verification/userdata";
    static final String STATUS = "/v4/verification/status";
    static final String REVERIFICATION = "/v4/verification/re-verification";
    static final String MOVE = "/sandbox/move";
    /** The fields xID sends in clear (the rest are sealed). */
    private static final java.util.Set<String> IN_CLEAR = java.util.Set.of("last_name", "first_name");
    /** The signed fields' order (inference, as the cloud's UserdataSignature). */
    private static final List<String> SIGNED_ORDER = List.of("last_name", "first_name", "previous_name", "year",
            "month", "date", "prefecture", "city", "address", "gender", "sub_char_common_name",
            "sub_char_previous_name", "sub_char_address", "verified_at");

    /** The facts xID holds per person (subject), as first seen in their token; a move changes them on renewal. */
    private final Map<String, Map<String, Object>> people = new java.util.concurrent.ConcurrentHashMap<>();
    /** Moves a demo person made that xID does not know yet: the new address, until a re-verification. */
    private final Map<String, Map<String, Object>> moves = new java.util.concurrent.ConcurrentHashMap<>();
    /** The re-verification requests received (reason, title, description), for the sandbox page. */
    private final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final byte[] municipalityKey;
    private final String issuer;
    private final URL jwks;
    private final SecureRandom random = new SecureRandom();
    private final Ed25519PrivateKeyParameters signingKey;

    /**
     * @param municipalityKey the municipality's X25519 public key, as it registered it
     * @param issuer          the sandbox's xID issuer, http://localhost:PORT/xid
     * @param signingKey      the sandbox's Ed25519 key for the answer's signature
     */
    UserdataRoute(byte[] municipalityKey, String issuer, Ed25519PrivateKeyParameters signingKey) {
        this.municipalityKey = municipalityKey.clone();
        this.signingKey = signingKey;
        this.issuer = issuer;
        try {
            this.jwks = new URL(issuer + "/jwks");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(issuer, e);
        }
    }

    @Override
    public boolean match(OAuth2HttpRequest request) {
        String path = request.getUrl().encodedPath();
        return path.equals(PATH) || path.equals(STATUS) || path.equals(REVERIFICATION) || path.equals(MOVE);
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals(MOVE)) {
            return MovePage.handle(request, people, moves, requests);
        }
        String method = path.equals(REVERIFICATION) ? "POST" : "GET";
        if (!request.getMethod().equals(method)) {
            return answer(405, Map.of("error", "method_not_allowed"));
        }
        String authorization = String.valueOf(request.getHeaders().get("Authorization"));
        if (!authorization.startsWith("Bearer ")) {
            return answer(401, Map.of("error", "invalid_token"));
        }
        JWTClaimsSet claims;
        try {
            SignedJWT token = SignedJWT.parse(authorization.substring(7).strip());
            RSAKey key = JWKSet.load(jwks).getKeyByKeyId(token.getHeader().getKeyID()).toRSAKey();
            JWSVerifier verifier = new RSASSAVerifier(key);
            claims = token.getJWTClaimsSet();
            if (!token.verify(verifier) || !issuer.equals(claims.getIssuer()) || claims.getExpirationTime() == null
                    || claims.getExpirationTime().before(new Date())) {
                return answer(401, Map.of("error", "invalid_token"));
            }
        } catch (Exception e) {
            return answer(401, Map.of("error", "invalid_token"));
        }
        String scope = String.valueOf(claims.getClaim("scope"));
        if (!List.of(scope.split(" ")).contains("verification")) {
            return answer(403, Map.of("error", "insufficient_scope"));
        }
        String subject = claims.getSubject();
        Map<String, Object> person = people.computeIfAbsent(subject, k -> new LinkedHashMap<>(claims.getClaims()));
        if (path.equals(STATUS)) {
            return answer(200, Map.of("status", moves.containsKey(subject) ? "not_latest" : "is_latest"));
        }
        if (path.equals(REVERIFICATION)) {
            Map<String, Object> asked;
            try {
                asked = JSONObjectUtils.parse(request.getBody() == null ? "" : request.getBody());
            } catch (java.text.ParseException e) {
                return answer(400, Map.of("error", "invalid_request"));
            }
            for (String field : List.of("reason", "notification_title", "notification_description")) {
                if (!(asked.get(field) instanceof String text) || text.isBlank() || text.length() > 500) {
                    return answer(400, Map.of("error", "invalid_request", "error_description", field));
                }
            }
            requests.add(asked.get("notification_title") + " — " + asked.get("reason"));
            // The demo person confirms at once in their app, reading their card: xID now holds the new address.
            Map<String, Object> moved = moves.remove(subject);
            if (moved != null) {
                person.put("address", moved);
            }
            return answer(202, Map.of("status", "requested"));
        }
        return answer(200, userdata(person));
    }

    /**
     * The demo person's facts in the Userdata API's shape, sealed field by field, and signed: {@code public_key} and
     * {@code signature}, an Ed25519 signature over the opened values concatenated in the listed order (the signature
     * scheme is our inference, docs/identity.md; the cloud checks it only when told to).
     */
    Map<String, Object> userdata(Map<String, Object> person) {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("last_name", text(person.get("last_name")));
        plain.put("first_name", text(person.get("first_name")));
        Object former = person.get("former_last_name");
        if (former != null) {
            plain.put("previous_name", text(former) + " " + text(person.get("former_first_name")));
        }
        Map<?, ?> birth = (Map<?, ?>) person.getOrDefault("date_of_birth", Map.of());
        plain.put("year", text(birth.get("year")));
        plain.put("month", text(birth.get("month")));
        plain.put("date", text(birth.get("day")));
        Map<?, ?> address = (Map<?, ?>) person.getOrDefault("address", Map.of());
        plain.put("prefecture", text(address.get("prefecture")));
        plain.put("city", text(address.get("city")));
        plain.put("address", text(address.get("rest")));
        if (person.get("gender") != null) {
            plain.put("gender", text(person.get("gender")));
        }
        if (person.get("last_name_substitute") != null) {
            plain.put("sub_char_common_name", "1");
        }
        long verifiedAt = System.currentTimeMillis() / 1000;
        Map<String, Object> data = new LinkedHashMap<>();
        plain.forEach((field, value) -> data.put(field, IN_CLEAR.contains(field) ? value : sealed(value)));
        data.put("verified_at", verifiedAt);
        StringBuilder signed = new StringBuilder();
        for (String field : SIGNED_ORDER) {
            signed.append(field.equals("verified_at") ? Long.toString(verifiedAt) : plain.getOrDefault(field, ""));
        }
        byte[] message = signed.toString().getBytes(StandardCharsets.UTF_8);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, signingKey);
        signer.update(message, 0, message.length);
        data.put("public_key", Base64.getEncoder().encodeToString(signingKey.generatePublicKey().getEncoded()));
        data.put("signature", Base64.getEncoder().encodeToString(signer.generateSignature()));
        return data;
    }

    private String sealed(String text) {
        byte[] box = SealedBox.seal(text.getBytes(StandardCharsets.UTF_8), municipalityKey, random);
        byte[] field = new byte[24 + box.length];
        byte[] prefix = new byte[24];
        random.nextBytes(prefix);
        System.arraycopy(prefix, 0, field, 0, 24);
        System.arraycopy(box, 0, field, 24, box.length);
        return Base64.getEncoder().encodeToString(field);
    }

    private static String text(Object value) {
        if (value instanceof Number number) {
            return Long.toString(number.longValue());
        }
        return value == null ? "" : value.toString();
    }

    private static OAuth2HttpResponse answer(int status, Map<String, Object> body) {
        return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json; charset=utf-8"), status,
                JSONObjectUtils.toJSONString(body), null);
    }
}
