package jp.kominkan.shared.slot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

class SlotRangeTest {

    private static Instant tokyo(String local) {
        return OffsetDateTime.parse(local + "+09:00").toInstant();
    }

    @Test
    void quarterHoursOfTokyoAreBoundaries() {
        assertThat(Slots.isBoundary(tokyo("2026-12-01T10:45:00"))).isTrue();
        assertThat(Slots.isBoundary(tokyo("2026-12-01T10:50:00"))).isFalse();
        assertThat(Slots.isBoundary(tokyo("2026-12-01T10:45:00").plusNanos(1))).isFalse();
    }

    @Test
    void floorAndCeilSnapToTheGrid() {
        Instant t = tokyo("2026-12-01T10:52:10");
        assertThat(Slots.floor(t)).isEqualTo(tokyo("2026-12-01T10:45:00"));
        assertThat(Slots.ceil(t)).isEqualTo(tokyo("2026-12-01T11:00:00"));
        assertThat(Slots.ceil(tokyo("2026-12-01T11:00:00"))).isEqualTo(tokyo("2026-12-01T11:00:00"));
        assertThat(Slots.floor(Instant.ofEpochSecond(-1))).isEqualTo(Instant.ofEpochSecond(-900));
    }

    @Test
    void rangeListsEverySlotStart() {
        SlotRange range = new SlotRange(tokyo("2026-12-01T23:30:00"), tokyo("2026-12-02T00:30:00"));
        assertThat(range.count()).isEqualTo(4);
        assertThat(range.slotStarts()).containsExactly(
                tokyo("2026-12-01T23:30:00"), tokyo("2026-12-01T23:45:00"),
                tokyo("2026-12-02T00:00:00"), tokyo("2026-12-02T00:15:00"));
    }

    @Test
    void rangesThatOnlyTouchDoNotOverlap() {
        SlotRange morning = new SlotRange(tokyo("2026-12-01T09:00:00"), tokyo("2026-12-01T10:00:00"));
        SlotRange next = new SlotRange(tokyo("2026-12-01T10:00:00"), tokyo("2026-12-01T11:00:00"));
        SlotRange straddling = new SlotRange(tokyo("2026-12-01T09:45:00"), tokyo("2026-12-01T10:15:00"));
        assertThat(morning.overlaps(next)).isFalse();
        assertThat(morning.overlaps(straddling)).isTrue();
        assertThat(next.overlaps(straddling)).isTrue();
        assertThat(morning.contains(tokyo("2026-12-01T10:00:00"))).isFalse();
    }

    @Test
    void offGridOrEmptyRangesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> new SlotRange(tokyo("2026-12-01T09:10:00"), tokyo("2026-12-01T10:00:00")))
                .hasMessageContaining("start").hasMessageContaining("15-minute");
        assertThatThrownBy(() -> new SlotRange(tokyo("2026-12-01T10:00:00"), tokyo("2026-12-01T10:00:00")))
                .hasMessageContaining("not after start");
    }
}
