package jp.kominkan.cloud.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes passwords with Argon2id (RFC 9106) from BouncyCastle, stored in the PHC string format
 * {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash} so the parameters can be raised later without
 * breaking existing hashes.
 */
public final class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane. Declared after the codecs it uses. */
    public static final PasswordHasher DEFAULT = new PasswordHasher(19 * 1024, 2, 1);

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();
    private final String decoy;

    /**
     * @param memoryKiB   memory cost in KiB
     * @param iterations  passes
     * @param parallelism lanes
     */
    public PasswordHasher(int memoryKiB, int iterations, int parallelism) {
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.decoy = hash("decoy password for unknown accounts");
    }

    /**
     * @param password the password
     * @return its PHC string, with a fresh salt
     */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKiB, iterations, parallelism);
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * @param password the password given
     * @param stored   the PHC string stored
     * @return whether they match
     */
    public boolean verify(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String setting : parts[3].split(",")) {
            String[] kv = setting.split("=", 2);
            int value = Integer.parseInt(kv[1]);
            switch (kv[0]) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        return MessageDigest.isEqual(expected, derive(password, salt, m, t, p));
    }

    /**
     * Checks a password against a stored hash, or, when there is none (an unknown e-mail, an account
     * without a password), spends the same time on a decoy so the two cannot be told apart by timing.
     *
     * @param password the password given
     * @param stored   the stored PHC string, if there is one
     * @return whether it matches (never without a stored hash)
     */
    public boolean verifyOrDecoy(String password, Optional<String> stored) {
        if (stored.isPresent()) {
            return verify(password, stored.get());
        }
        verify(password, decoy);
        return false;
    }

    private static byte[] derive(String password, byte[] salt, int m, int t, int p) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(m)
                .withIterations(t)
                .withParallelism(p)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[HASH_BYTES];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
