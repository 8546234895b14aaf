package jp.kominkan.cloud.facility;

import java.text.Normalizer;
import java.time.DayOfWeek;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.TextRules;

/**
 * What staff type for a facility or a room, checked field by field: each refusal names its field and
 * says what to type, in Japanese and English.
 */
public final class FacilityForm {

    /** Facility types the pages know how to name. */
    public static final Set<String> TYPES = Set.of("community-center", "study-room", "sports-hall", "library");

    private FacilityForm() {
    }

    /**
     * A facility as staff typed it.
     *
     * @param name        名称
     * @param kana        読み
     * @param address     所在地
     * @param type        種類
     * @param description 説明
     * @param accessNotes アクセス
     * @param usageRules  利用上の注意
     * @param equipment   設備, one per line
     */
    public record FacilityDraft(String name, String kana, String address, String type, String description,
                                String accessNotes, String usageRules, List<String> equipment) {
    }

    /**
     * A room as staff typed it.
     *
     * @param name             名称
     * @param capacity         定員
     * @param horizonDays      how many days ahead it can be booked
     * @param priceResident    hourly fee for residents, yen
     * @param priceNonResident hourly fee for others, yen
     * @param hours            opening hours per weekday; a day without is closed
     */
    public record RoomDraft(String name, int capacity, int horizonDays, int priceResident, int priceNonResident,
                            Map<DayOfWeek, OpeningHours.Daily> hours) {
    }

    /**
     * @param fields the submitted fields (name, kana, address, type, description, accessNotes, usageRules, equipment)
     * @return the draft
     */
    public static FacilityDraft facility(Map<String, String> fields) {
        String name = text(fields, "name", 200, true, "名称", "name");
        String kana = text(fields, "kana", 200, true, "読み", "reading");
        if (!kana.matches("[\\p{InHiragana}\\p{InKatakana}ー・ 　]+")) {
            throw Problem.badField("kana", "Write the reading in kana, e.g. ちゅうおうこうみんかん.",
                    "読みはひらがなかカタカナで入力してください（例: ちゅうおうこうみんかん）。");
        }
        List<String> equipment = new ArrayList<>();
        for (String line : fields.getOrDefault("equipment", "").split("\\R")) {
            String item = line.strip();
            if (!item.isEmpty()) {
                if (item.length() > 200 || equipment.size() >= 50) {
                    throw Problem.badField("equipment", "List at most 50 items of equipment, each up to 200 characters.",
                            "設備は 50 件まで、1 件 200 文字までで入力してください。");
                }
                if (!TextRules.isPlainText(item)) {
                    throw Problem.badField("equipment", "The equipment contains characters that cannot be used (control"
                            + " characters or direction overrides).", "設備に使えない文字（制御文字や文字の向きを変える記号）が含まれています。");
                }
                equipment.add(item);
            }
        }
        String address = text(fields, "address", 400, true, "所在地", "address");
        String type = text(fields, "type", 40, true, "種類", "type");
        if (!TYPES.contains(type)) {
            throw Problem.badField("type", "Choose the type from the list.", "種類を一覧から選んでください。");
        }
        return new FacilityDraft(name, kana, address, type,
                text(fields, "description", 4000, false, "説明", "description"),
                text(fields, "accessNotes", 2000, false, "アクセス", "access notes"),
                text(fields, "usageRules", 4000, false, "利用上の注意", "usage rules"), List.copyOf(equipment));
    }

    /**
     * @param fields the submitted fields (name, capacity, horizonDays, priceResident, priceNonResident, and for each
     *               ISO weekday 1–7 {@code opens1}/{@code closes1}, e.g. 09:00 and 21:00, empty for closed)
     * @return the draft
     */
    public static RoomDraft room(Map<String, String> fields) {
        String name = text(fields, "name", 200, true, "部屋名", "room name");
        int capacity = number(fields, "capacity", 1, 10000, "定員", "capacity");
        int horizon = number(fields, "horizonDays", 1, 730, "予約できる日数", "booking horizon");
        int resident = number(fields, "priceResident", 0, 1_000_000, "市内料金", "resident fee");
        int other = number(fields, "priceNonResident", 0, 1_000_000, "市外料金", "non-resident fee");
        Map<DayOfWeek, OpeningHours.Daily> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            String opens = fields.getOrDefault("opens" + day.getValue(), "").strip();
            String closes = fields.getOrDefault("closes" + day.getValue(), "").strip();
            if (opens.isEmpty() && closes.isEmpty()) {
                continue;
            }
            int from = minute(opens, "opens" + day.getValue(), false);
            int until = minute(closes, "closes" + day.getValue(), true);
            if (until <= from) {
                throw Problem.badField("closes" + day.getValue(), "The closing time must be after the opening time.",
                        "終了時刻は開始時刻より後にしてください。");
            }
            hours.put(day, new OpeningHours.Daily(from, until));
        }
        if (hours.isEmpty()) {
            throw Problem.badField("opens1", "Give the opening hours of at least one day.",
                    "少なくとも 1 日分の利用時間を入力してください。");
        }
        return new RoomDraft(name, capacity, horizon, resident, other, hours);
    }

    private static int minute(String time, String field, boolean end) {
        if (end && time.equals("24:00")) {
            return 1440;
        }
        try {
            LocalTime t = LocalTime.parse(time);
            if (t.getMinute() % 15 != 0 || t.getSecond() != 0) {
                throw new DateTimeException("not a quarter");
            }
            return t.getHour() * 60 + t.getMinute();
        } catch (DateTimeException e) {
            throw Problem.badField(field, "Enter a time on a quarter hour, e.g. 09:00 or 21:30 (24:00 for midnight).",
                    "時刻は 15 分単位で入力してください（例: 09:00、21:30。深夜 0 時は 24:00）。");
        }
    }

    private static int number(Map<String, String> fields, String field, int min, int max, String ja, String en) {
        String value = Normalizer.normalize(fields.getOrDefault(field, ""), Normalizer.Form.NFKC).strip()
                .replace(",", "");
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw Problem.badField(field, "Enter the " + en + " as a whole number from " + min + " to " + max + ".",
                ja + "は " + min + "〜" + max + " の整数で入力してください。");
    }

    private static String text(Map<String, String> fields, String field, int max, boolean required, String ja,
                               String en) {
        String value = fields.getOrDefault(field, "");
        value = value == null ? "" : value.strip();
        if (required && value.isEmpty() || value.length() > max) {
            throw Problem.badField(field, "Enter the " + en + " (up to " + max + " characters).",
                    ja + "を入力してください（" + max + " 文字まで）。");
        }
        // Line breaks only where the page has a text area; never NUL, controls or bidi overrides (TextRules).
        String lines = MULTILINE.contains(field) ? value.replace("\r\n", "").replace("\n", "") : value;
        if (!TextRules.isPlainText(lines)) {
            throw Problem.badField(field, "The " + en + " contains characters that cannot be used (control characters"
                    + " or direction overrides).", ja + "に使えない文字（制御文字や文字の向きを変える記号）が含まれています。");
        }
        return value;
    }

    /** The fields typed in a text area, where a line break is text. */
    private static final Set<String> MULTILINE = Set.of("description", "accessNotes", "usageRules");
}
