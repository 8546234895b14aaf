package jp.kominkan.firmware.profile;

import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
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
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a YAML site profile and checks every setting, collecting every problem with its line and
 * column (SnakeYAML keeps the position of each node), so an installer fixes them all in one go.
 */
public final class SiteProfileParser {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MIN_PIN = 2;
    private static final int MAX_PIN = 27;

    private final List<ProfileError> errors = new ArrayList<>();
    private final Map<Integer, String> pinsUsed = new HashMap<>();
    private final Path base;

    private SiteProfileParser(Path base) {
        this.base = base;
    }

    /**
     * @param yaml the profile's text
     * @return the profile, or every error in it; relative paths stay relative
     */
    public static Result parse(String yaml) {
        return new SiteProfileParser(Path.of("")).read(yaml);
    }

    /**
     * @param yaml the profile's text
     * @param base the profile's folder: relative paths in it ({@code storage}, {@code cloud.tls.*})
     *             are taken from there, so the profile and its key files move together
     * @return the profile, or every error in it
     */
    public static Result parse(String yaml, Path base) {
        return new SiteProfileParser(base).read(yaml);
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
        Optional<MappingNode> top = map(root, "(file)");
        if (top.isEmpty()) {
            return new Result.Invalid(errors);
        }
        Map<String, Node> fields = fields(top.get(), "", Set.of("gateway", "cloud", "storage", "doors"));
        String gatewayId = null;
        String municipality = null;
        Optional<MappingNode> gateway = required(top.get(), fields, "gateway").flatMap(n -> map(n, "gateway"));
        if (gateway.isPresent()) {
            Map<String, Node> g = fields(gateway.get(), "gateway.", Set.of("id", "municipality"));
            gatewayId = required(gateway.get(), g, "gateway.id").map(n -> id(n, "gateway.id")).orElse(null);
            municipality = required(gateway.get(), g, "gateway.municipality")
                    .map(n -> matching(n, "gateway.municipality", "[0-9]{6}", "a 6-digit local government code"))
                    .orElse(null);
        }
        URI broker = null;
        Optional<SiteProfile.Tls> tls = Optional.empty();
        Map<String, byte[]> trusted = new LinkedHashMap<>();
        Optional<MappingNode> cloud = required(top.get(), fields, "cloud").flatMap(n -> map(n, "cloud"));
        if (cloud.isPresent()) {
            Map<String, Node> c = fields(cloud.get(), "cloud.", Set.of("broker", "tls", "trusted-keys"));
            broker = required(cloud.get(), c, "cloud.broker").map(n -> broker(n, "cloud.broker")).orElse(null);
            tls = Optional.ofNullable(c.get("tls")).flatMap(n -> tls(n, "cloud.tls"));
            if (broker != null && "ssl".equals(broker.getScheme()) && tls.isEmpty() && !c.containsKey("tls")) {
                error(c.get("broker"), "cloud.broker", "an ssl:// broker needs cloud.tls (ca, certificate, key)");
            }
            if (broker != null && "tcp".equals(broker.getScheme())) {
                if (c.containsKey("tls")) {
                    error(c.get("tls"), "cloud.tls", "TLS needs an ssl:// broker, not tcp://");
                } else if (!isLoopback(broker.getHost())) {
                    error(c.get("broker"), "cloud.broker",
                            "plain tcp:// is only for a broker on this machine; use ssl:// with cloud.tls");
                }
            }
            required(cloud.get(), c, "cloud.trusted-keys").flatMap(n -> list(n, "cloud.trusted-keys")).ifPresent(keys -> {
                if (keys.getValue().isEmpty()) {
                    error(keys, "cloud.trusted-keys", "list at least one key of the cloud");
                }
                for (int i = 0; i < keys.getValue().size(); i++) {
                    trustedKey(keys.getValue().get(i), "cloud.trusted-keys[" + i + "]", trusted);
                }
            });
        }
        Path storage = required(top.get(), fields, "storage").map(n -> text(n, "storage")).map(this::path).orElse(null);
        List<SiteProfile.Door> doors = new ArrayList<>();
        required(top.get(), fields, "doors").flatMap(n -> list(n, "doors")).ifPresent(list -> {
            // An empty list (doors: []) is a gateway enrolled before its doors are set up.
            Set<String> ids = new java.util.HashSet<>();
            for (int i = 0; i < list.getValue().size(); i++) {
                Node node = list.getValue().get(i);
                door(node, "doors[" + i + "]").ifPresent(door -> {
                    if (!ids.add(door.id())) {
                        error(node, "doors", "door id " + door.id() + " appears twice");
                    }
                    doors.add(door);
                });
            }
        });
        if (!errors.isEmpty()) {
            return new Result.Invalid(errors);
        }
        return new Result.Valid(new SiteProfile(gatewayId, municipality, broker, storage, trusted, doors, tls));
    }

