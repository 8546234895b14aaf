package jp.kominkan.shared.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CodeVerifierTest {

    private static final byte[] KEY = GrantFixtures.DOOR_KEY;

    @Test
    void theVerifierDependsOnKeyDoorAndCode() {
        CodeVerifier base = CodeVerifier.of(KEY, "door-1", "12345678");
        assertThat(CodeVerifier.of(KEY, "door-1", "12345678")).isEqualTo(base);
        assertThat(base.matches(CodeVerifier.of(KEY, "door-1", "12345678"))).isTrue();
        assertThat(CodeVerifier.of(KEY, "door-2", "12345678")).isNotEqualTo(base);
        assertThat(CodeVerifier.of(KEY, "door-1", "12345679")).isNotEqualTo(base);
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertThat(CodeVerifier.of(otherKey, "door-1", "12345678")).isNotEqualTo(base);
        // "door-1" + "2…" must not collide with "door-12" + "…": the separator keeps them apart.
        assertThat(CodeVerifier.of(KEY, "door-12", "345678")).isNotEqualTo(CodeVerifier.of(KEY, "door-1", "2345678"));
        assertThat(base.toString()).doesNotContain("12345678");
    }

    @Test
    void shortKeysAreRefused() {
        assertThatThrownBy(() -> CodeVerifier.of(new byte[16], "door-1", "12345678")).hasMessageContaining("32 bytes");
    }

    @Test
    void bookingCodesAreEightDigitsAndNeverPrinted() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            BookingCode code = BookingCode.random(random);
            assertThat(code.digits()).matches("[0-9]{8}");
            assertThat(code.toString()).doesNotContain(code.digits());
            seen.add(code.digits());
        }
        assertThat(seen).hasSizeGreaterThan(990);
        assertThat(BookingCode.isWellFormed("1234567")).isFalse();
        assertThat(BookingCode.isWellFormed("1234567a")).isFalse();
        assertThat(BookingCode.isWellFormed("１２３４５６７８")).isFalse();
        assertThatThrownBy(() -> new BookingCode("abc")).hasMessageContaining("8 digits");
    }
}
