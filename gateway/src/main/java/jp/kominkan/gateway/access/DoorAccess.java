package jp.kominkan.gateway.access;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.pass.DoorPassVerifier;

/**
 * Decides at the door, on the gateway alone: the code matches a grant for this door, now is inside
 * its window, its signature was valid (the store holds only verified grants), and it is not
 * revoked. A scanned door pass carries its own signed grant, so it needs no synced grant at all
 * (docs/gateway.md, "Door pass"). No network is involved.
 */
public final class DoorAccess {

    private static final System.Logger LOG = System.getLogger(DoorAccess.class.getName());

    private final GrantStore grants;
    private final Map<String, byte[]> doorKeys;
    private final Lockout lockout;
    private final Clock clock;
    private final DoorPassVerifier passes;

    /**
     * @param grants   the grant store
     * @param doorKeys each door's code-verifier key, from the site's provisioning
     * @param lockout  wrong-code limiter
     * @param clock    the clock
     */
    public DoorAccess(GrantStore grants, Map<String, byte[]> doorKeys, Lockout lockout, Clock clock) {
        this.grants = grants;
        this.doorKeys = Map.copyOf(doorKeys);
        this.lockout = lockout;
        this.clock = clock;
        this.passes = new DoorPassVerifier(grants.verifier());
    }

    /**
     * @param doorId the door the code was typed at
     * @param code   what was typed
     * @return open or not, and why
     */
    public AccessDecision decide(String doorId, String code) {
        Instant now = clock.instant();
        byte[] key = doorKeys.get(doorId);
        if (key == null) {
            return new AccessDecision.Denied(AccessDecision.Reason.UNKNOWN_DOOR);
        }
        if (lockout.isLocked(doorId, now)) {
            return new AccessDecision.Denied(AccessDecision.Reason.LOCKED_OUT);
        }
        if (!BookingCode.isWellFormed(code)) {
            return new AccessDecision.Denied(AccessDecision.Reason.MALFORMED, lockout.wrongCode(doorId, now));
        }
        List<AccessGrant> matches = grants.find(doorId, CodeVerifier.of(key, doorId, code));
        if (matches.isEmpty()) {
            return new AccessDecision.Denied(AccessDecision.Reason.UNKNOWN_CODE, lockout.wrongCode(doorId, now));
        }
        AccessDecision.Reason best = AccessDecision.Reason.EXPIRED;
        for (AccessGrant grant : matches) {
            if (grants.isRevoked(grant.grantId())) {
                best = AccessDecision.Reason.REVOKED;
            } else if (grant.isValidAt(now)) {
                return new AccessDecision.Granted(grant);
            } else if (now.isBefore(grant.validFrom()) && best != AccessDecision.Reason.REVOKED) {
                best = AccessDecision.Reason.NOT_YET_VALID;
            }
        }
        return new AccessDecision.Denied(best);
    }

    /**
     * A door pass was scanned at a door's reader: its grant's signature (the cloud's keys), door,
     * freshness (made at most about 5 minutes ago) and sealed code are checked by
     * {@link DoorPassVerifier}, then revocation (as heard from the stream, also for grants never
     * synced) and the grant's window. The keypad's lockout neither stops nor counts a pass: there is
     * nothing in one to guess without the door key, and a keypad locked by someone typing codes must
     * not keep a resident with a pass out.
     *
     * @param doorId  the reader's door
     * @param scanned the text the reader scanned; never logged
     * @return open or not, and why
     */
    public AccessDecision decidePass(String doorId, String scanned) {
        Objects.requireNonNull(scanned, "scanned");
        Instant now = clock.instant();
        byte[] key = doorKeys.get(doorId);
        if (key == null) {
            return new AccessDecision.Denied(AccessDecision.Reason.UNKNOWN_DOOR);
        }
        AccessGrant grant;
        switch (passes.verify(scanned, doorId, key, now)) {
            case DoorPassVerifier.Verification.Verified v -> grant = v.grant();
            case DoorPassVerifier.Verification.Rejected r -> {
                LOG.log(Level.DEBUG, () -> "Door pass refused at " + doorId + ": " + r.reason() + ", " + r.detail());
                return new AccessDecision.Denied(switch (r.reason()) {
                    case MALFORMED, BAD_PROOF -> AccessDecision.Reason.BAD_PASS;
                    case BAD_SIGNATURE -> AccessDecision.Reason.BAD_SIGNATURE;
                    case OTHER_DOOR -> AccessDecision.Reason.OTHER_DOOR;
                    case STALE -> AccessDecision.Reason.STALE_PASS;
                });
            }
        }
        if (grants.isRevoked(grant.grantId())) {
            return new AccessDecision.Denied(AccessDecision.Reason.REVOKED);
        }
        if (now.isBefore(grant.validFrom())) {
            return new AccessDecision.Denied(AccessDecision.Reason.NOT_YET_VALID);
        }
        if (!grant.isValidAt(now)) {
            return new AccessDecision.Denied(AccessDecision.Reason.EXPIRED);
        }
        return new AccessDecision.Granted(grant);
    }
}
