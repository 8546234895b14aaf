package jp.kominkan.cloud.backoffice;

import java.text.Normalizer;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.backoffice.LotteryRoundViews.DayChoice;
import jp.kominkan.cloud.backoffice.LotteryRoundViews.NumberField;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.RoundPlan;
import jp.kominkan.cloud.lottery.RoundSchedule;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.web.Problem;

/**
 * The form that defines a lottery round (抽選回の作成): its fields, their defaults, and reading them into a
 * {@link RoundPlan} — rooms, period, days, bands, schedule and rules — with a message for each field that cannot be
 * read, and a refusal of the domain's put back next to the field it concerns, with the rules' field names in words.
 * It exists apart from {@link LotteryRoundPages} because the form is the largest single thing the staff's lottery
 * pages do, and what it knows (field names, the ranges of the rules' numbers, how a time such as 24:00 is written)
 * belongs to the form, not to the routes that show it and take it.
 */
final class LotteryRoundForm {

    /** Band rows on the form. */
    static final int BAND_ROWS = 4;

    private static final String[] DAY_NAMES = {"月", "火", "水", "木", "金", "土", "日"};
    private static final String[] DAY_NAMES_EN = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final List<String[]> DEFAULT_BANDS = List.of(new String[] {"午前", "09:00", "12:00"},
            new String[] {"午後", "13:00", "17:00"}, new String[] {"夜間", "18:00", "21:00"});
    /** The rules' number fields, with the ranges {@link LotteryRules} allows. */
    static final List<NumberField> NUMBER_FIELDS = List.of(
            new NumberField("maxWishes", "第何希望まで", "Wishes per application", 1, 10),
            new NumberField("maxSetLength", "連続できる枠数", "Consecutive units in one wish", 1, 8),
            new NumberField("applicationsPerPerson", "1 人の申込件数", "Applications per person", 1, 20),
            new NumberField("applicationsPerGroup", "1 団体の申込件数", "Applications per group", 1, 20),
            new NumberField("winsPerPerson", "1 人の当選件数", "Wins per person", 1, 100),
            new NumberField("winsPerGroup", "1 団体の当選件数", "Wins per group", 1, 100),
            new NumberField("substitutes", "1 枠の補欠の人数", "Substitutes per unit", 0, 50),
            new NumberField("minAttendees", "利用人数の下限", "Fewest attending", 1, 10_000),
            new NumberField("minGroupMembers", "団体の構成員数の下限", "Fewest group members", 0, 1_000));
    /** The rules' number fields: form name → label. */
    private static final Map<String, String> NUMBERS = numbers();

    private LotteryRoundForm() {
    }

    /**
     * Reads the form into a plan; the domain's records check what they hold.
     *
     * @return the plan, or null when a field could not be read (its message is in {@code errors})
     */
    static RoundPlan plan(Map<String, String> form, Facility facility, List<Room> rooms, Municipality town,
                                  Map<String, String> errors, ServerRequest req) {
        boolean ja = PageSupport.lang(req) != Lang.EN;
        List<Long> roomIds = rooms.stream().filter(r -> "on".equals(form.get("room-" + r.id()))).map(Room::id).toList();
        Optional<LocalDate> from = Formats.date(form.get("from"));
        Optional<LocalDate> to = Formats.date(form.get("to"));
        if (from.isEmpty()) {
            errors.put("from", ja ? "利用期間の開始日を入力してください（例: 2027-03-01）。" : "Enter the first day, e.g. 2027-03-01.");
        }
        if (to.isEmpty()) {
            errors.put("to", ja ? "利用期間の終了日を入力してください（例: 2027-03-31）。" : "Enter the last day, e.g. 2027-03-31.");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            if ("on".equals(form.get("day-" + day.getValue()))) {
                days.add(day);
            }
        }
        boolean holidays = "on".equals(form.get("day-holiday"));
        List<String[]> bandTexts = new ArrayList<>();
        for (int i = 0; i < BAND_ROWS; i++) {
            String label = form.getOrDefault("band-" + i + "-label", "").strip();
            String start = form.getOrDefault("band-" + i + "-start", "").strip();
            String end = form.getOrDefault("band-" + i + "-end", "").strip();
            if (label.isEmpty() && start.isEmpty() && end.isEmpty()) {
                continue;
            }
            if (minute(start) < 0 || minute(end) < 0) {
                errors.putIfAbsent("bands", ja ? "時間帯 " + (i + 1) + " 行目の時刻を 09:00 の形で入力してください（深夜 0 時は 24:00）。"
                        : "Write band " + (i + 1) + "'s times like 09:00 (24:00 for midnight).");
                continue;
            }
            bandTexts.add(new String[] {label, start, end});
        }
        String template = form.getOrDefault("template", "");
        Map<String, Instant> explicit = new LinkedHashMap<>();
        if (template.equals("custom")) {
            for (String name : List.of("opensAt", "closesAt", "drawAt", "confirmBy", "firstComeAt")) {
                try {
                    explicit.put(name, LocalDateTime.parse(form.getOrDefault(name, "").strip()).atZone(town.zone())
                            .toInstant());
                } catch (DateTimeParseException e) {
                    errors.put(name, ja ? "日時を入力してください（例: 2027-01-01T09:00）。" : "Enter a date and time.");
                }
            }
        } else if (RoundSchedule.Template.of(template).isEmpty()) {
            errors.put("template", ja ? "日程のひな形を選んでください。" : "Choose a schedule template.");
        }
        Map<String, Integer> numbers = new HashMap<>();
        for (Map.Entry<String, String> number : NUMBERS.entrySet()) {
            String text = Normalizer.normalize(form.getOrDefault(number.getKey(), ""),
                    Normalizer.Form.NFKC).strip();
            try {
                numbers.put(number.getKey(), Integer.parseInt(text));
            } catch (NumberFormatException e) {
                errors.put(number.getKey(), ja ? "「" + number.getValue() + "」を数字で入力してください。"
                        : "Enter a number for " + number.getKey() + ".");
            }
        }
        String residency = form.getOrDefault("residency", "any");
        if (!errors.isEmpty()) {
            return null;
        }
        List<RoundPlan.Band> bands = bandTexts.stream().map(b -> new RoundPlan.Band(b[0], minute(b[1]), minute(b[2])))
                .toList();
        LotteryRules rules = new LotteryRules(numbers.get("maxWishes"), numbers.get("maxSetLength"),
                numbers.get("applicationsPerPerson"), numbers.get("applicationsPerGroup"), numbers.get("winsPerPerson"),
                numbers.get("winsPerGroup"), numbers.get("substitutes"),
                new LotteryRules.Eligibility(residency, "on".equals(form.get("groupsOnly")), List.of(),
                        numbers.get("minAttendees"), numbers.get("minGroupMembers")),
                LotteryRules.STANDARD.tiers());
        RoundSchedule schedule = template.equals("custom")
                ? new RoundSchedule(explicit.get("opensAt"), explicit.get("closesAt"), explicit.get("drawAt"),
                explicit.get("confirmBy"), explicit.get("firstComeAt"))
                : RoundSchedule.Template.of(template).orElseThrow().forMonth(YearMonth.from(from.get()), town.zone());
        return new RoundPlan(facility.id(), form.getOrDefault("name", ""), roomIds, from.get(), to.get(), days,
                holidays, bands, schedule, rules, Optional.of(form.getOrDefault("beacon", "")));
    }

