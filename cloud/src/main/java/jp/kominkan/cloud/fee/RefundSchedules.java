package jp.kominkan.cloud.fee;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kominkan.cloud.fee.RefundSchedule.Reason;
import jp.kominkan.cloud.fee.RefundSchedule.Row;

import static jp.kominkan.cloud.fee.StrictJson.at;

/**
 * The refund document (docs/fees.md), read as strictly as the fee document. Reasons left out get
 * the usual rule: {@code FORCE_MAJEURE} and {@code CITY} refund 100 % at any time,
 * {@code USER_WITH_CAUSE} follows {@code USER}; {@code USER} must be written. {@link #toJson}
 * writes all four, so the defaults are visible to the staff who read it back.
 */
public final class RefundSchedules {

    private RefundSchedules() {
    }

    /**
     * @param json the document
     * @return the schedule
     * @throws FeeScheduleException naming the path of the first error
     */
    public static RefundSchedule parse(String json) {
        ObjectNode root = StrictJson.object(StrictJson.read(json), "", "source", "rules", "rounding",
                "equipment-always-refunded");
        String source = StrictJson.text(root, "", "source");
        JsonNode rulesNode = StrictJson.required(root, "", "rules");
        String[] reasons = java.util.Arrays.stream(Reason.values()).map(Reason::name).toArray(String[]::new);
        ObjectNode rules = StrictJson.object(rulesNode, "rules", reasons);
        Map<Reason, List<Row>> byReason = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            String path = "rules." + reason.name();
            StrictJson.optional(rules, "rules", reason.name()).ifPresent(node -> {
                List<Row> rows = new ArrayList<>();
                int i = 0;
                for (JsonNode item : StrictJson.arrayValue(node, path)) {
                    rows.add(row(item, path + "[" + i++ + "]"));
                }
                byReason.put(reason, rows);
            });
        }
        if (!byReason.containsKey(Reason.USER)) {
            return StrictJson.fail("rules.USER", "自己都合（USER）の取消しの規定は必須です。",
                    "The rule for USER (own convenience) is required.");
        }
        List<Row> always = List.of(new Row(OptionalInt.empty(), OptionalInt.empty(), 100));
        byReason.putIfAbsent(Reason.FORCE_MAJEURE, always);
        byReason.putIfAbsent(Reason.CITY, always);
        byReason.putIfAbsent(Reason.USER_WITH_CAUSE, byReason.get(Reason.USER));
        Rounding rounding = StrictJson.optional(root, "", "rounding").map(n -> FeeSchedules.rounding(n, "rounding"))
                .orElse(Rounding.NONE);
        return new RefundSchedule(source, byReason, rounding,
                StrictJson.bool(root, "", "equipment-always-refunded", false));
    }

    /**
     * @param schedule a refund schedule
     * @return its canonical document
     */
    public static String toJson(RefundSchedule schedule) {
        ObjectNode root = StrictJson.object();
        root.put("source", schedule.source());
        ObjectNode rules = root.putObject("rules");
        for (Reason reason : Reason.values()) {
            ArrayNode rows = rules.putArray(reason.name());
            for (Row row : schedule.rules().get(reason)) {
                ObjectNode node = rows.addObject();
                row.minDaysBefore().ifPresent(d -> node.put("min-days-before", d));
                row.minMonthsBefore().ifPresent(m -> node.put("min-months-before", m));
                node.put("percent", row.percent());
            }
        }
        root.set("rounding", FeeScheduleWriter.rounding(schedule.rounding()));
        root.put("equipment-always-refunded", schedule.equipmentAlwaysRefunded());
        return StrictJson.write(root);
    }

    private static Row row(JsonNode node, String path) {
        ObjectNode o = StrictJson.object(node, path, "min-days-before", "min-months-before", "percent");
        OptionalLong days = StrictJson.optInteger(o, path, "min-days-before", 0, 3660);
        OptionalLong months = StrictJson.optInteger(o, path, "min-months-before", 0, 120);
        if (days.isPresent() && months.isPresent()) {
            return StrictJson.fail(at(path, "min-months-before"), "min-days-before と min-months-before はどちらか一方です。",
                    "Give min-days-before or min-months-before, not both.");
        }
        return new Row(days.isPresent() ? OptionalInt.of((int) days.getAsLong()) : OptionalInt.empty(),
                months.isPresent() ? OptionalInt.of((int) months.getAsLong()) : OptionalInt.empty(),
                (int) StrictJson.integer(o, path, "percent", 0, 100));
    }
}
