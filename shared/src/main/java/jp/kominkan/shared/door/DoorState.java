package jp.kominkan.shared.door;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.shared.event.DoorEvent;

/**
 * What a door is now, folded from its events — the same state machine on the gateway and in the
 * cloud, with a vocabulary after BACnet's Access Door object (door status, lock status, door alarm
 * state) and Matter's Door Lock cluster (LockState, DoorState, alarm codes):
 *
 * <ul>
 *   <li>{@link Lock}: locked, unlocked, jammed ({@code LockJammed}, BACnet lock-fault), or unknown;</li>
 *   <li>{@link Contact}: open, closed, or unknown (no door contact);</li>
 *   <li>conditions: ajar (open longer than the profile allows: BACnet door-open-too-long, Matter
 *       DoorAjar), forced open, tamper, keypad locked out (Matter WrongCodeEntryLimit), the smart
 *       lock unreachable;</li>
 *   <li>the battery level last reported, and the last event with the booking it belongs to.</li>
 * </ul>
 *
 * Offline — the gateway itself silent — is not a door's own state: the cloud knows it from the
 * gateway's last message and shows it over this state ({@link #status(boolean, Instant)}).
 * Events older than the last one applied do not move the state back (a resent batch).
 *
 * @param lock           the lock
 * @param contact        the door contact
 * @param ajar           open too long
 * @param forced         opened without an unlock, not closed since
 * @param tamper         a device reports tampering
 * @param lockOnline     false while a smart lock does not answer
 * @param battery        the last reported level, 0–100
 * @param lockedOutUntil until when the keypad refuses codes after wrong ones
 * @param remoteUntil    until when a remote unlock holds the door released
 * @param lastType       the last event's type
 * @param lastAt         the last event's time
 * @param lastReservation the booking the last event belongs to
 */
