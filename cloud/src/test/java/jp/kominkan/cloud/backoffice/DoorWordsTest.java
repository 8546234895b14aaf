package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.cloud.alarm.AlarmKind;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.shared.door.DoorState;
import jp.kominkan.shared.event.DoorEvent;
import org.junit.jupiter.api.Test;

/**
 * The board's words are written twice — {@link DoorWords} for the server's first paint, {@code door-board.js} for
 * what it redraws live — so a card must not change its words, mark or colour when the first event arrives.
 */
class DoorWordsTest {

    static final Page JA = new Page(Lang.JA, "x", Optional.empty(), "山吹市", "/staff/doors", Map.of(), Map.of());
    static final Page EN = new Page(Lang.EN, "x", Optional.empty(), "Yamabuki", "/staff/doors", Map.of(), Map.of());
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @Test
    void everyStatusHasTheSameWordsToneAndMarkInTheScriptAsOnTheServer() throws IOException {
        String script = script();
        for (DoorState.Status status : DoorState.Status.values()) {
            DoorWords.Look ja = DoorWords.look(status, JA);
            DoorWords.Look en = DoorWords.look(status, EN);
            assertThat(script).as(status.wire()).contains("'" + status.wire() + "': ['" + ja.label() + "', '" + en.label()
                    + "', '" + ja.tone() + "', '" + ja.mark() + "']");
            assertThat(ja.label()).isEqualTo(status.japanese());
        }
    }

    @Test
    void everyEventTypeAndAlarmKindHasTheSameWordsInTheScriptAsOnTheServer() throws IOException {
        String script = script();
        for (DoorEvent.Type type : DoorEvent.Type.values()) {
            assertThat(script).as(type.wire()).contains("'" + type.wire() + "': ['"
                    + DoorWords.event(type, Optional.empty(), JA) + "', '" + DoorWords.event(type, Optional.empty(), EN)
                    + "']");
        }
        for (AlarmKind kind : AlarmKind.values()) {
            assertThat(script).as(kind.wire()).contains("'" + kind.wire() + "': ['" + DoorWords.alarm(kind, JA) + "', '"
                    + DoorWords.alarm(kind, EN) + "', '" + DoorWords.alarmMark(kind) + "']");
        }
    }

    @Test
    void timesReadAsSecondsTodayAndAsADayWithMinutesOtherwise() {
        LocalDate today = LocalDate.of(2026, 12, 2);
        Instant morning = Instant.parse("2026-12-02T00:03:15Z");
        assertThat(DoorWords.time(morning, TOKYO, today, JA)).isEqualTo("9:03:15");
        assertThat(DoorWords.time(morning, TOKYO, today.plusDays(1), JA)).isEqualTo("12月2日 9:03");
        assertThat(DoorWords.time(morning, TOKYO, today.plusDays(1), EN)).isEqualTo("12/2 9:03");
        assertThat(DoorWords.range(morning, morning.plusSeconds(7200), TOKYO, today, JA)).isEqualTo("9:03–11:03");
        assertThat(DoorWords.event(DoorEvent.Type.BATTERY, Optional.of("battery=15"), JA)).isEqualTo("電池 15%");
    }

    static String script() throws IOException {
        try (InputStream in = DoorWordsTest.class.getResourceAsStream("/static/door-board.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
