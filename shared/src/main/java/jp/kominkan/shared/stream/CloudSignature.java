package jp.kominkan.shared.stream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.topic.Topic;

/**
 * Everything the cloud publishes to a gateway (grant stream entries, snapshots, event receipts,
 * certificates) travels as a COSE_Sign1 signed with the cloud's grant-signing key, so a gateway
 * trusts what it is told even if the broker were compromised (docs/grants.md, "Signed messages").
 *
 * <p>The signature is bound to the topic it was made for through the external AAD (RFC 9052 §4.3):
 * {@code "kominkan-cloud-message-v1" 0x00 topicName}. The topic names the gateway and the kind of
 * message, so a message signed for gateway A does not verify on gateway B, a receipt cannot pass
 * for a stream message, and no message can pass for a grant (grants are signed with an empty AAD).
 * The stream numbers are inside the signed payload, so an entry cannot move to another position.
 */
public final class CloudSignature {

    private static final byte[] LABEL = "kominkan-cloud-message-v1".getBytes(StandardCharsets.US_ASCII);

    private CloudSignature() {
    }

    /**
     * @param signer  the cloud's signer
     * @param topic   where the message goes
     * @param message the message bytes
     * @return the signed message, to publish on {@code topic}
     */
    public static byte[] sign(GrantSigner signer, Topic topic, byte[] message) {
        return signer.sign(message, context(topic));
    }

    /**
     * @param verifier the cloud's public keys
     * @param topic    the topic it arrived on
     * @param signed   what arrived
     * @param maxBytes the largest message accepted
     * @return the message bytes
     * @throws IllegalArgumentException when it is not signed by the cloud for this topic, saying why
     */
    public static byte[] open(GrantVerifier verifier, Topic topic, byte[] signed, int maxBytes) {
        return switch (verifier.open(signed, context(topic), maxBytes)) {
            case GrantVerifier.Opening.Opened opened -> opened.payload();
            case GrantVerifier.Opening.Rejected rejected -> throw new IllegalArgumentException(
                    "not signed by the cloud for " + topic.name() + ": " + rejected.reason().name().toLowerCase()
                            + " (" + rejected.detail() + ")");
        };
    }

    /**
     * @param topic the topic
     * @return the external AAD for it
     */
    static byte[] context(Topic topic) {
        Objects.requireNonNull(topic, "topic");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL);
        out.write(0);
        out.writeBytes(topic.name().getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
