package jp.kominkan.firmware.profile;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads what a door is driven by: its lock, keypads and QR readers, each on a transport
 * ({@code gpio-relay}, {@code wiegand}, {@code coap}, {@code mqtt-local}). A site-link device
 * has an id, which is its DTLS PSK identity or its user on the gateway's broker, and so must be
 * unique in the whole profile, and a credential: a secret file, or (CoAP only) a raw public key.
 */
final class DeviceReader {

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** The gateway's own user on the local broker (docs/site-link-research.md §4). */
    private static final String GATEWAY_USER = "gateway";
    private static final Pattern PEM_PUBLIC_KEY = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
    private static final Duration DEFAULT_PULSE = Duration.ofSeconds(3);
    private static final String CLOUD_BROKER_GONE = "devices no longer use the cloud broker; use mqtt-local "
            + "(the gateway's own broker, docs/site-profile.md)";

    private static final Set<String> LOCK = Set.of("type", "pin", "device", "address", "secret-file", "public-key",
            "public-key-file", "pulse-ms");
    private static final Set<String> KEYPAD = Set.of("type", "d0-pin", "d1-pin", "device", "secret-file", "public-key",
            "public-key-file");
    private static final Set<String> QR_READER = Set.of("type", "device", "secret-file", "public-key", "public-key-file");
    private static final List<String> COAP_DEVICE = List.of("device", "secret-file", "public-key", "public-key-file");
    private static final List<String> LOCAL_DEVICE = List.of("device", "secret-file");

    private final ProfileNodes nodes;
    private final SecretFileReader secrets;
    private final Map<String, String> deviceIds = new HashMap<>();

    DeviceReader(ProfileNodes nodes, SecretFileReader secrets) {
        this.nodes = nodes;
        this.secrets = secrets;
    }

    SiteProfile.Lock lock(Node node, String path) {
        Optional<MappingNode> found = nodes.map(node, path);
        if (found.isEmpty()) {
            return null;
        }
        MappingNode map = found.get();
        Map<String, Node> f = nodes.fields(map, path + ".", LOCK);
        String type = type(map, f, path);
        Duration pulse = Optional.ofNullable(f.get("pulse-ms")).map(n -> nodes.millis(n, path + ".pulse-ms", 100, 30_000))
                .orElse(DEFAULT_PULSE);
        return switch (type) {
            case "gpio-relay" -> {
                nodes.onlyFor(map, f, path + ".", "a gpio-relay lock", List.of("pin", "pulse-ms"));
                yield nodes.required(map, f, path + ".pin").map(n -> nodes.pin(n, path + ".pin"))
                        .map(pin -> (SiteProfile.Lock) new SiteProfile.Lock.GpioRelay(pin, pulse)).orElse(null);
            }
            case "coap" -> {
                nodes.onlyFor(map, f, path + ".", "a coap lock", List.of("device", "address", "secret-file",
                        "public-key", "public-key-file", "pulse-ms"));
                SiteProfile.Device device = device(map, f, path, true);
                URI address = nodes.required(map, f, path + ".address").map(n -> coaps(n, path + ".address")).orElse(null);
                yield device == null || address == null ? null : new SiteProfile.Lock.Coap(device, address, pulse);
            }
            case "mqtt-local" -> {
                nodes.onlyFor(map, f, path + ".", "an mqtt-local lock", List.of("device", "secret-file", "pulse-ms"));
                SiteProfile.Device device = device(map, f, path, false);
                yield device == null ? null : new SiteProfile.Lock.LocalMqtt(device, pulse);
            }
            case "" -> null;
            default -> unknownType(f, path, type, "gpio-relay, coap or mqtt-local");
        };
    }

    /** @return the keypads (one or more), or null when one of them is wrong (recorded) */
    List<SiteProfile.Keypad> keypads(Node node, String path) {
        ProfileNodes.Mappings found = nodes.mappings(node, path);
        if (found.complete() && found.items().isEmpty()) {
            nodes.error(node, path, "list at least one keypad");
            return null;
        }
        List<SiteProfile.Keypad> keypads = new ArrayList<>();
        found.items().forEach(at -> keypads.add(keypad(at.map(), at.path())));
        return !found.complete() || keypads.contains(null) ? null : keypads;
    }

