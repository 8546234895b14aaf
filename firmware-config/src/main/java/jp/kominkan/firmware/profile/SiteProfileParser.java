package jp.kominkan.firmware.profile;

import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jp.kominkan.shared.grant.GrantKeys;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a YAML site profile and checks every setting, collecting every problem with its line and
 * column (SnakeYAML keeps the position of each node), so an installer fixes them all in one go.
 * Devices are read by {@link DeviceReader}, secret files by {@link SecretFileReader}.
 */
public final class SiteProfileParser {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final ProfileNodes nodes;
    private final SecretFileReader secrets;
    private final DeviceReader devices;

    private SiteProfileParser(Path base, String user, boolean namesOnly) {
        this.nodes = new ProfileNodes(base);
        this.secrets = new SecretFileReader(nodes, user, namesOnly);
        this.devices = new DeviceReader(nodes, secrets);
    }

    /**
     * @param yaml the profile's text
     * @return the profile, or every error in it; relative paths are taken from the working folder
     */
    public static Result parse(String yaml) {
        return parse(yaml, Path.of(""));
    }

    /**
     * @param yaml the profile's text
     * @param base the profile's folder: relative paths in it ({@code storage}, {@code cloud.tls.*},
     *             {@code secret-file}, {@code key-file}) are taken from there, so the profile and
     *             its files move together
     * @return the profile, or every error in it
     */
    public static Result parse(String yaml, Path base) {
        return parse(yaml, base, System.getProperty("user.name"));
    }

    /** As {@link #parse(String, Path)}, with secret files that must belong to {@code user}. */
    static Result parse(String yaml, Path base, String user) {
        return new SiteProfileParser(base, user, false).read(yaml);
    }

    /** @return the secret files the profile names, none of them read; none when it is not YAML */
    static List<SecretFiles.Reference> references(String yaml, Path base) {
        SiteProfileParser parser = new SiteProfileParser(base, "", true);
        parser.read(yaml);
        return parser.secrets.references();
    }

