package jp.kominkan.shared.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import com.upokecenter.cbor.CBORObject;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * The known-answer vectors in {@code grant-vectors.json}, which a lock's firmware in C can test
 * against too. The signature is also checked with the JDK's own Ed25519 over a Sig_structure
 * built here byte by byte, independently of the code under test.
 */
class GrantVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyVectorSignsVerifiesAndMatchesByteForByte() throws Exception {
        CBORObject vectors = load().get("vectors");
        assertThat(vectors.size()).isGreaterThanOrEqualTo(2);
        for (int i = 0; i < vectors.size(); i++) {
            CBORObject v = vectors.get(i);
            Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(hex(v, "ed25519SecretKey"));
            assertThat(key.generatePublicKey().getEncoded()).isEqualTo(hex(v, "ed25519PublicKey"));
            assertThat(GrantKeys.keyId(key.generatePublicKey())).isEqualTo(v.get("keyId").AsString());

            CBORObject g = v.get("grant");
            String doorId = g.get("doorId").AsString();
            CodeVerifier verifier = CodeVerifier.of(hex(v, "doorKey"), doorId, v.get("bookingCode").AsString());
            assertThat(verifier.bytes()).isEqualTo(hex(v, "codeVerifier"));

            AccessGrant grant = new AccessGrant(UUID.fromString(g.get("grantId").AsString()),
                    g.get("municipalityCode").AsString(), doorId, UUID.fromString(g.get("reservationId").AsString()),
                    Instant.parse(g.get("validFrom").AsString()), Instant.parse(g.get("validUntil").AsString()),
                    verifier, Instant.parse(g.get("issuedAt").AsString()), v.get("keyId").AsString());
            byte[] expected = hex(v, "coseSign1");
            assertThat(HEX.formatHex(new GrantSigner(key, grant.keyId()).sign(grant))).isEqualTo(HEX.formatHex(expected));

            GrantVerifier.Verification result = new GrantVerifier(Map.of(grant.keyId(), key.generatePublicKey()))
                    .verify(expected);
            assertThat(result).isEqualTo(new GrantVerifier.Verification.Verified(grant));
            assertJdkVerifies(expected, hex(v, "ed25519PublicKey"));
        }
    }

    /** Takes the COSE_Sign1 apart by hand and checks its signature with the JDK's EdDSA. */
    private static void assertJdkVerifies(byte[] cose, byte[] rawPublicKey) throws Exception {
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
        sig.write(0x40);
        writeBytes(sig, payload);

        PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                concat(HEX.parseHex("302a300506032b6570032100"), rawPublicKey)));
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
        } else if (length > 24) {
            throw new AssertionError("length form " + length + " not expected in a grant");
        }
        byte[] out = java.util.Arrays.copyOfRange(in, at[0], at[0] + length);
        at[0] += length;
        return out;
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        if (bytes.length < 24) {
            out.write(0x40 | bytes.length);
        } else {
            out.write(0x58);
            out.write(bytes.length);
        }
        out.writeBytes(bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(CBORObject vector, String field) {
        return HEX.parseHex(vector.get(field).AsString());
    }

    private static CBORObject load() throws IOException {
        try (InputStream in = GrantVectorsTest.class.getResourceAsStream("/grant-vectors.json")) {
            return CBORObject.FromJSONString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
