package jp.kominkan.cloud.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a secret for keeping in the database: AES-256-GCM with a fresh 96-bit nonce, the secret's context (what it
 * belongs to, say {@code renewal:<account>:<provider>}) as associated data, so a sealed value copied to another row
 * does not open. The key never goes into the database (it is derived from the cloud's keys folder).
 * Written as Base64 of nonce ‖ ciphertext ‖ tag.
 */
public final class AeadSeal {

    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /**
     * @param key a 256-bit key
     */
    public AeadSeal(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * @param secret  what to seal
     * @param context what it belongs to: only the same context opens it
     * @return Base64 of nonce ‖ ciphertext ‖ tag
     */
    public String seal(byte[] secret, String context) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, context).doFinal(secret);
            byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * @param sealed  what {@link #seal} returned
     * @param context the context it was sealed for
     * @return the secret; empty when it does not open: another key, another context, altered, or not a sealed value
     */
    public Optional<byte[]> open(String sealed, String context) {
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (in.length < NONCE + TAG_BITS / 8) {
            return Optional.empty();
        }
        try {
            return Optional.of(cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(in, NONCE), context)
                    .doFinal(in, NONCE, in.length - NONCE));
        } catch (javax.crypto.AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "AeadSeal[AES-256-GCM]";
    }
}
