package jp.kominkan.shared.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Base45 against the examples of RFC 9285 §4.3 and §4.4, and its strict decoding (§6). */
class Base45Test {

    @Test
    void encodesTheExamplesOfRfc9285() {
        assertThat(Base45.encode(ascii("AB"))).isEqualTo("BB8");
        assertThat(Base45.encode(ascii("Hello!!"))).isEqualTo("%69 VD92EX0");
        assertThat(Base45.encode(ascii("base-45"))).isEqualTo("UJCLQE7W581");
        assertThat(Base45.encode(new byte[0])).isEmpty();
    }

    @Test
    void decodesTheExamplesOfRfc9285() {
        assertThat(Base45.decode("QED8WEX0")).isEqualTo(ascii("ietf!"));
        assertThat(Base45.decode("BB8")).isEqualTo(ascii("AB"));
        assertThat(Base45.decode("%69 VD92EX0")).isEqualTo(ascii("Hello!!"));
        assertThat(Base45.decode("UJCLQE7W581")).isEqualTo(ascii("base-45"));
    }

    @Test
    void everyByteStringComesBackAndUsesOnlyQrAlphanumericCharacters() {
        Random random = new Random(9285);
        for (int length = 0; length < 64; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String text = Base45.encode(bytes);
            assertThat(text).hasSize(length / 2 * 3 + length % 2 * 2).matches("[0-9A-Z $%*+\\-./:]*");
            assertThat(Base45.decode(text)).isEqualTo(bytes);
        }
        assertThat(Base45.encode(new byte[] {(byte) 0xff, (byte) 0xff})).isEqualTo("FGW");
        assertThat(Base45.encode(new byte[] {(byte) 0xff})).isEqualTo("U5");
    }

    @Test
    void refusesWhatRfc9285SaysToRefuse() {
        // §6: a character outside the alphabet, a length that leaves one over, a group too large.
        assertThatThrownBy(() -> Base45.decode("bb8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alphabet");
        assertThatThrownBy(() -> Base45.decode("BB8é")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base45.decode("BB8B")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one over");
        assertThatThrownBy(() -> Base45.decode("GGW")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two bytes");
        assertThatThrownBy(() -> Base45.decode("V5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a byte");
        assertThatThrownBy(() -> Base45.decode("::")).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
