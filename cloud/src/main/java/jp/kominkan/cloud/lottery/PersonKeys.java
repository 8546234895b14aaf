package jp.kominkan.cloud.lottery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys that tell one person, household or group apart without storing or publishing who they are: HMAC-SHA256
 * under a key only the server holds, so the stored keys cannot be reversed by trying names and birth dates.
 *
 * <ul>
 *   <li>the person key: the verified name (NFKC, without spaces, lower case) and birth date — the same facts
 *       whichever account or identity provider the person uses (一人一申込者);</li>
 *   <li>cluster keys for staff: the address, the telephone number, the e-mail without dots and {@code +tags}
 *       in its local part;</li>
 *   <li>pseudonyms in the audit file: keyed by the round's own salt, so they do not link rounds.</li>
 * </ul>
 */
public final class PersonKeys {

    private static final char[] PUBLIC_ID = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    /**
     * @param key a 32-byte key derived for this purpose
     */
    public PersonKeys(byte[] key) {
        this.key = key.clone();
    }

    /**
     * @param verifiedName the verified name
     * @param birthDate    the verified birth date
     * @return the person key
     */
    public String person(String verifiedName, LocalDate birthDate) {
        return hmacHex(key, "person/1\n" + fold(verifiedName) + "\n" + birthDate);
    }

    /**
     * @param prefecture prefecture
     * @param city       city
     * @param rest       the rest of the address
     * @return the address's key
     */
    public String address(String prefecture, String city, String rest) {
        return hmacHex(key, "address/1\n" + fold(prefecture + city + rest).replace('－', '-').replace('ー', '-'));
    }

    /**
     * @param phone a telephone number
     * @return its key, by its digits
     */
    public Optional<String> phone(String phone) {
        String digits = Normalizer.normalize(phone, Normalizer.Form.NFKC).replaceAll("[^0-9]", "");
        return digits.length() < 6 ? Optional.empty() : Optional.of(hmacHex(key, "phone/1\n" + digits));
    }

    /**
     * @param email an e-mail address
     * @return its key, ignoring dots and {@code +tags} in the local part
     */
    public Optional<String> email(String email) {
        int at = email.lastIndexOf('@');
        if (at < 1) {
            return Optional.empty();
        }
        String local = email.substring(0, at).toLowerCase(Locale.ROOT);
        int plus = local.indexOf('+');
        if (plus >= 0) {
            local = local.substring(0, plus);
        }
        return Optional.of(hmacHex(key, "email/1\n" + local.replace(".", "") + "@"
                + email.substring(at + 1).toLowerCase(Locale.ROOT)));
    }

    /** A round's pseudonyms, one MAC reused: a round of 100,000 applications makes 100,000 of them. */
    public static final class Pseudonyms {
        private final Mac mac;

        /**
         * @param salt the round's salt
         */
        public Pseudonyms(String salt) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }

        /**
         * @param kind  {@code p} for a person, {@code g} for a group
         * @param value the person key or group id
         * @return the pseudonym
         */
        public String of(String kind, String value) {
            return kind + HexFormat.of().formatHex(mac.doFinal((kind + "\n" + value)
                    .getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        }
    }

    /** @return a new public application number, e.g. {@code 7KQ2M-XV9PD} (Crockford's base 32) */
    public static String newPublicId() {
        StringBuilder id = new StringBuilder(11);
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                id.append('-');
            }
            id.append(PUBLIC_ID[RANDOM.nextInt(PUBLIC_ID.length)]);
        }
        return id.toString();
    }

    /** @return a new salt for a round's pseudonyms */
    public static String newSalt() {
        byte[] salt = new byte[24];
        RANDOM.nextBytes(salt);
        return HexFormat.of().formatHex(salt);
    }

    private static String fold(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    private static String hmacHex(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
