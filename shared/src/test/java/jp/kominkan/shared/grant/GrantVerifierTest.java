package jp.kominkan.shared.grant;

import static jp.kominkan.shared.grant.GrantFixtures.KEY_1;
import static jp.kominkan.shared.grant.GrantFixtures.KEY_2;
import static jp.kominkan.shared.grant.GrantFixtures.grant;
import static jp.kominkan.shared.grant.GrantFixtures.keyId;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import com.upokecenter.cbor.CBORObject;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

class GrantVerifierTest {

    private final AccessGrant grant = grant(KEY_1, "door-1", "12345678");
    private final byte[] signed = new GrantSigner(KEY_1, keyId(KEY_1)).sign(grant);
    private final GrantVerifier both = new GrantVerifier(Map.of(
            keyId(KEY_1), KEY_1.generatePublicKey(), keyId(KEY_2), KEY_2.generatePublicKey()));

    private static GrantVerifier.Reason reason(GrantVerifier.Verification result) {
        assertThat(result).isInstanceOf(GrantVerifier.Verification.Rejected.class);
        return ((GrantVerifier.Verification.Rejected) result).reason();
    }

    @Test
    void aGenuineGrantVerifies() {
        assertThat(both.verify(signed)).isEqualTo(new GrantVerifier.Verification.Verified(grant));
    }

    @Test
    void anotherKeyUnderTheSameIdIsRejected() {
        Ed25519PrivateKeyParameters impostor = new Ed25519PrivateKeyParameters(new byte[32]);
        byte[] forged = new GrantSigner(impostor, keyId(KEY_1)).sign(grant);
        assertThat(reason(both.verify(forged))).isEqualTo(GrantVerifier.Reason.BAD_SIGNATURE);
    }

    @Test
    void anUnknownKeyIsRejected() {
        GrantVerifier onlyKey2 = new GrantVerifier(Map.of(keyId(KEY_2), KEY_2.generatePublicKey()));
        assertThat(reason(onlyKey2.verify(signed))).isEqualTo(GrantVerifier.Reason.UNKNOWN_KEY);
    }

    @Test
    void everyTamperedByteIsRejected() {
        for (int i = 0; i < signed.length; i++) {
            byte[] tampered = signed.clone();
            tampered[i] ^= 0x01;
            assertThat(both.verify(tampered)).as("byte " + i).isInstanceOf(GrantVerifier.Verification.Rejected.class);
        }
    }

    @Test
    void swappingTheAlgorithmOrTheKeyIdIsRejected() {
        CBORObject parts = CBORObject.DecodeFromBytes(Arrays.copyOfRange(signed, 1, signed.length));
        byte[] es256 = CBORObject.NewMap().Add(1, -7).Add(4, keyId(KEY_1).getBytes()).EncodeToBytes();
        assertThat(reason(both.verify(rebuild(parts, es256)))).isEqualTo(GrantVerifier.Reason.WRONG_ALGORITHM);
        // An alg too large for a long must be a verdict, not an exception.
        byte[] huge = CBORObject.NewMap().Add(1, com.upokecenter.numbers.EInteger.FromString("18446744073709551615"))
                .Add(4, keyId(KEY_1).getBytes()).EncodeToBytes();
        assertThat(reason(both.verify(rebuild(parts, huge)))).isEqualTo(GrantVerifier.Reason.WRONG_ALGORITHM);
        byte[] otherKid = CBORObject.NewMap().Add(1, -8).Add(4, keyId(KEY_2).getBytes()).EncodeToBytes();
        assertThat(reason(both.verify(rebuild(parts, otherKid)))).isEqualTo(GrantVerifier.Reason.BAD_SIGNATURE);
    }

    @Test
    void malformedInputIsRejectedNotThrown() {
        assertThat(reason(both.verify(new byte[0]))).isEqualTo(GrantVerifier.Reason.MALFORMED);
        assertThat(reason(both.verify(Arrays.copyOfRange(signed, 1, signed.length)))).isEqualTo(GrantVerifier.Reason.MALFORMED);
        assertThat(reason(both.verify(Arrays.copyOf(signed, signed.length - 1)))).isEqualTo(GrantVerifier.Reason.MALFORMED);
        assertThat(reason(both.verify(new byte[GrantVerifier.MAX_BYTES + 1]))).isEqualTo(GrantVerifier.Reason.MALFORMED);
        assertThat(reason(both.verify("{\"code\":\"12345678\"}".getBytes()))).isEqualTo(GrantVerifier.Reason.MALFORMED);
    }

    @Test
    void aSignedButNonDeterministicPayloadIsRejected() {
        // Same fields, but "valid from" written in a needlessly long form (0x1b + 8 bytes).
        byte[] payload = GrantPayload.encode(grant);
        CBORObject map = CBORObject.DecodeFromBytes(payload);
        byte[] padded = Arrays.copyOf(payload, payload.length + 4);
        int at = indexOf(payload, new byte[] {0x05, 0x1a});
        System.arraycopy(payload, 0, padded, 0, at + 1);
        padded[at + 1] = 0x1b;
        padded[at + 2] = 0;
        padded[at + 3] = 0;
        padded[at + 4] = 0;
        padded[at + 5] = 0;
        System.arraycopy(payload, at + 2, padded, at + 6, payload.length - at - 2);
        assertThat(CBORObject.DecodeFromBytes(padded).get(5)).isEqualTo(map.get(5));
        byte[] forged = new GrantSigner(KEY_1, keyId(KEY_1)).signPayload(padded);
        assertThat(reason(both.verify(forged))).isEqualTo(GrantVerifier.Reason.MALFORMED);
    }

    @Test
    void validityIsAHalfOpenWindow() {
        assertThat(grant.isValidAt(grant.validFrom())).isTrue();
        assertThat(grant.isValidAt(grant.validFrom().minusSeconds(1))).isFalse();
        assertThat(grant.isValidAt(grant.validUntil().minusSeconds(1))).isTrue();
        assertThat(grant.isValidAt(grant.validUntil())).isFalse();
        assertThat(grant.isValidAt(Instant.parse("2026-12-01T01:30:00Z"))).isTrue();
    }

    private static byte[] rebuild(CBORObject parts, byte[] protectedHeader) {
        byte[] array = CBORObject.NewArray().Add(CBORObject.FromObject(protectedHeader)).Add(parts.get(1))
                .Add(parts.get(2)).Add(parts.get(3)).EncodeToBytes();
        byte[] out = new byte[array.length + 1];
        out[0] = (byte) 0xD2;
        System.arraycopy(array, 0, out, 1, array.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
