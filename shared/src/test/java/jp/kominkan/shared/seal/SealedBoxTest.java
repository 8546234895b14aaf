package jp.kominkan.shared.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our sealed boxes against libsodium's own, through Debian's PyNaCl ({@code python3-nacl}) run as a process:
 * boxes it seals open here, boxes sealed here open there. A missing PyNaCl fails the test, naming the package
 * ({@code ./kominkan test} installs it).
 */
class SealedBoxTest {

    /** Debian's interpreter, where python3-nacl installs (a python3 earlier on the PATH may lack it). */
    static final String PYTHON = "/usr/bin/python3";

    static final List<String> MESSAGES = List.of(
            "山吹 花子",
            "",
            "a",
            "山梨県山吹市中央1-2-3",
            "𠮷野 太郎",                                        // a character outside the BMP: 4 bytes in UTF-8
            "hanako.yamabuki@example.jp",
            "あいうえお".repeat(30));                           // 450 bytes: several Salsa20 blocks

    /** Made once with PyNaCl 1.5.0 (libsodium): {@code SealedBox(PrivateKey.generate().public_key).encrypt(…)}. */
    static final String KNOWN_PUBLIC_KEY = "UoEvbL8vRHX87yiuARN6SM620ZBqB7VyrjSTGESjuxM=";
    static final String KNOWN_SECRET_KEY = "qaAXVSPvcO0QxC6u0OpCNjw65LV6nicnFjvRV4rk/uw=";
    static final String KNOWN_BOX = "tXfoipxV8uf1U9+3JU8SZNNZKRjV69AgIRxijS0y5xeU4GkbCRv9KlFDpL3ZzwZbijPe/5B+z3FocLQRUF"
            + "TSOUQ7EIq1J+KXyStUN4nWHhQPXbD812aKHfBPPdY3";
    static final String KNOWN_TEXT = "山吹 花子／山梨県山吹市中央1-2-3";

    final SecureRandom random = new SecureRandom();
    final SealedBox.KeyPair keys = SealedBox.generate(random);
    final SealedBox box = keys.box();

    @Test
    void boxesSealedByPyNaclOpenHere() {
        List<byte[]> sealed = PyNacl.run("seal", keys.publicKey(), utf8(MESSAGES));

        assertThat(sealed).hasSameSizeAs(MESSAGES);
        for (int i = 0; i < MESSAGES.size(); i++) {
            String base64 = Base64.getEncoder().encodeToString(sealed.get(i));
            assertThat(box.openBase64(base64)).as("message %d", i).isEqualTo(MESSAGES.get(i));
        }
    }

    @Test
    void boxesSealedHereOpenInPyNacl() {
        List<byte[]> sealed = new ArrayList<>();
        for (byte[] message : utf8(MESSAGES)) {
            byte[] one = SealedBox.seal(message, keys.publicKey(), random);
            assertThat(one).hasSize(message.length + SealedBox.OVERHEAD);
            sealed.add(one);
        }

        List<byte[]> opened = PyNacl.run("open", keys.secretKey(), sealed);

        // PyNaCl's first answer is the public key it derives from our secret key: generate() agrees with libsodium.
        assertThat(opened.getFirst()).isEqualTo(keys.publicKey());
        assertThat(opened.subList(1, opened.size())).usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(utf8(MESSAGES));
    }

    @Test
    void knownBoxFromPyNaclOpensToItsText() {
        SealedBox known = SealedBox.fromBase64(KNOWN_PUBLIC_KEY, KNOWN_SECRET_KEY);

        assertThat(known.openBase64(KNOWN_BOX)).isEqualTo(KNOWN_TEXT);
    }

    @Test
    void anEmptyMessageIsJustTheEphemeralKeyAndMac() {
        byte[] sealed = SealedBox.seal(new byte[0], keys.publicKey(), random);

        assertThat(sealed).hasSize(48);
        assertThat(box.open(sealed)).isEmpty();
    }

    @Test
    void flippedEphemeralKeyBitIsRefused() {
        byte[] sealed = sealed("山吹 花子");
        // bit 0, and bit 255, which X25519 ignores (RFC 7748 §5) but the nonce's BLAKE2b does not
        for (int bit : new int[] {0, 255}) {
            assertNotAuthentic(flipped(sealed, bit));
        }
    }

