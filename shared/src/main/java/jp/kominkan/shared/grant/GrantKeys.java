package jp.kominkan.shared.grant;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Names signing keys: a key id is "ed25519-" and the first 8 bytes of the SHA-256 of the public
 * key, in hex, so that anyone holding the public key can tell which id it has.
 */
public final class GrantKeys {

    private GrantKeys() {
    }

    /**
     * @param publicKey a public key
     * @return its id
     */
    public static String keyId(Ed25519PublicKeyParameters publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return "ed25519-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
