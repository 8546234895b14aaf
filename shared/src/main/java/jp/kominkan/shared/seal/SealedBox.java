package jp.kominkan.shared.seal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.Pack;

/**
 * Opens libsodium sealed boxes ({@code crypto_box_seal}), the form in which xID's Userdata API sends each
 * personal field: Base64 of a box sealed to the municipality's X25519 key pair. Written on BouncyCastle so the
 * cloud needs no native libsodium (and no new dependency).
 *
 * <p>The format, from libsodium's documentation ("Public-key cryptography → Sealed boxes",
 * https://doc.libsodium.org/public-key_cryptography/sealed_boxes):
 * <pre>
 * sealed = ephemeral_pk (32) || mac (16) || ciphertext (as long as the message)
 * nonce  = BLAKE2b-192(ephemeral_pk || recipient_pk)                 (24 bytes, unkeyed)
 * k      = HSalsa20(X25519(secret, peer public), 16 zero bytes)      (crypto_box_beforenm)
 * stream = XSalsa20(k, nonce)                                         (HSalsa20(k, nonce[0..16]), then Salsa20)
 * mac    = Poly1305(key = stream[0..32], ciphertext);  ciphertext = message XOR stream[32..]
 * </pre>
 * that is {@code crypto_box_easy} with an ephemeral sender key that is thrown away, so only the holder of the
 * recipient's secret key can open a box and nobody can tell who sealed it. A box is opened only after its MAC
 * checks out, compared in constant time; an ephemeral key of low order (an all-zero shared secret) is refused,
 * as libsodium's {@code crypto_scalarmult} refuses it.
 *
 * <p>Instances hold the recipient's keys, never change, and can be shared between threads. Nothing here logs,
 * and no exception carries any part of a message.
 */
public final class SealedBox {

    /** Length of an X25519 public or secret key. */
    public static final int KEY_BYTES = 32;
    /** Length of the Poly1305 tag. */
    public static final int MAC_BYTES = 16;
    /** What sealing adds to a message: the ephemeral public key and the MAC ({@code crypto_box_SEALBYTES}). */
    public static final int OVERHEAD = KEY_BYTES + MAC_BYTES;

    private static final int NONCE_BYTES = 24;
    /** "expand 32-byte k", the Salsa20 constant, as little-endian words. */
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

    private final byte[] publicKey;
    private final byte[] secretKey;

    /**
     * @param publicKey the recipient's X25519 public key, 32 raw bytes
     * @param secretKey the matching secret key, 32 raw bytes (libsodium's {@code crypto_box_SECRETKEYBYTES})
     * @throws IllegalArgumentException if a key is not 32 bytes or the public key is not the secret key's
     */
    public SealedBox(byte[] publicKey, byte[] secretKey) {
        this.publicKey = checkedKey("public key", publicKey).clone();
        this.secretKey = checkedKey("secret key", secretKey).clone();
        byte[] derived = new byte[KEY_BYTES];
        X25519.scalarMultBase(this.secretKey, 0, derived, 0);
        if (!Arrays.constantTimeAreEqual(derived, this.publicKey)) {
            throw new IllegalArgumentException("The sealed-box public key does not belong to the secret key;"
                    + " configure the key pair that was registered with the provider");
        }
    }

    /**
     * The key pair as configured: each key Base64 (standard alphabet) of its 32 raw bytes.
     *
     * @param publicKey the recipient's public key
     * @param secretKey the recipient's secret key
     * @return the box opener
     * @throws IllegalArgumentException saying which key is not Base64 or not 32 bytes long
     */
    public static SealedBox fromBase64(String publicKey, String secretKey) {
        return new SealedBox(decodedKey("public key", publicKey), decodedKey("secret key", secretKey));
    }

    /**
     * A fresh key pair, as libsodium's {@code crypto_box_keypair} makes: a random secret key and its public key
     * {@code X25519(secret, 9)}. For the sandbox and tests; a municipality's real key pair is made once and kept
     * with its other secrets.
     *
     * @param random the source of randomness
     * @return the raw keys
     */
    public static KeyPair generate(SecureRandom random) {
        byte[] secret = new byte[KEY_BYTES];
        X25519.generatePrivateKey(Objects.requireNonNull(random), secret);
        byte[] pub = new byte[KEY_BYTES];
        X25519.scalarMultBase(secret, 0, pub, 0);
        return new KeyPair(pub, secret);
    }

