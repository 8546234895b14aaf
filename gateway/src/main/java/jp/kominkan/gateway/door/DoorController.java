package jp.kominkan.gateway.door;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jp.kominkan.gateway.access.AccessDecision;
import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.shared.event.DoorEvent;

/**
 * One door: a typed code or a scanned door pass is decided locally and opens the lock or not; the
 * contact's changes become opened / closed / forced-open / held-open. Every event goes to the
 * journal first and is then handed to {@code send}.
 */
public final class DoorController {

    private final String doorId;
    private final DoorAccess access;
    private final Lock lock;
    private final Duration pulse;
    private final Duration heldOpenLimit;
    private final EventJournal journal;
    private final Consumer<DoorEvent> send;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private Instant releasedUntil = Instant.MIN;
    private ScheduledFuture<?> heldOpen;

    /**
     * @param doorId        the door
     * @param access        decides codes
     * @param lock          releases the door
     * @param pulse         how long the lock stays released
     * @param heldOpenLimit how long the door may stand open
     * @param journal       where events are written first
     * @param send          sends an event once it is written
     * @param clock         the clock
     */
    public DoorController(String doorId, DoorAccess access, Lock lock, Duration pulse, Duration heldOpenLimit,
                          EventJournal journal, Consumer<DoorEvent> send, Clock clock) {
        this.doorId = doorId;
        this.access = access;
        this.lock = lock;
        this.pulse = pulse;
        this.heldOpenLimit = heldOpenLimit;
        this.journal = journal;
        this.send = send;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("door-" + doorId).daemon().factory());
    }

    /** @return the door's id */
    public String doorId() {
        return doorId;
    }

    /**
     * A code was typed at this door's keypad.
     *
     * @param code what was typed; never logged
     * @return the decision
     */
    public AccessDecision codeEntered(String code) {
        return carryOut(access.decide(doorId, code));
    }

    /**
     * A door pass was scanned at this door's reader (a QR code from the resident's booking page).
     *
     * @param scanned the text the reader scanned; never logged
     * @return the decision
     */
    public AccessDecision passShown(String scanned) {
        return carryOut(access.decidePass(doorId, scanned));
    }

    /** Releases the lock for a granted decision; journals either way. */
    private AccessDecision carryOut(AccessDecision decision) {
        switch (decision) {
            case AccessDecision.Granted granted -> {
                synchronized (this) {
                    releasedUntil = clock.instant().plus(pulse).plusSeconds(5);
                }
                lock.release(pulse);
                record(DoorEvent.Type.UNLOCKED, Optional.of(granted.grant().grantId()), Optional.empty());
            }
            case AccessDecision.Denied denied ->
                    record(DoorEvent.Type.DENIED, Optional.empty(), Optional.of(denied.reason().wire()));
        }
        return decision;
    }

    /**
     * The door contact changed.
     *
     * @param open true when the door opened
     */
    public synchronized void contactChanged(boolean open) {
        if (open) {
            boolean released = clock.instant().isBefore(releasedUntil);
            record(released ? DoorEvent.Type.OPENED : DoorEvent.Type.FORCED_OPEN, Optional.empty(), Optional.empty());
            heldOpen = timer.schedule(() -> record(DoorEvent.Type.HELD_OPEN, Optional.empty(), Optional.empty()),
                    heldOpenLimit.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            if (heldOpen != null) {
                heldOpen.cancel(false);
            }
            record(DoorEvent.Type.CLOSED, Optional.empty(), Optional.empty());
        }
    }

    /**
     * Records something reported by a device (lock offline, tamper).
     *
     * @param type   what
     * @param reason details
     */
    public void report(DoorEvent.Type type, Optional<String> reason) {
        record(type, Optional.empty(), reason);
    }

    private void record(DoorEvent.Type type, Optional<UUID> grantId, Optional<String> reason) {
        DoorEvent event = new DoorEvent(UUID.randomUUID(), doorId, type, clock.instant(), grantId, reason);
        journal.append(event);
        send.accept(event);
    }

    /** Stops the timers. */
    public void close() {
        timer.shutdownNow();
    }
}
