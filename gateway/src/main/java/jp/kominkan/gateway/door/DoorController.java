package jp.kominkan.gateway.door;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
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
import jp.kominkan.shared.door.DoorState;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.stream.UnlockOrder;

/**
 * One door: a typed code or a scanned door pass is decided locally and opens the lock or not; a
 * caretaker's remote unlock keeps it released for a window; the contact's changes become opened /
 * closed / forced-open / held-open. Every event goes to the journal first and is then handed to
 * {@code send}, and is folded into the door's {@link DoorState} — the same state machine the cloud
 * runs over the same events.
 *
 * <p>The lock is only ever told to stay released, never to lock: each command lasts until it runs
 * out. So the controller keeps the time its last command ends and never shortens it (a code typed
 * during a remote unlock must not cut the window short), and knows the door is locked again when
 * that time passes — which it journals as {@code relocked} for a remote unlock, and for a strike
 * relay, which cannot report its state itself (docs/gateway.md, "Door state, heartbeat and remote
 * unlock").
 */
public final class DoorController {

    /** A remote unlock's lock is released again this often… */
    static final Duration REMOTE_RENEW = Duration.ofSeconds(50);
    /** …for at most this long each time: a smart lock obeys no longer command ({@code site.UnlockCommand}). */
    static final Duration LONGEST_COMMAND = Duration.ofSeconds(60);
    /** Opening the door this soon after a release ends still counts as opened, not forced. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final String doorId;
    private final DoorAccess access;
    private final Lock lock;
    private final Duration pulse;
    private final Duration heldOpenLimit;
    private final EventJournal journal;
    private final Consumer<DoorEvent> send;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private Duration remoteRenew = REMOTE_RENEW;
    private Duration longestCommand = LONGEST_COMMAND;
    /** When the lock's last release command runs out. */
    private Instant commandedUntil = Instant.MIN;
    private ScheduledFuture<?> relock;
    private ScheduledFuture<?> heldOpen;
    private RemoteWindow remote;
    private DoorState state = DoorState.UNKNOWN;

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

    /** Tests: a remote unlock renewed sooner, with shorter commands, so a window shorter than a minute shows it. */
    synchronized void remoteRenewal(Duration every, Duration longest) {
        this.remoteRenew = every;
        this.longestCommand = longest;
    }

    /** @return the door's id */
    public String doorId() {
        return doorId;
    }

