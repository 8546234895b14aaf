package jp.kominkan.cloud.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The arithmetic of a login counter's wait: free failures, doubling, the cap, forgetting. */
class BudgetTest {

    static final Instant T = Instant.parse("2026-12-02T00:00:00Z");
    final Budget budget = new Budget(5, Duration.ofMinutes(15), Duration.ofDays(1));

    @Test
    void noWaitWithinTheFreeFailuresThenOneSecondDoublingUpToTheCap() {
        assertThat(budget.wait(4, T, T)).isZero();
        assertThat(budget.wait(5, T, T)).isEqualTo(Duration.ofSeconds(1));
        assertThat(budget.wait(6, T, T)).isEqualTo(Duration.ofSeconds(2));
        assertThat(budget.wait(14, T, T)).isEqualTo(Duration.ofSeconds(512));
        assertThat(budget.wait(15, T, T)).isEqualTo(Duration.ofMinutes(15));
        assertThat(budget.wait(Integer.MAX_VALUE, T, T)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void theWaitRunsFromTheLastFailureAndEndsAfterIt() {
        assertThat(budget.wait(7, T, T.plusSeconds(3))).isEqualTo(Duration.ofSeconds(1));
        assertThat(budget.wait(7, T, T.plusSeconds(4))).isZero();
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        assertThat(budget.next(40, T, T.plus(Duration.ofHours(23)))).isEqualTo(41);
        assertThat(budget.next(40, T, T.plus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(budget.wait(40, T, T.plus(Duration.ofDays(1)))).isZero();
    }

    @Test
    void aBudgetMustForgiveOneFailureAndRememberLongerThanItsCap() {
        assertThatThrownBy(() -> new Budget(0, Duration.ofMinutes(1), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Budget(5, Duration.ofDays(2), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