    /**
     * Seals a message to a recipient, as {@code crypto_box_seal} does: for the sandbox, which plays xID, and for
     * tests.
     *
     * @param message            the bytes to seal
     * @param recipientPublicKey the recipient's X25519 public key, 32 raw bytes
     * @param random             the source of the ephemeral key
     * @return {@code ephemeral_pk || mac || ciphertext}, {@link #OVERHEAD} longer than the message
     * @throws IllegalArgumentException if the key is not 32 bytes or of low order
     */
    public static byte[] seal(byte[] message, byte[] recipientPublicKey, SecureRandom random) {
        Objects.requireNonNull(message);
        byte[] recipient = checkedKey("recipient public key", recipientPublicKey).clone();
        byte[] ephemeralSecret = new byte[KEY_BYTES];
        X25519.generatePrivateKey(Objects.requireNonNull(random), ephemeralSecret);
        byte[] sealed = new byte[OVERHEAD + message.length];
        X25519.scalarMultBase(ephemeralSecret, 0, sealed, 0);
        byte[] shared = new byte[KEY_BYTES];
        try {
            if (!X25519.calculateAgreement(ephemeralSecret, 0, recipient, 0, shared, 0)) {
                throw new IllegalArgumentException("The recipient public key is of low order; no box can be sealed to it");
            }
            XSalsa20Engine stream = stream(true, shared, nonce(sealed, recipient));
            byte[] macKey = new byte[KEY_BYTES];
            stream.processBytes(new byte[KEY_BYTES], 0, KEY_BYTES, macKey, 0);
            stream.processBytes(message, 0, message.length, sealed, OVERHEAD);
            mac(macKey, sealed, OVERHEAD, message.length, sealed, KEY_BYTES);
            Arrays.fill(macKey, (byte) 0);
            return sealed;
        } finally {
            Arrays.fill(ephemeralSecret, (byte) 0);
            Arrays.fill(shared, (byte) 0);
        }
    }

    /**
     * Opens a box sealed to this key pair ({@code crypto_box_seal_open}).
     *
     * @param sealed {@code ephemeral_pk || mac || ciphertext}
     * @return the message
     * @throws Refused if the box is shorter than {@link #OVERHEAD}, its ephemeral key is of low order, or its
     *                 MAC does not verify (altered, or sealed to another key)
     */
    public byte[] open(byte[] sealed) {
        Objects.requireNonNull(sealed);
        if (sealed.length < OVERHEAD) {
            throw new Refused(Refused.Reason.TOO_SHORT, "The sealed box is " + sealed.length
                    + " bytes long; a box has at least " + OVERHEAD + " (ephemeral key and MAC)");
        }
        byte[] shared = new byte[KEY_BYTES];
        byte[] macKey = new byte[KEY_BYTES];
        try {
            // calculateAgreement answers false for an all-zero result, which a low-order point gives for any secret.
            if (!X25519.calculateAgreement(secretKey, 0, sealed, 0, shared, 0)) {
                throw new Refused(Refused.Reason.LOW_ORDER_KEY,
                        "The sealed box's ephemeral key is of low order (an all-zero shared secret)");
            }
            XSalsa20Engine stream = stream(false, shared, nonce(sealed, publicKey));
            stream.processBytes(new byte[KEY_BYTES], 0, KEY_BYTES, macKey, 0);
            int length = sealed.length - OVERHEAD;
            byte[] expected = new byte[MAC_BYTES];
            mac(macKey, sealed, OVERHEAD, length, expected, 0);
            if (!Arrays.constantTimeAreEqual(MAC_BYTES, expected, 0, sealed, KEY_BYTES)) {
                throw new Refused(Refused.Reason.NOT_AUTHENTIC,
                        "The sealed box does not verify: it was altered, or sealed to another key");
            }
            byte[] message = new byte[length];
            stream.processBytes(sealed, OVERHEAD, length, message, 0);
            return message;
        } finally {
            Arrays.fill(shared, (byte) 0);
            Arrays.fill(macKey, (byte) 0);
        }
    }

