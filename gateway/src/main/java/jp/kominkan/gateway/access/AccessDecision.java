package jp.kominkan.gateway.access;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import jp.kominkan.shared.grant.AccessGrant;

/**
 * The answer at the door.
 */
public sealed interface AccessDecision {

    /**
     * Open: a genuine, unrevoked grant for this door, valid now, matches the code (typed, or proved by
     * a door pass).
     *
     * @param grant the grant
     */
    record Granted(AccessGrant grant) implements AccessDecision {
        /** Checks the grant is present. */
        public Granted {
            Objects.requireNonNull(grant, "grant");
        }
    }

    /**
     * Stay shut.
     *
     * @param reason    why
     * @param lockedFor when this wrong code locked the keypad ({@link Lockout}): for how long, so the door
     *                  journals one {@code lockout} event beside its {@code denied}
     */
    record Denied(Reason reason, Optional<Duration> lockedFor) implements AccessDecision {
        /** Checks the fields are present. */
        public Denied {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(lockedFor, "lockedFor");
        }

        /**
         * A refusal that locked nothing.
         *
         * @param reason why
         */
        public Denied(Reason reason) {
            this(reason, Optional.empty());
        }
    }

    /** Why a door stayed shut; sent with the {@code denied} event. */
    enum Reason {
        /** Not eight digits. */
        MALFORMED("malformed"),
        /** No grant on this door has this code. */
        UNKNOWN_CODE("unknown-code"),
        /** The grant's window has not begun. */
        NOT_YET_VALID("not-yet-valid"),
        /** The grant's window is over. */
        EXPIRED("expired"),
        /** The booking was cancelled. */
        REVOKED("revoked"),
        /** Too many wrong codes on this door recently. */
        LOCKED_OUT("locked-out"),
        /** The door is not one this gateway drives. */
        UNKNOWN_DOOR("unknown-door"),
        /** A scanned door pass that is not a pass, or whose sealed code does not prove the grant's code. */
        BAD_PASS("bad-pass"),
        /** A door pass whose grant is not signed by the cloud. */
        BAD_SIGNATURE("bad-signature"),
        /** A genuine door pass for another door. */
        OTHER_DOOR("other-door"),
        /** A door pass made too long ago (a photo or screenshot), or ahead of this gateway's clock. */
        STALE_PASS("stale-pass");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        /** @return the name in events */
        public String wire() {
            return wire;
        }
    }
}
