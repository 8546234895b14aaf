package jp.kominkan.cloud.page;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.web.Cookies;

/**
 * A form's CSRF token, bound to the browser's session: the HMAC, under a key of the deployment, of the browser's
 * random CSRF cookie together with its resident and staff session cookies. A cookie/field pair an attacker chose,
 * or a token made for another session (another person's, or this browser's before it logged in), does not match.
 * Before login (the login and registration forms) the token is bound to the CSRF cookie alone; the cross-site
 * check ({@link jp.kominkan.cloud.web.CrossSiteGuard}) refuses those forms from another site too. The server
 * stores nothing: every instance with the same keys computes the same token (OWASP's "signed double-submit cookie").
 */
final class CsrfTokens {

    /** The CSRF cookie's length: 256 random bits in base64url. */
    static final int COOKIE_LENGTH = 43;

    private final byte[] key;
    private final boolean secureCookie;

    /**
     * @param key          the deployment's key for CSRF tokens
     * @param secureCookie whether cookies are Secure (which names them)
     */
    CsrfTokens(byte[] key, boolean secureCookie) {
        this.key = key.clone();
        this.secureCookie = secureCookie;
    }

    /**
     * @param req            a request
     * @param freshCsrfCookie the CSRF cookie being set in this answer, when the browser had none
     * @return the token this browser's forms carry
     */
    String token(ServerRequest req, Optional<String> freshCsrfCookie) {
        String csrf = freshCsrfCookie.orElseGet(() -> csrfCookie(req).orElseThrow());
        return mac(csrf, req);
    }

    /**
     * @param req  a request
     * @param sent the token a form sent
     * @return whether it is this browser's token now
     */
    boolean matches(ServerRequest req, String sent) {
        Optional<String> csrf = csrfCookie(req);
        if (csrf.isEmpty() || sent == null) {
            return false;
        }
        return MessageDigest.isEqual(mac(csrf.get(), req).getBytes(StandardCharsets.US_ASCII),
                sent.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param req a request
     * @return its CSRF cookie, when it has a well-formed one
     */
    Optional<String> csrfCookie(ServerRequest req) {
        return cookie(req, PageSupport.CSRF_COOKIE).filter(value -> value.length() == COOKIE_LENGTH);
    }

    private String mac(String csrf, ServerRequest req) {
        String binding = "kominkan-csrf-v2\u0000" + csrf + "\u0000" + cookie(req, Authenticator.COOKIE).orElse("")
                + "\u0000" + cookie(req, StaffAuthenticator.COOKIE).orElse("");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(binding.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private Optional<String> cookie(ServerRequest req, String base) {
        return req.headers().cookies().first(Cookies.name(base, secureCookie)).asOptional()
                .filter(value -> !value.isEmpty());
    }
}
