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
import jp.kominkan.cloud.facility.OpeningHours;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;

/**
 * A week of a room's 15-minute slots as a table: one column per day, one row per quarter hour in
 * which the room opens on any weekday (the hours it is never open are not shown), and each day's
 * free ranges for the range picker.
 *
 * @param days the seven days
 * @param rows the rows
 */
public record WeekGrid(List<Day> days, List<Row> rows) {

    /**
     * @param slots    the slots of seven days, in order
     * @param firstDay the first day
     * @param room     the room (its zone and opening hours)
     * @return the grid
     */
    public static WeekGrid of(List<Availability.Slot> slots, LocalDate firstDay, Room room) {
        ZoneId zone = room.zone();
        List<Day> days = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            days.add(new Day(firstDay.plusDays(i), FreeRanges.of(slots, firstDay.plusDays(i), zone)));
        }
        int opens = room.hours().byDay().values().stream().mapToInt(OpeningHours.Daily::opensMinute).min().orElse(0);
        int closes = room.hours().byDay().values().stream().mapToInt(OpeningHours.Daily::closesMinute).max().orElse(0);
        Map<LocalTime, Cell[]> byTime = new LinkedHashMap<>();
        for (Availability.Slot slot : slots) {
            ZonedDateTime local = slot.start().atZone(zone);
            int column = (int) (local.toLocalDate().toEpochDay() - firstDay.toEpochDay());
            int minute = local.getHour() * 60 + local.getMinute();
            if (column < 0 || column > 6 || minute < opens || minute >= closes) {
                continue;
            }
            Cell[] row = byTime.computeIfAbsent(local.toLocalTime(), t -> new Cell[7]);
            row[column] = new Cell(local.toLocalDate(), slot.state().wire());
        }
        List<Row> rows = new ArrayList<>();
        byTime.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
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

    /**
     * @param date a day, perhaps of this week
     * @return the day to show in the range picker: that one when it is in the week, else the first with a
     *         free range, else the first
     */
    public Day chosen(java.util.Optional<LocalDate> date) {
        return days.stream().filter(d -> date.isPresent() && d.date().equals(date.get())).findFirst()
                .or(() -> days.stream().filter(d -> d.free().any()).findFirst())
                .orElse(days.getFirst());
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

    /**
     * @param date a day of the week
     * @param free its free ranges
     */
    public record Day(LocalDate date, FreeRanges free) {
        /**
         * @param page the page
         * @return e.g. 12/1（火）
         */
        public String label(Page page) {
            return monthDay() + " " + weekday(page);
        }

        /** @return e.g. 12/1 */
        public String monthDay() {
            return date.getMonthValue() + "/" + date.getDayOfMonth();
        }

        /**
         * @param page the page
         * @return e.g. 火, or Tue
         */
        public String weekday(Page page) {
            Locale locale = page.lang() == Lang.EN ? Locale.ENGLISH : Locale.JAPANESE;
            return date.getDayOfWeek().getDisplayName(TextStyle.SHORT, locale);
        }

        /**
         * @param page the page
         * @return e.g. 12月1日（火）, or Tue 12/1
         */
        public String longLabel(Page page) {
            return page.t(date.getMonthValue() + "月" + date.getDayOfMonth() + "日（" + weekday(page) + "）",
                    weekday(page) + " " + monthDay());
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
