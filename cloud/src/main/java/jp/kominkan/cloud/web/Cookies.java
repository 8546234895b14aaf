package jp.kominkan.cloud.web;

import java.time.Duration;
import java.time.Instant;

import io.helidon.http.SetCookie;

/**
 * The names and attributes of Kominkan's cookies, in one place. Behind TLS ({@code kominkan.secure-cookie: true},
 * the default) the session and CSRF cookies are {@code __Host-} cookies: Secure, {@code Path=/} and no
 * {@code Domain}, so a sibling sub-domain or a plain-HTTP answer on the same host name cannot plant or overwrite one
 * (RFC 6265bis §4.1.3.2). The demo over plain {@code http://localhost} turns Secure off and keeps the old,
 * unprefixed names, since a browser refuses a {@code __Host-} cookie without Secure.
 */
public final class Cookies {

    /** The prefix browsers reserve for host-only, Secure, Path=/ cookies. */
    public static final String HOST_PREFIX = "__Host-";

    private Cookies() {
    }

    /**
     * @param base   a cookie's base name, e.g. {@code kominkan_session}
     * @param secure whether cookies are Secure (behind TLS)
     * @return the name it is sent and read under
     */
    public static String name(String base, boolean secure) {
        return secure ? HOST_PREFIX + base : base;
    }

    /**
     * @param base   a cookie's base name
     * @param value  its value
     * @param secure whether cookies are Secure
     * @return a host-only cookie for the whole site, HttpOnly, Secure when behind TLS (add SameSite and lifetime)
     */
    public static SetCookie.Builder builder(String base, String value, boolean secure) {
        return SetCookie.builder(name(base, secure), value).path("/").httpOnly(true).secure(secure);
    }

    /**
     * An empty cookie that has already expired, so the browser deletes it. Helidon 4.1.7 does not send
     * {@code Max-Age=0}, so {@code Expires} in 1970 does the work; a {@code __Host-} cookie is only replaced by one
     * with the same attributes, so it is Secure too.
     *
     * @param base   the cookie's base name
     * @param secure whether cookies are Secure
     * @return the cookie to send
     */
    public static SetCookie expired(String base, boolean secure) {
        return builder(base, "", secure).expires(Instant.EPOCH).maxAge(Duration.ZERO).build();
    }
}
