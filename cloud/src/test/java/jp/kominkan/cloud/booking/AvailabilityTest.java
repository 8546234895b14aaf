package jp.kominkan.cloud.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jp.kominkan.cloud.facility.OpeningHours;
import jp.kominkan.cloud.facility.Room;
import org.junit.jupiter.api.Test;

class AvailabilityTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 2); // a Wednesday

    private static Room room(int horizonDays) {
        Map<DayOfWeek, OpeningHours.Daily> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day != DayOfWeek.MONDAY) {
                hours.put(day, new OpeningHours.Daily(9 * 60, 21 * 60));
            }
        }
        return new Room(1, 1, 1, "大会議室", 60, horizonDays, 1200, 1800, new OpeningHours(hours), TOKYO, 10, true);
    }

    private static Instant tokyo(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute).atZone(TOKYO).toInstant();
    }

    @Test
    void slotsFollowOpeningHoursBookingsAndBlocks() {
        Map<Instant, ReservationRepository.Occupant> occupied = Map.of(
                tokyo(DAY, 10, 0), ReservationRepository.Occupant.RESERVATION,
                tokyo(DAY, 12, 30), ReservationRepository.Occupant.BLOCK);
        List<Availability.Slot> slots = Availability.of(room(90), Set.of(), occupied, DAY, 1, tokyo(DAY, 0, 0).minusSeconds(86400));
        assertThat(slots).hasSize(96);
        assertThat(slots.get(35).state()).isEqualTo(Availability.State.CLOSED);   // 08:45
        assertThat(slots.get(36).state()).isEqualTo(Availability.State.FREE);     // 09:00
        assertThat(slots.get(40).state()).isEqualTo(Availability.State.BOOKED);   // 10:00
        assertThat(slots.get(50).state()).isEqualTo(Availability.State.BLOCKED);  // 12:30
        assertThat(slots.get(83).state()).isEqualTo(Availability.State.FREE);     // 20:45
        assertThat(slots.get(84).state()).isEqualTo(Availability.State.CLOSED);   // 21:00
    }

    @Test
    void closedDaysWeeklyClosuresAndDaysBeyondTheHorizonAreClosed() {
        Instant now = tokyo(DAY, 0, 0).minusSeconds(86400);
        List<Availability.Slot> closedDay = Availability.of(room(90), Set.of(DAY), Map.of(), DAY, 1, now);
        assertThat(closedDay).allMatch(slot -> slot.state() == Availability.State.CLOSED);
        LocalDate monday = DAY.plusDays(5);
        assertThat(Availability.of(room(90), Set.of(), Map.of(), monday, 1, now))
                .allMatch(slot -> slot.state() == Availability.State.CLOSED);
        // Today is 1 Dec; with a 3-day horizon 4 Dec is the last bookable day.
        assertThat(Availability.of(room(3), Set.of(), Map.of(), DAY.plusDays(2), 1, now).get(40).state())
                .isEqualTo(Availability.State.FREE);
        assertThat(Availability.of(room(3), Set.of(), Map.of(), DAY.plusDays(3), 1, now).get(40).state())
                .isEqualTo(Availability.State.CLOSED);
    }

    @Test
    void slotsThatHaveBegunArePast() {
        List<Availability.Slot> slots = Availability.of(room(90), Set.of(), Map.of(), DAY, 1, tokyo(DAY, 10, 5));
        assertThat(slots.get(40).state()).isEqualTo(Availability.State.PAST);   // 10:00 has begun
        assertThat(slots.get(41).state()).isEqualTo(Availability.State.FREE);   // 10:15
        assertThat(slots.get(40).end()).isEqualTo(tokyo(DAY, 10, 15));
    }
}
