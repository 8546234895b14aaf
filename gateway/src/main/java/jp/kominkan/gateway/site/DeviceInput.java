package jp.kominkan.gateway.site;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import jp.kominkan.gateway.access.AccessDecision;
import jp.kominkan.gateway.door.DoorController;

/**
 * What a keypad or a QR reader in the building said, checked and handed to its door. Free of CoAP
 * and MQTT (Leshan's shape): the transports authenticate the device, name it by its own
 * credential (never by anything in the payload), and only translate the outcome into their codes.
 * A device may only do what the profile says it is: a lock's or a QR reader's credential cannot
 * type a code.
 */
public final class DeviceInput {

    /** Largest keypad message: {@code {"code":"12345678"}} is 19 bytes. */
    public static final int MAX_KEYPAD_BYTES = 256;
    /** Largest QR text: a door pass is about 360 characters. */
    public static final int MAX_PASS_BYTES = 1000;

    /** Refused or denied messages a device may send in a burst; then one a second. */
    static final int BURST = 10;

    private final Map<String, DoorController> keypads;
    private final Map<String, DoorController> qrReaders;
    private final Map<String, Bucket> buckets = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param keypads   keypads on the site link, by device id
     * @param qrReaders QR readers on the site link, by device id
     */
    public DeviceInput(Map<String, DoorController> keypads, Map<String, DoorController> qrReaders) {
        this.keypads = Map.copyOf(keypads);
        this.qrReaders = Map.copyOf(qrReaders);
    }

    /**
     * A code typed on a keypad: {@code {"code":"12345678"}}.
     *
     * @param deviceId the authenticated device
     * @param payload  what it sent
     * @return the door's decision, or why the message was refused
     */
    public Outcome keypad(String deviceId, byte[] payload) {
        DoorController door = keypads.get(deviceId);
        if (door == null) {
            return new Outcome.Refused(Refusal.NOT_THIS_DEVICE, "this device is not a keypad");
        }
        return charged(deviceId, () -> decideCode(door, payload));
    }

    private Outcome decideCode(DoorController door, byte[] payload) {
        if (payload.length > MAX_KEYPAD_BYTES) {
            return new Outcome.Refused(Refusal.TOO_LARGE, "a keypad message is at most " + MAX_KEYPAD_BYTES + " bytes");
        }
        CBORObject json;
        try {
            json = CBORObject.FromJSONString(new String(payload, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return new Outcome.Refused(Refusal.MALFORMED, "not JSON; send {\"code\":\"12345678\"}");
        }
        CBORObject code = json.getType() == CBORType.Map ? json.get("code") : null;
        if (code == null || code.getType() != CBORType.TextString) {
            return new Outcome.Refused(Refusal.MALFORMED, "no \"code\" string; send {\"code\":\"12345678\"}");
        }
        return new Outcome.Decided(door.codeEntered(code.AsString()));
    }

    /**
     * A door pass scanned by a QR reader: the text of the QR code ({@code KMK1:…}), with or
     * without the line break a keyboard-style reader ends it with.
     *
     * @param deviceId the authenticated device
     * @param payload  what it sent
     * @return the door's decision, or why the message was refused
     */
    public Outcome qr(String deviceId, byte[] payload) {
        DoorController door = qrReaders.get(deviceId);
        if (door == null) {
            return new Outcome.Refused(Refusal.NOT_THIS_DEVICE, "this device is not a QR reader");
        }
        return charged(deviceId, () -> decidePass(door, payload));
    }

    private Outcome decidePass(DoorController door, byte[] payload) {
        if (payload.length > MAX_PASS_BYTES) {
            return new Outcome.Refused(Refusal.TOO_LARGE, "a QR text is at most " + MAX_PASS_BYTES + " bytes");
        }
        String text = new String(payload, StandardCharsets.US_ASCII).strip();
        if (text.isEmpty()) {
            return new Outcome.Refused(Refusal.MALFORMED, "empty; send the QR code's text");
        }
        return new Outcome.Decided(door.passShown(text));
    }

    /**
     * A device that keeps sending what is refused or denied (a flood of wrong codes or junk) is
     * stopped before anything is decided or journalled: each refusal or denial costs a token, a
     * device holds {@value #BURST} and gets one back a second. An opened door costs nothing.
     */
    private Outcome charged(String deviceId, java.util.function.Supplier<Outcome> decide) {
        Bucket bucket = buckets.computeIfAbsent(deviceId, id -> new Bucket());
        if (!bucket.hasToken()) {
            return new Outcome.Refused(Refusal.TOO_MANY, "too many refused messages; wait a second");
        }
        Outcome outcome = decide.get();
        if (!(outcome instanceof Outcome.Decided d && d.decision() instanceof AccessDecision.Granted)) {
            bucket.take();
        }
        return outcome;
    }

    /** Refusal tokens of one device (monotonic time, so a shifted wall clock changes nothing). */
    private static final class Bucket {
        private double tokens = BURST;
        private long at = System.nanoTime();

        synchronized boolean hasToken() {
            long now = System.nanoTime();
            tokens = Math.min(BURST, tokens + (now - at) / 1e9);
            at = now;
            return tokens >= 1;
        }

        synchronized void take() {
            tokens = Math.max(0, tokens - 1);
        }
    }

    /** @return whether any device here uses the site link */
    public boolean isEmpty() {
        return keypads.isEmpty() && qrReaders.isEmpty();
    }

    /** Why a device's message was not even decided. */
    public enum Refusal {
        /** The device is not one that may send this (a lock posting a code). */
        NOT_THIS_DEVICE,
        /** Larger than such a message ever is. */
        TOO_LARGE,
        /** Not the format. */
        MALFORMED,
        /** Refused or denied too often just now. */
        TOO_MANY
    }

    /** What became of a device's message. */
    public sealed interface Outcome {
        /**
         * The door decided.
         *
         * @param decision open or not, and why
         */
        record Decided(AccessDecision decision) implements Outcome {
            /** Checks the decision is present. */
            public Decided {
                Objects.requireNonNull(decision, "decision");
            }
        }

        /**
         * Refused before any decision; logged and counted by the transport.
         *
         * @param refusal why
         * @param message for the device's log (no secrets, nothing it sent)
         */
        record Refused(Refusal refusal, String message) implements Outcome {
        }
    }

    /**
     * @param decision a decision
     * @return its JSON for the device: {@code {"decision":"granted"}} or {@code {"decision":"denied","reason":"…"}}
     */
    public static String json(AccessDecision decision) {
        return switch (decision) {
            case AccessDecision.Granted g -> "{\"decision\":\"granted\"}";
            case AccessDecision.Denied d -> "{\"decision\":\"denied\",\"reason\":\"" + d.reason().wire() + "\"}";
        };
    }
}