    /** @return the QR readers (none is fine), or null when one of them is wrong (recorded) */
    List<SiteProfile.QrReader> qrReaders(Node node, String path) {
        ProfileNodes.Mappings found = nodes.mappings(node, path);
        List<SiteProfile.QrReader> readers = new ArrayList<>();
        found.items().forEach(at -> readers.add(qrReader(at.map(), at.path())));
        return !found.complete() || readers.contains(null) ? null : readers;
    }

    private SiteProfile.Keypad keypad(MappingNode map, String path) {
        Map<String, Node> f = nodes.fields(map, path + ".", KEYPAD);
        String type = type(map, f, path);
        return switch (type) {
            case "wiegand" -> {
                nodes.onlyFor(map, f, path + ".", "a wiegand keypad", List.of("d0-pin", "d1-pin"));
                Integer d0 = nodes.required(map, f, path + ".d0-pin").map(n -> nodes.pin(n, path + ".d0-pin")).orElse(null);
                Integer d1 = nodes.required(map, f, path + ".d1-pin").map(n -> nodes.pin(n, path + ".d1-pin")).orElse(null);
                yield d0 == null || d1 == null ? null : new SiteProfile.Keypad.Wiegand(d0, d1);
            }
            case "coap" -> {
                nodes.onlyFor(map, f, path + ".", "a coap keypad", COAP_DEVICE);
                SiteProfile.Device device = device(map, f, path, true);
                yield device == null ? null : new SiteProfile.Keypad.Coap(device);
            }
            case "mqtt-local" -> {
                nodes.onlyFor(map, f, path + ".", "an mqtt-local keypad", LOCAL_DEVICE);
                SiteProfile.Device device = device(map, f, path, false);
                yield device == null ? null : new SiteProfile.Keypad.LocalMqtt(device);
            }
            case "" -> null;
            default -> unknownType(f, path, type, "wiegand, coap or mqtt-local");
        };
    }

    private SiteProfile.QrReader qrReader(MappingNode map, String path) {
        Map<String, Node> f = nodes.fields(map, path + ".", QR_READER);
        String type = type(map, f, path);
        return switch (type) {
            case "coap" -> {
                SiteProfile.Device device = device(map, f, path, true);
                yield device == null ? null : new SiteProfile.QrReader.Coap(device);
            }
            case "mqtt-local" -> {
                nodes.onlyFor(map, f, path + ".", "an mqtt-local qr-reader", LOCAL_DEVICE);
                SiteProfile.Device device = device(map, f, path, false);
                yield device == null ? null : new SiteProfile.QrReader.LocalMqtt(device);
            }
            case "" -> null;
            default -> unknownType(f, path, type, "coap or mqtt-local");
        };
    }

    private String type(MappingNode map, Map<String, Node> f, String path) {
        return nodes.required(map, f, path + ".type").map(n -> nodes.text(n, path + ".type")).orElse("");
    }

    private <T> T unknownType(Map<String, Node> f, String path, String type, String known) {
        if (type.equals("mqtt") || type.equals("wifi")) {
            nodes.error(f.get("type"), path + ".type", "is '" + type + "': " + CLOUD_BROKER_GONE);
        } else {
            nodes.error(f.get("type"), path + ".type", "is '" + type + "'; use " + known);
        }
        return null;
    }

