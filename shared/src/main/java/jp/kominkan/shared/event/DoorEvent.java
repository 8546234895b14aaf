package jp.kominkan.shared.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Something that happened at a door (入退室・異常), written to the gateway's journal before it is
 * sent, and stored once by the cloud under its id.
 *
 * @param id      unique id, made by the gateway
 * @param doorId  the door
 * @param type    what happened
 * @param at      when, to the millisecond
 * @param grantId for {@code unlocked}: the grant that opened it (never the code); for {@code remote-unlocked}
 *                and {@code relocked}: the remote unlock order
 * @param reason  for {@code denied}: why; for others the detail their type names (docs/caretaking.md)
 */
public record DoorEvent(UUID id, String doorId, Type type, Instant at, Optional<UUID> grantId, Optional<String> reason) {

    /** Checks the fields. */
    public DoorEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(doorId, "doorId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(reason, "reason");
        if (doorId.isEmpty() || doorId.length() > 64) {
            throw new IllegalArgumentException("door id must be 1 to 64 characters");
        }
        if (reason.isPresent() && reason.get().length() > 64) {
            throw new IllegalArgumentException("reason must be at most 64 characters");
        }
    }

    /** What can happen at a door. */
    public enum Type {
        /** The door was opened. */
        OPENED("opened"),
        /** The door was closed. */
        CLOSED("closed"),
        /** The lock was released for a grant. */
        UNLOCKED("unlocked"),
        /** A code was refused. */
        DENIED("denied"),
        /** Opened without an unlock. */
        FORCED_OPEN("forced-open"),
        /** Open longer than the profile allows. */
        HELD_OPEN("held-open"),
        /** A smart lock stopped answering. */
        LOCK_OFFLINE("lock-offline"),
        /** A smart lock answers again after it was offline. */
        LOCK_ONLINE("lock-online"),
        /** A smart lock reports a new state; the reason is {@code locked}, {@code unlocked} or {@code jammed}. */
        LOCK_STATE("lock-state"),
        /** A device's battery fell below 20 %; the reason is {@code battery=NN}. */
        BATTERY_LOW("battery-low"),
        /** A device reports tampering; the reason names the device, or is {@code cleared} when it stops. */
        TAMPER("tamper"),
        /** The keypad locked itself after wrong codes; the reason is {@code minutes=N}. */
        LOCKOUT("lockout"),
        /** A device's battery level changed by 5 points or more; the reason is {@code battery=NN}. */
        BATTERY("battery"),
        /** The lock was released by a caretaker's remote unlock order; the reason is {@code until=<epoch s>}. */
        REMOTE_UNLOCKED("remote-unlocked"),
        /** A lock without a state report of its own (a strike) is locked again: its pulse or remote unlock ended. */
        RELOCKED("relocked");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        /** @return the name on the wire and in the API */
        public String wire() {
            return wire;
        }

        /**
         * @param wire a name
         * @return the type
         */
        public static Type of(String wire) {
            for (Type type : values()) {
                if (type.wire.equals(wire)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown event type " + wire);
        }
    }
}
