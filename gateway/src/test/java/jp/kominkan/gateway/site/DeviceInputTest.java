package jp.kominkan.gateway.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.shared.grant.GrantVerifier;
import org.junit.jupiter.api.Test;

/** A device's messages: only its own kind's, and a flood of refusals is stopped before it reaches the door. */
class DeviceInputTest {

    @Test
    void aDeviceFloodingRefusedMessagesIsStoppedBeforeTheDoorAndItsJournal() throws Exception {
        var dir = Files.createTempDirectory("device-input");
        try (GrantStore grants = GrantStore.open(dir.resolve("grants.log"), new GrantVerifier(Map.of()));
             EventJournal journal = EventJournal.open(dir)) {
            DoorController door = new DoorController("door-1", new DoorAccess(grants, Map.of("door-1", new byte[32]),
                    new Lockout(), Clock.systemUTC()), length -> { }, Duration.ofSeconds(1), Duration.ofMinutes(1), journal,
                    e -> { }, Clock.systemUTC());
            DeviceInput input = new DeviceInput(Map.of("kp-1", door, "kp-2", door), Map.of("qr-1", door));
            assertThat(input.qr("kp-1", bytes("KMK1:x"))).isEqualTo(
                    new DeviceInput.Outcome.Refused(DeviceInput.Refusal.NOT_THIS_DEVICE, "this device is not a QR reader"));
            for (int i = 0; i < DeviceInput.BURST - 2; i++) {
                assertThat(input.keypad("kp-1", bytes("not json"))).isInstanceOf(DeviceInput.Outcome.Refused.class);
            }
            assertThat(input.keypad("kp-1", bytes("{\"code\":\"00000001\"}"))).isInstanceOf(DeviceInput.Outcome.Decided.class);
            assertThat(input.keypad("kp-1", bytes("{\"code\":\"00000002\"}"))).isInstanceOf(DeviceInput.Outcome.Decided.class);
            int journalled = journal.undeliveredCount();
            DeviceInput.Outcome stopped = input.keypad("kp-1", bytes("{\"code\":\"00000003\"}"));
            assertThat(stopped).isInstanceOfSatisfying(DeviceInput.Outcome.Refused.class,
                    r -> assertThat(r.refusal()).isEqualTo(DeviceInput.Refusal.TOO_MANY));
            assertThat(journal.undeliveredCount()).as("nothing journalled for the stopped one").isEqualTo(journalled);
            assertThat(input.keypad("kp-2", bytes("{\"code\":\"00000004\"}"))).as("another device is not held up")
                    .isInstanceOf(DeviceInput.Outcome.Decided.class);
            door.close();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
