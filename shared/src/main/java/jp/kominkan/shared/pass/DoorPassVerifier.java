package jp.kominkan.shared.pass;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantVerifier;

/**
 * Checks a scanned {@link DoorPass} at a door, in this order: its form; the signature of the grant it
 * carries, with the cloud's keys; that the grant is for this door; that the pass is fresh (made at
 * most about 5 minutes ago by the reader's clock); that its seal opens with this door's key; and that
 * the code inside matches the grant's code verifier. No grant store is consulted, so a grant the
 * gateway never synced can open its door.
 *
 * <p>Revocation and the grant's window are the caller's to check, since only the caller knows what
 * it has heard from the stream. Nothing here throws on bad input: every pass gets a verdict.
 */
public final class DoorPassVerifier {

    private final GrantVerifier grants;

    /**
     * @param grants checks grant signatures with the cloud's public keys
     */
    public DoorPassVerifier(GrantVerifier grants) {
        this.grants = Objects.requireNonNull(grants, "grants");
    }

    /**
     * @param text    what the reader scanned
     * @param doorId  the reader's door
     * @param doorKey that door's key
     * @param now     the reader's time
     * @return the grant the pass proves, or why it was rejected
     */
    public Verification verify(String text, String doorId, byte[] doorKey, Instant now) {
        Objects.requireNonNull(text, "text");
        DoorPass pass;
        try {
            pass = DoorPass.read(text);
        } catch (IllegalArgumentException e) {
            return new Verification.Rejected(Reason.MALFORMED, e.getMessage());
        }
        AccessGrant grant;
        switch (grants.verify(pass.signedGrant())) {
            case GrantVerifier.Verification.Verified v -> grant = v.grant();
            case GrantVerifier.Verification.Rejected r -> {
                return new Verification.Rejected(r.reason() == GrantVerifier.Reason.MALFORMED ? Reason.MALFORMED
                        : Reason.BAD_SIGNATURE, "grant: " + r.detail());
            }
        }
        if (!grant.doorId().equals(doorId)) {
            return new Verification.Rejected(Reason.OTHER_DOOR, "grant " + grant.grantId() + " is for another door");
        }
        if (!pass.isFreshAt(now)) {
            return new Verification.Rejected(Reason.STALE, "made at step " + pass.step() + ", now is step "
                    + DoorPass.stepOf(now));
        }
        Optional<BookingCode> code = pass.open(grant.grantId(), doorId, doorKey);
        if (code.isEmpty()) {
            return new Verification.Rejected(Reason.BAD_PROOF, "sealed code of grant " + grant.grantId() + " does not open");
        }
        if (!CodeVerifier.of(doorKey, doorId, code.get().digits()).matches(grant.codeVerifier())) {
            return new Verification.Rejected(Reason.BAD_PROOF, "sealed code is not grant " + grant.grantId() + "'s");
        }
        return new Verification.Verified(grant);
    }

    /** Why a pass was rejected. */
    public enum Reason {
        /** Not a pass: prefix, length, Base45, CBOR, shape, version, or a grant that does not parse. */
        MALFORMED,
        /** The grant is not signed by a key of the cloud's (or not with EdDSA). */
        BAD_SIGNATURE,
        /** The grant opens another door. */
        OTHER_DOOR,
        /** Made too long ago, or too far ahead of the reader's clock: a photo or screenshot of an old pass. */
        STALE,
        /** The sealed code does not open with this door's key, or is not the grant's code. */
        BAD_PROOF
    }

    /** The outcome of {@link #verify}. */
    public sealed interface Verification {

        /**
         * The pass is genuine, fresh, for this door, and proves the grant's code.
         *
         * @param grant the grant it carries; not yet checked for revocation or its window
         */
        record Verified(AccessGrant grant) implements Verification {
            /** Checks the grant is present. */
            public Verified {
                Objects.requireNonNull(grant, "grant");
            }
        }

        /**
         * The pass opens nothing.
         *
         * @param reason why
         * @param detail for a log line: never the pass's text nor a code
         */
        record Rejected(Reason reason, String detail) implements Verification {
            /** Checks the fields are present. */
            public Rejected {
                Objects.requireNonNull(reason, "reason");
                Objects.requireNonNull(detail, "detail");
            }
        }
    }
}
