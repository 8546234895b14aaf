package jp.kominkan.shared.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import com.upokecenter.cbor.CBORObject;
import jp.kominkan.shared.CoseByHand;
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
            CoseByHand.assertJdkVerifies(expected, new byte[0], hex(v, "ed25519PublicKey"));
        }
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
