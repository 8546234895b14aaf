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
 * <p>Two links, kept apart: the <em>cloud link</em> ({@code cloud.*}, MQTT over mutual TLS to the
 * cloud's broker) and the <em>site link</em> ({@link SiteLink}: the building's devices talk to the
 * gateway only, over CoAP with DTLS or over a broker on the gateway's own host). No device
 * credential is ever valid on the cloud's broker.
 *
 * @param gatewayId        the gateway's id, as the cloud knows it
 * @param municipalityCode its municipality
 * @param broker           the cloud's MQTT broker
 * @param storage          folder for the grant store and the event journal
 * @param trustedKeys      the cloud's grant-signing public keys (32 bytes each) by key id
 * @param doors            the doors
 * @param tls              the gateway's key, certificate and CA for mutual TLS to the broker
 *                         (required for an {@code ssl://} broker)
 * @param siteLink         where the building's devices reach the gateway
 */
public record SiteProfile(String gatewayId, String municipalityCode, URI broker, Path storage,
                          Map<String, byte[]> trustedKeys, List<Door> doors, Optional<Tls> tls, SiteLink siteLink) {

    /** Copies the collections. */
    public SiteProfile {
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(siteLink, "siteLink");
        trustedKeys = Map.copyOf(trustedKeys);
        doors = List.copyOf(doors);
    }

    /**
     * A profile with the default site link.
     *
     * @param gatewayId        the gateway's id
     * @param municipalityCode its municipality
     * @param broker           the broker
     * @param storage          its storage folder
     * @param trustedKeys      the cloud's public keys
     * @param doors            the doors
     * @param tls              the gateway's TLS files
     */
    public SiteProfile(String gatewayId, String municipalityCode, URI broker, Path storage,
                       Map<String, byte[]> trustedKeys, List<Door> doors, Optional<Tls> tls) {
        this(gatewayId, municipalityCode, broker, storage, trustedKeys, doors, tls, SiteLink.DEFAULT);
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
        this(gatewayId, municipalityCode, broker, storage, trustedKeys, doors, Optional.empty(), SiteLink.DEFAULT);
    }

    /** @return a copy with another site link */
    public SiteProfile withSiteLink(SiteLink link) {
        return new SiteProfile(gatewayId, municipalityCode, broker, storage, trustedKeys, doors, tls, link);
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
     * Where the building's devices reach the gateway: a CoAP-over-DTLS listener and a local MQTT
     * broker (Mosquitto, started by the gateway). Each is used only when a device needs it.
     *
     * @param coap the CoAP listener
     * @param mqtt the local broker
     */
    public record SiteLink(CoapListener coap, LocalBroker mqtt) {

        /** Defaults: CoAP on 5684 (coaps), the local broker on 1883, both on every interface of the gateway. */
        public static final SiteLink DEFAULT = new SiteLink(new CoapListener("0.0.0.0", 5684),
                new LocalBroker("0.0.0.0", 1883, Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto_passwd")));

        /** Checks the parts are present. */
        public SiteLink {
            Objects.requireNonNull(coap, "coap");
            Objects.requireNonNull(mqtt, "mqtt");
        }
    }

    /**
     * The gateway's CoAP server for keypads and QR readers (DTLS 1.2, Scandium).
     *
     * @param bind the address to listen on (the building network's interface)
     * @param port the UDP port (0 = any free one, tests)
     */
    public record CoapListener(String bind, int port) {
    }

    /**
     * The gateway's own MQTT broker for Wi-Fi devices: per-device passwords, an ACL, no anonymous access.
     *
     * @param bind            the address to listen on
     * @param port            the TCP port
     * @param mosquitto       the broker binary
     * @param mosquittoPasswd the password-file tool
     */
    public record LocalBroker(String bind, int port, Path mosquitto, Path mosquittoPasswd) {
    }

    /**
     * A device in the building that talks to the gateway over the site link, with its own credential.
     *
     * @param id         its name: the DTLS PSK identity, or the user name on the local broker (A–Z a–z 0–9 . _ -)
     * @param credential what it proves itself with
     */
    public record Device(String id, Credential credential) {
        /** Checks the parts are present. */
        public Device {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(credential, "credential");
        }
    }

    /** What a device proves itself with. */
    public sealed interface Credential {
        /**
         * A shared secret (the DTLS pre-shared key, or the local broker password), read from an
         * owner-only file; never written inline in a profile.
         *
         * @param bytes the secret
         * @param file  where it was read from (for messages; never the secret itself)
         */
        record Secret(byte[] bytes, Path file) implements Credential {
            /** Copies the bytes. */
            public Secret {
                bytes = bytes.clone();
            }

            @Override
            public byte[] bytes() {
                return bytes.clone();
            }

            /** Compares the bytes (a record compares arrays by identity), in constant time. */
            @Override
            public boolean equals(Object other) {
                return other instanceof Secret that && java.security.MessageDigest.isEqual(bytes, that.bytes)
                        && Objects.equals(file, that.file);
            }

            @Override
            public int hashCode() {
                return Objects.hashCode(file);
            }

            @Override
            public String toString() {
                return "Secret[file=" + file + "]";
            }
        }

        /**
         * A raw public key (RFC 7250) for DTLS: the device holds the private key.
         *
         * @param subjectPublicKeyInfo the key, DER
         */
        record RawPublicKey(byte[] subjectPublicKeyInfo) implements Credential {
            /** Copies the bytes. */
            public RawPublicKey {
                subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
            }

            @Override
            public byte[] subjectPublicKeyInfo() {
                return subjectPublicKeyInfo.clone();
            }

            /** Compares the key's bytes (a record compares arrays by identity). */
            @Override
            public boolean equals(Object other) {
                return other instanceof RawPublicKey that && java.util.Arrays.equals(subjectPublicKeyInfo,
                        that.subjectPublicKeyInfo);
            }

            @Override
            public int hashCode() {
                return java.util.Arrays.hashCode(subjectPublicKeyInfo);
            }

            @Override
            public String toString() {
                return "RawPublicKey[" + java.util.HexFormat.of().formatHex(subjectPublicKeyInfo) + "]";
            }
        }
    }

    /**
     * One door.
     *
     * @param id        door id, as the cloud knows it
     * @param name      name
     * @param key       its code-verifier key (32 bytes; a secret)
     * @param lock      what opens it
     * @param sensor    what says whether it is open
     * @param keypads   where codes are typed (one or more)
     * @param qrReaders where door passes are shown (none or more)
     */
    public record Door(String id, String name, byte[] key, Lock lock, Optional<Sensor> sensor, List<Keypad> keypads,
                       List<QrReader> qrReaders) {

        /** Copies the lists. */
        public Door {
            keypads = List.copyOf(keypads);
            qrReaders = List.copyOf(qrReaders);
        }

        /**
         * A door with one keypad and no QR reader.
         *
         * @param id     door id
         * @param name   name
         * @param key    code-verifier key
         * @param lock   lock
         * @param sensor contact
         * @param keypad keypad
         */
        public Door(String id, String name, byte[] key, Lock lock, Optional<Sensor> sensor, Keypad keypad) {
            this(id, name, key, lock, sensor, List.of(keypad), List.of());
        }
    }

    /** What opens a door. */
    public sealed interface Lock {
        /** @return how long the door stays released */
        Duration pulse();

        /**
         * A strike relay on a GPIO pin, energised for a pulse.
         *
         * @param pin   BCM pin number
         * @param pulse how long it stays energised
         */
        record GpioRelay(int pin, Duration pulse) implements Lock {
        }

        /**
         * A CoAP smart lock: the gateway is its client ({@code POST /unlock}, observes {@code /state}).
         *
         * @param device  the lock and its credential
         * @param address its {@code coaps://host:port}
         * @param pulse   how long it stays open
         */
        record Coap(Device device, URI address, Duration pulse) implements Lock {
        }

        /**
         * A Wi-Fi smart lock on the gateway's own broker: commands on {@code site/v1/{id}/down/unlock},
         * its state on {@code site/v1/{id}/up/state}.
         *
         * @param device the lock and its password
         * @param pulse  how long it stays open
         */
        record LocalMqtt(Device device, Duration pulse) implements Lock {
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

        /**
         * A CoAP keypad posting {@code {"code":"…"}} to {@code coaps://gateway/keypad}.
         *
         * @param device the keypad and its credential
         */
        record Coap(Device device) implements Keypad {
        }

        /**
         * A Wi-Fi keypad publishing {@code {"code":"…"}} on {@code site/v1/{id}/up/keypad} of the local broker.
         *
         * @param device the keypad and its password
         */
        record LocalMqtt(Device device) implements Keypad {
        }
    }

    /** Where a resident shows the door pass QR code from the booking page. */
    public sealed interface QrReader {
        /**
         * A CoAP QR reader posting the scanned text to {@code coaps://gateway/qr}.
         *
         * @param device the reader and its credential
         */
        record Coap(Device device) implements QrReader {
        }

        /**
         * A Wi-Fi QR reader publishing the scanned text on {@code site/v1/{id}/up/qr} of the local broker.
         *
         * @param device the reader and its password
         */
        record LocalMqtt(Device device) implements QrReader {
        }
    }
}
