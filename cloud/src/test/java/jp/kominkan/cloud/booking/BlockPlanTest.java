package jp.kominkan.cloud.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalTime;

import jp.kominkan.cloud.web.Problem;
import org.junit.jupiter.api.Test;

/** The dates a block series takes. */
class BlockPlanTest {

    @Test
    void everySecondTuesdayOfTheMonth() {
        // 2026-12-08 is the second Tuesday of December 2026.
        BlockPlan plan = new BlockPlan(LocalDate.of(2026, 12, 8), LocalTime.of(9, 0), LocalTime.of(12, 0),
                BlockPlan.Repeat.MONTHLY, LocalDate.of(2027, 4, 30));
        assertThat(plan.dates()).containsExactly(LocalDate.of(2026, 12, 8), LocalDate.of(2027, 1, 12),
                LocalDate.of(2027, 2, 9), LocalDate.of(2027, 3, 9), LocalDate.of(2027, 4, 13));
    }

    @Test
    void aFifthWeekdayIsSkippedInMonthsWithoutOne() {
        // 2026-12-29 is the fifth Tuesday; January 2027 has none (its Tuesdays are the 5th to the 26th), March has the 30th.
        BlockPlan plan = new BlockPlan(LocalDate.of(2026, 12, 29), LocalTime.of(9, 0), LocalTime.of(10, 0),
                BlockPlan.Repeat.MONTHLY, LocalDate.of(2027, 3, 31));
        assertThat(plan.dates()).containsExactly(LocalDate.of(2026, 12, 29), LocalDate.of(2027, 3, 30));
    }

    @Test
    void weeklyUntilTheLastDateInclusive() {
        BlockPlan plan = new BlockPlan(LocalDate.of(2026, 12, 1), LocalTime.of(9, 0), LocalTime.of(10, 0),
                BlockPlan.Repeat.WEEKLY, LocalDate.of(2026, 12, 22));
        assertThat(plan.dates()).hasSize(4).last().isEqualTo(LocalDate.of(2026, 12, 22));
    }

    @Test
    void aSeriesOfMoreThanAYearOrBackwardsIsRefused() {
        assertThatThrownBy(() -> new BlockPlan(LocalDate.of(2026, 12, 1), LocalTime.of(9, 0), LocalTime.of(10, 0),
                BlockPlan.Repeat.WEEKLY, LocalDate.of(2028, 1, 1))).isInstanceOf(Problem.class)
                .extracting(e -> ((Problem) e).field().orElse("")).isEqualTo("until");
        assertThatThrownBy(() -> new BlockPlan(LocalDate.of(2026, 12, 1), LocalTime.of(9, 0), LocalTime.of(10, 0),
                BlockPlan.Repeat.WEEKLY, LocalDate.of(2026, 11, 1))).isInstanceOf(Problem.class);
    }
}