    /**
     * Opens a field as xID sends it: Base64 (standard alphabet) of a sealed box holding UTF-8 text.
     *
     * @param base64 the field's value
     * @return the text
     * @throws Refused as {@link #open}, and if the value is not Base64 or the message is not UTF-8
     */
    public String openBase64(String base64) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(Objects.requireNonNull(base64).strip());
        } catch (IllegalArgumentException e) {
            // The decoder's own message quotes input characters; ours says only what was expected.
            throw new Refused(Refused.Reason.NOT_BASE64,
                    "The sealed box is not Base64 (standard alphabet A–Z a–z 0–9 + /, padded with =)");
        }
        byte[] message = open(sealed);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException e) {
            throw new Refused(Refused.Reason.NOT_TEXT, "The sealed box opened, but its message is not UTF-8 text");
        } finally {
            Arrays.fill(message, (byte) 0);
        }
    }

    /** @return the recipient's public key, 32 raw bytes */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public String toString() {
        return "SealedBox[publicKey=" + Base64.getEncoder().encodeToString(publicKey) + "]";
    }

    /** {@code BLAKE2b(ephemeral_pk || recipient_pk)} with a 24-byte output, libsodium's {@code _crypto_box_seal_nonce}. */
    private static byte[] nonce(byte[] ephemeralPublicKey, byte[] recipientPublicKey) {
        Blake2bDigest blake2b = new Blake2bDigest(NONCE_BYTES * 8);
        blake2b.update(ephemeralPublicKey, 0, KEY_BYTES);
        blake2b.update(recipientPublicKey, 0, KEY_BYTES);
        byte[] nonce = new byte[NONCE_BYTES];
        blake2b.doFinal(nonce, 0);
        return nonce;
    }

    /** XSalsa20 keyed with {@code crypto_box_beforenm}'s key; BouncyCastle's engine does the inner HSalsa20. */
    private static XSalsa20Engine stream(boolean encrypt, byte[] shared, byte[] nonce) {
        byte[] key = hsalsa20(shared);
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(encrypt, new ParametersWithIV(new KeyParameter(key), nonce));
        Arrays.fill(key, (byte) 0);
        return engine;
    }

    /**
     * HSalsa20 of a 32-byte key and 16 zero bytes (libsodium's {@code crypto_box_beforenm}). Salsa20's core adds
     * its input words to the rounds' result; HSalsa20 takes words 0, 5, 10, 15, 6, 7, 8, 9 without that addition
     * (the same subtraction as BouncyCastle's {@code XSalsa20Engine.setKey}).
     */
    private static byte[] hsalsa20(byte[] key) {
        int[] input = new int[16];
        input[0] = SIGMA[0];
        input[5] = SIGMA[1];
        input[10] = SIGMA[2];
        input[15] = SIGMA[3];
        Pack.littleEndianToInt(key, 0, input, 1, 4);
        Pack.littleEndianToInt(key, 16, input, 11, 4);
        // words 6..9 are the 16-byte input, here all zero
        int[] output = new int[16];
        Salsa20Engine.salsaCore(20, input, output);
        byte[] result = new byte[KEY_BYTES];
        int[] words = {0, 5, 10, 15, 6, 7, 8, 9};
        for (int i = 0; i < words.length; i++) {
            Pack.intToLittleEndian(output[words[i]] - input[words[i]], result, 4 * i);
        }
        Arrays.fill(input, 0);
        Arrays.fill(output, 0);
        return result;
    }

    private static void mac(byte[] key, byte[] in, int offset, int length, byte[] out, int outOffset) {
        Poly1305 poly1305 = new Poly1305();
        poly1305.init(new KeyParameter(key));
        poly1305.update(in, offset, length);
        poly1305.doFinal(out, outOffset);
    }

    private static byte[] checkedKey(String which, byte[] key) {
        Objects.requireNonNull(key, which);
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("The sealed-box " + which + " is " + key.length
                    + " bytes long; an X25519 key is " + KEY_BYTES + " raw bytes");
        }
        return key;
    }

    private static byte[] decodedKey(String which, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Objects.requireNonNull(base64, which).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The sealed-box " + which + " is not Base64 (standard alphabet);"
                    + " expected 44 characters for 32 raw bytes");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("The sealed-box " + which + " decodes to " + key.length
                    + " bytes; an X25519 key is " + KEY_BYTES + " raw bytes (44 Base64 characters)."
                    + " Configure the raw key, not a PEM or DER encoding, and not the key pair together");
        }
        return key;
    }

    /**
     * A raw X25519 key pair, as libsodium's {@code crypto_box_keypair} gives it.
     *
     * @param publicKey 32 bytes
     * @param secretKey 32 bytes
     */
    public record KeyPair(byte[] publicKey, byte[] secretKey) {

        /** Copies and checks both keys. */
        public KeyPair {
            publicKey = checkedKey("public key", publicKey).clone();
            secretKey = checkedKey("secret key", secretKey).clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] secretKey() {
            return secretKey.clone();
        }

        /** @return the public key in Base64, as configured */
        public String publicKeyBase64() {
            return Base64.getEncoder().encodeToString(publicKey);
        }

        /** @return the secret key in Base64, as configured */
        public String secretKeyBase64() {
            return Base64.getEncoder().encodeToString(secretKey);
        }

        /** @return the pair as a box opener */
        public SealedBox box() {
            return new SealedBox(publicKey, secretKey);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof KeyPair pair && java.util.Arrays.equals(publicKey, pair.publicKey)
                    && java.util.Arrays.equals(secretKey, pair.secretKey);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(publicKey);
        }

        /** Names the public key only: a key pair in a log must not give away its secret. */
        @Override
        public String toString() {
            return "KeyPair[publicKey=" + publicKeyBase64() + ", secretKey=…]";
        }
    }

    /**
     * A sealed box that will not open. The message says what is wrong with the box and never holds any of its
     * content; {@link #reason()} is a short code for the log.
     */
    public static final class Refused extends RuntimeException {

        private final Reason reason;

        Refused(Reason reason, String message) {
            super(message);
            this.reason = Objects.requireNonNull(reason);
        }

        /** @return why the box was refused */
        public Reason reason() {
            return reason;
        }

        /** Why a box was refused. */
        public enum Reason {
            /** Not Base64. */
            NOT_BASE64,
            /** Shorter than an ephemeral key and a MAC. */
            TOO_SHORT,
            /** The ephemeral key is a low-order point: the shared secret would be all zero. */
            LOW_ORDER_KEY,
            /** The MAC does not verify: the box was altered, or sealed to another key. */
            NOT_AUTHENTIC,
            /** Authentic, but the message is not UTF-8 text. */
            NOT_TEXT
        }
    }
}
