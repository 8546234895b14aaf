package jp.kominkan.cloud.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code Cache-Control: no-store} on every API answer (RFC 9111 §5.2.2.5), set before the handler runs so that no
 * answer carrying a door code, a session token or personal data is kept by a browser, a shared computer's cache or
 * a proxy — errors included. Only public reads keep their caching: facilities and rooms with their availability
 * and photos, and the list of identity providers, which are the same for everyone. Pages set {@code no-store}
 * themselves ({@code PageSupport}); static files and photos say how long they may be kept.
 */
public final class CachePolicy {

    private CachePolicy() {
    }

    /**
     * @param req the request
     * @param res its response, given {@code no-store} unless the request is a public read
     */
    public static void apply(ServerRequest req, ServerResponse res) {
        String path = req.path().absolute().rawPath();
        if (path.startsWith("/api/") && !publicRead(req.prologue().method().text(), path)) {
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
        }
    }

    /**
     * @param method the request's method
     * @param path   its path
     * @return whether it reads what every visitor sees alike
     */
    static boolean publicRead(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return false;
        }
        return under(path, "/api/v1/facilities") || under(path, "/api/v1/rooms")
                || path.equals("/api/v1/identity/providers");
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
