package jp.kominkan.cloud.fee;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Strict reading of the fee documents over Jackson's tree: every field known, every type exact
 * (no "1000" for 1000, no 1.5 yen), duplicate keys refused, 64 KiB at most, and every error a
 * {@link FeeScheduleException} naming the path. The documents are edited by hand in a text
 * area, so a guess at what was meant would be a wrong fee later.
 */
final class StrictJson {

    /** The largest document read. */
    static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private StrictJson() {
    }

    static JsonNode read(String json) {
        if (json.length() > MAX_BYTES || json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new FeeScheduleException("", "文書が大きすぎます（上限 64 KiB）。", "The document is larger than 64 KiB.");
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new FeeScheduleException("", "文書が空です。", "The document is empty.");
            }
            return node;
        } catch (JsonParseException e) {
            String where = e.getLocation() == null ? "" : "（" + e.getLocation().getLineNr() + " 行 "
                    + e.getLocation().getColumnNr() + " 列）";
            String whereEn = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            if (e.getOriginalMessage().startsWith("Duplicate field")) {
                return fail("", "同じ項目が 2 回あります" + where + "。", "A field appears twice" + whereEn + ".");
            }
            return fail("", "JSON として読めません" + where + "。", "Not valid JSON" + whereEn + ".");
        } catch (JsonProcessingException e) {
            return fail("", "JSON として読めません。", "Not valid JSON.");
        }
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static ObjectNode object(JsonNode node, String path, String... allowed) {
        if (!node.isObject()) {
            return fail(path, "{ … }（オブジェクト）で書いてください。", "Write an object { … } here.");
        }
        Set<String> known = Set.of(allowed);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String list = Arrays.stream(allowed).collect(Collectors.joining(", "));
                return fail(at(path, name), "知らない項目です。書ける項目: " + list, "Unknown field; the fields here are: " + list);
            }
        }
        return (ObjectNode) node;
    }

    static Optional<JsonNode> optional(ObjectNode o, String path, String field) {
        JsonNode node = o.get(field);
        if (node == null) {
            return Optional.empty();
        }
        if (node.isNull()) {
            return fail(at(path, field), "null は書けません。項目ごと省いてください。", "null is not allowed; leave the field out.");
        }
        return Optional.of(node);
    }

    static JsonNode required(ObjectNode o, String path, String field) {
        return optional(o, path, field).orElseThrow(() -> new FeeScheduleException(at(path, field),
                "この項目は必須です。", "This field is required."));
    }

    static String text(ObjectNode o, String path, String field) {
        return textValue(required(o, path, field), at(path, field));
    }

    static Optional<String> optText(ObjectNode o, String path, String field) {
        return optional(o, path, field).map(n -> textValue(n, at(path, field)));
    }

    static String textValue(JsonNode node, String path) {
        if (!node.isTextual() || node.textValue().isBlank()) {
            return fail(path, "空でない文字列（\"…\"）で書いてください。", "Write a non-empty string \"…\" here.");
        }
        return node.textValue();
    }

    static long integer(ObjectNode o, String path, String field, long min, long max) {
        return integerValue(required(o, path, field), at(path, field), min, max);
    }

    static OptionalLong optInteger(ObjectNode o, String path, String field, long min, long max) {
        Optional<JsonNode> node = optional(o, path, field);
        return node.isEmpty() ? OptionalLong.empty() : OptionalLong.of(integerValue(node.get(), at(path, field), min, max));
    }

    static long integerValue(JsonNode node, String path, long min, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            return fail(path, "整数で書いてください（引用符なし、小数なし）。", "Write a whole number here (no quotes, no decimals).");
        }
        long value = node.longValue();
        if (value < min || value > max) {
            return fail(path, min + "〜" + max + " の整数で書いてください（" + value + " は範囲外）。",
                    "Write a whole number from " + min + " to " + max + " (" + value + " is out of range).");
        }
        return value;
    }

    static long yenValue(JsonNode node, String path) {
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() < 0) {
            return fail(path, "金額は 0 円以上で書いてください。", "An amount of yen cannot be negative.");
        }
        return integerValue(node, path, 0, FeeSchedule.MAX_YEN);
    }

    static boolean bool(ObjectNode o, String path, String field, boolean absent) {
        return optBool(o, path, field).orElse(absent);
    }

    static Optional<Boolean> optBool(ObjectNode o, String path, String field) {
        return optional(o, path, field).map(node -> {
            if (!node.isBoolean()) {
                return fail(at(path, field), "true か false で書いてください。", "Write true or false here.");
            }
            return node.booleanValue();
        });
    }

    static ArrayNode array(ObjectNode o, String path, String field) {
        return arrayValue(required(o, path, field), at(path, field));
    }

    static ArrayNode optArray(ObjectNode o, String path, String field) {
        return optional(o, path, field).map(n -> arrayValue(n, at(path, field))).orElse(JsonNodeFactory.instance.arrayNode());
    }

    static ArrayNode arrayValue(JsonNode node, String path) {
        if (!node.isArray()) {
            return fail(path, "[ … ]（配列）で書いてください。", "Write an array [ … ] here.");
        }
        return (ArrayNode) node;
    }

    static <E extends Enum<E>> E choice(ObjectNode o, String path, String field, Class<E> type, Function<E, String> wire) {
        return choiceValue(required(o, path, field), at(path, field), type, wire);
    }

    static <E extends Enum<E>> E choiceValue(JsonNode node, String path, Class<E> type, Function<E, String> wire) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(wire).toList();
        String text = node.isTextual() ? node.textValue() : "";
        for (E value : type.getEnumConstants()) {
            if (wire.apply(value).equals(text)) {
                return value;
            }
        }
        return fail(path, "次のどれかを書いてください: " + String.join(", ", names),
                "Write one of: " + String.join(", ", names));
    }

    /**
     * A local time "HH:MM" from 00:00 to 23:59, or 24:00 where an end may be midnight.
     *
     * @return minutes from midnight
     */
    static int time(ObjectNode o, String path, String field, boolean end) {
        String p = at(path, field);
        String text = textValue(required(o, path, field), p);
        if (text.matches("([01][0-9]|2[0-4]):[0-5][0-9]")) {
            int minutes = Integer.parseInt(text.substring(0, 2)) * 60 + Integer.parseInt(text.substring(3));
            if (minutes < 24 * 60 || (end && minutes == 24 * 60)) {
                return minutes;
            }
        }
        return fail(p, "時刻は \"09:00\" の形で 00:00〜" + (end ? "24:00" : "23:59") + " を書いてください（\"" + text + "\" は不可）。",
                "Write a time as \"09:00\", from 00:00 to " + (end ? "24:00" : "23:59") + " (not \"" + text + "\").");
    }

    static <T> T fail(String path, String ja, String en) {
        throw new FeeScheduleException(path, ja, en);
    }
}
