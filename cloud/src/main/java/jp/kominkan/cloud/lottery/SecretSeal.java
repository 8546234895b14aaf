package jp.kominkan.cloud.lottery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps a round's secret (the server's half of the seed) sealed in the database between the close and the draw:
 * AES-256-GCM under a derived key, with the round's id as associated data so a sealed secret cannot be moved to
 * another round. Someone who reads the database alone cannot compute the draw's outcome ahead of it.
 */
final class SecretSeal {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    SecretSeal(byte[] key) {
        this.key = key.clone();
    }

    static byte[] newSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }

    String seal(byte[] secret, long roundId) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, roundId);
            byte[] sealed = cipher.doFinal(secret);
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    byte[] open(String sealed, long roundId) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(in, 12), roundId);
            return cipher.doFinal(in, 12, in.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The round's sealed secret does not open with this server's key", e);
        }
    }

    private Cipher cipher(int mode, byte[] iv, long roundId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(("lottery-round:" + roundId).getBytes(StandardCharsets.US_ASCII));
        return cipher;
    }
}
