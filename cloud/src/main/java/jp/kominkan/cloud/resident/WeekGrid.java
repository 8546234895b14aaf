package jp.kominkan.cloud.resident;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jp.kominkan.cloud.booking.Availability;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;

/**
 * A week of a room's 15-minute slots as a table: one column per day, one row per quarter hour in
 * which any day is open.
 *
 * @param days the seven days
 * @param rows the rows
 */
public record WeekGrid(List<Day> days, List<Row> rows) {

    /**
     * @param slots     the slots of seven days, in order
     * @param firstDay  the first day
     * @param zone      the room's zone
     * @return the grid
     */
    public static WeekGrid of(List<Availability.Slot> slots, LocalDate firstDay, ZoneId zone) {
        List<Day> days = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            days.add(new Day(firstDay.plusDays(i)));
        }
        Map<LocalTime, Cell[]> byTime = new LinkedHashMap<>();
        for (Availability.Slot slot : slots) {
            ZonedDateTime local = slot.start().atZone(zone);
            int column = (int) (local.toLocalDate().toEpochDay() - firstDay.toEpochDay());
            if (column < 0 || column > 6) {
                continue;
            }
            Cell[] row = byTime.computeIfAbsent(local.toLocalTime(), t -> new Cell[7]);
            row[column] = new Cell(local.toLocalDate(), slot.state().wire());
        }
        List<Row> rows = new ArrayList<>();
        byTime.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(c -> c != null && !c.state().equals("closed")))
                .forEach(e -> {
                    List<Cell> cells = new ArrayList<>(7);
                    for (int i = 0; i < 7; i++) {
                        Cell cell = e.getValue()[i];
                        cells.add(cell != null ? cell : new Cell(firstDay.plusDays(i), "closed"));
                    }
                    rows.add(new Row(e.getKey().toString(), cells));
                });
        return new WeekGrid(days, rows);
    }

    /** @return the first day of the week before */
    public LocalDate previousWeek() {
        return days.getFirst().date().minusDays(7);
    }

    /** @return the first day of the week after */
    public LocalDate nextWeek() {
        return days.getFirst().date().plusDays(7);
    }

    /**
     * @param page the page
     * @return the table's caption
     */
    public String caption(Page page) {
        return page.t(days.getFirst().date() + " から 1 週間の空き状況（15 分単位）",
                "Availability for the week from " + days.getFirst().date() + " (15-minute slots)");
    }

    /** @param date a day of the week */
    public record Day(LocalDate date) {
        /**
         * @param page the page
         * @return e.g. 12/1（火）
         */
        public String label(Page page) {
            Locale locale = page.lang() == Lang.EN ? Locale.ENGLISH : Locale.JAPANESE;
            return date.getMonthValue() + "/" + date.getDayOfMonth() + " "
                    + date.getDayOfWeek().getDisplayName(TextStyle.SHORT, locale);
        }
    }

    /**
     * @param time  the quarter hour, HH:MM
     * @param cells one per day
     */
    public record Row(String time, List<Cell> cells) {
    }

    /**
     * @param date  the day
     * @param state free, booked, blocked, closed or past
     */
    public record Cell(LocalDate date, String state) {

        /** @return the symbol shown */
        public String symbol() {
            return switch (state) {
                case "free" -> "○";
                case "booked" -> "×";
                case "blocked" -> "■";
                default -> "－";
            };
        }

        /**
         * @param page the page
         * @param time the row's time
         * @return what a screen reader says
         */
        public String label(Page page, String time) {
            String when = date.getMonthValue() + "/" + date.getDayOfMonth() + " " + time + " ";
            return when + switch (state) {
                case "free" -> page.t("空き（予約する）", "free (book)");
                case "booked" -> page.t("予約済み", "booked");
                case "blocked" -> page.t("利用不可", "blocked");
                case "past" -> page.t("終了", "past");
                default -> page.t("受付なし", "not bookable");
            };
        }
    }
}
