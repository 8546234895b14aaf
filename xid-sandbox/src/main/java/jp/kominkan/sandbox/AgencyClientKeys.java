package jp.kominkan.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * The demo relying party's key pair for {@code private_key_jwt} at デジタル認証アプリ, one P-256 private JWK in a file
 * made once with owner-only permissions. In production the municipality makes its key and registers the public half
 * with the Digital Agency; in the demo the cloud signs its client assertions with this file and the Agency sandbox
 * reads only its public half. {@code java -cp kominkan-xid-sandbox.jar jp.kominkan.sandbox.AgencyClientKeys FILE}
 * makes it when missing.
 */
public final class AgencyClientKeys {

    private AgencyClientKeys() {
    }

    /**
     * @param args the file
     * @throws IOException when it cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("Usage: AgencyClientKeys FILE");
            System.exit(2);
        }
        readOrMake(Path.of(args[0]));
    }

    /**
     * @param file the JWK file
     * @return its private key, made and written first when the file does not exist
     * @throws IOException when it cannot be read or written, or does not hold a private JWK
     */
    public static JWK readOrMake(Path file) throws IOException {
        if (!Files.exists(file)) {
            JWK key;
            try {
                key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                        .keyID("kominkan-demo-" + UUID.randomUUID().toString().substring(0, 8)).generate();
            } catch (JOSEException e) {
                throw new IOException("cannot make a P-256 key: " + e.getMessage(), e);
            }
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".jwk", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, key.toJSONString() + "\n");
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        JWK key = read(file);
        if (!key.isPrivate()) {
            throw new IOException(file + " holds a public key only; the relying party needs its private key");
        }
        return key;
    }

    /**
     * @param file a JWK file
     * @return its key, private or public
     * @throws IOException when it cannot be read or is not a JWK
     */
    public static JWK read(Path file) throws IOException {
        try {
            return JWK.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IOException(file + " is not a JWK", e);
        }
    }
}
