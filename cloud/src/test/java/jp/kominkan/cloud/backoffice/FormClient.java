package jp.kominkan.cloud.backoffice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser without a screen for the money pages' tests: its own cookie jar, no redirects followed, forms
 * sent as a page sends them (with the token a page shows unless told otherwise), JSON with a staff cookie
 * or a bearer token. Every status and header is seen as a browser would receive it.
 */
final class FormClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;
    final Map<String, String> cookies = new HashMap<>();

    FormClient(String base) {
        this.base = base;
    }

    /** @return a client logged in as staff through the login page */
    static FormClient staff(String base, String email, String password) {
        FormClient client = new FormClient(base);
        Response login = client.post("/staff/login", client.withCsrf(Map.of("email", email, "password", password)));
        if (login.status() != 303 || !client.cookies.containsKey("kominkan_staff")) {
            throw new AssertionError("staff login failed: " + login.status() + " " + login.body());
        }
        return client;
    }

    /** @return the CSRF token a page shows this browser now (bound to its cookies, so read from a form) */
    String csrf() {
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([A-Za-z0-9_-]{43})\"")
                .matcher(get("/staff/login").body());
        if (!token.find()) {
            throw new AssertionError("no CSRF token on the login page");
        }
        return token.group(1);
    }

    Map<String, String> withCsrf(Map<String, String> form) {
        Map<String, String> all = new LinkedHashMap<>(form);
        all.put("_csrf", csrf());
        return all;
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    Response post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send("POST", path, "application/x-www-form-urlencoded", body);
    }

    Response json(String method, String path, String body, String... headers) {
        return send(method, path, "application/json", body, headers);
    }

    Response send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            for (String set : response.headers().allValues("Set-Cookie")) {
                String[] nameValue = set.split(";", 2)[0].split("=", 2);
                String value = nameValue.length > 1 ? nameValue[1] : "";
                if (value.isEmpty() || set.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(nameValue[0].strip());
                } else {
                    cookies.put(nameValue[0].strip(), value);
                }
            }
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A response as received.
     *
     * @param status  status
     * @param headers every header
     * @param bytes   body
     */
    record Response(int status, Map<String, List<String>> headers, byte[] bytes) {

        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse("");
        }

        String location() {
            String location = header("Location");
            if (location.isEmpty()) {
                throw new AssertionError("no redirect: " + status + " " + body());
            }
            return location;
        }
    }
}
