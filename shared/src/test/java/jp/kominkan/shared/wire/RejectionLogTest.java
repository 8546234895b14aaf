package jp.kominkan.shared.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

class RejectionLogTest {

    @Test
    void aFloodIsCountedButWritesTwentyLinesAMinuteThenOneSummary() {
        Lines lines = new Lines();
        MovingClock clock = new MovingClock();
        RejectionLog log = new RejectionLog(lines, clock);
        for (int i = 0; i < 1000; i++) {
            log.rejected("kominkan/v1/site/door\n-forged/keypad", 11, "keypad message has no \"code\" string");
        }
        assertThat(lines.written).hasSize(RejectionLog.LINES_PER_MINUTE);
        assertThat(lines.written.getFirst()).doesNotContain("\n").contains("door?-forged");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        log.rejected("kominkan/v1/gw/x/ack", 7, "later");
        assertThat(lines.written.get(RejectionLog.LINES_PER_MINUTE)).isEqualTo("980 more rejected messages in the last minute were not logged");
        assertThat(lines.written.getLast()).contains("later");
    }

    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final class Lines implements System.Logger {
        final List<String> written = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            written.add(message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            written.add(format);
        }
    }
}
