package jp.kominkan.cloud.receipt;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * When the room is used (使用日時), in the facility's local time, as printed on the receipt.
 *
 * @param start first minute of use
 * @param end   end of use, after {@code start}; may be on a later day (an overnight 宿泊室)
 */
public record UsePeriod(LocalDateTime start, LocalDateTime end) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm");

    /** Checks the period is not empty. */
    public UsePeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("Use must end after it starts: " + start + " – " + end);
        }
    }

    /**
     * @return e.g. {@code 令和8年12月5日（2026-12-05） 9:00〜17:00}; the end date is repeated only when it is
     *         another day (midnight as the end prints as 24:00 of the first day, the way ordinances write it)
     */
    public String printed() {
        String from = WarekiDate.formatWithIso(start.toLocalDate()) + " " + TIME.format(start);
        if (end.toLocalDate().equals(start.toLocalDate())) {
            return from + "〜" + TIME.format(end);
        }
        if (end.toLocalTime().equals(LocalTime.MIDNIGHT) && end.toLocalDate().equals(start.toLocalDate().plusDays(1))) {
            return from + "〜24:00";
        }
        return from + "〜" + WarekiDate.formatWithIso(end.toLocalDate()) + " " + TIME.format(end);
    }
}
