package jp.kominkan.shared.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import com.upokecenter.cbor.CBORObject;
import jp.kominkan.shared.CoseByHand;
import jp.kominkan.shared.grant.GrantKeys;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.topic.Topic;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * The known-answer vectors of {@code stream-vectors.json}: what the cloud signs for a gateway. Each
 * is signed again and compared byte for byte, opened, refused on every other topic, and its
 * signature checked with the JDK's own Ed25519 over a Sig_structure built here by hand, with the
 * external AAD that binds it to its topic.
 */
class StreamVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyVectorSignsOpensAndIsBoundToItsTopic() throws Exception {
        CBORObject doc = load();
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(HEX.parseHex(doc.get("ed25519SecretKey").AsString()));
        String keyId = GrantKeys.keyId(key.generatePublicKey());
        GrantSigner signer = new GrantSigner(key, keyId);
        GrantVerifier verifier = new GrantVerifier(Map.of(keyId, key.generatePublicKey()));
        CBORObject vectors = doc.get("vectors");
        assertThat(vectors.size()).isEqualTo(3);
        for (int i = 0; i < vectors.size(); i++) {
            CBORObject v = vectors.get(i);
            Topic topic = Topic.parse(v.get("topic").AsString()).orElseThrow();
            byte[] message = HEX.parseHex(v.get("message").AsString());
            byte[] expected = HEX.parseHex(v.get("coseSign1").AsString());
            assertThat(HEX.formatHex(CloudSignature.context(topic))).isEqualTo(v.get("externalAad").AsString());
            assertThat(HEX.formatHex(CloudSignature.sign(signer, topic, message))).isEqualTo(HEX.formatHex(expected));
            assertThat(CloudSignature.open(verifier, topic, expected, 1 << 20)).isEqualTo(message);
            for (Topic other : new Topic[] {Topic.grants("999991-gw-hall"), Topic.receipts("999991-gw-hall"),
                    Topic.certificate(topic.id()), topic.kind() == Topic.Kind.GRANTS ? Topic.receipts(topic.id())
                    : Topic.grants(topic.id())}) {
                assertThatThrownBy(() -> CloudSignature.open(verifier, other, expected, 1 << 20))
                        .as("%s on %s", v.get("name").AsString(), other).hasMessageContaining("bad_signature");
            }
            // No message passes for a grant (signed with an empty AAD), and no grant for a message.
            assertThat(verifier.verify(expected)).isInstanceOf(GrantVerifier.Verification.Rejected.class);
            CoseByHand.assertJdkVerifies(expected, CloudSignature.context(topic),
                    HEX.parseHex(doc.get("ed25519PublicKey").AsString()));
        }
        assertThat(StreamMessage.decode(HEX.parseHex(vectors.get(0).get("message").AsString())))
                .isInstanceOfSatisfying(StreamMessage.Entries.class, e -> {
                    assertThat(e.entries()).extracting(StreamEntry::seq).containsExactly(41L, 42L);
                    assertThat(e.entries()).extracting(StreamEntry::kind)
                            .containsExactly(StreamEntry.Kind.ISSUE, StreamEntry.Kind.REVOKE);
                });
        assertThat(StreamMessage.decode(HEX.parseHex(vectors.get(1).get("message").AsString())))
                .isInstanceOfSatisfying(StreamMessage.Snapshot.class, s -> {
                    assertThat(s.seq()).isEqualTo(42);
                    assertThat(s.issuedAt()).isEqualTo(1_796_112_000L);
                });
    }

    @Test
    void aTamperedOrForeignMessageIsRefusedWithAReason() {
        Ed25519PrivateKeyParameters cloud = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        Ed25519PrivateKeyParameters stranger = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        String cloudId = GrantKeys.keyId(cloud.generatePublicKey());
        GrantVerifier verifier = new GrantVerifier(Map.of(cloudId, cloud.generatePublicKey()));
        Topic topic = Topic.grants("999991-gw-ekimae");
        byte[] message = new StreamMessage.Snapshot(1L << 53, 1_796_112_000L, java.util.List.of()).encode();
        assertThatThrownBy(() -> CloudSignature.open(verifier, topic, message, 1 << 20))
                .as("an unsigned message").hasMessageContaining("not signed by the cloud");
        byte[] foreign = CloudSignature.sign(new GrantSigner(stranger, GrantKeys.keyId(stranger.generatePublicKey())),
                topic, message);
        assertThatThrownBy(() -> CloudSignature.open(verifier, topic, foreign, 1 << 20)).hasMessageContaining("unknown_key");
        byte[] impostor = CloudSignature.sign(new GrantSigner(stranger, cloudId), topic, message);
        assertThatThrownBy(() -> CloudSignature.open(verifier, topic, impostor, 1 << 20)).hasMessageContaining("bad_signature");
        byte[] genuine = CloudSignature.sign(new GrantSigner(cloud, cloudId), topic, message);
        genuine[genuine.length - 70] ^= 1;
        assertThatThrownBy(() -> CloudSignature.open(verifier, topic, genuine, 1 << 20)).hasMessageContaining("bad_signature");
        assertThatThrownBy(() -> CloudSignature.open(verifier, topic, new byte[2048], 1024)).hasMessageContaining("larger");
    }

    private static CBORObject load() throws IOException {
        try (InputStream in = StreamVectorsTest.class.getResourceAsStream("/stream-vectors.json")) {
            return CBORObject.FromJSONString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
