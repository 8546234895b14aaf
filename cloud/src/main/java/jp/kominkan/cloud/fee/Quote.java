package jp.kominkan.cloud.fee;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A priced booking (見積): itemised lines that always add up to the total, and the schedule's
 * source, so that a quote frozen on a reservation ({@link #toJson()}) still says what ordinance
 * it came from after the schedule changes.
 *
 * @param lines          the lines, in the order of {@link QuoteLine.Kind}
 * @param total          the yen due, ≥ 0
 * @param scheduleSource the schedule's {@link FeeSchedule#source()}
 */
public record Quote(List<QuoteLine> lines, long total, String scheduleSource) {

    /** Validates: the lines sum to the total. */
    public Quote {
        lines = List.copyOf(lines);
        Objects.requireNonNull(scheduleSource);
        long sum = 0;
        for (QuoteLine line : lines) {
            sum = Math.addExact(sum, line.yen());
        }
        if (sum != total || total < 0) {
            throw new IllegalArgumentException("quote lines sum to " + sum + " yen, total is " + total);
        }
    }

    /** @return the quote as canonical JSON, read back by {@link Quotes#fromJson(String)} */
    public String toJson() {
        ObjectNode root = StrictJson.object();
        root.put("schedule-source", scheduleSource);
        root.put("total", total);
        ArrayNode array = root.putArray("lines");
        for (QuoteLine line : lines) {
            ObjectNode node = array.addObject();
            node.put("kind", line.kind().name());
            node.put("code", line.code());
            node.put("label-ja", line.labelJa());
            node.put("label-en", line.labelEn());
            node.put("yen", line.yen());
        }
        return StrictJson.write(root);
    }

    /** @return one line for a list or a mail: each item and the total, in Japanese */
    public String summaryJa() {
        StringBuilder text = new StringBuilder();
        for (QuoteLine line : lines) {
            text.append(text.isEmpty() ? "" : "、").append(line.labelJa()).append(' ').append(yen(line.yen()));
        }
        return (text.isEmpty() ? "" : text + " ／ ") + "合計 " + yen(total);
    }

    private static String yen(long yen) {
        return String.format("%,d円", yen);
    }
}
