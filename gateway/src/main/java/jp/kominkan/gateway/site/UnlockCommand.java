package jp.kominkan.gateway.site;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;

/**
 * The gateway's command to a smart lock, the same on CoAP ({@code POST /unlock}) and on the local
 * broker ({@code site/v1/{lock}/down/unlock}):
 *
 * <pre>{"lock":"lock-group-1","counter":1733040000123,"exp":1733040010,"ms":5000,"mac":"…32 hex…"}</pre>
 *
 * <p>A captured command cannot be played back: {@code counter} only ever grows (the lock keeps the
 * highest it has obeyed and refuses any not above it), {@code exp} is ten seconds ahead, and
 * {@code mac} — the first 16 bytes of HMAC-SHA256 under a key derived from the lock's own secret
 * over every field — means nobody without that secret can make one, nor change a field of one.
 * The format is docs/gateway.md's "Unlock commands"; lock makers implement {@link #check}.
 *
 * @param lock    the lock's device id
 * @param counter strictly increasing per lock
 * @param expires when the lock must ignore it
 * @param open    how long to stay released
 */
public record UnlockCommand(String lock, long counter, Instant expires, Duration open) {

    /** How long a command is good for. */
    public static final Duration LIFETIME = Duration.ofSeconds(10);
    private static final byte[] KEY_LABEL = "kominkan-unlock-key-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC_LABEL = "kominkan-unlock-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAC_BYTES = 16;

    /** Checks the fields. */
    public UnlockCommand {
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(open, "open");
        if (counter <= 0 || open.isNegative() || open.toMillis() > 60_000) {
            throw new IllegalArgumentException("counter > 0 and 0 ≤ open ≤ 60 s");
        }
    }

    /**
     * @param secret the lock's secret
     * @return the JSON to send
     */
    public byte[] encode(byte[] secret) {
        return ("{\"lock\":\"" + lock + "\",\"counter\":" + counter + ",\"exp\":" + expires.getEpochSecond()
                + ",\"ms\":" + open.toMillis() + ",\"mac\":\"" + HexFormat.of().formatHex(mac(secret, lock, counter,
                expires.getEpochSecond(), open.toMillis())) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What a lock does with a command it received.
     *
     * @param json        the message
     * @param lockId      the lock's own id
     * @param secret      the lock's secret
     * @param lastCounter the highest counter it has obeyed (0 for none)
     * @param now         its clock
     * @return the command when it must be obeyed, or why not
     */
    public static Checked check(byte[] json, String lockId, byte[] secret, long lastCounter, Instant now) {
        CBORObject map;
        try {
            map = CBORObject.FromJSONString(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return new Checked.Refused("malformed");
        }
        if (map.getType() != CBORType.Map || !text(map, "lock") || !number(map, "counter") || !number(map, "exp")
                || !number(map, "ms") || !text(map, "mac")) {
            return new Checked.Refused("malformed");
        }
        String lock = map.get("lock").AsString();
        long counter = map.get("counter").AsInt64Value();
        long exp = map.get("exp").AsInt64Value();
        long ms = map.get("ms").AsInt64Value();
        byte[] mac;
        try {
            mac = HexFormat.of().parseHex(map.get("mac").AsString());
        } catch (IllegalArgumentException e) {
            return new Checked.Refused("malformed");
        }
        if (!MessageDigest.isEqual(mac, mac(secret, lock, counter, exp, ms))) {
            return new Checked.Refused("bad-mac");
        }
        if (!lock.equals(lockId)) {
            return new Checked.Refused("other-lock");
        }
        if (counter <= lastCounter) {
            return new Checked.Refused("replayed");
        }
        if (now.getEpochSecond() > exp) {
            return new Checked.Refused("expired");
        }
        if (ms < 0 || ms > 60_000) {
            return new Checked.Refused("malformed");
        }
        return new Checked.Obey(new UnlockCommand(lock, counter, Instant.ofEpochSecond(exp), Duration.ofMillis(ms)));
    }

    private static boolean text(CBORObject map, String key) {
        return map.get(key) != null && map.get(key).getType() == CBORType.TextString;
    }

    private static boolean number(CBORObject map, String key) {
        // An integer as JSON writes it: never a decimal like 1e99999999, whose conversion alone takes minutes.
        return map.get(key) != null && map.get(key).getType() == CBORType.Integer && map.get(key).CanValueFitInInt64();
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] mac(byte[] secret, String lock, long counter, long exp, long ms) {
        try {
            byte[] key = hmac(secret, KEY_LABEL);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(MAC_LABEL);
            for (String field : new String[] {lock, Long.toString(counter), Long.toString(exp), Long.toString(ms)}) {
                mac.update((byte) 0);
                mac.update(field.getBytes(StandardCharsets.UTF_8));
            }
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A lock's verdict on a command. */
    public sealed interface Checked {
        /**
         * Obey it.
         *
         * @param command the command
         */
        record Obey(UnlockCommand command) implements Checked {
        }

        /**
         * Ignore it.
         *
         * @param reason {@code malformed}, {@code bad-mac}, {@code other-lock}, {@code replayed} or {@code expired}
         */
        record Refused(String reason) implements Checked {
        }
    }
}
