package jp.kominkan.cloud.fee;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kominkan.cloud.fee.FeeSchedule.DayClass;
import jp.kominkan.cloud.fee.FeeSchedule.Price;
import jp.kominkan.cloud.fee.FeeSchedule.Window;
import jp.kominkan.cloud.fee.Surcharges.Condition;
import jp.kominkan.cloud.fee.Surcharges.Surcharge;
import jp.kominkan.cloud.fee.Surcharges.YenRange;

import static jp.kominkan.cloud.fee.StrictJson.at;

/**
 * The fee schedule document (docs/fees.md): {@link #parse(String)} reads it strictly, with the
 * path of the first error; {@link #toJson(FeeSchedule)} writes it back canonically (fields in a
 * fixed order, prices in the order of the day classes), so that parse ∘ toJson is the identity.
 */
public final class FeeSchedules {

    private FeeSchedules() {
    }

    /**
     * @param json the document
     * @return the schedule
     * @throws FeeScheduleException naming the path of the first error
     */
    public static FeeSchedule parse(String json) {
        ObjectNode root = StrictJson.object(StrictJson.read(json), "", "source", "day-classes", "units", "overrun",
                "surcharges", "late-discounts", "seasonal", "rounding");
        List<DayClass> dayClasses = new ArrayList<>();
        int i = 0;
        for (JsonNode node : StrictJson.array(root, "", "day-classes")) {
            dayClasses.add(dayClass(node, "day-classes[" + i++ + "]"));
        }
        List<FeeUnit> units = new ArrayList<>();
        i = 0;
        for (JsonNode node : StrictJson.array(root, "", "units")) {
            units.add(unit(node, "units[" + i++ + "]"));
        }
        Optional<Overrun> overrun = StrictJson.optional(root, "", "overrun").map(node -> {
            ObjectNode o = StrictJson.object(node, "overrun", "per-minutes", "prices");
            return new Overrun(perMinutes(o, "overrun"), prices(o, "overrun"));
        });
        Surcharges surcharges = StrictJson.optional(root, "", "surcharges").map(FeeSchedules::surcharges)
                .orElse(Surcharges.NONE);
        List<LateDiscount> late = new ArrayList<>();
        i = 0;
        for (JsonNode node : StrictJson.optArray(root, "", "late-discounts")) {
            late.add(lateDiscount(node, "late-discounts[" + i++ + "]"));
        }
        List<SeasonalItem> seasonal = new ArrayList<>();
        i = 0;
        for (JsonNode node : StrictJson.optArray(root, "", "seasonal")) {
            seasonal.add(seasonal(node, "seasonal[" + i++ + "]"));
        }
        Rounding rounding = StrictJson.optional(root, "", "rounding").map(node -> rounding(node, "rounding"))
                .orElse(Rounding.NONE);
        return new FeeSchedule(StrictJson.text(root, "", "source"), dayClasses, units, overrun, surcharges, late,
                seasonal, rounding);
    }

    /**
     * The schedule equivalent to a room's two flat hourly prices (today's {@code Room} prices), for
     * rooms that have no schedule yet: every day, 0:00–24:00, pro rata per 15 minutes and
     * truncated to the yen once, as {@code BookingService.reservationFor} charges.
     *
     * @param residentYenPerHour    市内 price per hour
     * @param nonResidentYenPerHour 市外 price per hour
     * @return the schedule
     */
    public static FeeSchedule hourly(int residentYenPerHour, int nonResidentYenPerHour) {
        Price price = new Price(residentYenPerHour, nonResidentYenPerHour);
        return new FeeSchedule("部屋の時間単価（料金表未設定） / the room's hourly prices (no schedule set)",
                List.of(new DayClass("毎日", EnumSet.allOf(DayOfWeek.class), false)),
                List.of(new FeeUnit.Hourly("時間", "時間利用", "Hourly use", new Window(0, 24 * 60), Map.of(),
                        Map.of("毎日", price), 60, FeeUnit.Charge.PRO_RATA)),
                Optional.empty(), Surcharges.NONE, List.of(), List.of(), Rounding.NONE);
    }

