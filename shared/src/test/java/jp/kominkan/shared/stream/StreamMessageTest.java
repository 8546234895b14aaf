package jp.kominkan.shared.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class StreamMessageTest {

    @Test
    void messagesSurviveTheRoundTrip() {
        StreamMessage.Entries entries = new StreamMessage.Entries(List.of(
                new StreamEntry(7, StreamEntry.Kind.ISSUE, new byte[] {1, 2, 3}),
                new StreamEntry(8, StreamEntry.Kind.REVOKE, new byte[16])));
        assertThat(StreamMessage.decode(entries.encode())).isEqualTo(entries);
        StreamMessage.Ack ack = new StreamMessage.Ack(42, true);
        assertThat(StreamMessage.decode(ack.encode())).isEqualTo(ack);
        StreamMessage decoded = StreamMessage.decode(new StreamMessage.Snapshot(9, 1_780_000_000L, List.of(new byte[] {5})).encode());
        assertThat(decoded).isInstanceOfSatisfying(StreamMessage.Snapshot.class, s -> {
            assertThat(s.seq()).isEqualTo(9);
            assertThat(s.issuedAt()).isEqualTo(1_780_000_000L);
            assertThat(s.grants()).singleElement().isEqualTo(new byte[] {5});
        });
    }

    @Test
    void badMessagesAreRefusedWithAReason() {
        assertThatThrownBy(() -> StreamMessage.decode("{\"seq\":1}".getBytes())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamMessage.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamMessage.decode(new byte[StreamMessage.MAX_BYTES + 1]))
                .hasMessageContaining("over");
        assertThatThrownBy(() -> new StreamMessage.Entries(List.of(
                new StreamEntry(1, StreamEntry.Kind.ISSUE, new byte[1]),
                new StreamEntry(3, StreamEntry.Kind.ISSUE, new byte[1])))).hasMessageContaining("consecutive");
        assertThatThrownBy(() -> new StreamEntry(1, StreamEntry.Kind.REVOKE, new byte[3])).hasMessageContaining("16-byte");
    }
}
