package jp.kominkan.cloud.grant;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jp.kominkan.shared.grant.BookingCode;

/**
 * Seals booking codes for storage with AES-256-GCM, bound to their reservation (the reservation
 * id is the associated data, so a sealed code copied onto another reservation does not open).
 */
public final class CodeSealer {

    private static final int NONCE = 12;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param keys the key store
     */
    public CodeSealer(GrantKeyStore keys) {
        this.key = new SecretKeySpec(keys.sealingKey(), "AES");
    }

    /**
     * @param code        the code
     * @param reservation its reservation
     * @return base64 of nonce ‖ ciphertext ‖ tag
     */
    public String seal(BookingCode code, UUID reservation) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(reservation));
            byte[] sealed = cipher.doFinal(code.digits().getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * @param sealed      what {@link #seal} returned
     * @param reservation the reservation it was sealed for
     * @return the code
     */
    public BookingCode open(String sealed, UUID reservation) {
        byte[] bytes = Base64.getDecoder().decode(sealed);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, NONCE));
            cipher.updateAAD(aad(reservation));
            return new BookingCode(new String(cipher.doFinal(bytes, NONCE, bytes.length - NONCE), StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A sealed booking code does not open; was the sealing key replaced?", e);
        }
    }

    private static byte[] aad(UUID reservation) {
        return reservation.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
