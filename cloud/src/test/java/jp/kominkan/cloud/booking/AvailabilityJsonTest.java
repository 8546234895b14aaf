package jp.kominkan.cloud.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.web.Json;
import org.junit.jupiter.api.Test;

class AvailabilityJsonTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @Test
    void writesTheSameDocumentAsAGeneralJsonWriterWould() throws Exception {
        LocalDate day = LocalDate.of(2026, 12, 31);
        Instant start = day.atStartOfDay(TOKYO).toInstant();
        List<Availability.Slot> slots = new ArrayList<>();
        Availability.State[] states = Availability.State.values();
        for (int i = 0; i < 2 * 96; i++) {
            slots.add(new Availability.Slot(start.plusSeconds(900L * i), states[i % states.length]));
        }
        byte[] written = AvailabilityJson.write(42, slots, TOKYO);

        List<Map<String, String>> expected = new ArrayList<>();
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        for (Availability.Slot slot : slots) {
            expected.add(Map.of("start", iso.format(slot.start().atZone(TOKYO).toOffsetDateTime()),
                    "end", iso.format(slot.end().atZone(TOKYO).toOffsetDateTime()),
                    "state", slot.state().wire()));
        }
        JsonNode actual = Json.mapper().readTree(written);
        assertThat(actual.get("roomId").asLong()).isEqualTo(42);
        assertThat(actual.get("slots")).isEqualTo(Json.mapper().valueToTree(expected));
        assertThat(actual.get("slots").get(95).get("end").asText()).isEqualTo("2027-01-01T00:00:00+09:00");
    }

    @Test
    void utcAndOddSecondsAreWrittenInFull() throws Exception {
        Instant odd = Instant.parse("2026-12-01T10:07:30Z");
        JsonNode json = Json.mapper().readTree(AvailabilityJson.write(1,
                List.of(new Availability.Slot(odd, Availability.State.FREE)), ZoneId.of("UTC")));
        assertThat(json.get("slots").get(0).get("start").asText()).isEqualTo("2026-12-01T10:07:30+00:00");
        assertThat(json.get("slots").get(0).get("end").asText()).isEqualTo("2026-12-01T10:22:30+00:00");
    }
}
