package jp.kominkan.cloud.web;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Refuses a state-changing request that a browser sent from another site with our cookies: pages and the JSON API
 * alike (a resident's cancellation by {@code DELETE} with the session cookie, as much as a staff form). A browser
 * says where a request comes from in {@code Sec-Fetch-Site} (Fetch Metadata) and in {@code Origin} (RFC 6454,
 * sent on every cross-origin POST, PUT, PATCH and DELETE); the check takes {@code Sec-Fetch-Site} when present and
 * compares {@code Origin} with {@code Host} otherwise, like Go 1.25's {@code http.CrossOriginProtection}.
 *
 * <p>Not checked: safe methods (GET, HEAD, OPTIONS change nothing here); requests with a bearer token (no ambient
 * authority: a page on another site cannot add an {@code Authorization} header without CORS, which we never allow);
 * requests without any of our cookies (nothing of the browser's is used); and requests with neither header, which
 * no browser in use sends for a cross-site write — curl, the gateways and the payment provider's webhooks.
 */
public final class CrossSiteGuard {

    /** The base names of the cookies that carry authority: resident session, staff session, CSRF. */
    private static final Set<String> AMBIENT = Set.of("kominkan_session", "kominkan_staff", "kominkan_csrf");
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private CrossSiteGuard() {
    }

    /**
     * @param req a request
     * @throws Problem 403 when a browser sent a cookie-authenticated write from another site
     */
    public static void check(ServerRequest req) {
        if (SAFE.contains(req.prologue().method().text()) || bearer(req) || !carriesOurCookie(req)) {
            return;
        }
        Optional<String> site = req.headers().first(HeaderNames.create("Sec-Fetch-Site"))
                .map(value -> value.strip().toLowerCase(Locale.ROOT));
        if (site.isPresent()) {
            if (site.get().equals("same-origin") || site.get().equals("none")) {
                return;
            }
            throw refused();
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            return;
        }
        if (!sameHost(origin.get(), req.headers().first(HeaderNames.HOST).orElse(""))) {
            throw refused();
        }
    }

    /**
     * @param origin an {@code Origin} header, e.g. {@code https://yoyaku.city.example.lg.jp}
     * @param host   the {@code Host} header
     * @return whether the origin names this host (and port); {@code null} and anything unreadable do not
     */
    static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            String authority = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
            String bareHost = host.strip();
            // A default port may be left out on either side.
            String defaultPort = uri.getScheme().equalsIgnoreCase("https") ? ":443" : ":80";
            return authority.equalsIgnoreCase(bareHost) || (authority + defaultPort).equalsIgnoreCase(bareHost)
                    || authority.equalsIgnoreCase(bareHost + defaultPort);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean bearer(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7)).isPresent();
    }

    private static boolean carriesOurCookie(ServerRequest req) {
        for (String base : AMBIENT) {
            if (req.headers().cookies().contains(base) || req.headers().cookies().contains(Cookies.HOST_PREFIX + base)) {
                return true;
            }
        }
        return false;
    }

    private static Problem refused() {
        return Problem.forbidden("This request came from another site and was refused. Use the form on this site.",
                "他のサイトから送信されたため、受け付けませんでした。このサイトのページから操作してください。");
    }
}
