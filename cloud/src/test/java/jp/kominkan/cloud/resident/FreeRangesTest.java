package jp.kominkan.cloud.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jp.kominkan.cloud.booking.Availability;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;
import org.junit.jupiter.api.Test;

/** A day's free ranges, and the starts and ends the range picker offers from them. */
class FreeRangesTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final LocalDate DAY = LocalDate.of(2027, 3, 6);
    static final Page JA = new Page(Lang.JA, "", Optional.empty(), "山吹市", "/", java.util.Map.of(), java.util.Map.of());

    /** Open 9:00–21:00; booked 12:30–14:00; blocked 17:00–17:30; the day before and after are free all day. */
    static List<Availability.Slot> slots() {
        List<Availability.Slot> slots = new ArrayList<>();
        for (LocalDate date : List.of(DAY.minusDays(1), DAY, DAY.plusDays(1))) {
            for (int minute = 0; minute < 1440; minute += 15) {
                Availability.State state;
                if (!date.equals(DAY)) {
                    state = Availability.State.FREE;
                } else if (minute < 9 * 60 || minute >= 21 * 60) {
                    state = Availability.State.CLOSED;
                } else if (minute >= 12 * 60 + 30 && minute < 14 * 60) {
                    state = Availability.State.BOOKED;
                } else if (minute >= 17 * 60 && minute < 17 * 60 + 30) {
                    state = Availability.State.BLOCKED;
                } else {
                    state = Availability.State.FREE;
                }
                ZonedDateTime start = date.atStartOfDay(TOKYO).plusMinutes(minute);
                slots.add(new Availability.Slot(start.toInstant(), state));
            }
        }
        return slots;
    }

    @Test
    void theDaysFreeRangesInWordsAndForTheScript() {
        FreeRanges free = FreeRanges.of(slots(), DAY, TOKYO);
        assertThat(free.words(JA).replace("\u2060", "")).isEqualTo("空き 9:00–12:30、14:00–17:00、17:30–21:00");
        assertThat(free.wire()).isEqualTo("540-750,840-1020,1050-1260");
        assertThat(FreeRanges.of(slots(), DAY.plusDays(1), TOKYO).words(JA).replace("\u2060", "")).isEqualTo("空き 0:00–24:00");
        assertThat(FreeRanges.of(slots(), DAY.plusDays(5), TOKYO).words(JA)).isEqualTo("空きなし");
        assertThat(FreeRanges.of(slots(), DAY.plusDays(5), TOKYO).any()).isFalse();
    }

    @Test
    void onlyFreeStartsAndEndsThatFitBeforeTheNextTakenSlot() {
        FreeRanges free = FreeRanges.of(slots(), DAY, TOKYO);
        assertThat(free.starts()).startsWith("09:00", "09:15").contains("12:15", "14:00", "17:30", "20:45")
                .doesNotContain("08:45", "12:30", "13:45", "17:00", "17:15", "21:00");
        assertThat(free.endsFrom("11:30")).containsExactly("11:45", "12:00", "12:15", "12:30");
        assertThat(free.endsFrom("16:45")).containsExactly("17:00");
        assertThat(free.endsFrom("20:00")).containsExactly("20:15", "20:30", "20:45", "21:00");
        assertThat(free.endsFrom("12:30")).as("a taken start").isEmpty();
        assertThat(free.endsFrom("11:10")).as("not a quarter hour").isEmpty();
        assertThat(free.endsFrom("")).isEmpty();
        assertThat(FreeRanges.of(slots(), DAY.plusDays(1), TOKYO).endsFrom("23:00")).endsWith("24:00");
    }

    @Test
    void theEndOfferedFirstIsTheOneAskedForWhenItFitsElseAnHourOrTheRangesEnd() {
        FreeRanges free = FreeRanges.of(slots(), DAY, TOKYO);
        assertThat(free.defaultEnd("10:00", "")).contains("11:00");
        assertThat(free.defaultEnd("10:00", "12:30")).contains("12:30");
        assertThat(free.defaultEnd("10:00", "13:00")).as("overlaps the booking").contains("11:00");
        assertThat(free.defaultEnd("12:00", "")).as("the range ends first").contains("12:30");
        assertThat(free.defaultEnd("13:00", "14:00")).isEmpty();
    }
}
