package jp.kominkan.cloud.grant;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jp.kominkan.cloud.crypto.AeadSeal;
import jp.kominkan.shared.grant.BookingCode;

/**
 * Seals booking codes for storage with AES-256-GCM ({@link AeadSeal}), bound to their reservation (the reservation
 * id is the associated data, so a sealed code copied onto another reservation does not open).
 */
public final class CodeSealer {

    private final AeadSeal seal;

    /**
     * @param keys the key store
     */
    public CodeSealer(GrantKeyStore keys) {
        this.seal = new AeadSeal(keys.sealingKey());
    }

    /**
     * @param code        the code
     * @param reservation its reservation
     * @return base64 of nonce ‖ ciphertext ‖ tag
     */
    public String seal(BookingCode code, UUID reservation) {
        return seal.seal(code.digits().getBytes(StandardCharsets.US_ASCII), reservation.toString());
    }

    /**
     * @param sealed      what {@link #seal} returned
     * @param reservation the reservation it was sealed for
     * @return the code
     */
    public BookingCode open(String sealed, UUID reservation) {
        return new BookingCode(new String(seal.open(sealed, reservation.toString()).orElseThrow(() ->
                new IllegalStateException("A sealed booking code does not open; was the sealing key replaced?")),
                StandardCharsets.US_ASCII));
    }
}
