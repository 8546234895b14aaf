package jp.kominkan.cloud.fee;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads back a quote frozen as text on a reservation ({@link Quote#toJson()}), strictly: a stored
 * quote that does not add up is an error, not a number to trust.
 */
public final class Quotes {

    private Quotes() {
    }

    /**
     * @param json a quote's JSON
     * @return the quote
     * @throws FeeScheduleException when it is not a quote, with the path at fault
     */
    public static Quote fromJson(String json) {
        ObjectNode root = StrictJson.object(StrictJson.read(json), "", "schedule-source", "total", "lines");
        String source = StrictJson.text(root, "", "schedule-source");
        long total = StrictJson.integer(root, "", "total", 0, Long.MAX_VALUE);
        List<QuoteLine> lines = new ArrayList<>();
        int i = 0;
        for (JsonNode item : StrictJson.array(root, "", "lines")) {
            String path = "lines[" + i++ + "]";
            ObjectNode line = StrictJson.object(item, path, "kind", "code", "label-ja", "label-en", "yen");
            QuoteLine.Kind kind = StrictJson.choice(line, path, "kind", QuoteLine.Kind.class, QuoteLine.Kind::name);
            long yen = StrictJson.integer(line, path, "yen", Long.MIN_VALUE / 4, Long.MAX_VALUE / 4);
            try {
                lines.add(new QuoteLine(kind, StrictJson.text(line, path, "code"), StrictJson.text(line, path, "label-ja"),
                        StrictJson.text(line, path, "label-en"), yen));
            } catch (IllegalArgumentException e) {
                throw new FeeScheduleException(path + ".yen", "この種類の明細にこの符号の金額は書けません。",
                        "A " + kind + " line cannot have this sign.");
            }
        }
        try {
            return new Quote(lines, total, source);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new FeeScheduleException("total", "明細の合計が total と一致しません。", "The lines do not add up to the total.");
        }
    }
}