    private Result read(String yaml) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setCodePointLimit(1024 * 1024);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            return new Result.Invalid(List.of(new ProfileError(mark == null ? 1 : mark.getLine() + 1,
                    mark == null ? 1 : mark.getColumn() + 1, "(file)", "not valid YAML: " + e.getProblem())));
        }
        if (root == null) {
            return new Result.Invalid(List.of(new ProfileError(1, 1, "(file)", "the profile is empty")));
        }
        Optional<MappingNode> top = nodes.map(root, "(file)");
        if (top.isEmpty()) {
            return new Result.Invalid(nodes.errors());
        }
        Map<String, Node> fields = nodes.fields(top.get(), "", Set.of("gateway", "cloud", "storage", "site-link", "doors"));
        String gatewayId = null;
        String municipality = null;
        Optional<MappingNode> gateway = nodes.required(top.get(), fields, "gateway").flatMap(n -> nodes.map(n, "gateway"));
        if (gateway.isPresent()) {
            Map<String, Node> g = nodes.fields(gateway.get(), "gateway.", Set.of("id", "municipality"));
            gatewayId = nodes.required(gateway.get(), g, "gateway.id").map(n -> id(n, "gateway.id")).orElse(null);
            municipality = nodes.required(gateway.get(), g, "gateway.municipality")
                    .map(n -> nodes.matching(n, "gateway.municipality", "[0-9]{6}", "a 6-digit local government code"))
                    .orElse(null);
        }
        URI broker = null;
        Optional<SiteProfile.Tls> tls = Optional.empty();
        Map<String, byte[]> trusted = new LinkedHashMap<>();
        Optional<MappingNode> cloud = nodes.required(top.get(), fields, "cloud").flatMap(n -> nodes.map(n, "cloud"));
        if (cloud.isPresent()) {
            Map<String, Node> c = nodes.fields(cloud.get(), "cloud.", Set.of("broker", "tls", "trusted-keys"));
            broker = nodes.required(cloud.get(), c, "cloud.broker").map(n -> broker(n, "cloud.broker")).orElse(null);
            tls = Optional.ofNullable(c.get("tls")).flatMap(n -> tls(n, "cloud.tls"));
            if (broker != null && "ssl".equals(broker.getScheme()) && tls.isEmpty() && !c.containsKey("tls")) {
                nodes.error(c.get("broker"), "cloud.broker", "an ssl:// broker needs cloud.tls (ca, certificate, key)");
            }
            if (broker != null && "tcp".equals(broker.getScheme())) {
                if (c.containsKey("tls")) {
                    nodes.error(c.get("tls"), "cloud.tls", "TLS needs an ssl:// broker, not tcp://");
                } else if (!isLoopback(broker.getHost())) {
                    nodes.error(c.get("broker"), "cloud.broker",
                            "plain tcp:// is only for a broker on this machine; use ssl:// with cloud.tls");
                }
            }
            nodes.required(cloud.get(), c, "cloud.trusted-keys").flatMap(n -> nodes.list(n, "cloud.trusted-keys"))
                    .ifPresent(keys -> {
                        if (keys.getValue().isEmpty()) {
                            nodes.error(keys, "cloud.trusted-keys", "list at least one key of the cloud");
                        }
                        for (int i = 0; i < keys.getValue().size(); i++) {
                            trustedKey(keys.getValue().get(i), "cloud.trusted-keys[" + i + "]", trusted);
                        }
                    });
        }
        Path storage = nodes.required(top.get(), fields, "storage").map(n -> nodes.text(n, "storage"))
                .map(nodes::path).orElse(null);
        SiteProfile.SiteLink siteLink = Optional.ofNullable(fields.get("site-link")).map(this::siteLink)
                .orElse(SiteProfile.SiteLink.DEFAULT);
        List<SiteProfile.Door> doors = new ArrayList<>();
        nodes.required(top.get(), fields, "doors").flatMap(n -> nodes.list(n, "doors")).ifPresent(list -> {
            // An empty list (doors: []) is a gateway enrolled before its doors are set up.
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.getValue().size(); i++) {
                Node node = list.getValue().get(i);
                door(node, "doors[" + i + "]").ifPresent(door -> {
                    if (!ids.add(door.id())) {
                        nodes.error(node, "doors", "door id " + door.id() + " appears twice");
                    }
                    doors.add(door);
                });
            }
        });
        if (!nodes.errors().isEmpty()) {
            return new Result.Invalid(nodes.errors());
        }
        return new Result.Valid(new SiteProfile(gatewayId, municipality, broker, storage, trusted, doors, tls, siteLink));
    }

    private Optional<SiteProfile.Door> door(Node node, String path) {
        Optional<MappingNode> found = nodes.map(node, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MappingNode map = found.get();
        Map<String, Node> f = nodes.fields(map, path + ".",
                Set.of("id", "name", "key", "key-file", "lock", "sensor", "keypad", "qr-reader"));
        String id = nodes.required(map, f, path + ".id").map(n -> id(n, path + ".id")).orElse(null);
        String name = nodes.required(map, f, path + ".name").map(n -> nodes.text(n, path + ".name")).orElse(null);
        byte[] key = doorKey(map, f, path, id);
        SiteProfile.Lock lock = nodes.required(map, f, path + ".lock").map(n -> devices.lock(n, path + ".lock"))
                .orElse(null);
        Optional<SiteProfile.Sensor> sensor = Optional.ofNullable(f.get("sensor")).map(n -> sensor(n, path + ".sensor"));
        List<SiteProfile.Keypad> keypads = nodes.required(map, f, path + ".keypad")
                .map(n -> devices.keypads(n, path + ".keypad")).orElse(null);
        List<SiteProfile.QrReader> readers = Optional.ofNullable(f.get("qr-reader"))
                .map(n -> devices.qrReaders(n, path + ".qr-reader")).orElse(f.containsKey("qr-reader") ? null : List.of());
        if (id == null || name == null || key == null || lock == null || keypads == null || readers == null
                || (f.containsKey("sensor") && sensor.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new SiteProfile.Door(id, name, key, lock, sensor, keypads, readers));
    }

    /**
     * The door's code-verifier key: in an owner-only {@code key-file}, or inline as {@code key} in
     * a profile that is itself owner-only and never committed (the one enrollment writes).
     */
    private byte[] doorKey(MappingNode map, Map<String, Node> f, String path, String doorId) {
        if (f.containsKey("key") && f.containsKey("key-file")) {
            nodes.error(f.get("key-file"), path + ".key-file", "give key-file or key, not both");
            return null;
        }
        if (f.containsKey("key-file")) {
            return secrets.doorKey(f.get("key-file"), path + ".key-file", doorId == null ? "?" : doorId);
        }
        if (f.containsKey("key")) {
            return nodes.hex(f.get("key"), path + ".key", 32);
        }
        nodes.error(map, path + ".key-file", "is missing: name the file with the door's key (or give key inline)");
        return null;
    }

    private SiteProfile.Sensor sensor(Node node, String path) {
        Optional<MappingNode> map = nodes.map(node, path);
        if (map.isEmpty()) {
            return null;
        }
        Map<String, Node> f = nodes.fields(map.get(), path + ".", Set.of("pin", "debounce-ms", "held-open-seconds"));
        Integer pin = nodes.required(map.get(), f, path + ".pin").map(n -> nodes.pin(n, path + ".pin")).orElse(null);
        Duration debounce = Optional.ofNullable(f.get("debounce-ms"))
                .map(n -> nodes.millis(n, path + ".debounce-ms", 1, 1000)).orElse(Duration.ofMillis(50));
        Duration heldOpen = Optional.ofNullable(f.get("held-open-seconds"))
                .map(n -> nodes.integer(n, path + ".held-open-seconds", 5, 3600)).map(Duration::ofSeconds)
                .orElse(Duration.ofSeconds(60));
        return pin == null || debounce == null || heldOpen == null ? null : new SiteProfile.Sensor(pin, debounce, heldOpen);
    }

    /** Where the building's devices reach the gateway; each part defaults to {@link SiteProfile.SiteLink#DEFAULT}. */
    private SiteProfile.SiteLink siteLink(Node node) {
        Optional<MappingNode> map = nodes.map(node, "site-link");
        if (map.isEmpty()) {
            return null;
        }
        SiteProfile.SiteLink defaults = SiteProfile.SiteLink.DEFAULT;
        Map<String, Node> f = nodes.fields(map.get(), "site-link.", Set.of("coap", "mqtt-local"));
        SiteProfile.CoapListener coap = defaults.coap();
        Optional<MappingNode> c = Optional.ofNullable(f.get("coap")).flatMap(n -> nodes.map(n, "site-link.coap"));
        if (c.isPresent()) {
            Map<String, Node> cf = nodes.fields(c.get(), "site-link.coap.", Set.of("bind", "port"));
            coap = new SiteProfile.CoapListener(bind(cf, "site-link.coap", coap.bind()), port(cf, "site-link.coap", coap.port()));
        }
        SiteProfile.LocalBroker mqtt = defaults.mqtt();
        Optional<MappingNode> m = Optional.ofNullable(f.get("mqtt-local")).flatMap(n -> nodes.map(n, "site-link.mqtt-local"));
        if (m.isPresent()) {
            Map<String, Node> mf = nodes.fields(m.get(), "site-link.mqtt-local.",
                    Set.of("bind", "port", "mosquitto", "mosquitto-passwd"));
            mqtt = new SiteProfile.LocalBroker(bind(mf, "site-link.mqtt-local", mqtt.bind()),
                    port(mf, "site-link.mqtt-local", mqtt.port()), program(mf, "site-link.mqtt-local.mosquitto", mqtt.mosquitto()),
                    program(mf, "site-link.mqtt-local.mosquitto-passwd", mqtt.mosquittoPasswd()));
        }
        return new SiteProfile.SiteLink(coap, mqtt);
    }

    /** An address to listen on: an IP literal (a host name could resolve to the wrong interface). */
    private String bind(Map<String, Node> f, String prefix, String otherwise) {
        Node node = f.get("bind");
        if (node == null) {
            return otherwise;
        }
        String text = nodes.text(node, prefix + ".bind");
        if (text != null && !IPV4.matcher(text).matches() && !isIpv6(text)) {
            nodes.error(node, prefix + ".bind", "must be an IP address of this gateway (e.g. 0.0.0.0 or 192.168.10.1), "
                    + "not '" + text + "'");
        }
        return text == null ? otherwise : text;
    }

    private static boolean isIpv6(String text) {
        if (!text.matches("[0-9a-fA-F:.]+") || !text.contains(":")) {
            return false;
        }
        try {
            // A text with a colon is taken as an IPv6 literal, never looked up (InetAddress#getByName).
            return java.net.InetAddress.getByName(text) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** A port; 0 asks for any free one (tests). */
    private int port(Map<String, Node> f, String prefix, int otherwise) {
        Node node = f.get("port");
        Integer port = node == null ? Integer.valueOf(otherwise) : nodes.integer(node, prefix + ".port", 0, 65535);
        return port == null ? otherwise : port;
    }

    private Path program(Map<String, Node> f, String path, Path otherwise) {
        Node node = f.get(path.substring(path.lastIndexOf('.') + 1));
        if (node == null) {
            return otherwise;
        }
        String text = nodes.text(node, path);
        if (text != null && !Path.of(text).isAbsolute()) {
            nodes.error(node, path, "must be the program's absolute path, not '" + text + "'");
        }
        return text == null ? otherwise : Path.of(text);
    }

    private void trustedKey(Node node, String path, Map<String, byte[]> trusted) {
        Optional<MappingNode> map = nodes.map(node, path);
        if (map.isEmpty()) {
            return;
        }
        Map<String, Node> f = nodes.fields(map.get(), path + ".", Set.of("key-id", "public-key"));
        String keyId = nodes.required(map.get(), f, path + ".key-id").map(n -> nodes.text(n, path + ".key-id")).orElse(null);
        byte[] key = nodes.required(map.get(), f, path + ".public-key").map(n -> nodes.hex(n, path + ".public-key", 32))
                .orElse(null);
        if (keyId != null && key != null) {
            String actual = GrantKeys.keyId(new Ed25519PublicKeyParameters(key));
            if (!actual.equals(keyId)) {
                nodes.error(f.get("key-id"), path + ".key-id", "does not match the public key, whose id is " + actual);
            } else {
                trusted.put(keyId, key);
            }
        }
    }

    private String id(Node node, String path) {
        return nodes.matching(node, path, ID.pattern(), "1 to 64 of A-Z a-z 0-9 . _ -");
    }

    private URI broker(Node node, String path) {
        String text = nodes.text(node, path);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getPort() > 0) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // below
        }
        nodes.error(node, path, "must be tcp://host:port or ssl://host:port, not '" + text + "'");
        return null;
    }

    private Optional<SiteProfile.Tls> tls(Node node, String path) {
        Optional<MappingNode> map = nodes.map(node, path);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Node> f = nodes.fields(map.get(), path + ".", Set.of("ca", "certificate", "key"));
        Path ca = file(map.get(), f, path + ".ca");
        Path certificate = file(map.get(), f, path + ".certificate");
        Path key = file(map.get(), f, path + ".key");
        if (ca == null || certificate == null || key == null) {
            return Optional.empty();
        }
        return Optional.of(new SiteProfile.Tls(ca, certificate, key));
    }

    private Path file(MappingNode map, Map<String, Node> f, String path) {
        return nodes.required(map, f, path).map(n -> nodes.text(n, path)).map(nodes::path).orElse(null);
    }

    private static boolean isLoopback(String host) {
        return "localhost".equals(host) || host.startsWith("127.") || "[::1]".equals(host) || "::1".equals(host);
    }

    /** The outcome of parsing. */
    public sealed interface Result {
        /**
         * Every setting is valid.
         *
         * @param profile the profile
         */
        record Valid(SiteProfile profile) implements Result {
        }

        /**
         * Something is wrong.
         *
         * @param errors every problem, in file order
         */
        record Invalid(List<ProfileError> errors) implements Result {
            /** Sorts by position. */
            public Invalid {
                errors = errors.stream().sorted(java.util.Comparator.comparingInt(ProfileError::line)
                        .thenComparingInt(ProfileError::column)).toList();
            }
        }
    }
}
