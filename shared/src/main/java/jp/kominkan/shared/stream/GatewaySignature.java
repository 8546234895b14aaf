package jp.kominkan.shared.stream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import jp.kominkan.shared.topic.Topic;

/**
 * What a gateway tells the cloud (acks, events, certificate requests) signed with the gateway's
 * own EC P-256 key — the key its client certificate certifies — so that the cloud believes it even
 * if the broker were compromised: a forged "everything applied" ack would otherwise stop the
 * stream unseen (docs/grants.md, "Signed messages").
 *
 * <pre>
 * 18([protected: bstr .cbor {1: -7}, unprotected: {}, payload: bstr, signature: bstr .size 64])
 * external_aad = "kominkan-gateway-message-v1" 0x00 topic-name
 * </pre>
 *
 * ES256 (RFC 9053 §2.1: ECDSA P-256 with SHA-256, r and s as 32 bytes each). No key id: the topic
 * names the gateway, whose keys the cloud knows from the certificates it issued.
 */
public final class GatewaySignature {

    private static final byte[] LABEL = "kominkan-gateway-message-v1".getBytes(StandardCharsets.US_ASCII);
    private static final CBOREncodeOptions DETERMINISTIC = new CBOREncodeOptions("ctap2canonical=true");
    private static final byte TAG_SIGN1 = (byte) 0xD2;
    private static final int ALG_ES256 = -7;
    private static final byte[] PROTECTED = CBORObject.NewMap().Add(1, ALG_ES256).EncodeToBytes(DETERMINISTIC);

    private GatewaySignature() {
    }

    /**
     * @param key     the gateway's private key
     * @param topic   where the message goes
     * @param message the message bytes
     * @return the signed message
     */
    public static byte[] sign(PrivateKey key, Topic topic, byte[] message) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(key);
            signer.update(toBeSigned(topic, message));
            byte[] array = CBORObject.NewArray().Add(CBORObject.FromObject(PROTECTED)).Add(CBORObject.NewMap())
                    .Add(CBORObject.FromObject(message)).Add(CBORObject.FromObject(signer.sign())).EncodeToBytes(DETERMINISTIC);
            byte[] tagged = new byte[array.length + 1];
            tagged[0] = TAG_SIGN1;
            System.arraycopy(array, 0, tagged, 1, array.length);
            return tagged;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign with the gateway's key: " + e.getMessage(), e);
        }
    }

    /**
     * @param keys     the gateway's public keys (from its valid certificates)
     * @param topic    the topic it arrived on
     * @param signed   what arrived
     * @param maxBytes the largest message accepted
     * @return the message bytes
     * @throws IllegalArgumentException when no key of the gateway signed it for this topic, saying why
     */
    public static byte[] open(List<PublicKey> keys, Topic topic, byte[] signed, int maxBytes) {
        Envelope envelope = envelope(signed, maxBytes);
        if (!verifies(keys, topic, envelope)) {
            throw new IllegalArgumentException("not signed by a key of this gateway for " + topic.name());
        }
        return envelope.payload();
    }

    /**
     * Takes a signed message apart without checking its signature: cheap, so that junk is refused
     * before anyone looks up a key.
     *
     * @param signed   what arrived
     * @param maxBytes the largest message accepted
     * @return its parts
     * @throws IllegalArgumentException when it is not a gateway's ES256 COSE_Sign1
     */
    public static Envelope envelope(byte[] signed, int maxBytes) {
        Objects.requireNonNull(signed, "signed");
        if (signed.length > maxBytes) {
            throw new IllegalArgumentException("message of " + signed.length + " bytes is over " + maxBytes);
        }
        if (signed.length < 2 || signed[0] != TAG_SIGN1) {
            throw new IllegalArgumentException("not signed by the gateway (no COSE_Sign1)");
        }
        try {
            CBORObject array = CBORObject.DecodeFromBytes(Arrays.copyOfRange(signed, 1, signed.length), DETERMINISTIC);
            if (array.getType() != CBORType.Array || array.size() != 4
                    || !Arrays.equals(bytes(array.get(0)), PROTECTED)
                    || array.get(1).getType() != CBORType.Map || array.get(1).size() != 0) {
                throw new IllegalArgumentException("not a gateway's ES256 COSE_Sign1");
            }
            byte[] signature = bytes(array.get(3));
            if (signature.length != 64) {
                throw new IllegalArgumentException("an ES256 signature is 64 bytes, not " + signature.length);
            }
            return new Envelope(bytes(array.get(2)), signature);
        } catch (com.upokecenter.cbor.CBORException | IllegalStateException e) {
            throw new IllegalArgumentException("not valid CBOR: " + e.getMessage());
        }
    }

    /**
     * @param keys     candidate keys
     * @param topic    the topic it arrived on
     * @param envelope the message's parts
     * @return whether one of the keys signed it for this topic
     */
    public static boolean verifies(List<PublicKey> keys, Topic topic, Envelope envelope) {
        byte[] toBeSigned = toBeSigned(topic, envelope.payload());
        for (PublicKey key : keys) {
            try {
                Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
                verifier.initVerify(key);
                verifier.update(toBeSigned);
                if (verifier.verify(envelope.signature())) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // not this key
            }
        }
        return false;
    }

    /**
     * A signed message taken apart.
     *
     * @param payload   the message
     * @param signature r ‖ s
     */
    public record Envelope(byte[] payload, byte[] signature) {
    }

    private static byte[] toBeSigned(Topic topic, byte[] payload) {
        ByteArrayOutputStream aad = new ByteArrayOutputStream();
        aad.writeBytes(LABEL);
        aad.write(0);
        aad.writeBytes(topic.name().getBytes(StandardCharsets.US_ASCII));
        // Sig_structure = ["Signature1", protected, external_aad, payload] (RFC 9052 §4.4)
        return CBORObject.NewArray().Add("Signature1").Add(CBORObject.FromObject(PROTECTED))
                .Add(CBORObject.FromObject(aad.toByteArray())).Add(CBORObject.FromObject(payload))
                .EncodeToBytes(DETERMINISTIC);
    }

    private static byte[] bytes(CBORObject value) {
        if (value == null || value.isTagged() || value.getType() != CBORType.ByteString) {
            throw new IllegalArgumentException("expected a byte string");
        }
        return value.GetByteString();
    }
}
