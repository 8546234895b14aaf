package jp.kominkan.cloud.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.web.Json;

/**
 * A small HTTP client for the JSON API, on the JDK's HttpClient: real sockets, real requests.
 */
public final class Api {

    private final HttpClient client;
    private final String base;

    /**
     * @param port the cloud's port
     */
    public Api(int port) {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(),
                port);
    }

    /**
     * @param client a client to share
     * @param port   the cloud's port
     */
    public Api(HttpClient client, int port) {
        this.client = client;
        this.base = "http://127.0.0.1:" + port;
    }

    /** @return a request to build */
    public Call get(String path) {
        return new Call("GET", path, null);
    }

    /**
     * @param path path
     * @return a request to build
     */
    public Call delete(String path) {
        return new Call("DELETE", path, null);
    }

    /**
     * @param path path
     * @param body JSON text
     * @return a request to build
     */
    public Call post(String path, String body) {
        return new Call("POST", path, body);
    }

    /**
     * @param path path
     * @param body JSON text
     * @return a request to build
     */
    public Call put(String path, String body) {
        return new Call("PUT", path, body);
    }

    /**
     * @param path path
     * @param body JSON text
     * @return a request to build
     */
    public Call patch(String path, String body) {
        return new Call("PATCH", path, body);
    }

    /**
     * Logs in and returns the bearer token.
     *
     * @param email    e-mail
     * @param password password
     * @return the token
     */
    public String login(String email, String password) {
        return login("/api/v1/session", email, password);
    }

    /**
     * Logs in as staff and returns the bearer token.
     *
     * @param email    e-mail
     * @param password password
     * @return the token
     */
    public String staffLogin(String email, String password) {
        return login("/api/v1/staff/session", email, password);
    }

    private String login(String path, String email, String password) {
        Response response = post(path, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                .send();
        if (response.status() != 200) {
            throw new AssertionError("login failed: " + response);
        }
        return response.json().get("token").asText();
    }

    /** One request under construction. */
    public final class Call {
        private final String method;
        private final String path;
        private final String body;
        private final List<String> headers = new ArrayList<>();
        private String contentType = "application/json";

        private Call(String method, String path, String body) {
            this.method = method;
            this.path = path;
            this.body = body;
        }

        /**
         * @param token bearer token
         * @return this
         */
        public Call token(String token) {
            return header("Authorization", "Bearer " + token);
        }

        /**
         * @param type the body's media type instead of application/json
         * @return this
         */
        public Call contentType(String type) {
            contentType = type;
            return this;
        }

        /**
         * @param name  header
         * @param value value
         * @return this
         */
        public Call header(String name, String value) {
            headers.add(name);
            headers.add(value);
            return this;
        }

        /** @return the response */
        public Response send() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", contentType);
            }
            for (int i = 0; i < headers.size(); i += 2) {
                request.header(headers.get(i), headers.get(i + 1));
            }
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.body(),
                        response.headers().firstValue("Content-Type"), response.headers().allValues("Set-Cookie"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A response.
     *
     * @param status      status code
     * @param body        body text
     * @param contentType content type
     * @param cookies     Set-Cookie values
     */
    public record Response(int status, String body, Optional<String> contentType, List<String> cookies) {

        /** @return the body as JSON */
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }
}
