package jp.kominkan.shared.pass;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import com.upokecenter.cbor.CBORObject;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.GrantVerifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * The known-answer vectors in {@code pass-vectors.json}, computed outside this code (Python's hmac and
 * cryptography, CBOR and Base45 by hand) for the grants of {@code grant-vectors.json}: a pass is made
 * byte for byte, and each check reaches its verdict.
 */
class DoorPassVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyVectorIsMadeByteForByteAndOpensForItsDoor() throws Exception {
        Map<String, CBORObject> grants = grantVectors();
        CBORObject vectors = load("/pass-vectors.json").get("vectors");
        assertThat(vectors.size()).isGreaterThanOrEqualTo(2);
        for (int i = 0; i < vectors.size(); i++) {
            CBORObject v = vectors.get(i);
            CBORObject g = grants.get(v.get("grantVector").AsString());
            byte[] signed = hex(g, "coseSign1");
            byte[] doorKey = hex(g, "doorKey");
            String doorId = g.get("grant").get("doorId").AsString();
            UUID grantId = UUID.fromString(g.get("grant").get("grantId").AsString());
            Instant at = Instant.parse(v.get("madeAt").AsString());
            assertThat(DoorPass.stepOf(at)).isEqualTo(v.get("step").AsInt64Value());
            assertThat(HEX.formatHex(DoorPass.passKey(doorKey, doorId, grantId))).isEqualTo(v.get("passKey").AsString());
            assertThat(HEX.formatHex(DoorPass.nonce(DoorPass.stepOf(at)))).isEqualTo(v.get("nonce").AsString());
            assertThat(HEX.formatHex(DoorPass.aad(grantId, DoorPass.stepOf(at)))).isEqualTo(v.get("aad").AsString());

            DoorPass pass = DoorPass.issue(signed, grantId, doorId, doorKey, new BookingCode(g.get("bookingCode").AsString()), at);
            assertThat(HEX.formatHex(pass.sealed())).isEqualTo(v.get("sealed").AsString());
            assertThat(HEX.formatHex(pass.cbor())).isEqualTo(v.get("cbor").AsString());
            assertThat(pass.text()).isEqualTo(v.get("text").AsString());
            assertThat(DoorPass.read(v.get("text").AsString())).isEqualTo(pass);
            assertThat(pass.open(grantId, doorId, doorKey)).contains(new BookingCode(g.get("bookingCode").AsString()));
        }
    }

    @Test
    void everyCheckReachesItsVerdict() throws Exception {
        Map<String, Ed25519PublicKeyParameters> keys = new HashMap<>();
        byte[] doorKey = null;
        for (CBORObject g : grantVectors().values()) {
            keys.put(g.get("keyId").AsString(), new Ed25519PrivateKeyParameters(hex(g, "ed25519SecretKey"))
                    .generatePublicKey());
            doorKey = hex(g, "doorKey");
        }
        DoorPassVerifier verifier = new DoorPassVerifier(new GrantVerifier(keys));
        CBORObject checks = load("/pass-vectors.json").get("checks");
        assertThat(checks.size()).isGreaterThanOrEqualTo(10);
        int verified = 0;
        for (int i = 0; i < checks.size(); i++) {
            CBORObject c = checks.get(i);
            String name = c.get("name").AsString();
            DoorPassVerifier.Verification result = verifier.verify(c.get("text").AsString(), c.get("doorId").AsString(),
                    doorKey, Instant.parse(c.get("now").AsString()));
            String expected = c.get("verdict").AsString();
            if (expected.equals("VERIFIED")) {
                assertThat(result).as(name).isInstanceOf(DoorPassVerifier.Verification.Verified.class);
                verified++;
            } else {
                assertThat(result).as(name).isInstanceOfSatisfying(DoorPassVerifier.Verification.Rejected.class,
                        r -> assertThat(r.reason()).as(name).isEqualTo(DoorPassVerifier.Reason.valueOf(expected)));
            }
        }
        assertThat(verified).isBetween(1, checks.size() - 1);
    }

    private static Map<String, CBORObject> grantVectors() throws IOException {
        CBORObject vectors = load("/grant-vectors.json").get("vectors");
        Map<String, CBORObject> byName = new HashMap<>();
        for (int i = 0; i < vectors.size(); i++) {
            byName.put(vectors.get(i).get("name").AsString(), vectors.get(i));
        }
        return byName;
    }

    private static byte[] hex(CBORObject vector, String field) {
        return HEX.parseHex(vector.get(field).AsString());
    }

    private static CBORObject load(String resource) throws IOException {
        try (InputStream in = DoorPassVectorsTest.class.getResourceAsStream(resource)) {
            return CBORObject.FromJSONString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
