package jp.kominkan.cloud.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document (META-INF/openapi.yaml, served at /openapi) documents the JSON API of fees, payments,
 * groups and 減免 with exactly the methods the code routes, and holds together: every {@code $ref} resolves, every
 * path parameter is declared, and no flow mapping was split by an unquoted comma (which YAML reads as a key
 * without a value). {@link OpenApiRoutesIT} checks the other way, that every documented operation is routed.
 */
class OpenApiDocumentTest {

    /**
     * Path → the methods its handler routes, from QuoteHttpService, ReservationHttpService, PaymentHttpService,
     * GroupHttpService, StaffGroupHttpService, ReductionHttpService, StaffReductionHttpService and
     * StaffFeeHttpService.
     */
    private static final Map<String, Set<String>> ROUTED = routed();

    private static Map<String, Set<String>> routed() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("/api/v1/quotes", Set.of("post"));
        m.put("/api/v1/reservations", Set.of("post"));
        m.put("/api/v1/reservations/{id}/payments", Set.of("post", "get"));
        m.put("/api/v1/payments/stripe/webhook", Set.of("post"));
        m.put("/api/v1/groups", Set.of("get", "post"));
        m.put("/api/v1/groups/categories", Set.of("get"));
        m.put("/api/v1/groups/{id}", Set.of("get", "put"));
        m.put("/api/v1/groups/{id}/members", Set.of("post", "put"));
        m.put("/api/v1/groups/{id}/evidence", Set.of("post"));
        m.put("/api/v1/groups/{id}/evidence/{evidenceId}", Set.of("get", "delete"));
        m.put("/api/v1/groups/{id}/submit", Set.of("post"));
        m.put("/api/v1/groups/{id}/renew", Set.of("post"));
        m.put("/api/v1/staff/groups", Set.of("get"));
        m.put("/api/v1/staff/groups/{id}", Set.of("get"));
        m.put("/api/v1/staff/groups/{id}/evidence/{evidenceId}", Set.of("get"));
        m.put("/api/v1/staff/groups/{id}/decision", Set.of("post"));
        m.put("/api/v1/reductions/categories", Set.of("get"));
        m.put("/api/v1/reservations/{id}/reduction", Set.of("get", "post"));
        m.put("/api/v1/staff/reductions", Set.of("get"));
        m.put("/api/v1/staff/reductions/{id}", Set.of("get"));
        m.put("/api/v1/staff/reductions/{id}/evidence", Set.of("get"));
        m.put("/api/v1/staff/reductions/{id}/decision", Set.of("post"));
        m.put("/api/v1/staff/rooms/{id}/fee-schedule", Set.of("get", "put"));
        m.put("/api/v1/staff/facilities/{id}/equipment", Set.of("get"));
        m.put("/api/v1/staff/facilities/{id}/equipment/{code}", Set.of("put"));
        return m;
    }

    private final Map<String, Object> document = OpenApiDocument.load();
    private final Map<String, Map<String, Object>> operations = OpenApiDocument.operations(document);

    @Test
    void everyRoutedPathIsDocumentedWithTheMethodsTheCodeRoutes() {
        List<String> wrong = new ArrayList<>();
        ROUTED.forEach((path, methods) -> {
            Map<String, Object> ops = operations.get(path);
            if (ops == null) {
                wrong.add(path + ": not documented");
            } else if (!ops.keySet().equals(methods)) {
                wrong.add(path + ": documents " + new TreeSet<>(ops.keySet()) + ", the code routes "
                        + new TreeSet<>(methods));
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBookingBodyHasItsFeeFieldsAndTheQuoteItsLines() {
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document.get("components"))
                .get("schemas");
        Map<String, Object> booking = (Map<String, Object>) ((Map<String, Object>) schemas.get("BookingRequest"))
                .get("properties");
        assertThat(booking).containsKeys("roomId", "start", "end", "purpose", "attendees", "admissionYen",
                "commercial", "mainlyNonResidents", "equipment", "groupId");
        Map<String, Object> quote = (Map<String, Object>) ((Map<String, Object>) schemas.get("Quote")).get("properties");
        assertThat(quote).containsOnlyKeys("roomId", "start", "end", "lines", "total", "source", "payBy");
        Map<String, Object> webhook = (Map<String, Object>) operations.get("/api/v1/payments/stripe/webhook").get("post");
        assertThat((List<Map<String, Object>>) webhook.get("parameters"))
                .anySatisfy(p -> assertThat(p).containsEntry("name", "Stripe-Signature").containsEntry("in", "header"));
        assertThat((Map<String, Object>) webhook.get("responses")).containsKeys("200", "400", "413");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyReferenceResolves() {
        List<String> missing = new ArrayList<>();
        for (String ref : OpenApiDocument.refs(document)) {
            Object node = document;
            for (String part : ref.replaceFirst("^#/", "").split("/")) {
                node = node instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(part) : null;
            }
            if (node == null) {
                missing.add(ref);
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPathParameterIsDeclared() {
        Pattern template = Pattern.compile("\\{(\\w+)}");
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        List<String> wrong = new ArrayList<>();
        operations.forEach((path, ops) -> {
            Set<String> named = new TreeSet<>();
            Matcher m = template.matcher(path);
            while (m.find()) {
                named.add(m.group(1));
            }
            List<Map<String, Object>> shared = (List<Map<String, Object>>) ((Map<String, Object>) paths.get(path))
                    .getOrDefault("parameters", List.of());
            ops.forEach((method, op) -> {
                Set<String> declared = new TreeSet<>();
                List<Map<String, Object>> own = (List<Map<String, Object>>) ((Map<String, Object>) op)
                        .getOrDefault("parameters", List.of());
                for (Map<String, Object> p : concat(shared, own)) {
                    if ("path".equals(p.get("in"))) {
                        declared.add(String.valueOf(p.get("name")));
                    }
                }
                if (!declared.equals(named)) {
                    wrong.add(method + " " + path + ": declares " + declared);
                }
            });
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void noKeyIsLeftWithoutAValue() {
        // "{description: Entries, newest first}" is a map with a key "newest first" and no value.
        List<String> empty = new ArrayList<>();
        walk(document, "", empty);
        assertThat(empty).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationAnswersSomething() {
        List<String> bare = new ArrayList<>();
        operations.forEach((path, ops) -> ops.forEach((method, op) -> {
            Object responses = ((Map<String, Object>) op).get("responses");
            if (!(responses instanceof Map<?, ?> map) || map.isEmpty()) {
                bare.add(method + " " + path);
            }
        }));
        assertThat(bare).isEmpty();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object node, String at, List<String> empty) {
        if (node instanceof Map<?, ?> map) {
            ((Map<Object, Object>) map).forEach((k, v) -> {
                if (v == null) {
                    empty.add(at + "/" + k);
                } else {
                    walk(v, at + "/" + k, empty);
                }
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), at + "[" + i + "]", empty);
            }
        }
    }
}
