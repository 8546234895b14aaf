package jp.kominkan.shared.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

import jp.kominkan.shared.topic.Topic;
import org.junit.jupiter.api.Test;

class GatewaySignatureTest {

    static final Topic ACK = Topic.ack("999991-gw-ekimae");
    final KeyPair gateway = key();
    final KeyPair other = key();
    final byte[] ack = new StreamMessage.Ack(42, false).encode();

    @Test
    void theGatewaysOwnKeyOpensItsMessageOnItsTopicOnly() {
        byte[] signed = GatewaySignature.sign(gateway.getPrivate(), ACK, ack);
        assertThat(GatewaySignature.open(List.of(other.getPublic(), gateway.getPublic()), ACK, signed, 4096)).isEqualTo(ack);
        assertThatThrownBy(() -> GatewaySignature.open(List.of(gateway.getPublic()), Topic.ack("999991-gw-hall"), signed, 4096))
                .as("replayed as another gateway's").hasMessageContaining("not signed by a key of this gateway");
        assertThatThrownBy(() -> GatewaySignature.open(List.of(gateway.getPublic()), Topic.events("999991-gw-ekimae"),
                signed, 4096)).as("as another kind of message").hasMessageContaining("not signed");
        assertThatThrownBy(() -> GatewaySignature.open(List.of(), ACK, signed, 4096)).as("a gateway with no valid certificate")
                .hasMessageContaining("not signed");
    }

    @Test
    void anUnsignedForeignTamperedOrOversizedMessageIsRefused() {
        assertThatThrownBy(() -> GatewaySignature.open(List.of(gateway.getPublic()), ACK, ack, 4096))
                .hasMessageContaining("no COSE_Sign1");
        byte[] foreign = GatewaySignature.sign(other.getPrivate(), ACK, ack);
        assertThatThrownBy(() -> GatewaySignature.open(List.of(gateway.getPublic()), ACK, foreign, 4096))
                .hasMessageContaining("not signed by a key of this gateway");
        byte[] tampered = GatewaySignature.sign(gateway.getPrivate(), ACK, ack);
        tampered[tampered.length - 70] ^= 1;
        assertThatThrownBy(() -> GatewaySignature.open(List.of(gateway.getPublic()), ACK, tampered, 4096))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewaySignature.open(List.of(gateway.getPublic()), ACK, new byte[] {(byte) 0xD2, 0x01}, 4096))
                .hasMessageContaining("not");
        assertThatThrownBy(() -> GatewaySignature.open(List.of(gateway.getPublic()), ACK, new byte[5000], 4096))
                .hasMessageContaining("over");
    }

    static KeyPair key() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
