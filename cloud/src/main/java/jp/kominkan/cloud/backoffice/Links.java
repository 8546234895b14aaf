package jp.kominkan.cloud.backoffice;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Query strings for the staff pages' links (paging, CSV export), URL-encoded. */
final class Links {

    private Links() {
    }

    static String query(Map<String, String> values) {
        return values.entrySet().stream().filter(e -> !e.getValue().isBlank())
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