    /**
     * A site-link device: its id and its credential, a secret file or (CoAP) a raw public key.
     *
     * @param coap whether it speaks CoAP over DTLS (which also allows a raw public key)
     */
    private SiteProfile.Device device(MappingNode map, Map<String, Node> f, String path, boolean coap) {
        Optional<Node> idNode = nodes.required(map, f, path + ".device");
        String id = idNode.map(n -> deviceId(n, path + ".device")).orElse(null);
        String owner = id != null ? id : idNode.filter(ScalarNode.class::isInstance)
                .map(n -> ((ScalarNode) n).getValue()).orElse("?");
        List<String> given = (coap ? COAP_DEVICE : LOCAL_DEVICE).stream()
                .filter(key -> !key.equals("device") && f.containsKey(key)).toList();
        if (given.isEmpty()) {
            nodes.error(map, path + ".secret-file", coap
                    ? "is missing: a coap device needs secret-file (a pre-shared key) or public-key (a raw public key)"
                    : "is missing: an mqtt-local device needs secret-file (its password on the gateway's broker)");
            return null;
        }
        if (given.size() > 1) {
            nodes.error(f.get(given.get(1)), path + "." + given.get(1), "give one of " + String.join(", ", given)
                    + ", not both: a device proves itself one way");
            return null;
        }
        String key = given.getFirst();
        SiteProfile.Credential credential = switch (key) {
            case "secret-file" -> secrets.deviceSecret(f.get(key), path + "." + key, owner);
            case "public-key" -> publicKey(f.get(key), path + "." + key, nodes.hex(f.get(key), path + "." + key));
            default -> publicKey(f.get(key), path + "." + key, pemFile(f.get(key), path + "." + key));
        };
        return id == null || credential == null ? null : new SiteProfile.Device(id, credential);
    }

    private String deviceId(Node node, String path) {
        String id = nodes.matching(node, path, DEVICE_ID.pattern(), "1 to 100 of A-Z a-z 0-9 . _ -");
        if (id == null) {
            return null;
        }
        if (id.equals(GATEWAY_USER)) {
            nodes.error(node, path, "'gateway' is the gateway's own user on its broker; give the device another id");
            return null;
        }
        String other = deviceIds.putIfAbsent(id, path);
        if (other != null) {
            nodes.error(node, path, "device id " + id + " is already used by " + other
                    + "; each device needs its own (it is its DTLS identity and broker user)");
            return null;
        }
        return id;
    }

    /** A CoAP lock's address: {@code coaps://host:port} and nothing else (RFC 7252 §6.2). */
    private URI coaps(Node node, String path) {
        String text = nodes.text(node, path);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if ("coaps".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0 && uri.getUserInfo() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // below
        }
        nodes.error(node, path, "must be coaps://host:port (DTLS; host and port required), not '" + text + "'");
        return null;
    }

    /** @return the DER of a {@code PUBLIC KEY} PEM file (not a secret: any mode will do) */
    private byte[] pemFile(Node node, String path) {
        String text = nodes.text(node, path);
        if (text == null) {
            return null;
        }
        Path file = nodes.path(text);
        try {
            Matcher m = PEM_PUBLIC_KEY.matcher(Files.readString(file, StandardCharsets.US_ASCII));
            if (m.find()) {
                return Base64.getMimeDecoder().decode(m.group(1));
            }
            nodes.error(node, path, file + " holds no PUBLIC KEY block (PEM)");
        } catch (IOException | IllegalArgumentException e) {
            nodes.error(node, path, file + " cannot be read (" + e.getMessage() + ")");
        }
        return null;
    }

    /** A raw public key (RFC 7250) must be an EC P-256 SubjectPublicKeyInfo, what RFC 7925 devices use. */
    private SiteProfile.Credential publicKey(Node node, String path, byte[] der) {
        if (der == null) {
            return null;
        }
        try {
            if (KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)) instanceof ECPublicKey key
                    && samePoint(key.getParams(), p256())) {
                return new SiteProfile.Credential.RawPublicKey(der);
            }
        } catch (GeneralSecurityException e) {
            // below
        }
        nodes.error(node, path, "must be an EC P-256 public key (DER SubjectPublicKeyInfo)");
        return null;
    }

    private static boolean samePoint(ECParameterSpec a, ECParameterSpec b) {
        return a.getCurve().equals(b.getCurve()) && a.getOrder().equals(b.getOrder())
                && a.getGenerator().equals(b.getGenerator());
    }

    private static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }
}
