package jp.kominkan.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import jp.kominkan.shared.seal.SealedBox;

/**
 * The demo municipality's X25519 key pair for xID's sealed fields, in a file of two lines
 * ({@code public=…}, {@code secret=…}, raw keys in Base64), made once with owner-only permissions. In production the
 * municipality makes its pair and registers the public key with xID; the demo's sandbox and cloud both read this file.
 * {@code java -cp kominkan-xid-sandbox.jar jp.kominkan.sandbox.BoxKeys FILE} makes it when missing.
 *
 * @param publicKey the public key, Base64
 * @param secretKey the secret key, Base64
 */
public record BoxKeys(String publicKey, String secretKey) {

    /**
     * @param args the file
     * @throws IOException when it cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("Usage: BoxKeys FILE");
            System.exit(2);
        }
        readOrMake(Path.of(args[0]));
    }

    /**
     * @param file the key file
     * @return its keys, made and written first when it does not exist
     * @throws IOException when it cannot be read or written
     */
    public static BoxKeys readOrMake(Path file) throws IOException {
        if (!Files.exists(file)) {
            SealedBox.KeyPair pair = SealedBox.generate(new SecureRandom());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".box", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, "public=" + pair.publicKeyBase64() + "\nsecret=" + pair.secretKeyBase64() + "\n");
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String pub = value(lines, "public", file);
        String secret = value(lines, "secret", file);
        SealedBox.fromBase64(pub, secret);
        return new BoxKeys(pub, secret);
    }

    /** @return the public key's bytes */
    public byte[] publicKeyBytes() {
        return Base64.getDecoder().decode(publicKey);
    }

    /** Leaves the secret out. */
    @Override
    public String toString() {
        return "BoxKeys[public=" + publicKey + "]";
    }

    private static String value(List<String> lines, String name, Path file) {
        return lines.stream().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElseThrow(() -> new IllegalArgumentException(file + ": no line " + name + "=…"));
    }
}
