package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/**
 * The Userdata answer's signature check (inference, {@link UserdataSignature}): the opened values concatenated in the
 * listed order and signed with Ed25519; a changed value, a key other than the pinned one, or a missing or malformed
 * pair is refused, naming the signature and never a value.
 */
class UserdataSignatureTest {

    static final Ed25519PrivateKeyParameters XID = new Ed25519PrivateKeyParameters(XidUserdataTest.RANDOM);
    static final Ed25519PrivateKeyParameters STRANGER = new Ed25519PrivateKeyParameters(XidUserdataTest.RANDOM);
    static final UserdataSignature PINNED = new UserdataSignature(publicKey(XID));

    static String publicKey(Ed25519PrivateKeyParameters key) {
        return Base64.getEncoder().encodeToString(key.generatePublicKey().getEncoded());
    }

    /** Signs the plain values as the signer would, independently of {@link UserdataSignature#message}. */
    static Map<String, Object> signed(Map<String, Object> answer, String plainConcatenation,
                                      Ed25519PrivateKeyParameters key) {
        byte[] message = plainConcatenation.getBytes(StandardCharsets.UTF_8);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        answer.put("public_key", publicKey(key));
        answer.put("signature", Base64.getEncoder().encodeToString(signer.generateSignature()));
        return answer;
    }

    /** The plain values of {@link XidUserdataTest#answer()}, in the signed order (no 旧姓, no 代替文字). */
    static final String PLAIN = "髙橋" + "美咲" + "1990" + "4" + "2" + "山梨県" + "山吹市" + "駅前2-8" + "2" + "1764633600";

    @Test
    void aSignedAnswerOpensAndSaysTheSame() {
        XidUserdata data = XidUserdata.open(signed(XidUserdataTest.answer(), PLAIN, XID), XidUserdataTest.BOX,
                Optional.of(PINNED), XidUserdataTest.TODAY);
        assertThat(data.address().city()).isEqualTo("山吹市");
        assertThat(data.name()).isEqualTo("髙橋 美咲");
    }

    @Test
    void aChangedValueIsRefused() {
        Map<String, Object> answer = signed(XidUserdataTest.answer(), PLAIN, XID);
        // Someone between xID and us swaps the sealed city for another, sealed to our key just as well.
        answer.put("city", XidUserdataTest.sealed("千代田区", XidUserdataTest.KEYS.publicKey()));
        assertThatThrownBy(() -> XidUserdata.open(answer, XidUserdataTest.BOX, Optional.of(PINNED),
                XidUserdataTest.TODAY)).isInstanceOf(IdentityFailure.class)
                .hasMessage("claims:signature").hasMessageNotContaining("千代田区");
        // So is a clear value changed.
        Map<String, Object> renamed = signed(XidUserdataTest.answer(), PLAIN, XID);
        renamed.put("first_name", "美香");
        assertThatThrownBy(() -> XidUserdata.open(renamed, XidUserdataTest.BOX, Optional.of(PINNED),
                XidUserdataTest.TODAY)).hasMessage("claims:signature");
    }

    @Test
    void anotherKeyOrAMissingOrMalformedPairIsRefused() {
        Map<String, Object> stranger = signed(XidUserdataTest.answer(), PLAIN, STRANGER);
        assertThatThrownBy(() -> XidUserdata.open(stranger, XidUserdataTest.BOX, Optional.of(PINNED),
                XidUserdataTest.TODAY)).isInstanceOf(IdentityFailure.class).hasMessage("claims:signature");
        // The stranger's signature under our pinned key's name.
        Map<String, Object> relabelled = signed(XidUserdataTest.answer(), PLAIN, STRANGER);
        relabelled.put("public_key", publicKey(XID));
        assertThatThrownBy(() -> XidUserdata.open(relabelled, XidUserdataTest.BOX, Optional.of(PINNED),
                XidUserdataTest.TODAY)).hasMessage("claims:signature");
        assertThatThrownBy(() -> XidUserdata.open(XidUserdataTest.answer(), XidUserdataTest.BOX, Optional.of(PINNED),
                XidUserdataTest.TODAY)).hasMessage("claims:signature");
        Map<String, Object> malformed = signed(XidUserdataTest.answer(), PLAIN, XID);
        malformed.put("signature", "not base64!");
        assertThatThrownBy(() -> XidUserdata.open(malformed, XidUserdataTest.BOX, Optional.of(PINNED),
                XidUserdataTest.TODAY)).hasMessage("claims:signature");
        Map<String, Object> shortened = signed(XidUserdataTest.answer(), PLAIN, XID);
        shortened.put("signature", Base64.getEncoder().encodeToString(new byte[63]));
        assertThatThrownBy(() -> XidUserdata.open(shortened, XidUserdataTest.BOX, Optional.of(PINNED),
                XidUserdataTest.TODAY)).hasMessage("claims:signature");
        // Unchecked (the setting off), the same unsigned answer opens.
        assertThat(XidUserdata.open(XidUserdataTest.answer(), XidUserdataTest.BOX, XidUserdataTest.TODAY).name())
                .isEqualTo("髙橋 美咲");
    }

    @Test
    void aPinnedKeyThatIsNotAnEd25519KeyIsAConfigurationError() {
        assertThatThrownBy(() -> new UserdataSignature("not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userdata-signing-key");
        assertThatThrownBy(() -> new UserdataSignature(Base64.getEncoder().encodeToString(new byte[31])))
                .hasMessageContaining("32-byte");
    }
}
