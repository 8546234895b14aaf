package jp.kominkan.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Checks a COSE_Sign1 independently of the code under test: takes it apart byte by byte, builds
 * the Sig_structure {@code ["Signature1", protected, external_aad, payload]} (RFC 9052 §4.4) by
 * hand and verifies it with the JDK's own Ed25519. A lock's firmware in C would do the same.
 */
public final class CoseByHand {

    private CoseByHand() {
    }

    /**
     * @param cose         tagged COSE_Sign1 bytes
     * @param externalAad  the context it was signed for (empty for a grant)
     * @param rawPublicKey the 32-byte Ed25519 public key
     * @throws Exception when the JDK cannot verify
     */
    public static void assertJdkVerifies(byte[] cose, byte[] externalAad, byte[] rawPublicKey) throws Exception {
        assertThat(cose[0] & 0xFF).as("tag 18").isEqualTo(0xD2);
        assertThat(cose[1] & 0xFF).as("array of 4").isEqualTo(0x84);
        int[] at = {2};
        byte[] protectedHeader = readBytes(cose, at);
        assertThat(cose[at[0]++] & 0xFF).as("empty unprotected map").isEqualTo(0xA0);
        byte[] payload = readBytes(cose, at);
        byte[] signature = readBytes(cose, at);
        assertThat(at[0]).isEqualTo(cose.length);
        ByteArrayOutputStream sig = new ByteArrayOutputStream();
        sig.write(0x84);
        sig.write(0x6A);
        sig.writeBytes("Signature1".getBytes(StandardCharsets.US_ASCII));
        writeBytes(sig, protectedHeader);
        writeBytes(sig, externalAad);
        writeBytes(sig, payload);
        byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] encoded = Arrays.copyOf(spki, spki.length + rawPublicKey.length);
        System.arraycopy(rawPublicKey, 0, encoded, spki.length, rawPublicKey.length);
        PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(publicKey);
        jdk.update(sig.toByteArray());
        assertThat(jdk.verify(signature)).isTrue();
    }

    private static byte[] readBytes(byte[] in, int[] at) {
        int head = in[at[0]++] & 0xFF;
        assertThat(head >> 5).as("byte string").isEqualTo(2);
        int length = head & 0x1F;
        if (length == 24) {
            length = in[at[0]++] & 0xFF;
        } else if (length == 25) {
            length = ((in[at[0]++] & 0xFF) << 8) | (in[at[0]++] & 0xFF);
        } else if (length > 25) {
            throw new AssertionError("length form " + length + " not expected here");
        }
        byte[] out = Arrays.copyOfRange(in, at[0], at[0] + length);
        at[0] += length;
        return out;
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        if (bytes.length < 24) {
            out.write(0x40 | bytes.length);
        } else if (bytes.length < 256) {
            out.write(0x58);
            out.write(bytes.length);
        } else {
            out.write(0x59);
            out.write(bytes.length >> 8);
            out.write(bytes.length & 0xFF);
        }
        out.writeBytes(bytes);
    }
}