    /** The form's values for a new round: 土日祝, three bands, the two-months template, the usual rules. */
    static Map<String, String> defaults(Municipality town, Clock clock) {
        Map<String, String> values = new HashMap<>();
        YearMonth month = YearMonth.from(LocalDate.now(clock.withZone(town.zone()))).plusMonths(3);
        values.put("from", month.atDay(1).toString());
        values.put("to", month.atEndOfMonth().toString());
        values.put("day-6", "on");
        values.put("day-7", "on");
        values.put("day-holiday", "on");
        for (int i = 0; i < DEFAULT_BANDS.size(); i++) {
            values.put("band-" + i + "-label", DEFAULT_BANDS.get(i)[0]);
            values.put("band-" + i + "-start", DEFAULT_BANDS.get(i)[1]);
            values.put("band-" + i + "-end", DEFAULT_BANDS.get(i)[2]);
        }
        values.put("template", RoundSchedule.Template.ALL.get(0).code());
        LotteryRules r = LotteryRules.STANDARD;
        values.put("maxWishes", Integer.toString(r.maxWishes()));
        values.put("maxSetLength", Integer.toString(r.maxSetLength()));
        values.put("applicationsPerPerson", Integer.toString(r.applicationsPerPerson()));
        values.put("applicationsPerGroup", Integer.toString(r.applicationsPerGroup()));
        values.put("winsPerPerson", Integer.toString(r.winsPerPerson()));
        values.put("winsPerGroup", Integer.toString(r.winsPerGroup()));
        values.put("substitutes", Integer.toString(r.substitutes()));
        values.put("minAttendees", Integer.toString(r.eligibility().minAttendees()));
        values.put("minGroupMembers", Integer.toString(r.eligibility().minGroupMembers()));
        values.put("residency", r.eligibility().residency());
        return values;
    }

    /** The form field a refusal belongs next to. */
    static String field(Problem problem, Map<String, String> form) {
        String field = problem.field().orElse("form");
        if (field.startsWith("rules.eligibility.")) {
            field = field.substring("rules.eligibility.".length());
        } else if (field.startsWith("rules.")) {
            field = field.substring("rules.".length());
        }
        if (field.startsWith("bands")) {
            return "bands";
        }
        if (field.startsWith("schedule")) {
            return form.getOrDefault("template", "").equals("custom") ? "opensAt" : "template";
        }
        return switch (field) {
            case "roomIds" -> "rooms";
            case "name", "from", "to", "days", "beacon", "template", "residency" -> field;
            default -> NUMBERS.containsKey(field) ? field : "form";
        };
    }

    /** A refusal's message, with the rules' field names in words. */
    static String message(ServerRequest req, Problem problem) {
        String message = Formats.message(req, problem);
        String field = problem.field().orElse("");
        if (field.startsWith("rules.")) {
            String name = field.substring(field.lastIndexOf('.') + 1);
            if (NUMBERS.containsKey(name)) {
                message = message.replace(field, "「" + NUMBERS.get(name) + "」");
            }
        }
        return message;
    }

    private static int minute(String text) {
        if ("24:00".equals(text)) {
            return 1440;
        }
        try {
            LocalTime time = LocalTime.parse(text.length() == 4 ? "0" + text : text);
            return time.getHour() * 60 + time.getMinute();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    static List<DayChoice> days(Page page) {
        List<DayChoice> days = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            days.add(new DayChoice("day-" + (i + 1), page.t(DAY_NAMES[i], DAY_NAMES_EN[i])));
        }
        days.add(new DayChoice("day-holiday", page.t("祝日", "Holidays")));
        return days;
    }

    private static Map<String, String> numbers() {
        Map<String, String> numbers = new LinkedHashMap<>();
        NUMBER_FIELDS.forEach(n -> numbers.put(n.name(), n.ja()));
        return Collections.unmodifiableMap(numbers);
    }
}
