package jp.kominkan.shared.pass;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.wire.UuidBytes;

/**
 * A door pass (QR コードの入館証): what a resident's booking page shows as a QR code and a reader at
 * the door hands to the gateway. It carries the signed grant itself, so a gateway that never synced
 * the grant — the booking was made while the building was offline — can still check it, and the
 * booking code sealed under a key derived from the door key, which proves that whoever made the pass
 * knew the code and held the door key (only the cloud and the door's gateway do) at a 30-second time
 * step. See docs/grants.md, "Door pass".
 *
 * <pre>
 * text   = "KMK1:" base45(cbor)                                   ; RFC 9285, QR alphanumeric mode
 * cbor   = [1, signedGrant: bstr, step: uint, sealed: bstr]        ; deterministic (RFC 8949 §4.2.1)
 * step   = floor(seconds since 1970 / 30)
 * K      = HMAC-SHA256(doorKey, "kominkan-pass-v1" 0x00 doorId 0x00 grantId(16))
 * sealed = AES-256-GCM(K, nonce = step(8, big-endian) ‖ 00000000,
 *                      aad = "KMK1" ‖ grantId(16) ‖ step(8, big-endian), plaintext = the 8 code digits)
 * </pre>
 * The nonce repeats for one key only within one step, and then always with the same plaintext (a
 * grant's code never changes), so the deterministic nonce leaks nothing and needs no randomness.
 *
 * @param signedGrant the grant's COSE_Sign1 bytes, exactly as the cloud signed them for the grant stream
 * @param step        the 30-second time step the pass was made in
 * @param sealed      the sealed booking code: 8 bytes of ciphertext and a 16-byte tag
 */
public record DoorPass(byte[] signedGrant, long step, byte[] sealed) {

    /** What every pass's text starts with: the format and its version. */
    public static final String PREFIX = "KMK1:";
    /** Longest text accepted; a pass for a 64-character door id is about 440 characters. */
    public static final int MAX_TEXT = 1000;
    /** Length of a time step, in seconds. */
    public static final int STEP_SECONDS = 30;
    /** Steps a pass stays valid after the one it was made in: with the current one, about 5 minutes. */
    public static final int MAX_AGE_STEPS = 10;
    /** Steps a pass may be ahead of the reader's clock: a cloud clock a minute ahead still works. */
    public static final int MAX_AHEAD_STEPS = 2;

    static final int VERSION = 1;
    private static final int TAG_BITS = 128;
    private static final byte[] KEY_LABEL = "kominkan-pass-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD_LABEL = "KMK1".getBytes(StandardCharsets.US_ASCII);
    private static final CBOREncodeOptions DETERMINISTIC = new CBOREncodeOptions("ctap2canonical=true");

    /** Checks the parts are present and the step is not negative; copies the bytes. */
    public DoorPass {
        Objects.requireNonNull(signedGrant, "signedGrant");
        Objects.requireNonNull(sealed, "sealed");
        if (step < 0) {
            throw new IllegalArgumentException("a time step is not negative");
        }
        signedGrant = signedGrant.clone();
        sealed = sealed.clone();
    }

    /**
     * Makes a pass (the cloud, for the logged-in owner of a live booking).
     *
     * @param signedGrant the grant's COSE_Sign1 bytes as signed for the grant stream
     * @param grantId     the grant's id
     * @param doorId      the grant's door
     * @param doorKey     that door's key
     * @param code        the booking's code
     * @param at          now
     * @return the pass for the time step of {@code at}
     */
    public static DoorPass issue(byte[] signedGrant, UUID grantId, String doorId, byte[] doorKey, BookingCode code,
                                 Instant at) {
        long step = stepOf(at);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, doorKey, doorId, grantId, step);
            return new DoorPass(signedGrant, step, cipher.doFinal(code.digits().getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM and HmacSHA256 are part of every JDK", e);
        }
    }

