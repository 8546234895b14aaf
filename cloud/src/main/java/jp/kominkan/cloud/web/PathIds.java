package jp.kominkan.cloud.web;

import java.util.UUID;

import io.helidon.webserver.http.ServerRequest;

/**
 * Reads ids from the path. An id that cannot exist is simply not found (404), like another
 * municipality's id, so nothing is revealed by the difference.
 */
public final class PathIds {

    private PathIds() {
    }

    /**
     * @param req  the request
     * @param name the path parameter
     * @return its value as a positive number
     */
    public static long number(ServerRequest req, String name) {
        String value = req.path().pathParameters().get(name);
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through to 404
        }
        throw Problem.notFound("item", "指定されたもの");
    }

    /**
     * @param req  the request
     * @param name the path parameter
     * @return its value as a UUID
     */
    public static UUID uuid(ServerRequest req, String name) {
        String value = req.path().pathParameters().get(name);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("item", "指定されたもの");
        }
    }
}
