package jp.kominkan.cloud.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.web.Json;

/**
 * A browser without a screen: keeps cookies per host and does not follow redirects by itself, so a
 * test walks an OpenID Connect login hop by hop and can stop, replay or tamper at any hop.
 */
public final class Browser {

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client = HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /**
     * @param url an absolute URL
     * @return the response
     */
    public Page get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /**
     * @param url  an absolute URL
     * @param json a JSON body
     * @return the response
     */
    public Page patch(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    /**
     * @param url  an absolute URL
     * @param json a JSON body
     * @return the response
     */
    public Page post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    /**
     * @param url    an absolute URL
     * @param fields form fields, sent as application/x-www-form-urlencoded
     * @return the response
     */
    public Page postForm(String url, java.util.Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-www-form-urlencoded"));
    }

    /**
     * @param url an absolute URL
     * @return the response
     */
    public Page delete(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
    }

    /**
     * @param name a cookie's name
     * @return its value, from any host
     */
    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name) && !c.hasExpired())
                .map(HttpCookie::getValue)
                .filter(v -> !v.isEmpty())
                .findFirst();
    }

    /** Forgets every cookie, as a new browser would. */
    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.headers().firstValue("Location"), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A response.
     *
     * @param status   status
     * @param location the Location header
     * @param body     the body
     */
    public record Page(int status, Optional<String> location, String body) {

        /** @return the body as JSON */
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** @return the Location, which must be there */
        public String redirect() {
            return location.orElseThrow(() -> new AssertionError("no redirect: " + status + " " + body));
        }
    }
}
