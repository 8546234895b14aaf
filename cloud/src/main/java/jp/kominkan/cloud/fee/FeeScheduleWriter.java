package jp.kominkan.cloud.fee;

import java.time.DayOfWeek;
import java.time.MonthDay;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kominkan.cloud.fee.FeeSchedule.DayClass;
import jp.kominkan.cloud.fee.FeeSchedule.Price;
import jp.kominkan.cloud.fee.FeeSchedule.Window;
import jp.kominkan.cloud.fee.Surcharges.Surcharge;

/**
 * Writes a schedule as its canonical document: fields in a fixed order, maps in the order of the
 * day classes, defaults written out. {@link FeeSchedules#parse} reads every output back equal.
 */
final class FeeScheduleWriter {

    private FeeScheduleWriter() {
    }

    static ObjectNode write(FeeSchedule s) {
        ObjectNode root = StrictJson.object();
        root.put("source", s.source());
        ArrayNode classes = root.putArray("day-classes");
        for (DayClass d : s.dayClasses()) {
            ObjectNode node = classes.addObject();
            node.put("name", d.name());
            ArrayNode weekdays = node.putArray("weekdays");
            d.weekdays().stream().sorted().map(DayOfWeek::getValue).forEach(weekdays::add);
            if (d.holiday()) {
                node.put("holiday", true);
            }
        }
        ArrayNode units = root.putArray("units");
        for (FeeUnit u : s.units()) {
            ObjectNode node = units.addObject();
            node.put("kind", u.kind());
            node.put("code", u.code());
            node.put("label", u.labelJa());
            node.put("label-en", u.labelEn());
            window(node, u.window());
            if (!u.times().isEmpty()) {
                ObjectNode times = node.putObject("times");
                for (DayClass d : s.dayClasses()) {
                    Window w = u.times().get(d.name());
                    if (w != null) {
                        window(times.putObject(d.name()), w);
                    }
                }
            }
            prices(node, s, u.prices());
            if (u instanceof FeeUnit.Hourly h) {
                node.put("per-minutes", h.perMinutes());
                node.put("charge", h.charge().wire());
            }
        }
        s.overrun().ifPresent(o -> {
            ObjectNode node = root.putObject("overrun");
            node.put("per-minutes", o.perMinutes());
            prices(node, s, o.prices());
        });
        if (!s.surcharges().items().isEmpty()) {
            ObjectNode node = root.putObject("surcharges");
            node.put("combine", s.surcharges().combine().wire());
            ArrayNode items = node.putArray("items");
            for (Surcharge item : s.surcharges().items()) {
                ObjectNode i = items.addObject();
                i.put("code", item.code());
                i.put("label", item.labelJa());
                i.put("label-en", item.labelEn());
                ObjectNode when = i.putObject("when");
                item.when().admissionYen().ifPresent(r -> {
                    ObjectNode range = when.putObject("admission-yen");
                    range.put("from", r.from());
                    r.to().ifPresent(to -> range.put("to", to));
                });
                item.when().commercial().ifPresent(v -> when.put("commercial", v));
                item.when().mainlyNonResidentAudience().ifPresent(v -> when.put("mainly-non-resident-audience", v));
                item.when().nonResidentApplicant().ifPresent(v -> when.put("non-resident-applicant", v));
                rate(i, item.permille());
            }
        }
        if (!s.lateDiscounts().isEmpty()) {
            ArrayNode late = root.putArray("late-discounts");
            for (LateDiscount d : s.lateDiscounts()) {
                ObjectNode node = late.addObject();
                node.put("code", d.code());
                node.put("label", d.labelJa());
                node.put("label-en", d.labelEn());
                node.put("from-days-before", d.fromDaysBefore());
                node.put("percent", d.percent());
                ArrayNode list = node.putArray("units");
                s.units().stream().map(FeeUnit::code).filter(d.units()::contains).forEach(list::add);
            }
        }
        if (!s.seasonal().isEmpty()) {
            ArrayNode seasonal = root.putArray("seasonal");
            for (SeasonalItem item : s.seasonal()) {
                ObjectNode node = seasonal.addObject();
                node.put("code", item.code());
                node.put("label", item.labelJa());
                node.put("label-en", item.labelEn());
                node.put("from", monthDay(item.from()));
                node.put("to", monthDay(item.to()));
                node.put("per", item.per().wire());
                if (item.per() == SeasonalItem.Per.PERCENT) {
                    rate(node, (int) item.amount());
                } else {
                    node.put("yen", item.amount());
                }
            }
        }
        root.set("rounding", rounding(s.rounding()));
        return root;
    }

    static ObjectNode rounding(Rounding r) {
        ObjectNode node = StrictJson.object();
        node.put("mode", r.mode().wire());
        node.put("unit", r.unit());
        return node;
    }

    private static void window(ObjectNode node, Window w) {
        node.put("from", String.format("%02d:%02d", w.from() / 60, w.from() % 60));
        node.put("to", String.format("%02d:%02d", w.to() / 60, w.to() % 60));
    }

    private static void prices(ObjectNode node, FeeSchedule s, Map<String, Price> prices) {
        ObjectNode byDay = node.putObject("prices");
        for (DayClass d : s.dayClasses()) {
            Price p = prices.get(d.name());
            if (p == null) {
                continue;
            }
            if (p.resident() == p.nonResident()) {
                byDay.put(d.name(), p.resident());
            } else {
                ObjectNode both = byDay.putObject(d.name());
                both.put("resident", p.resident());
                both.put("non-resident", p.nonResident());
            }
        }
    }

    private static void rate(ObjectNode node, int permille) {
        if (permille % 10 == 0) {
            node.put("percent", permille / 10);
        } else {
            node.put("permille", permille);
        }
    }

    private static String monthDay(MonthDay md) {
        return String.format("%02d-%02d", md.getMonthValue(), md.getDayOfMonth());
    }
}
