package jp.kominkan.shared.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void aForgedIdCannotWriteALineOfItsOwnOrHideBehindEscapes() {
        String forged = "door-1\n2026-12-01 09:00:00 INFO jp.kominkan: admin logged in\u001b[2K\u202e";
        String safe = LogText.safe(forged);
        assertThat(safe).doesNotContain("\n").doesNotContain("\u001b").doesNotContain("\u202e");
        assertThat(safe).startsWith("door-1?2026-12-01");
    }

    @Test
    void longTextIsCutAndJapaneseIsKept() {
        assertThat(LogText.safe("x".repeat(10_000))).hasSize(LogText.MAX + 1).endsWith("…");
        assertThat(LogText.safe("自習室 入口")).isEqualTo("自習室 入口");
        assertThat(LogText.safe(null)).isEqualTo("(none)");
    }
}
