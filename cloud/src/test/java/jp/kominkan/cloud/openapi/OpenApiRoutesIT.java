package jp.kominkan.cloud.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a running cloud (H2): the document it serves at /openapi is the one in the class path, and every
 * operation it documents is routed. Each is called without a login and with placeholder ids; whatever it answers
 * (401, 400, 404 for the id…), it must not be the catch-all that answers a path or method nobody routes.
 */
class OpenApiRoutesIT {

    private static final String NOT_ROUTED_API = "No API resource at this path";
    private static final String NOT_ROUTED_PAGE = "No page with this id";

    private static Cloud cloud;
    private static Api api;

    @BeforeAll
    static void start() {
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), Clock.systemUTC(), true);
        api = new Api(cloud.port());
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void theServedDocumentHasTheNewPaths() {
        Api.Response served = api.get("/openapi").send();
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.body()).contains("/api/v1/quotes", "/api/v1/payments/stripe/webhook",
                "/api/v1/staff/groups/{id}/decision", "/api/v1/staff/reductions/{id}/decision",
                "/api/v1/staff/rooms/{id}/fee-schedule", "/api/v1/staff/facilities/{id}/equipment/{code}",
                "/api/v1/lottery/rounds/{id}/audit", "/api/v1/staff/lottery/rounds/{id}/draw");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDocumentedOperationIsRouted() {
        Map<String, Object> document = OpenApiDocument.load();
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        List<String> unrouted = new ArrayList<>();
        int called = 0;
        for (Map.Entry<String, Map<String, Object>> entry : OpenApiDocument.operations(document).entrySet()) {
            String template = entry.getKey();
            List<Map<String, Object>> shared = (List<Map<String, Object>>) ((Map<String, Object>) paths.get(template))
                    .getOrDefault("parameters", List.of());
            for (Map.Entry<String, Object> op : entry.getValue().entrySet()) {
                List<Map<String, Object>> params = new ArrayList<>(shared);
                params.addAll((List<Map<String, Object>>) ((Map<String, Object>) op.getValue())
                        .getOrDefault("parameters", List.of()));
                String path = fill(template, params);
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                Api.Call call = switch (method) {
                    case "GET" -> api.get(path);
                    case "DELETE" -> api.delete(path);
                    case "POST" -> api.post(path, "{}");
                    case "PUT" -> api.put(path, "{}");
                    case "PATCH" -> api.patch(path, "{}");
                    default -> throw new IllegalStateException(method);
                };
                Api.Response response = call.header("Accept-Language", "en").send();
                called++;
                if (response.body().contains(NOT_ROUTED_API) || response.body().contains(NOT_ROUTED_PAGE)
                        || response.status() == 405) {
                    unrouted.add(method + " " + template + " → " + response.status());
                }
            }
        }
        assertThat(called).isGreaterThanOrEqualTo(35);
        assertThat(unrouted).isEmpty();
    }

    /** Puts a placeholder of the declared type into each path parameter. */
    @SuppressWarnings("unchecked")
    private static String fill(String template, List<Map<String, Object>> params) {
        String path = template;
        for (Map<String, Object> p : params) {
            if (!"path".equals(p.get("in"))) {
                continue;
            }
            Map<String, Object> schema = (Map<String, Object>) p.getOrDefault("schema", Map.of());
            String value = "uuid".equals(schema.get("format")) ? "00000000-0000-4000-8000-000000000001"
                    : "integer".equals(schema.get("type")) ? "999999" : "placeholder";
            path = path.replace("{" + p.get("name") + "}", value);
        }
        return path;
    }
}
