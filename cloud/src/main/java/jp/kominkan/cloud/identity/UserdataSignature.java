package jp.kominkan.cloud.identity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The check of the signature in xID's Userdata answer ({@code public_key} and {@code signature}, the "V6"
 * signature), on only when a provider sets {@code userdata-signature: check}.
 *
 * <p><b>Inference, every part of it</b> (docs/identity.md "xID as published"): no public source describes the pair.
 * What is coded: {@code signature} is Base64 of an Ed25519 signature (libsodium's {@code crypto_sign_detached}, the
 * library xID's sealed boxes come from) over the UTF-8 concatenation, without separators, of the opened field values
 * in {@link #SIGNED_ORDER} (the order the Userdata fields are listed in), an absent field counting as empty; and
 * {@code public_key} is Base64 of the raw 32-byte Ed25519 key. A key that comes with the answer proves nothing on
 * its own, so it must equal the key the municipality pinned ({@code userdata-signing-key}). When xID documents the
 * real scheme to a relying party, only this class and the sandbox's signer change.
 */
final class UserdataSignature {

    /** The signed fields' order (inference). */
    static final List<String> SIGNED_ORDER = List.of("last_name", "first_name", "previous_name", "year", "month",
            "date", "prefecture", "city", "address", "gender", "sub_char_common_name", "sub_char_previous_name",
            "sub_char_address", "verified_at");

    private final byte[] pinnedKey;

    /**
     * @param pinnedKey the Ed25519 key the municipality pinned, Base64 of the raw 32 bytes
     * @throws IllegalArgumentException when it is not one
     */
    UserdataSignature(String pinnedKey) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(pinnedKey.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("userdata-signing-key is not Base64");
        }
        if (key.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("userdata-signing-key must be a raw 32-byte Ed25519 key in Base64");
        }
        this.pinnedKey = key;
    }

    /**
     * @param opened the answer with its sealed fields opened (the 個人番号 never among them)
     * @throws IdentityFailure {@code claims:signature} when the pair is missing, the key is not the pinned one, or
     *                         the signature does not verify
     */
    void check(Map<String, Object> opened) {
        byte[] key = decoded(opened.get("public_key"));
        byte[] signature = decoded(opened.get("signature"));
        if (key == null || signature == null || signature.length != 64) {
            throw refused("The answer has no signature in the expected form.", "本人確認情報に所定の形式の署名がありません。");
        }
        if (!Arrays.equals(key, pinnedKey)) {
            throw refused("The answer is signed with a key this municipality has not registered.",
                    "本人確認情報が、自治体に登録されていない鍵で署名されています。");
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(key, 0));
        byte[] message = message(opened);
        verifier.update(message, 0, message.length);
        if (!verifier.verifySignature(signature)) {
            throw refused("The answer's signature does not match its contents.", "本人確認情報の署名が内容と一致しません。");
        }
    }

    /**
     * @param opened the opened answer
     * @return what is signed: the values in {@link #SIGNED_ORDER}, concatenated
     */
    static byte[] message(Map<String, Object> opened) {
        StringBuilder text = new StringBuilder();
        for (String field : SIGNED_ORDER) {
            Object value = opened.get(field);
            if (value instanceof Number number) {
                text.append(number.longValue());
            } else if (value != null) {
                text.append(value);
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decoded(Object value) {
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static IdentityFailure refused(String english, String japanese) {
        return IdentityFailure.claims("signature", english, japanese);
    }
}