    /**
     * @param schedule a schedule
     * @return its document, canonical and indented
     */
    public static String toJson(FeeSchedule schedule) {
        return StrictJson.write(FeeScheduleWriter.write(schedule));
    }

    static Rounding rounding(JsonNode node, String path) {
        ObjectNode o = StrictJson.object(node, path, "mode", "unit");
        Rounding.Mode mode = StrictJson.choice(o, path, "mode", Rounding.Mode.class, Rounding.Mode::wire);
        long unit = StrictJson.integer(o, path, "unit", 1, 100);
        if (unit != 1 && unit != 10 && unit != 100) {
            return StrictJson.fail(at(path, "unit"), "端数処理の単位は 1、10、100 円のどれかです。", "The unit is 1, 10 or 100 yen.");
        }
        return new Rounding(mode, (int) unit);
    }

    private static DayClass dayClass(JsonNode node, String path) {
        ObjectNode o = StrictJson.object(node, path, "name", "weekdays", "holiday");
        String name = StrictJson.text(o, path, "name");
        Set<DayOfWeek> weekdays = EnumSet.noneOf(DayOfWeek.class);
        int i = 0;
        for (JsonNode day : StrictJson.array(o, path, "weekdays")) {
            String p = at(path, "weekdays") + "[" + i++ + "]";
            if (!weekdays.add(DayOfWeek.of((int) StrictJson.integerValue(day, p, 1, 7)))) {
                return StrictJson.fail(p, "同じ曜日が 2 回あります。", "This weekday is listed twice.");
            }
        }
        boolean holiday = StrictJson.bool(o, path, "holiday", false);
        if (weekdays.isEmpty() && !holiday) {
            return StrictJson.fail(at(path, "weekdays"), "曜日（1=月〜7=日）を書くか holiday を true にしてください。",
                    "List ISO weekdays (1 = Monday … 7 = Sunday) or set holiday to true.");
        }
        return new DayClass(name, weekdays, holiday);
    }

    private static FeeUnit unit(JsonNode node, String path) {
        ObjectNode kindOnly = node.isObject() ? (ObjectNode) node : StrictJson.object(node, path);
        String kind = StrictJson.text(kindOnly, path, "kind");
        boolean hourly = kind.equals("hourly");
        ObjectNode o = hourly
                ? StrictJson.object(node, path, "kind", "code", "label", "label-en", "from", "to", "times", "prices",
                "per-minutes", "charge")
                : StrictJson.object(node, path, "kind", "code", "label", "label-en", "from", "to", "times", "prices");
        String code = StrictJson.text(o, path, "code");
        String labelJa = StrictJson.optText(o, path, "label").orElse(code);
        String labelEn = StrictJson.optText(o, path, "label-en").orElse(labelJa);
        Window window = window(o, path);
        Map<String, Window> times = new LinkedHashMap<>();
        StrictJson.optional(o, path, "times").ifPresent(t -> {
            ObjectNode byDay = StrictJson.object(t, at(path, "times"), t.isObject() ? names(t) : new String[0]);
            byDay.fields().forEachRemaining(e -> times.put(e.getKey(),
                    window(StrictJson.object(e.getValue(), at(at(path, "times"), e.getKey()), "from", "to"),
                            at(at(path, "times"), e.getKey()))));
        });
        Map<String, Price> prices = prices(o, path);
        return switch (kind) {
            case "band" -> new FeeUnit.Band(code, labelJa, labelEn, window, times, prices);
            case "full-day" -> new FeeUnit.FullDay(code, labelJa, labelEn, window, times, prices);
            case "hourly" -> new FeeUnit.Hourly(code, labelJa, labelEn, window, times, prices, perMinutes(o, path),
                    StrictJson.choice(o, path, "charge", FeeUnit.Charge.class, FeeUnit.Charge::wire));
            default -> StrictJson.fail(at(path, "kind"), "kind は band、full-day、hourly のどれかです。",
                    "kind is one of band, full-day, hourly.");
        };
    }

