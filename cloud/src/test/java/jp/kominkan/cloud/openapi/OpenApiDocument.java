package jp.kominkan.cloud.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The OpenAPI document served at /openapi, read from the class path as the server reads it. */
final class OpenApiDocument {

    /** The operations an OpenAPI path item can hold. */
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private OpenApiDocument() {
    }

    /** @return the document as maps and lists */
    static Map<String, Object> load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("META-INF/openapi.yaml is not on the class path");
            }
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return path → its operations (lower-case methods) */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> operations(Map<String, Object> document) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        ((Map<String, Object>) document.get("paths")).forEach((path, item) -> {
            Map<String, Object> ops = new LinkedHashMap<>();
            ((Map<String, Object>) item).forEach((key, op) -> {
                if (METHODS.contains(key)) {
                    ops.put(key, op);
                }
            });
            out.put(path, ops);
        });
        return out;
    }

    /** @return every value of a {@code $ref} anywhere in the document */
    static List<String> refs(Object node) {
        List<String> out = new java.util.ArrayList<>();
        collect(node, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((k, v) -> {
                if ("$ref".equals(k)) {
                    out.add(String.valueOf(v));
                } else {
                    collect(v, out);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collect(v, out));
        }
    }
}
