package jp.kominkan.gateway.access;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantKeys;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.pass.DoorPass;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** Signed grants for gateway tests, made the way the cloud makes them. */
public final class Grants {

    public static final Ed25519PrivateKeyParameters CLOUD_KEY = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
    public static final String KEY_ID = GrantKeys.keyId(CLOUD_KEY.generatePublicKey());
    public static final GrantSigner SIGNER = new GrantSigner(CLOUD_KEY, KEY_ID);
    public static final GrantVerifier VERIFIER = new GrantVerifier(Map.of(KEY_ID, CLOUD_KEY.generatePublicKey()));
    public static final byte[] DOOR_KEY = new byte[32];
    public static final String DOOR = "999991-door-study";

    static {
        new java.security.SecureRandom().nextBytes(DOOR_KEY);
    }

    private Grants() {
    }

    public static AccessGrant grant(String door, String code, Instant from, Instant until) {
        return new AccessGrant(UUID.randomUUID(), "999991", door, UUID.randomUUID(), from, until,
                CodeVerifier.of(DOOR_KEY, door, code), from.minusSeconds(3600), KEY_ID);
    }

    public static byte[] signed(AccessGrant grant) {
        return SIGNER.sign(grant);
    }

    /** A door pass for a grant of {@link #DOOR_KEY}'s, as the cloud renders it at {@code at}. */
    public static String pass(AccessGrant grant, String code, Instant at) {
        return DoorPass.issue(signed(grant), grant.grantId(), grant.doorId(), DOOR_KEY, new BookingCode(code), at).text();
    }

    public static byte[] id(UUID id) {
        return jp.kominkan.shared.wire.UuidBytes.of(id);
    }
}