    private static Window window(ObjectNode o, String path) {
        int from = StrictJson.time(o, path, "from", false);
        int to = StrictJson.time(o, path, "to", true);
        if (to <= from) {
            return StrictJson.fail(at(path, "to"), "終了時刻は開始時刻より後にしてください（日をまたぐ区分は 2 つに分けます）。",
                    "The end must be after the start (split a band that crosses midnight in two).");
        }
        return new Window(from, to);
    }

    private static int perMinutes(ObjectNode o, String path) {
        long minutes = StrictJson.integer(o, path, "per-minutes", 15, 24 * 60);
        if (minutes % 15 != 0) {
            return StrictJson.fail(at(path, "per-minutes"), "15 分の倍数で書いてください。", "Write a multiple of 15 minutes.");
        }
        return (int) minutes;
    }

    private static Map<String, Price> prices(ObjectNode o, String path) {
        String p = at(path, "prices");
        JsonNode node = StrictJson.required(o, path, "prices");
        ObjectNode byDay = StrictJson.object(node, p, node.isObject() ? names(node) : new String[0]);
        if (byDay.isEmpty()) {
            return StrictJson.fail(p, "曜日区分ごとの料金を 1 つ以上書いてください。", "Give a price for at least one day class.");
        }
        Map<String, Price> prices = new LinkedHashMap<>();
        byDay.fields().forEachRemaining(e -> prices.put(e.getKey(), price(e.getValue(), at(p, e.getKey()))));
        return prices;
    }

    private static Price price(JsonNode node, String path) {
        if (node.isObject()) {
            ObjectNode o = StrictJson.object(node, path, "resident", "non-resident");
            return new Price(StrictJson.yenValue(StrictJson.required(o, path, "resident"), at(path, "resident")),
                    StrictJson.yenValue(StrictJson.required(o, path, "non-resident"), at(path, "non-resident")));
        }
        return Price.of(StrictJson.yenValue(node, path));
    }

