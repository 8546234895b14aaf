package jp.kominkan.cloud.lottery;

import java.security.SecureRandom;

import jp.kominkan.cloud.crypto.AeadSeal;

/**
 * Keeps a round's secret (the server's half of the seed) sealed in the database between the close and the draw:
 * AES-256-GCM ({@link AeadSeal}) under a derived key, with the round's id as associated data so a sealed secret cannot be moved to
 * another round. Someone who reads the database alone cannot compute the draw's outcome ahead of it.
 */
final class SecretSeal {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AeadSeal seal;

    SecretSeal(byte[] key) {
        this.seal = new AeadSeal(key);
    }

    static byte[] newSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }

    String seal(byte[] secret, long roundId) {
        return seal.seal(secret, "lottery-round:" + roundId);
    }

    byte[] open(String sealed, long roundId) {
        return seal.open(sealed, "lottery-round:" + roundId).orElseThrow(() ->
                new IllegalStateException("The round's sealed secret does not open with this server's key"));
    }
}
