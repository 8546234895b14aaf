package jp.kominkan.shared.grant;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** Fixed keys and grants for the known-answer vectors and the rejection tests. */
final class GrantFixtures {

    /** RFC 8032 §7.1 TEST 1 secret key. */
    static final Ed25519PrivateKeyParameters KEY_1 = new Ed25519PrivateKeyParameters(
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    /** RFC 8032 §7.1 TEST 2 secret key. */
    static final Ed25519PrivateKeyParameters KEY_2 = new Ed25519PrivateKeyParameters(
            HexFormat.of().parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    static final byte[] DOOR_KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    private GrantFixtures() {
    }

    static String keyId(Ed25519PrivateKeyParameters key) {
        return GrantKeys.keyId(key.generatePublicKey());
    }

    static AccessGrant grant(Ed25519PrivateKeyParameters key, String doorId, String code) {
        return new AccessGrant(UUID.fromString("6f1c2a9e-3b7d-4c1e-9a55-0d2f8e7b6a41"), "999991", doorId,
                UUID.fromString("0b9c7d3e-8f21-4a6b-b5c4-2e1f0a9d8c77"),
                Instant.parse("2026-12-01T00:50:00Z"), Instant.parse("2026-12-01T02:40:00Z"),
                CodeVerifier.of(DOOR_KEY, doorId, code), Instant.parse("2026-11-24T08:00:00Z"), keyId(key));
    }
}
