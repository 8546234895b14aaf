package jp.kominkan.shared.grant;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Checks a signed grant: exactly the form {@link GrantSigner} writes, a known key, a valid
 * Ed25519 signature, a deterministic payload. Anything else is rejected with a reason; nothing
 * here throws on bad input. Whether the grant opens a door now is the caller's decision.
 */
public final class GrantVerifier {

    /** Largest signed grant accepted; real ones are about 200 bytes. */
    public static final int MAX_BYTES = 1024;

    private final Map<String, Ed25519PublicKeyParameters> keys;

    /**
     * @param keys the cloud's public keys by key id; old keys stay until their grants expire
     */
    public GrantVerifier(Map<String, Ed25519PublicKeyParameters> keys) {
        this.keys = Map.copyOf(keys);
    }

    /**
     * @param signed tagged COSE_Sign1 bytes
     * @return the grant, or why it was rejected
     */
    public Verification verify(byte[] signed) {
        Objects.requireNonNull(signed, "signed");
        if (signed.length > MAX_BYTES) {
            return new Verification.Rejected(Reason.MALFORMED, "larger than " + MAX_BYTES + " bytes");
        }
        return switch (open(signed, new byte[0], MAX_BYTES)) {
            case Opening.Rejected r -> new Verification.Rejected(r.reason(), r.detail());
            case Opening.Opened o -> {
                try {
                    AccessGrant grant = GrantPayload.decode(o.payload(), o.keyId());
                    if (!Arrays.equals(GrantPayload.encode(grant), o.payload())) {
                        yield new Verification.Rejected(Reason.MALFORMED, "payload is not deterministically encoded");
                    }
                    yield new Verification.Verified(grant);
                } catch (RuntimeException e) {
                    yield new Verification.Rejected(Reason.MALFORMED, e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        };
    }

    /**
     * Checks any COSE_Sign1 of the form {@link GrantSigner} writes against a context (external AAD,
     * RFC 9052 §4.3), and returns its payload, unparsed.
     *
     * @param signed      tagged COSE_Sign1 bytes
     * @param externalAad the context the signer bound it to
     * @param maxBytes    the largest message accepted
     * @return the payload and the key that signed it, or why it was rejected
     */
    public Opening open(byte[] signed, byte[] externalAad, int maxBytes) {
        Objects.requireNonNull(signed, "signed");
        Objects.requireNonNull(externalAad, "externalAad");
        if (signed.length > maxBytes) {
            return new Opening.Rejected(Reason.MALFORMED, "larger than " + maxBytes + " bytes");
        }
        try {
            if (signed.length < 2 || signed[0] != GrantSigner.Cose.TAG_SIGN1_BYTE) {
                return new Opening.Rejected(Reason.MALFORMED, "not tagged COSE_Sign1 (18)");
            }
            CBORObject array = CBORObject.DecodeFromBytes(Arrays.copyOfRange(signed, 1, signed.length),
                    GrantPayload.DETERMINISTIC);
            if (array.isTagged() || array.getType() != CBORType.Array || array.size() != 4) {
                return new Opening.Rejected(Reason.MALFORMED, "COSE_Sign1 is not an array of four");
            }
            byte[] protectedHeader = byteString(array.get(0));
            CBORObject unprotected = array.get(1);
            byte[] payload = byteString(array.get(2));
            byte[] signature = byteString(array.get(3));
            if (unprotected.getType() != CBORType.Map || unprotected.size() != 0) {
                return new Opening.Rejected(Reason.MALFORMED, "unprotected header must be empty");
            }
            CBORObject header = CBORObject.DecodeFromBytes(protectedHeader, GrantPayload.DETERMINISTIC);
            if (header.getType() != CBORType.Map || header.size() != 2
                    || !header.ContainsKey(CBORObject.FromObject(GrantSigner.Cose.HEADER_ALG))
                    || !header.ContainsKey(CBORObject.FromObject(GrantSigner.Cose.HEADER_KID))) {
                return new Opening.Rejected(Reason.MALFORMED, "protected header must hold alg and kid only");
            }
            CBORObject alg = header.get(GrantSigner.Cose.HEADER_ALG);
            if (alg.getType() != CBORType.Integer || !alg.CanValueFitInInt64()
                    || alg.AsInt64Value() != GrantSigner.Cose.ALG_EDDSA) {
                return new Opening.Rejected(Reason.WRONG_ALGORITHM, "alg " + alg + " is not EdDSA (-8)");
            }
            String keyId = new String(byteString(header.get(GrantSigner.Cose.HEADER_KID)), StandardCharsets.UTF_8);
            Ed25519PublicKeyParameters key = keys.get(keyId);
            if (key == null) {
                return new Opening.Rejected(Reason.UNKNOWN_KEY, "no key " + keyId);
            }
            byte[] toBeSigned = GrantSigner.Cose.sigStructure(protectedHeader, externalAad, payload);
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, key);
            verifier.update(toBeSigned, 0, toBeSigned.length);
            if (signature.length != 64 || !verifier.verifySignature(signature)) {
                return new Opening.Rejected(Reason.BAD_SIGNATURE, "signature does not match key " + keyId);
            }
            return new Opening.Opened(keyId, payload);
        } catch (RuntimeException e) {
            // Whatever the bytes, a verdict and never an exception: a signed message is untrusted input.
            return new Opening.Rejected(Reason.MALFORMED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static byte[] byteString(CBORObject value) {
        if (value.isTagged() || value.getType() != CBORType.ByteString) {
            throw new IllegalArgumentException("expected a byte string, got " + value.getType());
        }
        return value.GetByteString();
    }

    /** Why a grant was rejected. */
    public enum Reason {
        /** Not the form a grant has. */
        MALFORMED,
        /** Signed with another algorithm. */
        WRONG_ALGORITHM,
        /** Signed by a key this verifier does not trust. */
        UNKNOWN_KEY,
        /** The signature does not match. */
        BAD_SIGNATURE
    }

    /** The outcome of {@link #open}. */
    public sealed interface Opening {

        /**
         * The signature is genuine for the context.
         *
         * @param keyId   the key that signed
         * @param payload the signed bytes, not yet parsed
         */
        record Opened(String keyId, byte[] payload) implements Opening {
        }

        /**
         * Not to be trusted.
         *
         * @param reason why
         * @param detail for the log
         */
        record Rejected(Reason reason, String detail) implements Opening {
        }
    }

    /** The outcome of {@link #verify}. */
    public sealed interface Verification {

        /**
         * The grant is genuine.
         *
         * @param grant the grant
         */
        record Verified(AccessGrant grant) implements Verification {
        }

        /**
         * The grant is not to be trusted.
         *
         * @param reason why
         * @param detail for the log (never holds a code)
         */
        record Rejected(Reason reason, String detail) implements Verification {
        }
    }
}
