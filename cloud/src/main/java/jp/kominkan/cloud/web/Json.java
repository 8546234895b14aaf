package jp.kominkan.cloud.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * JSON in and out of the HTTP edge, with Jackson. Bodies are capped at 64 KiB, and a body that
 * cannot be read becomes a 400 that names the field at fault.
 */
public final class Json {

    /** The largest request body the API reads. */
    public static final int MAX_BODY = 64 * 1024;

    /** Deepest nesting a body may have: the API's bodies are two or three levels deep. */
    public static final int MAX_DEPTH = 32;

    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH).build())
            .build())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
            .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
            .setSerializationInclusion(JsonInclude.Include.NON_ABSENT);

    static {
        // "attendees": "10" and "purpose": 10 are type errors, not values to guess at.
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    }

    private Json() {
    }

    /**
     * Reads a JSON body that must say it is JSON: for writes that move something physical (a remote unlock) or
     * grant access (a shelter code), where a cookie-authenticated request from another site must never pass. A
     * browser sends {@code application/json} across sites only after a CORS preflight, which this server never
     * answers, so a form or a no-cors fetch from elsewhere (no type, or text/plain) is refused with 415.
     *
     * @param req  the request
     * @param type the record type
     * @param <T>  its type
     * @return the value
     * @throws Problem 415 without a JSON content type, and as {@link #read}
     */
    public static <T> T readDeclared(ServerRequest req, Class<T> type) {
        if (req.headers().contentType().filter(t -> t.mediaType().subtype().endsWith("json")).isEmpty()) {
            throw Problem.unsupportedMediaType();
        }
        return read(req, type);
    }

    /**
     * Reads the request body as a record.
     *
     * @param req  the request
     * @param type the record type
     * @param <T>  its type
     * @return the value
     * @throws Problem 413 when too large, 415 when not JSON, 400 when unreadable
     */
    public static <T> T read(ServerRequest req, Class<T> type) {
        req.headers().contentType().ifPresent(contentType -> {
            if (!contentType.mediaType().subtype().endsWith("json")) {
                throw Problem.unsupportedMediaType();
            }
        });
        if (req.headers().contentLength().orElse(0) > MAX_BODY) {
            throw Problem.tooLarge(MAX_BODY);
        }
        byte[] body = readCapped(req.content().inputStream());
        if (body.length == 0) {
            throw Problem.badRequest("malformed-json", "The request body is empty; send a JSON object.",
                    "リクエスト本文が空です。JSON オブジェクトを送信してください。");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw Problem.badRequest("malformed-json", "The request body must be a JSON object, not null.",
                        "リクエスト本文は JSON オブジェクトにしてください。");
            }
            return value;
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) {
                throw Problem.badRequest("malformed-json", "The request body must be a JSON object.",
                        "リクエスト本文は JSON オブジェクトにしてください。");
            }
            String expected = e.getTargetType() == null ? "another type" : typeName(e.getTargetType());
            throw Problem.badField(field, "Field '" + field + "' must be " + expected + ".",
                    "項目「" + field + "」の形式が正しくありません（" + typeNameJa(e.getTargetType()) + "）。");
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw Problem.badRequest("malformed-json", "The request body is nested more than " + MAX_DEPTH + " levels deep.",
                    "リクエスト本文の入れ子が深すぎます（" + MAX_DEPTH + " 段まで）。");
        } catch (JsonProcessingException e) {
            if (e.getLocation() == null) {
                throw Problem.badRequest("malformed-json", "The request body is not valid JSON.",
                        "リクエスト本文が正しい JSON ではありません。");
            }
            throw Problem.badRequest("malformed-json",
                    "The request body is not valid JSON (line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ").",
                    "リクエスト本文が正しい JSON ではありません（" + e.getLocation().getLineNr() + " 行目 "
                            + e.getLocation().getColumnNr() + " 文字目）。");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a value as JSON.
     *
     * @param res    the response
     * @param status the status
     * @param value  the value
     */
    public static void send(ServerResponse res, Status status, Object value) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes(value));
    }

    /**
     * Serialises a value.
     *
     * @param value the value
     * @return UTF-8 JSON
     */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass(), e);
        }
    }

    /** @return the shared mapper, for tests and tools that read what the API writes */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static byte[] readCapped(InputStream in) {
        try (in) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw Problem.tooLarge(MAX_BODY);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a " + type.getSimpleName();
    }

    private static String typeNameJa(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "整数で指定してください";
        }
        if (type == String.class) {
            return "文字列で指定してください";
        }
        return "正しい型で指定してください";
    }
}
