package jp.kominkan.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import okhttp3.Headers;

/**
 * The sandbox's page to "move" a demo person ({@code /sandbox/move}): the new address is what their card would say
 * after the move, and xID does not know it until a re-verification (the cloud asks for one when xID says its facts are
 * not {@code is_latest}). Lists the re-verification requests received, with the reason and title the app would show.
 */
final class MovePage {

    private MovePage() {
    }

    static OAuth2HttpResponse handle(OAuth2HttpRequest request, Map<String, Map<String, Object>> people,
                                     Map<String, Map<String, Object>> moves, List<String> requests) {
        if (request.getMethod().equals("POST")) {
            Map<String, String> form = form(request.getBody());
            String subject = form.getOrDefault("subject", "");
            if (!people.containsKey(subject) || form.getOrDefault("prefecture", "").isBlank()
                    || form.getOrDefault("city", "").isBlank()) {
                return page(400, "<p role=\"alert\">その方はまだ xID で確認されていないか、住所が足りません。</p>", people, requests);
            }
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("prefecture", form.get("prefecture").strip());
            address.put("city", form.get("city").strip());
            address.put("rest", form.getOrDefault("rest", "").strip());
            moves.put(subject, address);
            return page(200, "<p role=\"status\">引っ越しを記録しました。xID は再確認までこの住所を知りません。</p>", people, requests);
        }
        return page(200, "", people, requests);
    }

    private static OAuth2HttpResponse page(int status, String message, Map<String, Map<String, Object>> people,
                                           List<String> requests) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>引っ越し（xID サンドボックス）</title>"
                + "</head><body><main><h1>引っ越し（xID サンドボックス）</h1>").append(message)
                .append("<form method=\"post\"><p><label for=\"subject\">利用者</label> <select id=\"subject\" name=\"subject\">");
        people.forEach((subject, person) -> html.append("<option value=\"").append(escape(subject)).append("\">")
                .append(escape(person.getOrDefault("last_name", "") + " " + person.getOrDefault("first_name", "")))
                .append("</option>"));
        html.append("</select></p><p><label for=\"prefecture\">都道府県</label> <input id=\"prefecture\" name=\"prefecture\"></p>"
                + "<p><label for=\"city\">市区町村</label> <input id=\"city\" name=\"city\"></p>"
                + "<p><label for=\"rest\">それ以降</label> <input id=\"rest\" name=\"rest\"></p>"
                + "<p><button type=\"submit\">引っ越す</button></p></form><h2>再確認の依頼</h2><ul>");
        requests.forEach(r -> html.append("<li>").append(escape(r)).append("</li>"));
        html.append("</ul></main></body></html>");
        return new OAuth2HttpResponse(Headers.of("Content-Type", "text/html; charset=utf-8"), status, html.toString(), null);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : (body == null ? "" : body).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
