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

    @Test
    void runsJoinConsecutiveSlotsOfOneStateAndCoverTheSameTimeAsTheSlots() throws Exception {
        Instant start = LocalDate.of(2026, 12, 31).atStartOfDay(TOKYO).toInstant();
        List<Availability.Slot> slots = new ArrayList<>();
        for (int i = 0; i < 2 * 96; i++) {
            // closed until 09:00, free, booked 10:00–11:30, free, closed from 21:00; and again the next day
            int q = i % 96;
            Availability.State state = q < 36 || q >= 84 ? Availability.State.CLOSED
                    : q >= 40 && q < 46 ? Availability.State.BOOKED : Availability.State.FREE;
            slots.add(new Availability.Slot(start.plusSeconds(900L * i), state));
        }
        JsonNode runs = Json.mapper().readTree(AvailabilityJson.writeRuns(7, slots, TOKYO));
        assertThat(runs.get("format").asText()).isEqualTo("runs");
        assertThat(runs.get("runs").findValuesAsText("state"))
                .containsExactly("closed", "free", "booked", "free", "closed", "free", "booked", "free", "closed");
        assertThat(runs.get("runs").get(0).get("start").asText()).isEqualTo("2026-12-31T00:00:00+09:00");
        assertThat(runs.get("runs").get(0).get("end").asText()).isEqualTo("2026-12-31T09:00:00+09:00");
        assertThat(runs.get("runs").get(2).get("start").asText()).isEqualTo("2026-12-31T10:00:00+09:00");
        assertThat(runs.get("runs").get(2).get("end").asText()).isEqualTo("2026-12-31T11:30:00+09:00");
        // the closed evening and the next morning are one run across midnight
        assertThat(runs.get("runs").get(4).get("start").asText()).isEqualTo("2026-12-31T21:00:00+09:00");
        assertThat(runs.get("runs").get(4).get("end").asText()).isEqualTo("2027-01-01T09:00:00+09:00");
        assertThat(runs.get("runs").get(8).get("end").asText()).isEqualTo("2027-01-02T00:00:00+09:00");
    }

    @Test
    void oneSlotIsOneRunAndNoSlotsAreNoRuns() throws Exception {
        Instant at = Instant.parse("2026-12-01T01:00:00Z");
        JsonNode one = Json.mapper().readTree(AvailabilityJson.writeRuns(1,
                List.of(new Availability.Slot(at, Availability.State.FREE)), TOKYO));
        assertThat(one.get("runs")).hasSize(1);
        assertThat(one.get("runs").get(0).get("end").asText()).isEqualTo("2026-12-01T10:15:00+09:00");
        assertThat(Json.mapper().readTree(AvailabilityJson.writeRuns(1, List.of(), TOKYO)).get("runs")).isEmpty();
    }
}
