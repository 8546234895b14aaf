package jp.kominkan.cloud.page;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jp.kominkan.cloud.facility.OpeningHours;
import jp.kominkan.cloud.facility.Room;

/** A room's opening hours in words: 火〜日 9:00–21:00、月 休み. */
public final class Hours {

    private Hours() {
    }

    /**
     * @param room the room
     * @param page the page (for the language)
     * @return its hours, grouped by equal days
     */
    public static String describe(Room room, Page page) {
        Map<DayOfWeek, OpeningHours.Daily> byDay = room.hours().byDay();
        Locale locale = page.lang() == Lang.EN ? Locale.ENGLISH : Locale.JAPANESE;
        List<String> parts = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            OpeningHours.Daily daily = byDay.get(day);
            String name = day.getDisplayName(TextStyle.SHORT, locale);
            if (daily == null) {
                closed.add(name);
            } else {
                parts.add(name + " " + daily.opens() + "–" + daily.closes());
            }
        }
        String open = compress(parts);
        return closed.isEmpty() ? open : open + page.t("（休み: ", " (closed: ") + String.join("・", closed)
                + page.t("）", ")");
    }

    /** Joins days with the same hours: 月 9:00–17:00、火 9:00–17:00 → 月・火 9:00–17:00. */
    private static String compress(List<String> dayHours) {
        List<String> out = new ArrayList<>();
        String lastHours = null;
        StringBuilder days = new StringBuilder();
        for (String entry : dayHours) {
            int space = entry.indexOf(' ');
            String day = entry.substring(0, space);
            String hours = entry.substring(space + 1);
            if (hours.equals(lastHours)) {
                days.append('・').append(day);
            } else {
                if (lastHours != null) {
                    out.add(days + " " + lastHours);
                }
                days = new StringBuilder(day);
                lastHours = hours;
            }
        }
        if (lastHours != null) {
            out.add(days + " " + lastHours);
        }
        return String.join("、", out);
    }
}
