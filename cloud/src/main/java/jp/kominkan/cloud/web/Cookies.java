package jp.kominkan.cloud.web;

import java.time.Duration;
import java.time.Instant;

import io.helidon.http.SetCookie;

/** Cookies the browser must forget. */
public final class Cookies {

    private Cookies() {
    }

    /**
     * An empty cookie that has already expired, so the browser deletes it. Helidon 4.1.7 does not send
     * {@code Max-Age=0}, so {@code Expires} in 1970 does the work.
     *
     * @param name the cookie's name
     * @return the cookie to send
     */
    public static SetCookie expired(String name) {
        return SetCookie.builder(name, "").path("/").expires(Instant.EPOCH).maxAge(Duration.ZERO).build();
    }
}