public record DoorState(Lock lock, Contact contact, boolean ajar, boolean forced, boolean tamper, boolean lockOnline,
                        Optional<Integer> battery, Optional<Instant> lockedOutUntil, Optional<Instant> remoteUntil,
                        Optional<DoorEvent.Type> lastType, Optional<Instant> lastAt, Optional<UUID> lastReservation) {

    /** A door nothing is known of yet. */
    public static final DoorState UNKNOWN = new DoorState(Lock.UNKNOWN, Contact.UNKNOWN, false, false, false, true,
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Checks the fields are present. */
    public DoorState {
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(battery, "battery");
        Objects.requireNonNull(lockedOutUntil, "lockedOutUntil");
        Objects.requireNonNull(remoteUntil, "remoteUntil");
        Objects.requireNonNull(lastType, "lastType");
        Objects.requireNonNull(lastAt, "lastAt");
        Objects.requireNonNull(lastReservation, "lastReservation");
    }

    /**
     * @param event       the next event of this door
     * @param reservation the booking it belongs to, if any
     * @return the state after it (this state, if the event is older than the last one applied)
     */
    public DoorState after(DoorEvent event, Optional<UUID> reservation) {
        if (lastAt.isPresent() && event.at().isBefore(lastAt.get())) {
            return this;
        }
        Lock l = lock;
        Contact c = contact;
        boolean aj = ajar;
        boolean fo = forced;
        boolean ta = tamper;
        boolean online = lockOnline;
        Optional<Integer> bat = battery;
        Optional<Instant> out = lockedOutUntil;
        Optional<Instant> remote = remoteUntil;
        switch (event.type()) {
            case UNLOCKED -> l = Lock.UNLOCKED;
            case RELOCKED -> {
                l = Lock.LOCKED;
                remote = Optional.empty();
            }
            case REMOTE_UNLOCKED -> {
                l = Lock.UNLOCKED;
                remote = event.reason().flatMap(DoorState::untilOf);
            }
            case OPENED -> {
                c = Contact.OPEN;
                fo = false;
            }
            case FORCED_OPEN -> {
                c = Contact.OPEN;
                fo = true;
            }
            case HELD_OPEN -> {
                c = Contact.OPEN;
                aj = true;
            }
            case CLOSED -> {
                c = Contact.CLOSED;
                aj = false;
                fo = false;
            }
            case LOCK_STATE -> l = event.reason().map(Lock::ofReport).orElse(l);
            case LOCK_OFFLINE -> online = false;
            case LOCK_ONLINE -> online = true;
            case BATTERY, BATTERY_LOW -> bat = event.reason().flatMap(DoorState::batteryOf).or(() -> battery);
            case TAMPER -> ta = !event.reason().map("cleared"::equals).orElse(false);
            case LOCKOUT -> out = event.reason().flatMap(DoorState::minutesOf).map(m -> event.at().plusSeconds(60L * m));
            case DENIED -> {
                // a refused code changes nothing but the last event
            }
        }
        return new DoorState(l, c, aj, fo, ta, online, bat, out, remote, Optional.of(event.type()), Optional.of(event.at()),
                reservation);
    }

    /**
     * The one word a board shows, the most urgent first.
     *
     * @param gatewayOnline whether the door's gateway has been heard from recently
     * @param now           now (a lockout or a remote unlock runs out)
     * @return the status
     */
    public Status status(boolean gatewayOnline, Instant now) {
        if (!gatewayOnline) {
            return Status.OFFLINE;
        }
        if (forced) {
            return Status.FORCED_OPEN;
        }
        if (tamper) {
            return Status.TAMPER;
        }
        if (lock == Lock.JAMMED) {
            return Status.JAMMED;
        }
        if (!lockOnline) {
            return Status.OFFLINE;
        }
        if (ajar) {
            return Status.AJAR;
        }
        if (contact == Contact.OPEN) {
            return Status.OPEN;
        }
        if (lock == Lock.UNLOCKED || remoteUntil.filter(now::isBefore).isPresent()) {
            return Status.UNLOCKED;
        }
        if (lock == Lock.LOCKED) {
            return Status.LOCKED;
        }
        return contact == Contact.CLOSED ? Status.CLOSED : Status.UNKNOWN;
    }

    /**
     * @param now now
     * @return whether the keypad refuses codes now
     */
    public boolean lockedOut(Instant now) {
        return lockedOutUntil.filter(now::isBefore).isPresent();
    }

    private static Optional<Integer> batteryOf(String reason) {
        return number(reason, "battery=").filter(n -> n >= 0 && n <= 100).map(Long::intValue);
    }

    private static Optional<Long> minutesOf(String reason) {
        return number(reason, "minutes=").filter(n -> n > 0 && n <= 24 * 60);
    }

    private static Optional<Instant> untilOf(String reason) {
        return number(reason, "until=").map(Instant::ofEpochSecond);
    }

    private static Optional<Long> number(String reason, String prefix) {
        if (!reason.startsWith(prefix) || reason.length() > prefix.length() + 12) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(reason.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The lock (BACnet lock status, Matter LockState). */
    public enum Lock {
        /** Locked. */
        LOCKED("locked"),
        /** Released. */
        UNLOCKED("unlocked"),
        /** The bolt could not move (Matter LockJammed, BACnet lock-fault). */
        JAMMED("jammed"),
        /** Not reported yet. */
        UNKNOWN("unknown");

        private final String wire;

        Lock(String wire) {
            this.wire = wire;
        }

        /** @return the name in the API */
        public String wire() {
            return wire;
        }

        static Lock ofReport(String reason) {
            for (Lock lock : values()) {
                if (lock.wire.equals(reason) && lock != UNKNOWN) {
                    return lock;
                }
            }
            return UNKNOWN;
        }
    }

    /** The door contact (BACnet door status, Matter DoorState). */
    public enum Contact {
        /** Open. */
        OPEN("open"),
        /** Closed. */
        CLOSED("closed"),
        /** No contact, or nothing reported yet. */
        UNKNOWN("unknown");

        private final String wire;

        Contact(String wire) {
            this.wire = wire;
        }

        /** @return the name in the API */
        public String wire() {
            return wire;
        }
    }

    /** The one word for a board, most urgent first. */
    public enum Status {
        /** The gateway (or the smart lock) is not heard from. */
        OFFLINE("offline", "通信途絶"),
        /** Opened without an unlock. */
        FORCED_OPEN("forced-open", "こじ開け"),
        /** A device reports tampering. */
        TAMPER("tamper", "いたずら検知"),
        /** The lock is jammed. */
        JAMMED("jammed", "施錠異常"),
        /** Open too long. */
        AJAR("ajar", "開放が長い"),
        /** Open. */
        OPEN("open", "開"),
        /** Closed and released. */
        UNLOCKED("unlocked", "解錠中"),
        /** Locked. */
        LOCKED("locked", "施錠"),
        /** Closed, lock state not reported. */
        CLOSED("closed", "閉"),
        /** Nothing known yet. */
        UNKNOWN("unknown", "不明");

        private final String wire;
        private final String japanese;

        Status(String wire, String japanese) {
            this.wire = wire;
            this.japanese = japanese;
        }

        /** @return the name in the API */
        public String wire() {
            return wire;
        }

        /** @return the word on the board */
        public String japanese() {
            return japanese;
        }
    }
}
