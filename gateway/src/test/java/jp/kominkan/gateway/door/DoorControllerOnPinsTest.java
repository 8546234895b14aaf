package jp.kominkan.gateway.door;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.access.AccessDecision;
import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Grants;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.gateway.device.DoorContact;
import jp.kominkan.gateway.device.StrikeRelay;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.gateway.support.Waits;
import jp.kominkan.shared.door.DoorState;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.stream.StreamEntry;
import jp.kominkan.shared.stream.UnlockOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A strike door on Pi4J's mock platform (relay on pin 17, contact on 27): what it journals and the
 * {@link DoorState} it folds — forced open, held open, relocked after a pulse, a lockout, remote unlocks.
 */
class DoorControllerOnPinsTest {

    private static final String CODE = "31415926";
    private static final Duration PULSE = Duration.ofMillis(300);
    private static final Duration HELD_OPEN = Duration.ofMillis(400);
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    Context pi4j;
    GrantStore grants;
    EventJournal journal;
    StrikeRelay relay;
    DoorController door;
    AccessGrant grant;
    final List<DoorEvent> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void wire() {
        grants = GrantStore.open(dir.resolve("grants.log"), Grants.VERIFIER);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        grant = Grants.grant(Grants.DOOR, CODE, now.minusSeconds(600), now.plusSeconds(3600));
        grants.apply(new StreamEntry(1, StreamEntry.Kind.ISSUE, Grants.signed(grant)));
        journal = EventJournal.open(dir);
        pi4j = Gateway.mockPlatform();
        relay = new StrikeRelay(pi4j, 17, "strike");
        Clock clock = Clock.systemUTC();
        door = new DoorController(Grants.DOOR, new DoorAccess(grants, Map.of(Grants.DOOR, Grants.DOOR_KEY), new Lockout(),
                clock), relay::pulse, PULSE, HELD_OPEN, journal, sent::add, clock);
        new DoorContact(pi4j, 27, "contact", Duration.ofMillis(1), door::contactChanged);
    }

    @AfterEach
    void close() {
        door.close();
        relay.close();
        grants.close();
        journal.close();
        pi4j.shutdown();
    }

    private void contact(boolean open) {
        ((MockDigitalInput) pi4j.registry().get("contact", DigitalInput.class))
                .mockState(open ? DigitalState.HIGH : DigitalState.LOW);
    }

    private List<DoorEvent.Type> types() {
        return sent.stream().map(DoorEvent::type).toList();
    }

    private List<DoorEvent> of(DoorEvent.Type type) {
        return sent.stream().filter(event -> event.type() == type).toList();
    }

    private void awaitEvent(DoorEvent.Type type) {
        Waits.until(type.wire(), LIMIT, () -> types().contains(type));
    }

    @Test
    void aDoorOpenedWithoutAnUnlockIsForcedOpenUntilItCloses() {
        contact(true);
        awaitEvent(DoorEvent.Type.FORCED_OPEN);
        assertThat(relay.pulses()).isZero();
        assertThat(door.state().forced()).isTrue();
        assertThat(door.state().contact()).isEqualTo(DoorState.Contact.OPEN);
        assertThat(door.state().status(true, Instant.now())).isEqualTo(DoorState.Status.FORCED_OPEN);
        contact(false);
        awaitEvent(DoorEvent.Type.CLOSED);
        assertThat(door.state().forced()).isFalse();
        assertThat(door.state().contact()).isEqualTo(DoorState.Contact.CLOSED);
    }

    @Test
    void aDoorHeldOpenPastItsLimitIsAjarUntilItCloses() {
        assertThat(door.codeEntered(CODE)).isInstanceOf(AccessDecision.Granted.class);
        contact(true);
        awaitEvent(DoorEvent.Type.HELD_OPEN);
        assertThat(types()).startsWith(DoorEvent.Type.UNLOCKED, DoorEvent.Type.OPENED).doesNotContain(DoorEvent.Type.FORCED_OPEN);
        assertThat(door.state().ajar()).isTrue();
        assertThat(door.state().status(true, Instant.now())).isEqualTo(DoorState.Status.AJAR);
        contact(false);
        awaitEvent(DoorEvent.Type.CLOSED);
        assertThat(door.state().ajar()).isFalse();
        assertThat(of(DoorEvent.Type.HELD_OPEN)).hasSize(1);
    }

    @Test
    void aStrikeIsJournalledRelockedWhenItsPulseEnds() {
        Instant typed = Instant.now();
        door.codeEntered(CODE);
        assertThat(relay.isEnergised()).isTrue();
        assertThat(door.state().lock()).isEqualTo(DoorState.Lock.UNLOCKED);
        assertThat(door.state().lastReservation()).contains(grant.reservationId());
        awaitEvent(DoorEvent.Type.RELOCKED);
        Waits.until("relay pin back low", LIMIT, () -> !relay.isEnergised());
        assertThat(of(DoorEvent.Type.RELOCKED)).singleElement().satisfies(event -> {
            assertThat(event.grantId()).as("a pulse's end names no grant").isEmpty();
            assertThat(event.at()).as("not before the pulse ended").isAfterOrEqualTo(typed.plus(PULSE));
        });
        assertThat(door.state().lock()).isEqualTo(DoorState.Lock.LOCKED);
        assertThat(door.state().status(true, Instant.now())).isEqualTo(DoorState.Status.LOCKED);
    }

