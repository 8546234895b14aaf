package jp.kominkan.cloud.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** A sealed secret opens only with its key and its context, and not at all once altered. */
class AeadSealTest {

    static final SecureRandom RANDOM = new SecureRandom();

    static byte[] key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    @Test
    void itOpensWithTheSameKeyAndContextOnly() {
        AeadSeal seal = new AeadSeal(key());
        byte[] secret = "refresh-token-値".getBytes(StandardCharsets.UTF_8);
        String sealed = seal.seal(secret, "renewal:a:xid");
        assertThat(sealed).doesNotContain("refresh");
        assertThat(seal.open(sealed, "renewal:a:xid")).hasValueSatisfying(v -> assertThat(v).isEqualTo(secret));
        // Sealed twice, it reads differently (a fresh nonce each time).
        assertThat(seal.seal(secret, "renewal:a:xid")).isNotEqualTo(sealed);
        assertThat(seal.open(sealed, "renewal:b:xid")).isEmpty();
        assertThat(new AeadSeal(key()).open(sealed, "renewal:a:xid")).isEmpty();
    }

    @Test
    void anAlteredTruncatedOrMalformedValueDoesNotOpen() {
        AeadSeal seal = new AeadSeal(key());
        byte[] raw = Base64.getDecoder().decode(seal.seal(new byte[] {1, 2, 3}, "c"));
        for (int i = 0; i < raw.length; i++) {
            byte[] altered = raw.clone();
            altered[i] ^= 0x01;
            assertThat(seal.open(Base64.getEncoder().encodeToString(altered), "c")).as("byte %d", i).isEmpty();
        }
        assertThat(seal.open(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, 27)), "c")).isEmpty();
        assertThat(seal.open("not base64!", "c")).isEmpty();
        assertThat(seal.open("", "c")).isEmpty();
    }

    @Test
    void aKeyThatIsNotAes256IsRefused() {
        assertThatThrownBy(() -> new AeadSeal(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32-byte");
    }
}
