package jp.kominkan.firmware.profile;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one building's gateway drives (現地構成): read from a YAML site profile written by the
 * installer and checked by {@link SiteProfileParser}. The format is described in
 * {@code docs/site-profile.md} and {@code site-profile.schema.json}.
 *
 * @param gatewayId        the gateway's id, as the cloud knows it
 * @param municipalityCode its municipality
 * @param broker           the cloud's MQTT broker
 * @param storage          folder for the grant store and the event journal
 * @param trustedKeys      the cloud's grant-signing public keys (32 bytes each) by key id
 * @param doors            the doors
 * @param tls              the gateway's key, certificate and CA for mutual TLS to the broker
 *                         (required for an {@code ssl://} broker)
 */
public record SiteProfile(String gatewayId, String municipalityCode, URI broker, Path storage,
                          Map<String, byte[]> trustedKeys, List<Door> doors, Optional<Tls> tls) {

    /** Copies the collections. */
    public SiteProfile {
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(tls, "tls");
        trustedKeys = Map.copyOf(trustedKeys);
        doors = List.copyOf(doors);
    }

    /**
     * A profile for a broker without TLS (tests on loopback only).
     *
     * @param gatewayId        the gateway's id
     * @param municipalityCode its municipality
     * @param broker           the broker
     * @param storage          its storage folder
     * @param trustedKeys      the cloud's public keys
     * @param doors            the doors
     */
    public SiteProfile(String gatewayId, String municipalityCode, URI broker, Path storage,
                       Map<String, byte[]> trustedKeys, List<Door> doors) {
        this(gatewayId, municipalityCode, broker, storage, trustedKeys, doors, Optional.empty());
    }

    /**
     * The gateway's TLS files, written at enrollment (docs/gateway.md).
     *
     * @param ca          the CA certificates to trust for the broker, PEM
     * @param certificate the gateway's client certificate, PEM
     * @param key         its private key (PKCS#8 PEM; generated on the gateway, never leaves it)
     */
    public record Tls(Path ca, Path certificate, Path key) {

        /** Checks the paths are present. */
        public Tls {
            Objects.requireNonNull(ca, "ca");
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * One door.
     *
     * @param id     door id, as the cloud knows it
     * @param name   name
     * @param key    its code-verifier key (32 bytes; a secret)
     * @param lock   what opens it
     * @param sensor what says whether it is open
     * @param keypad where codes are typed
     */
    public record Door(String id, String name, byte[] key, Lock lock, Optional<Sensor> sensor, Keypad keypad) {
    }

    /** What opens a door. */
    public sealed interface Lock {
        /**
         * A strike relay on a GPIO pin, energised for a pulse.
         *
         * @param pin   BCM pin number
         * @param pulse how long it stays energised
         */
        record GpioRelay(int pin, Duration pulse) implements Lock {
        }

        /**
         * A Wi-Fi smart lock that takes {@code {"unlock":ms}} on an MQTT topic.
         *
         * @param topic its command topic
         * @param pulse how long it stays open
         */
        record Mqtt(String topic, Duration pulse) implements Lock {
        }
    }

    /**
     * A door contact on a GPIO pin (high = open).
     *
     * @param pin       BCM pin number
     * @param debounce  how long a level must hold before it counts
     * @param heldOpen  how long the door may stand open before a {@code held-open} event
     */
    public record Sensor(int pin, Duration debounce, Duration heldOpen) {
    }

    /** Where codes are typed. */
    public sealed interface Keypad {
        /**
         * A Wiegand 26/34 keypad on two GPIO lines.
         *
         * @param d0Pin DATA0 pin
         * @param d1Pin DATA1 pin
         */
        record Wiegand(int d0Pin, int d1Pin) implements Keypad {
        }

        /** A Wi-Fi keypad publishing {@code {"code":"…"}} on {@code kominkan/v1/site/{doorId}/keypad}. */
        record Wifi() implements Keypad {
        }
    }
}