    private static Surcharges surcharges(JsonNode node) {
        ObjectNode o = StrictJson.object(node, "surcharges", "combine", "items");
        Surcharges.Combine combine = StrictJson.choice(o, "surcharges", "combine", Surcharges.Combine.class,
                Surcharges.Combine::wire);
        List<Surcharge> items = new ArrayList<>();
        Set<String> codes = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode item : StrictJson.array(o, "surcharges", "items")) {
            String path = "surcharges.items[" + i++ + "]";
            ObjectNode s = StrictJson.object(item, path, "code", "label", "label-en", "when", "percent", "permille");
            String code = StrictJson.text(s, path, "code");
            if (!codes.add(code)) {
                return StrictJson.fail(at(path, "code"), "加算コード「" + code + "」が 2 回あります。", "Code used twice.");
            }
            String labelJa = StrictJson.optText(s, path, "label").orElse(code);
            items.add(new Surcharge(code, labelJa, StrictJson.optText(s, path, "label-en").orElse(labelJa),
                    condition(StrictJson.required(s, path, "when"), at(path, "when")), permille(s, path)));
        }
        return new Surcharges(combine, items);
    }

    private static Condition condition(JsonNode node, String path) {
        ObjectNode o = StrictJson.object(node, path, "admission-yen", "commercial", "mainly-non-resident-audience",
                "non-resident-applicant");
        Optional<YenRange> admission = StrictJson.optional(o, path, "admission-yen").map(n -> {
            String p = at(path, "admission-yen");
            ObjectNode r = StrictJson.object(n, p, "from", "to");
            long from = StrictJson.integer(r, p, "from", 0, FeeSchedule.MAX_YEN);
            OptionalLong to = StrictJson.optInteger(r, p, "to", 0, FeeSchedule.MAX_YEN + 1);
            if (to.isPresent() && to.getAsLong() <= from) {
                return StrictJson.fail(at(p, "to"), "to（含まない）は from より大きくしてください。", "to (excluded) must exceed from.");
            }
            return new YenRange(from, to);
        });
        return new Condition(admission, StrictJson.optBool(o, path, "commercial"),
                StrictJson.optBool(o, path, "mainly-non-resident-audience"),
                StrictJson.optBool(o, path, "non-resident-applicant"));
    }

    /** A rate as "percent" or "permille", exactly one of them. */
    private static int permille(ObjectNode o, String path) {
        OptionalLong percent = StrictJson.optInteger(o, path, "percent", 0, 10_000);
        OptionalLong permille = StrictJson.optInteger(o, path, "permille", 0, 100_000);
        if (percent.isPresent() == permille.isPresent()) {
            return StrictJson.fail(at(path, "percent"), "percent か permille のどちらか一方を書いてください。",
                    "Give exactly one of percent and permille.");
        }
        return (int) (percent.isPresent() ? percent.getAsLong() * 10 : permille.getAsLong());
    }

    private static LateDiscount lateDiscount(JsonNode node, String path) {
        ObjectNode o = StrictJson.object(node, path, "code", "label", "label-en", "from-days-before", "percent", "units");
        String code = StrictJson.text(o, path, "code");
        String labelJa = StrictJson.optText(o, path, "label").orElse(code);
        Set<String> units = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode unit : StrictJson.array(o, path, "units")) {
            units.add(StrictJson.textValue(unit, at(path, "units") + "[" + i++ + "]"));
        }
        if (units.isEmpty()) {
            return StrictJson.fail(at(path, "units"), "割引の対象区分を書いてください。", "List the units it applies to.");
        }
        return new LateDiscount(code, labelJa, StrictJson.optText(o, path, "label-en").orElse(labelJa),
                (int) StrictJson.integer(o, path, "from-days-before", 0, 366),
                (int) StrictJson.integer(o, path, "percent", 0, 100), units);
    }

    private static SeasonalItem seasonal(JsonNode node, String path) {
        ObjectNode o = StrictJson.object(node, path, "code", "label", "label-en", "from", "to", "per", "yen", "percent",
                "permille");
        String code = StrictJson.text(o, path, "code");
        String labelJa = StrictJson.optText(o, path, "label").orElse(code);
        SeasonalItem.Per per = StrictJson.choice(o, path, "per", SeasonalItem.Per.class, SeasonalItem.Per::wire);
        long amount;
        if (per == SeasonalItem.Per.PERCENT) {
            if (o.has("yen")) {
                return StrictJson.fail(at(path, "yen"), "per が percent のときは percent を書きます。", "With per percent, give percent.");
            }
            amount = permille(o, path);
        } else {
            if (o.has("percent") || o.has("permille")) {
                return StrictJson.fail(at(path, o.has("percent") ? "percent" : "permille"),
                        "per が hour か unit のときは yen を書きます。", "With per hour or unit, give yen.");
            }
            amount = StrictJson.yenValue(StrictJson.required(o, path, "yen"), at(path, "yen"));
        }
        return new SeasonalItem(code, labelJa, StrictJson.optText(o, path, "label-en").orElse(labelJa),
                monthDay(o, path, "from"), monthDay(o, path, "to"), per, amount);
    }

    private static MonthDay monthDay(ObjectNode o, String path, String field) {
        String text = StrictJson.text(o, path, field);
        if (text.matches("[0-9]{2}-[0-9]{2}")) {
            try {
                return MonthDay.of(Integer.parseInt(text.substring(0, 2)), Integer.parseInt(text.substring(3)));
            } catch (DateTimeException e) {
                // falls through to the message
            }
        }
        return StrictJson.fail(at(path, field), "月日は \"12-01\" の形で書いてください（\"" + text + "\" は不可）。",
                "Write a month-day as \"12-01\" (not \"" + text + "\").");
    }

    private static String[] names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.toArray(String[]::new);
    }
}
