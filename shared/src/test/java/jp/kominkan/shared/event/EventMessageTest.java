package jp.kominkan.shared.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class EventMessageTest {

    @Test
    void eventsAndReceiptsSurviveTheRoundTrip() {
        DoorEvent unlocked = new DoorEvent(UUID.randomUUID(), "door-1", DoorEvent.Type.UNLOCKED,
                Instant.parse("2026-12-01T01:00:00.123Z"), Optional.of(UUID.randomUUID()), Optional.empty());
        DoorEvent denied = new DoorEvent(UUID.randomUUID(), "door-1", DoorEvent.Type.DENIED,
                Instant.parse("2026-12-01T01:00:01Z"), Optional.empty(), Optional.of("revoked"));
        EventMessage.Events events = new EventMessage.Events(List.of(unlocked, denied));
        assertThat(EventMessage.decode(events.encode())).isEqualTo(events);
        EventMessage.Receipt receipt = new EventMessage.Receipt(List.of(unlocked.id(), denied.id()));
        assertThat(EventMessage.decode(receipt.encode())).isEqualTo(receipt);
    }

    @Test
    void badMessagesAreRefusedWithAReason() {
        assertThatThrownBy(() -> EventMessage.decode("{\"type\":\"opened\"}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventMessage.decode(new byte[] {(byte) 0xA2, 0, 4, 1, (byte) 0x81, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DoorEvent(UUID.randomUUID(), "", DoorEvent.Type.OPENED, Instant.now(),
                Optional.empty(), Optional.empty())).hasMessageContaining("door id");
    }
}