    @Test
    void fiveWrongCodesLockTheKeypadWithOneLockoutEvent() {
        for (int i = 0; i < Lockout.FREE_TRIES; i++) {
            door.codeEntered("0000000" + i);
        }
        assertThat(door.codeEntered(CODE)).isEqualTo(new AccessDecision.Denied(AccessDecision.Reason.LOCKED_OUT));
        assertThat(types()).containsExactly(DoorEvent.Type.DENIED, DoorEvent.Type.DENIED, DoorEvent.Type.DENIED,
                DoorEvent.Type.DENIED, DoorEvent.Type.DENIED, DoorEvent.Type.LOCKOUT, DoorEvent.Type.DENIED);
        DoorEvent lockout = of(DoorEvent.Type.LOCKOUT).getFirst();
        assertThat(lockout.reason()).contains("minutes=1");
        assertThat(sent.getLast().reason()).contains("locked-out");
        assertThat(relay.pulses()).isZero();
        assertThat(door.state().lockedOutUntil()).contains(lockout.at().plusSeconds(60));
        assertThat(door.state().lockedOut(Instant.now())).isTrue();
    }

    @Test
    void aRemoteUnlockHoldsTheStrikeForItsWindowAndRelocksAtItsEnd() {
        door.remoteRenewal(Duration.ofMillis(300), Duration.ofMillis(500));
        Instant issued = Instant.now();
        UnlockOrder order = new UnlockOrder(UUID.randomUUID(), Grants.DOOR, issued, issued.plusSeconds(3));
        assertThat(door.remoteUnlock(order)).isTrue();
        assertThat(sent).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DoorEvent.Type.REMOTE_UNLOCKED);
            assertThat(event.grantId()).contains(order.orderId());
            assertThat(event.reason()).contains("until=" + order.until().getEpochSecond());
        });
        assertThat(door.state().remoteUntil()).contains(order.until());
        assertThat(door.state().status(true, Instant.now())).isEqualTo(DoorState.Status.UNLOCKED);
        contact(true);
        awaitEvent(DoorEvent.Type.OPENED);
        contact(false);
        // Energised the whole window, though no command lasts longer than 500 ms.
        Waits.until("the window nearly over", LIMIT, () -> {
            assertThat(relay.isEnergised()).as("released throughout the window").isTrue();
            return Instant.now().isAfter(order.until().minusMillis(150));
        });
        assertThat(relay.pulses()).as("released again and again").isGreaterThanOrEqualTo(3);
        awaitEvent(DoorEvent.Type.RELOCKED);
        Waits.until("relay pin back low", LIMIT, () -> !relay.isEnergised());
        assertThat(of(DoorEvent.Type.RELOCKED)).singleElement().satisfies(event -> {
            assertThat(event.grantId()).contains(order.orderId());
            assertThat(event.at()).isBetween(order.until(), order.until().plusSeconds(1));
        });
        assertThat(types()).doesNotContain(DoorEvent.Type.FORCED_OPEN);
        assertThat(door.state().lock()).isEqualTo(DoorState.Lock.LOCKED);
        assertThat(door.state().remoteUntil()).isEmpty();
    }

    @Test
    void aSecondOrderReplacesTheWindow() {
        door.remoteRenewal(Duration.ofMillis(300), Duration.ofMillis(500));
        Instant issued = Instant.now();
        UnlockOrder first = new UnlockOrder(UUID.randomUUID(), Grants.DOOR, issued, issued.plusSeconds(30));
        UnlockOrder second = new UnlockOrder(UUID.randomUUID(), Grants.DOOR, issued, issued.plusSeconds(2));
        door.remoteUnlock(first);
        door.remoteUnlock(second);
        awaitEvent(DoorEvent.Type.RELOCKED);
        Waits.until("relay pin back low", LIMIT, () -> !relay.isEnergised());
        assertThat(of(DoorEvent.Type.RELOCKED)).singleElement().satisfies(event ->
                assertThat(event.grantId()).contains(second.orderId()));
        assertThat(Instant.now()).as("the first order's 30 s did not hold the door").isBefore(first.until());
        assertThat(door.state().lock()).isEqualTo(DoorState.Lock.LOCKED);
    }

    @Test
    void aLateRemoteUnlockIsRefusedAndNeverEnergisesTheRelay() {
        Instant now = Instant.now();
        UnlockOrder late = new UnlockOrder(UUID.randomUUID(), Grants.DOOR, now.minusSeconds(90), now.plusSeconds(600));
        assertThat(door.remoteUnlock(late)).isFalse();
        assertThat(sent).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DoorEvent.Type.DENIED);
            assertThat(event.reason()).contains("unlock-expired");
            assertThat(event.grantId()).contains(late.orderId());
        });
        assertThat(relay.pulses()).isZero();
        assertThat(relay.isEnergised()).isFalse();
        assertThat(door.state().remoteUntil()).isEmpty();
        contact(true);
        awaitEvent(DoorEvent.Type.FORCED_OPEN);
        assertThat(journal.undelivered(10)).extracting(DoorEvent::reason).contains(Optional.of("unlock-expired"));
    }
}
