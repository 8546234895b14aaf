package jp.kominkan.gateway.access;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.CodeVerifier;

/**
 * Decides at the door, on the gateway alone: the code matches a grant for this door, now is inside
 * its window, its signature was valid (the store holds only verified grants), and it is not
 * revoked. No network is involved.
 */
public final class DoorAccess {

    private final GrantStore grants;
    private final Map<String, byte[]> doorKeys;
    private final Lockout lockout;
    private final Clock clock;

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
            lockout.wrongCode(doorId, now);
            return new AccessDecision.Denied(AccessDecision.Reason.MALFORMED);
        }
        List<AccessGrant> matches = grants.find(doorId, CodeVerifier.of(key, doorId, code));
        if (matches.isEmpty()) {
            lockout.wrongCode(doorId, now);
            return new AccessDecision.Denied(AccessDecision.Reason.UNKNOWN_CODE);
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
}
