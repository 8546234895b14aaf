package jp.kominkan.cloud.backoffice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jp.kominkan.cloud.booking.ReservationSearch;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;

/**
 * A facility's day or week across its rooms, as the calendar page shows it: one row per room, one column
 * per day, each cell the day's held and confirmed bookings by time.
 *
 * @param facility the facility
 * @param days     the seven days, labelled
 * @param rooms    one row per room
 * @param previous the week before, as a date
 * @param next     the week after
 * @param length   1 for a day, 7 for a week
 * @param first    the first day shown
 */
public record FacilityWeek(Facility facility, List<String> days, List<RoomRow> rooms, String previous, String next,
                           int length, String first) {

    /**
     * @param room  the room
     * @param cells one per day
     */
    public record RoomRow(Room room, List<List<Entry>> cells) {
    }

    /**
     * @param id     the reservation
     * @param time   e.g. 10:00–12:00
     * @param person who booked
     * @param status its status
     */
    public record Entry(java.util.UUID id, String time, String person, String status) {
    }

    static FacilityWeek of(Facility facility, List<Room> rooms, List<ReservationSearch.Row> rows, LocalDate first,
                           int length, ZoneId zone, Instant now, Page page) {
        DateTimeFormatter label = DateTimeFormatter.ofPattern(page.lang() == Lang.EN ? "EEE d MMM" : "M/d（E）",
                page.lang() == Lang.EN ? Locale.ENGLISH : Locale.JAPANESE);
        List<String> days = new ArrayList<>();
        for (int d = 0; d < length; d++) {
            days.add(label.format(first.plusDays(d)));
        }
        List<RoomRow> out = new ArrayList<>();
        for (Room room : rooms) {
            List<List<Entry>> cells = new ArrayList<>();
            for (int d = 0; d < length; d++) {
                LocalDate day = first.plusDays(d);
                List<Entry> entries = new ArrayList<>();
                for (ReservationSearch.Row r : rows) {
                    ReservationStatus status = r.statusAt(now);
                    if (r.roomId() == room.id() && r.range().start().atZone(zone).toLocalDate().equals(day)
                            && (status == ReservationStatus.HELD || status == ReservationStatus.CONFIRMED)) {
                        String end = r.range().end().atZone(zone).toLocalDate().isAfter(day) ? "24:00"
                                : r.range().end().atZone(zone).toLocalTime().toString();
                        entries.add(new Entry(r.id(), r.range().start().atZone(zone).toLocalTime() + "–" + end,
                                r.person(), status.wire()));
                    }
                }
                cells.add(entries);
            }
            out.add(new RoomRow(room, cells));
        }
        return new FacilityWeek(facility, days, out, first.minusDays(length).toString(),
                first.plusDays(length).toString(), length, first.toString());
    }
}
