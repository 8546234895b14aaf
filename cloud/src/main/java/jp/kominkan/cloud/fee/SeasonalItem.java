package jp.kominkan.cloud.fee;

import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Objects;

/**
 * A seasonal item such as heating or cooling (冷暖房費): charged on use days from {@code from} to
 * {@code to} (both included; the range may wrap the year end, 12-01 to 03-31). Never reduced by
 * 減免: it pays for fuel, not for the room.
 *
 * @param code    code
 * @param labelJa Japanese label
 * @param labelEn English label
 * @param from    first day of the season
 * @param to      last day of the season
 * @param per     what the amount is charged per
 * @param amount  yen per hour or per unit, or permille of the room fee for {@link Per#PERCENT}
 */
public record SeasonalItem(String code, String labelJa, String labelEn, MonthDay from, MonthDay to, Per per,
                           long amount) {

    /** What the amount is for. */
    public enum Per {
        /** Yen per started hour of the day's booked time. */
        HOUR("hour"),
        /** Yen per charged unit (band, full day, a day of hourly use). */
        UNIT("unit"),
        /** Permille of the room fee (base and overrun) of the days in season. */
        PERCENT("percent");

        private final String wire;

        Per(String wire) {
            this.wire = wire;
        }

        /** @return the name in the document */
        public String wire() {
            return wire;
        }
    }

    /** Validates. */
    public SeasonalItem {
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
        Objects.requireNonNull(per);
        if (code.isBlank() || labelJa.isBlank() || labelEn.isBlank() || amount < 0 || amount > FeeSchedule.MAX_YEN) {
            throw new IllegalArgumentException("a seasonal item needs a code, labels and an amount ≥ 0");
        }
    }

    /**
     * @param date a use date
     * @return whether it is in season
     */
    public boolean inSeason(LocalDate date) {
        MonthDay day = MonthDay.from(date);
        return from.isAfter(to) ? !day.isBefore(from) || !day.isAfter(to) : !day.isBefore(from) && !day.isAfter(to);
    }
}
