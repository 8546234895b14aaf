package jp.kominkan.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.gateway.support.Waits;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantKeys;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.stream.StreamEntry;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The door's devices on Pi4J's mock platform: a Wiegand keypad on pins 5/6, a strike relay on 17,
 * a door contact on 27, and the events they make.
 */
class DevicesOnMockPinsTest {

    private static final String DOOR = "door-1";
    private static final byte[] DOOR_KEY = new byte[32];
    private static final String CODE = "48213705";
    private static final int FRAME_GAP_MS = 150;

    @TempDir
    Path dir;
    Context pi4j;
    GrantStore grants;
    EventJournal journal;
    StrikeRelay relay;
    DoorController door;
    WiegandKeypad keypad;
    final List<DoorEvent> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void wire() {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        String keyId = GrantKeys.keyId(key.generatePublicKey());
        grants = GrantStore.open(dir.resolve("grants.log"), new GrantVerifier(Map.of(keyId, key.generatePublicKey())));
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        AccessGrant grant = new AccessGrant(java.util.UUID.randomUUID(), "999991", DOOR, java.util.UUID.randomUUID(),
                now.minusSeconds(600), now.plusSeconds(3600), CodeVerifier.of(DOOR_KEY, DOOR, CODE), now, keyId);
        grants.apply(new StreamEntry(1, StreamEntry.Kind.ISSUE, new GrantSigner(key, keyId).sign(grant)));
        journal = EventJournal.open(dir);
        pi4j = Gateway.mockPlatform();
        relay = new StrikeRelay(pi4j, 17, "strike");
        door = new DoorController(DOOR, new DoorAccess(grants, Map.of(DOOR, DOOR_KEY), new Lockout(), Clock.systemUTC()),
                relay::pulse, Duration.ofMillis(300), Duration.ofMillis(400), journal, sent::add, Clock.systemUTC());
        // A generous frame gap, so a busy test machine cannot split a simulated frame in two.
        keypad = new WiegandKeypad(pi4j, 5, 6, "keypad", door::codeEntered, Duration.ofMillis(FRAME_GAP_MS));
        new DoorContact(pi4j, 27, "contact", Duration.ofMillis(1), door::contactChanged);
    }

    @AfterEach
    void close() {
        keypad.close();
        door.close();
        relay.close();
        grants.close();
        journal.close();
        pi4j.shutdown();
    }

    private MockDigitalInput pin(int bcm) {
        String id = switch (bcm) {
            case 5 -> "keypad-d0";
            case 6 -> "keypad-d1";
            case 27 -> "contact";
            default -> throw new IllegalArgumentException("no input on " + bcm);
        };
        return (MockDigitalInput) pi4j.registry().get(id, DigitalInput.class);
    }

    /** Plays a frame the way a keypad does: a short low pulse per bit, then a pause that ends the frame. */
    private void frame(long bits, int length) throws InterruptedException {
        MockDigitalInput d0 = pin(5);
        MockDigitalInput d1 = pin(6);
        for (int i = length - 1; i >= 0; i--) {
            MockDigitalInput line = ((bits >> i) & 1) == 1 ? d1 : d0;
            line.mockState(DigitalState.LOW);
            line.mockState(DigitalState.HIGH);
        }
        // The inter-frame pause is part of the Wiegand signal being simulated, not a wait for a result.
        Thread.sleep(FRAME_GAP_MS * 3L);
    }

    private List<DoorEvent.Type> types() {
        return sent.stream().map(DoorEvent::type).toList();
    }

    @Test
    void theStrikeIsDeEnergisedAtBoot() {
        assertThat(relay.isEnergised()).isFalse();
        assertThat(relay.pulses()).isZero();
    }

    @Test
    void keysTypedOnAWiegandKeypadOpenTheDoor() throws Exception {
        pin(5).mockState(DigitalState.HIGH);
        pin(6).mockState(DigitalState.HIGH);
        for (char c : CODE.toCharArray()) {
            frame(c - '0', 4);
        }
        Waits.until("relay pulse", Duration.ofSeconds(5), () -> relay.pulses() == 1);
        assertThat(types()).first().isEqualTo(DoorEvent.Type.UNLOCKED);
        Waits.until("strike released again", Duration.ofSeconds(5), () -> !relay.isEnergised());
        // The strike reports no state of its own, so the controller says it is locked again when the pulse ends.
        Waits.until("relocked journalled", Duration.ofSeconds(5), () -> types().size() == 2);
        assertThat(types()).containsExactly(DoorEvent.Type.UNLOCKED, DoorEvent.Type.RELOCKED);

        frame(WiegandDecoderTest.frame(48_213_705L, 34), 34);
        Waits.until("second pulse from a 34-bit frame", Duration.ofSeconds(5), () -> relay.pulses() == 2);

        frame(WiegandDecoderTest.frame(48_213_705L, 34) ^ 1, 34);   // broken parity: rejected, not a code
        Waits.until("bad frame counted", Duration.ofSeconds(5), () -> keypad.rejected() == 1);
        assertThat(relay.pulses()).isEqualTo(2);
    }

    @Test
    void theContactReportsOpenedClosedForcedAndHeldOpen() throws Exception {
        door.codeEntered(CODE);
        pin(27).mockState(DigitalState.HIGH);
        Waits.until("opened", Duration.ofSeconds(5), () -> types().contains(DoorEvent.Type.OPENED));
        pin(27).mockState(DigitalState.LOW);
        Waits.until("closed", Duration.ofSeconds(5), () -> types().contains(DoorEvent.Type.CLOSED));
        Waits.until("lock window over", Duration.ofSeconds(10), () -> {
            // opening after the release window counts as forced
            return Instant.now().isAfter(sent.getFirst().at().plusSeconds(6));
        });
        pin(27).mockState(DigitalState.HIGH);
        Waits.until("forced open", Duration.ofSeconds(5), () -> types().contains(DoorEvent.Type.FORCED_OPEN));
        Waits.until("held open", Duration.ofSeconds(5), () -> types().contains(DoorEvent.Type.HELD_OPEN));
        assertThat(journal.undeliveredCount()).isEqualTo(sent.size());
    }
}