    @Test
    void flippedMacBitIsRefused() {
        assertNotAuthentic(flipped(sealed("山吹 花子"), 32 * 8 + 5));
    }

    @Test
    void flippedCiphertextBitIsRefused() {
        assertNotAuthentic(flipped(sealed("山吹 花子"), 48 * 8 + 1));
    }

    @Test
    void everySingleBitFlipIsRefused() {
        byte[] sealed = sealed("花子");
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] altered = flipped(sealed, bit);
            assertThatThrownBy(() -> box.open(altered)).as("bit %d", bit).isInstanceOf(SealedBox.Refused.class);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 31, 32, 47})
    void boxShorterThanKeyAndMacIsRefused(int length) {
        byte[] truncated = Arrays.copyOf(sealed("山吹 花子"), length);

        assertThatThrownBy(() -> box.open(truncated)).isInstanceOfSatisfying(SealedBox.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(SealedBox.Refused.Reason.TOO_SHORT);
            assertThat(refused).hasMessageContaining(length + " bytes").hasMessageContaining("at least 48");
        });
    }

    @Test
    void boxCutShortInItsCiphertextIsRefused() {
        byte[] sealed = sealed("山吹 花子");

        assertNotAuthentic(Arrays.copyOf(sealed, sealed.length - 1));
        assertNotAuthentic(Arrays.copyOf(sealed, 48));
    }

    @Test
    void boxSealedToAnotherKeyIsRefused() {
        SealedBox other = SealedBox.generate(random).box();

        assertThatThrownBy(() -> other.openBase64(Base64.getEncoder().encodeToString(sealed("山吹 花子"))))
                .isInstanceOfSatisfying(SealedBox.Refused.class, refused -> assertThat(refused.reason())
                        .isEqualTo(SealedBox.Refused.Reason.NOT_AUTHENTIC))
                .hasMessageContaining("sealed to another key");
    }

    @Test
    void notBase64IsRefusedWithClearMessage() {
        assertThatThrownBy(() -> box.openBase64("山吹 花子 is not Base64!"))
                .isInstanceOfSatisfying(SealedBox.Refused.class, refused -> assertThat(refused.reason())
                        .isEqualTo(SealedBox.Refused.Reason.NOT_BASE64))
                .hasMessage("The sealed box is not Base64 (standard alphabet A–Z a–z 0–9 + /, padded with =)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0000000000000000000000000000000000000000000000000000000000000000", // zero
            "0100000000000000000000000000000000000000000000000000000000000000", // one
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // a point of order 8
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", // another of order 8
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"  // p, which is zero
    })
    void lowOrderEphemeralKeyIsRefused(String ephemeralKey) {
        byte[] sealed = sealed("山吹 花子");
        System.arraycopy(HexFormat.of().parseHex(ephemeralKey), 0, sealed, 0, 32);

        assertThatThrownBy(() -> box.open(sealed)).isInstanceOfSatisfying(SealedBox.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(SealedBox.Refused.Reason.LOW_ORDER_KEY));
    }

    @Test
    void sealingToALowOrderKeyIsRejected() {
        assertThatThrownBy(() -> SealedBox.seal(new byte[] {1}, new byte[32], random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low order");
    }

    @Test
    void messageThatIsNotUtf8IsRefusedAsText() {
        byte[] notText = {(byte) 0xe5, (byte) 0xb1, 0x41};   // 山 cut short
        String sealed = Base64.getEncoder().encodeToString(SealedBox.seal(notText, keys.publicKey(), random));

        assertThatThrownBy(() -> box.openBase64(sealed)).isInstanceOfSatisfying(SealedBox.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(SealedBox.Refused.Reason.NOT_TEXT));
        assertThat(box.open(Base64.getDecoder().decode(sealed))).isEqualTo(notText);
    }

    @Test
    void keyOfWrongLengthIsExplained() {
        String secret = keys.secretKeyBase64();
        String short31 = Base64.getEncoder().encodeToString(new byte[31]);
        // libsodium's crypto_sign secret keys are 64 bytes; so is a public and secret key pasted together
        String long64 = Base64.getEncoder().encodeToString(new byte[64]);

        assertThatThrownBy(() -> SealedBox.fromBase64(short31, secret)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public key decodes to 31 bytes").hasMessageContaining("32 raw bytes");
        assertThatThrownBy(() -> SealedBox.fromBase64(keys.publicKeyBase64(), long64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret key decodes to 64 bytes").hasMessageContaining("32 raw bytes");
        assertThatThrownBy(() -> SealedBox.fromBase64("-----BEGIN PUBLIC KEY-----", secret))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("public key is not Base64");
    }

    @Test
    void publicKeyThatIsNotTheSecretKeysIsRejected() {
        SealedBox.KeyPair other = SealedBox.generate(random);

        assertThatThrownBy(() -> new SealedBox(other.publicKey(), keys.secretKey()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public key does not belong to the secret key");
    }

    @Test
    void keyPairAndBoxNeverPrintTheSecretKey() {
        assertThat(keys.toString()).contains(keys.publicKeyBase64()).doesNotContain(keys.secretKeyBase64());
        assertThat(box.toString()).contains(keys.publicKeyBase64()).doesNotContain(keys.secretKeyBase64());
    }

    private byte[] sealed(String text) {
        return SealedBox.seal(text.getBytes(StandardCharsets.UTF_8), keys.publicKey(), random);
    }

    private void assertNotAuthentic(byte[] sealed) {
        assertThatThrownBy(() -> box.open(sealed)).isInstanceOfSatisfying(SealedBox.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(SealedBox.Refused.Reason.NOT_AUTHENTIC);
            assertThat(refused).hasMessageContaining("does not verify");
        });
    }

    private static byte[] flipped(byte[] sealed, int bit) {
        byte[] copy = sealed.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    private static List<byte[]> utf8(List<String> texts) {
        return texts.stream().map(text -> text.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** libsodium through PyNaCl: seals with a public key, or opens with a secret key, one Base64 line per item. */
    static final class PyNacl {

        private static final String INSTALL = "PyNaCl (Debian's python3-nacl, on libsodium) is needed for "
                + PYTHON + ": apt-get install python3-nacl, or run ./kominkan test, which installs it";

        // Each line is "." + Base64, so an empty message is a line too. "open" first answers the public key
        // libsodium derives from the secret key.
        private static final String SCRIPT = """
                import base64, sys
                try:
                    from nacl.public import PrivateKey, PublicKey, SealedBox
                except ImportError:
                    sys.exit(3)
                mode = sys.argv[1]
                lines = sys.stdin.read().split("\\n")
                key = base64.b64decode(lines[0][1:])
                if mode == "seal":
                    work = SealedBox(PublicKey(key)).encrypt
                else:
                    private = PrivateKey(key)
                    print("." + base64.b64encode(bytes(private.public_key)).decode())
                    work = SealedBox(private).decrypt
                for line in lines[1:]:
                    if line.startswith("."):
                        print("." + base64.b64encode(work(base64.b64decode(line[1:]))).decode())
                """;

        private PyNacl() {
        }

        static List<byte[]> run(String mode, byte[] key, List<byte[]> items) {
            StringBuilder input = new StringBuilder().append('.').append(base64(key)).append('\n');
            items.forEach(item -> input.append('.').append(base64(item)).append('\n'));
            Process process;
            try {
                process = new ProcessBuilder(PYTHON, "-c", SCRIPT, mode).start();
            } catch (IOException e) {
                return fail(PYTHON + " not found (" + e.getMessage() + "). " + INSTALL);
            }
            try {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(input.toString().getBytes(StandardCharsets.US_ASCII));
                }
                String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return fail("PyNaCl did not finish in 60 s");
                }
                if (process.exitValue() == 3) {
                    return fail(INSTALL);
                }
                if (process.exitValue() != 0) {
                    return fail("PyNaCl " + mode + " exited " + process.exitValue() + ": " + stderr);
                }
                return stdout.lines().filter(line -> line.startsWith("."))
                        .map(line -> Base64.getDecoder().decode(line.substring(1))).toList();
            } catch (IOException e) {
                return fail("talking to PyNaCl: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted while PyNaCl ran");
            }
        }

        private static String base64(byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
    }
}
