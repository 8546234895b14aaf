package jp.kominkan.cloud.grant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

import jp.kominkan.shared.grant.GrantKeys;
import jp.kominkan.shared.grant.GrantSigner;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The cloud's secret keys, in a folder ({@code kominkan.keys-dir}, by default {@code keys} in the
 * data folder), created on first start with owner-only permissions:
 * <ul>
 *   <li>{@code signing/<keyId>.ed25519} — Ed25519 seeds, hex; {@code signing/current} names the one
 *       that signs. Rotation: add a key, point {@code current} at it, keep the old file until its
 *       last grant has expired (gateways keep trusting it until then).</li>
 *   <li>{@code sealing.aes} — the AES-256 key that seals booking codes at rest.</li>
 *   <li>{@code doors.hmac} — the secret each door's code-verifier key is derived from
 *       (HMAC-SHA256 over the door id), so no door key is stored in the database. Replacing it
 *       means new site profiles for every gateway and grants issued anew.</li>
 * </ul>
 * Several cloud instances must share this folder (a mounted secret), like they share the database.
 */
public final class GrantKeyStore {

    private static final System.Logger LOG = System.getLogger(GrantKeyStore.class.getName());
    private static final HexFormat HEX = HexFormat.of();

    private final GrantSigner signer;
    private final Map<String, Ed25519PublicKeyParameters> publicKeys;
    private final byte[] sealingKey;
    private final byte[] doorSecret;

    private GrantKeyStore(GrantSigner signer, Map<String, Ed25519PublicKeyParameters> publicKeys, byte[] sealingKey,
                          byte[] doorSecret) {
        this.signer = signer;
        this.publicKeys = Map.copyOf(publicKeys);
        this.sealingKey = sealingKey;
        this.doorSecret = doorSecret;
    }

    /**
     * Loads the keys, creating any that are missing.
     *
     * @param dir the keys folder
     * @return the keys
     */
    public static GrantKeyStore openOrCreate(Path dir) {
        try {
            Path signing = dir.resolve("signing");
            Files.createDirectories(signing);
            SecureRandom random = new SecureRandom();
            Path current = signing.resolve("current");
            if (!Files.exists(current)) {
                Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(random);
                String keyId = GrantKeys.keyId(key.generatePublicKey());
                writeSecret(signing.resolve(keyId + ".ed25519"), HEX.formatHex(key.getEncoded()));
                Files.writeString(current, keyId);
                LOG.log(Level.INFO, "Created grant signing key " + keyId + " in " + signing);
            }
            String currentId = Files.readString(current).strip();
            Map<String, Ed25519PublicKeyParameters> publicKeys = new HashMap<>();
            Ed25519PrivateKeyParameters currentKey = null;
            try (Stream<Path> files = Files.list(signing)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".ed25519")).toList()) {
                    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(
                            HEX.parseHex(Files.readString(file).strip()));
                    String keyId = GrantKeys.keyId(key.generatePublicKey());
                    publicKeys.put(keyId, key.generatePublicKey());
                    if (keyId.equals(currentId)) {
                        currentKey = key;
                    }
                }
            }
            if (currentKey == null) {
                throw new IllegalStateException("signing/current names " + currentId + " but there is no "
                        + currentId + ".ed25519 in " + signing);
            }
            Path sealing = dir.resolve("sealing.aes");
            if (!Files.exists(sealing)) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                writeSecret(sealing, HEX.formatHex(key));
            }
            byte[] sealingKey = HEX.parseHex(Files.readString(sealing).strip());
            Path doors = dir.resolve("doors.hmac");
            if (!Files.exists(doors)) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                writeSecret(doors, HEX.formatHex(key));
            }
            byte[] doorSecret = HEX.parseHex(Files.readString(doors).strip());
            return new GrantKeyStore(new GrantSigner(currentKey, currentId), publicKeys, sealingKey, doorSecret);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the keys in " + dir, e);
        }
    }

    /** @return the signer of new grants */
    public GrantSigner signer() {
        return signer;
    }

    /** @return every public key still trusted, by key id */
    public Map<String, Ed25519PublicKeyParameters> publicKeys() {
        return publicKeys;
    }

    /**
     * A door's code-verifier key: HMAC-SHA256(doors secret, "kominkan-door-key-v1" 0x00 door id).
     *
     * @param doorId the door
     * @return its 32-byte key, shared with the door's gateway through its site profile
     */
    public byte[] doorKey(String doorId) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(doorSecret, "HmacSHA256"));
            mac.update("kominkan-door-key-v1".getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return mac.doFinal(doorId.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * A key for another purpose, derived from the same secret: HMAC-SHA256(secret, label 0x00 "derived").
     *
     * @param label what the key is for, e.g. {@code kominkan-audit-subject-v1}
     * @return a 32-byte key
     */
    public byte[] derivedKey(String label) {
        return doorKey(label + "\u0000derived");
    }

    /** @return the AES-256 key for sealing booking codes */
    byte[] sealingKey() {
        return sealingKey.clone();
    }

    private static void writeSecret(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "Cannot restrict permissions of " + file + " on this file system");
        }
    }
}