    private Optional<SiteProfile.Door> door(Node node, String path) {
        Optional<MappingNode> map = map(node, path);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Node> f = fields(map.get(), path + ".", Set.of("id", "name", "key", "lock", "sensor", "keypad"));
        String id = required(map.get(), f, path + ".id").map(n -> id(n, path + ".id")).orElse(null);
        String name = required(map.get(), f, path + ".name").map(n -> text(n, path + ".name")).orElse(null);
        byte[] key = required(map.get(), f, path + ".key").map(n -> hex(n, path + ".key", 32)).orElse(null);
        SiteProfile.Lock lock = required(map.get(), f, path + ".lock").map(n -> lock(n, path + ".lock")).orElse(null);
        Optional<SiteProfile.Sensor> sensor = Optional.ofNullable(f.get("sensor")).map(n -> sensor(n, path + ".sensor"));
        SiteProfile.Keypad keypad = required(map.get(), f, path + ".keypad").map(n -> keypad(n, path + ".keypad"))
                .orElse(null);
        if (id == null || name == null || key == null || lock == null || keypad == null
                || (f.containsKey("sensor") && sensor.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new SiteProfile.Door(id, name, key, lock, sensor, keypad));
    }

    private SiteProfile.Lock lock(Node node, String path) {
        Optional<MappingNode> map = map(node, path);
        if (map.isEmpty()) {
            return null;
        }
        Map<String, Node> f = fields(map.get(), path + ".", Set.of("type", "pin", "topic", "pulse-ms"));
        String type = required(map.get(), f, path + ".type").map(n -> text(n, path + ".type")).orElse("");
        Duration pulse = Optional.ofNullable(f.get("pulse-ms")).map(n -> millis(n, path + ".pulse-ms", 100, 30_000))
                .orElse(Duration.ofSeconds(3));
        return switch (type) {
            case "gpio-relay" -> required(map.get(), f, path + ".pin").map(n -> pin(n, path + ".pin"))
                    .map(pin -> (SiteProfile.Lock) new SiteProfile.Lock.GpioRelay(pin, pulse)).orElse(null);
            case "mqtt" -> required(map.get(), f, path + ".topic").map(n -> text(n, path + ".topic"))
                    .map(topic -> (SiteProfile.Lock) new SiteProfile.Lock.Mqtt(topic, pulse)).orElse(null);
            case "" -> null;
            default -> {
                error(f.get("type"), path + ".type", "is '" + type + "'; use gpio-relay or mqtt");
                yield null;
            }
        };
    }

    private SiteProfile.Sensor sensor(Node node, String path) {
        Optional<MappingNode> map = map(node, path);
        if (map.isEmpty()) {
            return null;
        }
        Map<String, Node> f = fields(map.get(), path + ".", Set.of("pin", "debounce-ms", "held-open-seconds"));
        Integer pin = required(map.get(), f, path + ".pin").map(n -> pin(n, path + ".pin")).orElse(null);
        Duration debounce = Optional.ofNullable(f.get("debounce-ms")).map(n -> millis(n, path + ".debounce-ms", 1, 1000))
                .orElse(Duration.ofMillis(50));
        Duration heldOpen = Optional.ofNullable(f.get("held-open-seconds"))
                .map(n -> integer(n, path + ".held-open-seconds", 5, 3600)).map(Duration::ofSeconds)
                .orElse(Duration.ofSeconds(60));
        return pin == null || debounce == null || heldOpen == null ? null : new SiteProfile.Sensor(pin, debounce, heldOpen);
    }

    private SiteProfile.Keypad keypad(Node node, String path) {
        Optional<MappingNode> map = map(node, path);
        if (map.isEmpty()) {
            return null;
        }
        Map<String, Node> f = fields(map.get(), path + ".", Set.of("type", "d0-pin", "d1-pin"));
        String type = required(map.get(), f, path + ".type").map(n -> text(n, path + ".type")).orElse("");
        return switch (type) {
            case "wifi" -> new SiteProfile.Keypad.Wifi();
            case "wiegand" -> {
                Integer d0 = required(map.get(), f, path + ".d0-pin").map(n -> pin(n, path + ".d0-pin")).orElse(null);
                Integer d1 = required(map.get(), f, path + ".d1-pin").map(n -> pin(n, path + ".d1-pin")).orElse(null);
                yield d0 == null || d1 == null ? null : new SiteProfile.Keypad.Wiegand(d0, d1);
            }
            case "" -> null;
            default -> {
                error(f.get("type"), path + ".type", "is '" + type + "'; use wiegand or wifi");
                yield null;
            }
        };
    }

    private void trustedKey(Node node, String path, Map<String, byte[]> trusted) {
        Optional<MappingNode> map = map(node, path);
        if (map.isEmpty()) {
            return;
        }
        Map<String, Node> f = fields(map.get(), path + ".", Set.of("key-id", "public-key"));
        String keyId = required(map.get(), f, path + ".key-id").map(n -> text(n, path + ".key-id")).orElse(null);
        byte[] key = required(map.get(), f, path + ".public-key").map(n -> hex(n, path + ".public-key", 32)).orElse(null);
        if (keyId != null && key != null) {
            String actual = GrantKeys.keyId(new Ed25519PublicKeyParameters(key));
            if (!actual.equals(keyId)) {
                error(f.get("key-id"), path + ".key-id", "does not match the public key, whose id is " + actual);
            } else {
                trusted.put(keyId, key);
            }
        }
    }

    // ---- scalars -------------------------------------------------------------------------------

    private Integer pin(Node node, String path) {
        Integer pin = integer(node, path, MIN_PIN, MAX_PIN);
        if (pin != null) {
            String other = pinsUsed.putIfAbsent(pin, path);
            if (other != null) {
                error(node, path, "GPIO " + pin + " is already used by " + other);
                return null;
            }
        }
        return pin;
    }

    private Duration millis(Node node, String path, int min, int max) {
        Integer ms = integer(node, path, min, max);
        return ms == null ? null : Duration.ofMillis(ms);
    }

    private Integer integer(Node node, String path, int min, int max) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        error(node, path, "must be a whole number from " + min + " to " + max + ", not '" + text + "'");
        return null;
    }