    /**
     * @param at an instant
     * @return its 30-second time step
     */
    public static long stepOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /**
     * Reads a pass's text, strictly: the prefix, at most {@value #MAX_TEXT} characters, Base45, one
     * deterministically encoded CBOR array of the four parts and nothing after it.
     *
     * @param text what the reader scanned
     * @return the pass, not yet checked
     * @throws IllegalArgumentException naming what is wrong, never quoting the text
     */
    public static DoorPass read(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("longer than " + MAX_TEXT + " characters");
        }
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("does not start with " + PREFIX);
        }
        byte[] bytes = Base45.decode(text.substring(PREFIX.length()));
        CBORObject array;
        try {
            array = CBORObject.DecodeFromBytes(bytes, DETERMINISTIC);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not one CBOR item in deterministic form", e);
        }
        if (array.isTagged() || array.getType() != CBORType.Array || array.size() != 4) {
            throw new IllegalArgumentException("not an array of four");
        }
        CBORObject version = array.get(0);
        if (version.isTagged() || version.getType() != CBORType.Integer || !version.CanValueFitInInt32()
                || version.AsInt32Value() != VERSION) {
            throw new IllegalArgumentException("version is not " + VERSION);
        }
        CBORObject step = array.get(2);
        if (step.isTagged() || step.getType() != CBORType.Integer || !step.CanValueFitInInt64() || step.AsInt64Value() < 0) {
            throw new IllegalArgumentException("step is not an unsigned integer");
        }
        DoorPass pass = new DoorPass(byteString(array.get(1), "signed grant"), step.AsInt64Value(),
                byteString(array.get(3), "sealed code"));
        if (!Arrays.equals(pass.cbor(), bytes)) {
            throw new IllegalArgumentException("not deterministically encoded");
        }
        return pass;
    }

    /** @return the text to put in the QR code */
    public String text() {
        return PREFIX + Base45.encode(cbor());
    }

    /**
     * @param now the reader's time
     * @return whether the pass was made at most {@value #MAX_AGE_STEPS} steps before now's step and at
     *         most {@value #MAX_AHEAD_STEPS} after it
     */
    public boolean isFreshAt(Instant now) {
        long current = stepOf(now);
        return step >= current - MAX_AGE_STEPS && step <= current + MAX_AHEAD_STEPS;
    }

    /**
     * Opens the sealed code with the door's key (the gateway).
     *
     * @param grantId the id of the grant the pass carries, once its signature has been checked
     * @param doorId  the door it is shown at
     * @param doorKey that door's key
     * @return the booking code, or empty when the seal does not open (another key, door, grant or
     *         step, or altered bytes) or holds no code
     */
    public Optional<BookingCode> open(UUID grantId, String doorId, byte[] doorKey) {
        try {
            byte[] plain = cipher(Cipher.DECRYPT_MODE, doorKey, doorId, grantId, step).doFinal(sealed);
            String digits = new String(plain, StandardCharsets.US_ASCII);
            return BookingCode.isWellFormed(digits) ? Optional.of(new BookingCode(digits)) : Optional.empty();
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM and HmacSHA256 are part of every JDK", e);
        }
    }

    /** @return the deterministic CBOR array */
    byte[] cbor() {
        return CBORObject.NewArray().Add(VERSION).Add(CBORObject.FromObject(signedGrant)).Add(step)
                .Add(CBORObject.FromObject(sealed)).EncodeToBytes(DETERMINISTIC);
    }

    /** K = HMAC-SHA256(doorKey, "kominkan-pass-v1" 0x00 doorId 0x00 grantId). */
    static byte[] passKey(byte[] doorKey, String doorId, UUID grantId) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(doorKey, "HmacSHA256"));
        mac.update(KEY_LABEL);
        mac.update((byte) 0);
        mac.update(doorId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(UuidBytes.of(grantId));
    }

    private static Cipher cipher(int mode, byte[] doorKey, String doorId, UUID grantId, long step)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(passKey(doorKey, doorId, grantId), "AES"),
                new GCMParameterSpec(TAG_BITS, nonce(step)));
        cipher.updateAAD(aad(grantId, step));
        return cipher;
    }

    /** The nonce: the step as 8 bytes, big-endian, then 4 zero bytes. */
    static byte[] nonce(long step) {
        return ByteBuffer.allocate(12).putLong(step).array();
    }

    /** The associated data: "KMK1" ‖ grant id ‖ step (8 bytes, big-endian). */
    static byte[] aad(UUID grantId, long step) {
        return ByteBuffer.allocate(AAD_LABEL.length + UuidBytes.LENGTH + Long.BYTES).put(AAD_LABEL)
                .put(UuidBytes.of(grantId)).putLong(step).array();
    }

    private static byte[] byteString(CBORObject value, String name) {
        if (value.isTagged() || value.getType() != CBORType.ByteString) {
            throw new IllegalArgumentException(name + " is not a byte string");
        }
        return value.GetByteString();
    }

    @Override
    public byte[] signedGrant() {
        return signedGrant.clone();
    }

    @Override
    public byte[] sealed() {
        return sealed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoorPass other && step == other.step && Arrays.equals(signedGrant, other.signedGrant)
                && Arrays.equals(sealed, other.sealed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(signedGrant), step, Arrays.hashCode(sealed));
    }

    @Override
    public String toString() {
        return "DoorPass[step " + step + ", grant of " + signedGrant.length + " bytes]";
    }
}
