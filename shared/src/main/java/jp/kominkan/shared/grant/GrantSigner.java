package jp.kominkan.shared.grant;

import java.nio.charset.StandardCharsets;

import com.upokecenter.cbor.CBORObject;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs grants as COSE_Sign1 (RFC 9052 §4.2), tag 18, algorithm EdDSA (-8) with Ed25519:
 * {@code 18([protected: bstr .cbor {1: -8, 4: kid}, unprotected: {}, payload: bstr, signature: bstr])}.
 *
 * <p>Both the algorithm and the key id are in the protected header, so both are signed: swapping
 * either breaks the signature. Ed25519 is deterministic, so a grant signs to the same bytes every
 * time, which the known-answer tests rely on.
 */
public final class GrantSigner {

    private final Ed25519PrivateKeyParameters key;
    private final String keyId;
    private final byte[] protectedHeader;

    /**
     * @param key   the cloud's signing key
     * @param keyId its id, as verifiers know it
     */
    public GrantSigner(Ed25519PrivateKeyParameters key, String keyId) {
        this.key = key;
        this.keyId = keyId;
        this.protectedHeader = Cose.protectedHeader(keyId);
    }

    /** @return the id of the signing key */
    public String keyId() {
        return keyId;
    }

    /**
     * @param grant a grant whose key id is this signer's
     * @return the tagged COSE_Sign1 bytes
     */
    public byte[] sign(AccessGrant grant) {
        if (!grant.keyId().equals(keyId)) {
            throw new IllegalArgumentException("grant names key " + grant.keyId() + ", signer holds " + keyId);
        }
        return signPayload(GrantPayload.encode(grant));
    }

    /** Signs any payload; package-private so tests can sign malformed payloads. */
    byte[] signPayload(byte[] payload) {
        return sign(payload, new byte[0]);
    }

    /**
     * Signs a payload bound to a context that is not sent but that the verifier must know: the
     * external AAD of RFC 9052 §4.3. Grants use none; other signed messages (the grant stream,
     * receipts) name their purpose, gateway and topic there, so a signature made for one use can
     * never pass for another.
     *
     * @param payload     the bytes to sign
     * @param externalAad the context
     * @return the tagged COSE_Sign1 bytes
     */
    public byte[] sign(byte[] payload, byte[] externalAad) {
        byte[] toBeSigned = Cose.sigStructure(protectedHeader, externalAad, payload);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(toBeSigned, 0, toBeSigned.length);
        byte[] signature = signer.generateSignature();
        byte[] array = CBORObject.NewArray()
                .Add(CBORObject.FromObject(protectedHeader))
                .Add(CBORObject.NewMap())
                .Add(CBORObject.FromObject(payload))
                .Add(CBORObject.FromObject(signature))
                .EncodeToBytes(GrantPayload.DETERMINISTIC);
        // The library's deterministic (CTAP2) mode drops tags, so tag 18 is written by hand: 0xD2.
        byte[] tagged = new byte[array.length + 1];
        tagged[0] = Cose.TAG_SIGN1_BYTE;
        System.arraycopy(array, 0, tagged, 1, array.length);
        return tagged;
    }

    /** COSE constants and structures shared by signer and verifier. */
    static final class Cose {
        static final int TAG_SIGN1 = 18;
        /** Major type 6 (tag) with value 18 in one byte. */
        static final byte TAG_SIGN1_BYTE = (byte) 0xD2;
        static final int HEADER_ALG = 1;
        static final int HEADER_KID = 4;
        static final int ALG_EDDSA = -8;

        private Cose() {
        }

        static byte[] protectedHeader(String keyId) {
            return CBORObject.NewMap()
                    .Add(HEADER_ALG, ALG_EDDSA)
                    .Add(HEADER_KID, keyId.getBytes(StandardCharsets.UTF_8))
                    .EncodeToBytes(GrantPayload.DETERMINISTIC);
        }

        /** Sig_structure = ["Signature1", body_protected, external_aad, payload] (RFC 9052 §4.4). */
        static byte[] sigStructure(byte[] protectedHeader, byte[] externalAad, byte[] payload) {
            return CBORObject.NewArray()
                    .Add("Signature1")
                    .Add(CBORObject.FromObject(protectedHeader))
                    .Add(CBORObject.FromObject(externalAad))
                    .Add(CBORObject.FromObject(payload))
                    .EncodeToBytes(GrantPayload.DETERMINISTIC);
        }
    }
}
