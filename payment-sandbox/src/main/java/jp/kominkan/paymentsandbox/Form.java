package jp.kominkan.paymentsandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stripe's request parameters: {@code application/x-www-form-urlencoded}, UTF-8, {@code +} for a space, nested
 * names {@code a[b][c]} and arrays as {@code a[0]} (what stripe-java sends) or {@code a[]}. Parsed into a tree of
 * maps whose leaves are strings; an array is a map whose keys are its indexes.
 */
final class Form {

    private final Map<String, Object> root;
    /** The decoded pairs, sorted: what an idempotency key is compared on. */
    private final String canonical;

    private Form(Map<String, Object> root, String canonical) {
        this.root = root;
        this.canonical = canonical;
    }

    static Form empty() {
        return new Form(new LinkedHashMap<>(), "");
    }

    /**
     * @param encoded query string or body (null or empty gives no parameters)
     * @throws ApiError 400 for a malformed escape or name
     */
    static Form parse(String encoded) {
        Map<String, Object> root = new LinkedHashMap<>();
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name;
                String value;
                try {
                    name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw ApiError.param("parameter_invalid_string", null,
                            "Invalid request body: it is not application/x-www-form-urlencoded (" + e.getMessage() + ").");
                }
                put(root, name, value);
                sorted.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        StringBuilder canonical = new StringBuilder();
        sorted.forEach((k, vs) -> vs.forEach(v -> canonical.append(k).append('=').append(v).append('\n')));
        return new Form(root, canonical.toString());
    }

    /** @return both parameter sets in one (Stripe reads a POST's query string too); the body wins */
    Form with(Form body) {
        if (root.isEmpty()) {
            return body;
        }
        if (body.root.isEmpty()) {
            return this;
        }
        Map<String, Object> merged = new LinkedHashMap<>(root);
        merged.putAll(body.root);
        return new Form(merged, canonical + body.canonical);
    }

    String canonical() {
        return canonical;
    }

    boolean isEmpty() {
        return root.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String name, String value) {
        List<String> path = names(name);
        Map<String, Object> node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            String seg = path.get(i).isEmpty() ? String.valueOf(node.size()) : path.get(i);
            Object child = node.computeIfAbsent(seg, k -> new LinkedHashMap<String, Object>());
            if (!(child instanceof Map)) {
                throw ApiError.param("parameter_invalid_string", name,
                        "Invalid parameter: " + name + " is given both as a value and as a hash.");
            }
            node = (Map<String, Object>) child;
        }
        String last = path.getLast().isEmpty() ? String.valueOf(node.size()) : path.getLast();
        if (node.get(last) instanceof Map) {
            throw ApiError.param("parameter_invalid_string", name,
                    "Invalid parameter: " + name + " is given both as a value and as a hash.");
        }
        node.put(last, value);
    }

    private static List<String> names(String name) {
        int open = name.indexOf('[');
        List<String> path = new ArrayList<>();
        if (open < 0) {
            path.add(name);
            return path;
        }
        path.add(name.substring(0, open));
        int i = open;
        while (i < name.length()) {
            int close = name.indexOf(']', i);
            if (name.charAt(i) != '[' || close < 0) {
                throw ApiError.param("parameter_invalid_string", name, "Invalid parameter name: " + name);
            }
            path.add(name.substring(i + 1, close));
            i = close + 1;
        }
        if (path.getFirst().isEmpty()) {
            throw ApiError.param("parameter_invalid_string", name, "Invalid parameter name: " + name);
        }
        return path;
    }

    private Object node(String... path) {
        Object node = root;
        for (String seg : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(seg);
        }
        return node;
    }

    boolean has(String... path) {
        return node(path) != null;
    }

    /** @return the string, or null when absent; 400 when it is a hash */
    String str(String... path) {
        Object node = node(path);
        if (node == null || node instanceof String) {
            return (String) node;
        }
        throw ApiError.param("parameter_invalid_string", dotted(path), "Invalid string: " + dotted(path) + " is a hash.");
    }

    Long integer(String... path) {
        String s = str(path);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ApiError.param("parameter_invalid_integer", dotted(path), "Invalid integer: " + s);
        }
    }

    boolean bool(String... path) {
        String s = str(path);
        if (s == null || s.equals("false")) {
            return false;
        }
        if (s.equals("true")) {
            return true;
        }
        throw ApiError.param("parameter_invalid_boolean", dotted(path), "Invalid boolean: " + s);
    }

    /** @return an array's values in index order ({@code a[0]}, {@code a[1]}, or {@code a[]}) */
    List<String> list(String... path) {
        Object node = node(path);
        if (node == null) {
            return List.of();
        }
        if (node instanceof String s) {
            throw ApiError.param("parameter_invalid_array", dotted(path), "Invalid array: " + s);
        }
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
            try {
                byIndex.put(Integer.parseInt((String) e.getKey()), stringLeaf(e.getValue(), path));
            } catch (NumberFormatException ex) {
                throw ApiError.param("parameter_invalid_array", dotted(path), "Invalid array: " + dotted(path));
            }
        }
        return new ArrayList<>(byIndex.values());
    }

    /** @return a hash of strings ({@code metadata[k]=v}), empty when absent */
    Map<String, String> strings(String... path) {
        Object node = node(path);
        if (node == null) {
            return Map.of();
        }
        if (node instanceof String s) {
            if (s.isEmpty()) {
                return Map.of();
            }
            throw ApiError.param("parameter_invalid_object", dotted(path), "Invalid object: " + dotted(path));
        }
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) node).forEach((k, v) -> out.put((String) k, stringLeaf(v, path)));
        return Collections.unmodifiableMap(out);
    }

    private static String stringLeaf(Object v, String[] path) {
        if (v instanceof String s) {
            return s;
        }
        throw ApiError.param("parameter_invalid_string", dotted(path), "Invalid value in " + dotted(path));
    }

    /**
     * Refuses a parameter this endpoint does not know, as Stripe does ({@code parameter_unknown}), so a typo in the
     * cloud shows up here and not only against the real Stripe.
     *
     * @param path where (empty for the top level)
     */
    void only(Set<String> allowed, String... path) {
        Object node = path.length == 0 ? root : node(path);
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                String name = path.length == 0 ? (String) key : dotted(path) + "[" + key + "]";
                throw ApiError.param("parameter_unknown", name, "Received unknown parameter: " + name);
            }
        }
    }

    static String dotted(String... path) {
        StringBuilder sb = new StringBuilder(path[0]);
        for (int i = 1; i < path.length; i++) {
            sb.append('[').append(path[i]).append(']');
        }
        return sb.toString();
    }
}