    private String id(Node node, String path) {
        return matching(node, path, ID.pattern(), "1 to 64 of A-Z a-z 0-9 . _ -");
    }

    private String matching(Node node, String path, String regex, String what) {
        String text = text(node, path);
        if (text != null && !text.matches(regex)) {
            error(node, path, "must be " + what + ", not '" + text + "'");
            return null;
        }
        return text;
    }

    private byte[] hex(Node node, String path, int bytes) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        if (!text.matches("[0-9a-fA-F]{" + bytes * 2 + "}")) {
            error(node, path, "must be " + bytes + " bytes in hex (" + bytes * 2 + " digits)");
            return null;
        }
        return HexFormat.of().parseHex(text);
    }

    private URI broker(Node node, String path) {
        String text = text(node, path);
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
        error(node, path, "must be tcp://host:port or ssl://host:port, not '" + text + "'");
        return null;
    }

    private Optional<SiteProfile.Tls> tls(Node node, String path) {
        Optional<MappingNode> map = map(node, path);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Node> f = fields(map.get(), path + ".", Set.of("ca", "certificate", "key"));
        Path ca = required(map.get(), f, path + ".ca").map(n -> text(n, path + ".ca")).map(this::path).orElse(null);
        Path certificate = required(map.get(), f, path + ".certificate").map(n -> text(n, path + ".certificate"))
                .map(this::path).orElse(null);
        Path key = required(map.get(), f, path + ".key").map(n -> text(n, path + ".key")).map(this::path).orElse(null);
        if (ca == null || certificate == null || key == null) {
            return Optional.empty();
        }
        return Optional.of(new SiteProfile.Tls(ca, certificate, key));
    }

    private Path path(String text) {
        Path path = Path.of(text);
        return path.isAbsolute() ? path : base.resolve(path);
    }

    private static boolean isLoopback(String host) {
        return "localhost".equals(host) || host.startsWith("127.") || "[::1]".equals(host) || "::1".equals(host);
    }

    private String text(Node node, String path) {
        if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
            return scalar.getValue().strip();
        }
        error(node, path, "must be a value, not " + describe(node));
        return null;
    }

    // ---- structure -----------------------------------------------------------------------------

    private Optional<MappingNode> map(Node node, String path) {
        if (node instanceof MappingNode map) {
            return Optional.of(map);
        }
        error(node, path, "must be a mapping of settings, not " + describe(node));
        return Optional.empty();
    }

    private Optional<SequenceNode> list(Node node, String path) {
        if (node instanceof SequenceNode list) {
            return Optional.of(list);
        }
        error(node, path, "must be a list (lines starting with '- '), not " + describe(node));
        return Optional.empty();
    }

    private Map<String, Node> fields(MappingNode map, String prefix, Set<String> known) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            if (!known.contains(key)) {
                error(tuple.getKeyNode(), prefix + key, "unknown setting; expected one of " + new java.util.TreeSet<>(known));
            } else {
                fields.put(key, tuple.getValueNode());
            }
        }
        return fields;
    }

    private Optional<Node> required(MappingNode parent, Map<String, Node> fields, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        Node node = fields.get(key);
        if (node == null) {
            error(parent, path, "is missing");
        }
        return Optional.ofNullable(node);
    }

    private void error(Node node, String path, String message) {
        Mark mark = node.getStartMark();
        errors.add(new ProfileError(mark.getLine() + 1, mark.getColumn() + 1, path, message));
    }

    private static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s -> s.getValue().isBlank() ? "an empty value" : "'" + s.getValue() + "'";
            default -> node.getNodeId().toString();
        };
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
