package jp.kominkan.cloud.web;

import java.util.regex.Pattern;

/**
 * Paths a request may ask to be sent back to afterwards ({@code return}, {@code next}, {@code back}):
 * only this site's own pages, so a crafted link cannot redirect a resident elsewhere.
 */
public final class LocalPaths {

    private static final Pattern LOCAL_PATH = Pattern.compile("^/[A-Za-z0-9/_\\-.?=&%]{0,199}$");

    private LocalPaths() {
    }

    /**
     * @param path a path from a request
     * @return whether it is a path on this site (no scheme, no host, no {@code //}, no backslash)
     */
    public static boolean isLocal(String path) {
        return LOCAL_PATH.matcher(path).matches() && !path.startsWith("//");
    }
}
