package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import jp.kominkan.shared.seal.SealedBox;
import org.junit.jupiter.api.Test;

/**
 * xID's Userdata answer in its published shape: names and verified_at in clear, every other field a 24-byte
 * prefix and a sealed box to the municipality's key; each field shape mapped, and anything that cannot be
 * opened or read refused by name without its value.
 */
class XidUserdataTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final LocalDate TODAY = LocalDate.of(2026, 12, 2);
    static final SealedBox.KeyPair KEYS = SealedBox.generate(RANDOM);
    static final SealedBox BOX = new SealedBox(KEYS.publicKey(), KEYS.secretKey());

    /** A field as xID sends it: Base64 of 24 bytes and the sealed box. */
    static String sealed(String text, byte[] publicKey) {
        byte[] box = SealedBox.seal(text.getBytes(StandardCharsets.UTF_8), publicKey, RANDOM);
        byte[] field = new byte[XidUserdata.PREFIX + box.length];
        byte[] prefix = new byte[XidUserdata.PREFIX];
        RANDOM.nextBytes(prefix);
        System.arraycopy(prefix, 0, field, 0, prefix.length);
        System.arraycopy(box, 0, field, XidUserdata.PREFIX, box.length);
        return Base64.getEncoder().encodeToString(field);
    }

    static Map<String, Object> answer() {
        Map<String, Object> answer = new HashMap<>();
        answer.put("last_name", "髙橋");
        answer.put("first_name", "美咲");
        answer.put("year", sealed("1990", KEYS.publicKey()));
        answer.put("month", sealed("4", KEYS.publicKey()));
        answer.put("date", sealed("2", KEYS.publicKey()));
        answer.put("prefecture", sealed("山梨県", KEYS.publicKey()));
        answer.put("city", sealed("山吹市", KEYS.publicKey()));
        answer.put("address", sealed("駅前2-8", KEYS.publicKey()));
        answer.put("gender", sealed("2", KEYS.publicKey()));
        answer.put("verified_at", 1764633600);
        return answer;
    }

    @Test
    void theClearAndSealedFieldsMapToTheFacts() {
        XidUserdata data = XidUserdata.open(answer(), BOX, TODAY);
        assertThat(data.name()).isEqualTo("髙橋 美咲");
        assertThat(data.birthDate()).isEqualTo(LocalDate.of(1990, 4, 2));
        assertThat(data.address().prefecture()).isEqualTo("山梨県");
        assertThat(data.address().city()).isEqualTo("山吹市");
        assertThat(data.address().rest()).isEqualTo("駅前2-8");
        assertThat(data.gender()).contains("2");
        assertThat(data.previousName()).isEmpty();
        assertThat(data.substitutes()).isEmpty();
        assertThat(data.verifiedAt()).contains(Instant.ofEpochSecond(1764633600));
    }

    @Test
    void aPreviousNameAndSubstituteCharactersAreKeptAsReceived() {
        Map<String, Object> answer = answer();
        answer.put("previous_name", sealed("高橋　美咲", KEYS.publicKey()));
        answer.put("sub_char_common_name", sealed("1", KEYS.publicKey()));
        answer.put("sub_char_address", sealed("", KEYS.publicKey()));
        XidUserdata data = XidUserdata.open(answer, BOX, TODAY);
        assertThat(data.previousName()).contains("高橋 美咲");
        assertThat(data.substitutes()).containsExactly(Map.entry("sub_char_common_name", "1"));
    }

    @Test
    void missingPartsAreNamedAndAnEmptyStreetIsAllowed() {
        Map<String, Object> answer = answer();
        answer.remove("city");
        assertThatThrownBy(() -> XidUserdata.open(answer, BOX, TODAY)).isInstanceOf(IdentityFailure.class)
                .hasMessageContaining("city");
        Map<String, Object> noStreet = answer();
        noStreet.remove("address");
        noStreet.remove("gender");
        noStreet.remove("verified_at");
        XidUserdata data = XidUserdata.open(noStreet, BOX, TODAY);
        assertThat(data.address().rest()).isEmpty();
        assertThat(data.gender()).isEmpty();
        assertThat(data.verifiedAt()).isEmpty();
        Map<String, Object> noName = answer();
        noName.remove("first_name");
        assertThatThrownBy(() -> XidUserdata.open(noName, BOX, TODAY)).hasMessageContaining("first_name");
    }

    @Test
    void aFieldSealedToAnotherKeyOrTamperedOrInClearIsRefusedByName() {
        Map<String, Object> other = answer();
        other.put("prefecture", sealed("東京都", SealedBox.generate(RANDOM).publicKey()));
        assertThatThrownBy(() -> XidUserdata.open(other, BOX, TODAY)).isInstanceOf(IdentityFailure.class)
                .hasMessageContaining("prefecture").hasMessageNotContaining("東京都");
        Map<String, Object> tampered = answer();
        byte[] bytes = Base64.getDecoder().decode((String) tampered.get("city"));
        bytes[bytes.length - 1] ^= 1;
        tampered.put("city", Base64.getEncoder().encodeToString(bytes));
        assertThatThrownBy(() -> XidUserdata.open(tampered, BOX, TODAY)).hasMessageContaining("city");
        Map<String, Object> clear = answer();
        clear.put("year", "1990");
        assertThatThrownBy(() -> XidUserdata.open(clear, BOX, TODAY)).hasMessageContaining("year");
        Map<String, Object> gender = answer();
        gender.put("gender", sealed("male", KEYS.publicKey()));
        assertThatThrownBy(() -> XidUserdata.open(gender, BOX, TODAY)).hasMessageContaining("gender");
    }

    @Test
    void aMyNumberFieldIsNeverRead() {
        Map<String, Object> answer = answer();
        answer.put("my_number", "123456789012");
        XidUserdata data = XidUserdata.open(answer, BOX, TODAY);
        assertThat(data.toString()).doesNotContain("123456789012");
    }
}