    /** @return the door's state, folded from every event it has recorded since the gateway started */
    public synchronized DoorState state() {
        return state;
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

    /** Releases the lock for a granted decision; journals either way, and a lockout the refusal began. */
    private AccessDecision carryOut(AccessDecision decision) {
        switch (decision) {
            case AccessDecision.Granted granted -> {
                Duration length;
                synchronized (this) {
                    length = command(pulse);
                    record(DoorEvent.Type.UNLOCKED, Optional.of(granted.grant().grantId()), Optional.empty(),
                            Optional.of(granted.grant().reservationId()));
                }
                lock.release(length);
            }
            case AccessDecision.Denied denied -> {
                record(DoorEvent.Type.DENIED, Optional.empty(), Optional.of(denied.reason().wire()), Optional.empty());
                denied.lockedFor().ifPresent(length -> record(DoorEvent.Type.LOCKOUT, Optional.empty(),
                        Optional.of("minutes=" + length.toMinutes()), Optional.empty()));
            }
        }
        return decision;
    }

    /**
     * A caretaker's remote unlock for this door, handed over once when its stream entry was applied
     * live. Obeyed only while {@link UnlockOrder#obeyableAt} holds by this gateway's clock: a late
     * order (the gateway was offline) is journalled as {@code denied} with {@code unlock-expired} and
     * opens nothing. Obeyed, the door is released until the order's end — the lock released again
     * every {@link #REMOTE_RENEW} — and {@code relocked} is journalled when it ends. A second order
     * replaces the window.
     *
     * @param order the order, for this door
     * @return whether the door was released
     */
    public boolean remoteUnlock(UnlockOrder order) {
        Objects.requireNonNull(order, "order");
        if (!order.doorId().equals(doorId)) {
            throw new IllegalArgumentException("an unlock order for another door");
        }
        Instant now = clock.instant();
        Optional<UUID> orderId = Optional.of(order.orderId());
        if (!order.obeyableAt(now)) {
            record(DoorEvent.Type.DENIED, orderId, Optional.of("unlock-expired"), Optional.empty());
            return false;
        }
        Duration length;
        synchronized (this) {
            if (remote != null) {
                remote.renew.cancel(false);
            }
            long every = remoteRenew.toMillis();
            remote = new RemoteWindow(order, timer.scheduleAtFixedRate(() -> renew(order), every, every,
                    TimeUnit.MILLISECONDS));
            length = command(shorter(Duration.between(now, order.until()), longestCommand));
            record(DoorEvent.Type.REMOTE_UNLOCKED, orderId, Optional.of("until=" + order.until().getEpochSecond()),
                    Optional.empty());
        }
        lock.release(length);
        return true;
    }

    /** Releases the lock again for what is left of a remote unlock, while it is still the current window. */
    private void renew(UnlockOrder order) {
        Duration length;
        synchronized (this) {
            Duration left = Duration.between(clock.instant(), order.until());
            if (remote == null || remote.order != order || !left.isPositive()) {
                return;
            }
            length = command(shorter(left, longestCommand));
        }
        lock.release(length);
    }

    /**
     * Notes a release command about to be sent: it lasts at least {@code wanted}, and never ends
     * sooner than the one before it. Schedules the check for when it runs out.
     *
     * @return how long to command
     */
    private Duration command(Duration wanted) {
        Instant now = clock.instant();
        Instant end = now.plus(wanted);
        if (commandedUntil.isAfter(end)) {
            end = commandedUntil;
        }
        commandedUntil = end;
        Duration length = Duration.between(now, end);
        if (relock != null) {
            relock.cancel(false);
        }
        // A millisecond late rather than early: the timer's clock is not the wall clock, and relocked must not predate the end.
        relock = timer.schedule(this::commandRanOut, length.toNanos() + 1_000_000, TimeUnit.NANOSECONDS);
        return length;
    }

    /** The last release command ran out: the door is locked again, unless a remote unlock goes on. */
    private synchronized void commandRanOut() {
        if (remote != null) {
            if (commandedUntil.isBefore(remote.order.until())) {
                return;   // the window goes on; its renewal commands again
            }
            remote.renew.cancel(false);
            UUID order = remote.order.orderId();
            remote = null;
            record(DoorEvent.Type.RELOCKED, Optional.of(order), Optional.empty(), Optional.empty());
        } else if (!lock.reportsState()) {
            record(DoorEvent.Type.RELOCKED, Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * The door contact changed.
     *
     * @param open true when the door opened
     */
    public synchronized void contactChanged(boolean open) {
        if (open) {
            Instant now = clock.instant();
            boolean released = now.isBefore(commandedUntil.plus(GRACE))
                    || remote != null && now.isBefore(remote.order.until().plus(GRACE));
            record(released ? DoorEvent.Type.OPENED : DoorEvent.Type.FORCED_OPEN);
            heldOpen = timer.schedule(() -> record(DoorEvent.Type.HELD_OPEN), heldOpenLimit.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            if (heldOpen != null) {
                heldOpen.cancel(false);
            }
            record(DoorEvent.Type.CLOSED);
        }
    }

    /**
     * Records something reported by a device (lock offline, tamper, battery).
     *
     * @param type   what
     * @param reason details
     */
    public void report(DoorEvent.Type type, Optional<String> reason) {
        record(type, Optional.empty(), reason, Optional.empty());
    }

    private void record(DoorEvent.Type type) {
        record(type, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private synchronized void record(DoorEvent.Type type, Optional<UUID> grantId, Optional<String> reason,
                                     Optional<UUID> reservation) {
        DoorEvent event = new DoorEvent(UUID.randomUUID(), doorId, type, clock.instant(), grantId, reason);
        journal.append(event);
        state = state.after(event, reservation);
        send.accept(event);
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops the timers. */
    public void close() {
        timer.shutdownNow();
    }

    /** A remote unlock in force, and its renewal. */
    private record RemoteWindow(UnlockOrder order, ScheduledFuture<?> renew) {
    }
}
