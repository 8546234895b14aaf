package jp.kominkan.cloud.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import jp.kominkan.cloud.support.MutableClock;
import org.junit.jupiter.api.Test;

class HelloLimiterTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    final HelloLimiter limiter = new HelloLimiter(clock, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(10));

    @Test
    void aFloodOfHellosGetsOneAnswerASecondAndTheRestWaitTheirTurn() {
        assertThat(limiter.hello("gw-a")).isZero();
        clock.advance(Duration.ofMillis(300));
        assertThat(limiter.hello("gw-a")).isEqualTo(Duration.ofMillis(700));
        assertThat(limiter.hello("gw-b")).as("another gateway is not held up").isZero();
        clock.advance(Duration.ofMillis(700));
        assertThat(limiter.hello("gw-a")).isZero();
    }

    @Test
    void snapshotsAtMostEveryTenSecondsRenewalsEveryTenMinutes() {
        assertThat(limiter.snapshot("gw-a")).isZero();
        clock.advance(Duration.ofSeconds(4));
        assertThat(limiter.snapshot("gw-a")).isEqualTo(Duration.ofSeconds(6));
        clock.advance(Duration.ofSeconds(6));
        assertThat(limiter.snapshot("gw-a")).isZero();
        assertThat(limiter.renewal("gw-a")).isTrue();
        clock.advance(Duration.ofMinutes(9));
        assertThat(limiter.renewal("gw-a")).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.renewal("gw-a")).isTrue();
    }
}
