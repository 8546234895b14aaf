package jp.kominkan.firmware.profile;

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
import java.util.TreeSet;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The YAML nodes of one profile being read: every reader asks here for a mapping, a list, a
 * number or a pin, and every problem is recorded at the node it is about (SnakeYAML keeps each
 * node's line and column), so reading goes on and the installer sees all of them at once.
 */
final class ProfileNodes {

    /** Keys that would put a secret into the profile itself. */
    private static final Set<String> INLINE_SECRETS = Set.of("secret", "password", "psk");
    private static final int MIN_PIN = 2;
    private static final int MAX_PIN = 27;

    private final List<ProfileError> errors = new ArrayList<>();
    private final Map<Integer, String> pinsUsed = new HashMap<>();
    private final Path base;

    /** @param base the profile's folder, which relative paths are taken from */
    ProfileNodes(Path base) {
        this.base = base;
    }

    /** A mapping and the setting it is, e.g. {@code doors[0].keypad[1]}. */
    record Located(MappingNode map, String path) {
    }

    List<ProfileError> errors() {
        return errors;
    }

    Path base() {
        return base;
    }

    // ---- structure -----------------------------------------------------------------------------

    Optional<MappingNode> map(Node node, String path) {
        if (node instanceof MappingNode map) {
            return Optional.of(map);
        }
        error(node, path, "must be a mapping of settings, not " + describe(node));
        return Optional.empty();
    }

    Optional<SequenceNode> list(Node node, String path) {
        if (node instanceof SequenceNode list) {
            return Optional.of(list);
        }
        error(node, path, "must be a list (lines starting with '- '), not " + describe(node));
        return Optional.empty();
    }

    /**
     * One mapping, or a list of them (a door with one keypad or several).
     *
     * @return each mapping with its setting ({@code path} for the one, {@code path[i]} in a list);
     *         what is not a mapping is recorded and left out
     */
    Mappings mappings(Node node, String path) {
        if (node instanceof MappingNode map) {
            return new Mappings(List.of(new Located(map, path)), true);
        }
        if (!(node instanceof SequenceNode list)) {
            error(node, path, "must be a mapping of settings or a list of them, not " + describe(node));
            return new Mappings(List.of(), false);
        }
        List<Located> found = new ArrayList<>();
        boolean all = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            String at = path + "[" + i + "]";
            Optional<MappingNode> item = map(list.getValue().get(i), at);
            item.ifPresent(map -> found.add(new Located(map, at)));
            all &= item.isPresent();
        }
        return new Mappings(found, all);
    }

    /**
     * The mappings found where one or a list of them was expected.
     *
     * @param items    those that are mappings
     * @param complete whether everything there was one
     */
    record Mappings(List<Located> items, boolean complete) {
    }

    /**
     * @return the settings of a mapping by key; an unknown key is an error (a typo never silently
     *         does nothing), and so is a secret written inline
     */
    Map<String, Node> fields(MappingNode map, String prefix, Set<String> known) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            if (known.contains(key)) {
                fields.put(key, tuple.getValueNode());
            } else if (INLINE_SECRETS.contains(key)) {
                error(tuple.getKeyNode(), prefix + key, "secrets are never written in a profile; "
                        + "put it in an owner-only file and name it with secret-file");
            } else {
                error(tuple.getKeyNode(), prefix + key, "unknown setting; expected one of " + new TreeSet<>(known));
            }
        }
        return fields;
    }

    /**
     * Reports the settings of a mapping that belong to another type of device.
     *
     * @param what    the type, e.g. {@code a coap lock}
     * @param applies the settings that type takes
     */
    void onlyFor(MappingNode map, Map<String, Node> fields, String prefix, String what, List<String> applies) {
        for (NodeTuple tuple : map.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            if (fields.containsKey(key) && !key.equals("type") && !applies.contains(key)) {
                error(tuple.getKeyNode(), prefix + key, "does not apply to " + what + " (it takes "
                        + String.join(", ", applies) + ")");
            }
        }
    }

    Optional<Node> required(MappingNode parent, Map<String, Node> fields, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        Node node = fields.get(key);
        if (node == null) {
            error(parent, path, "is missing");
        }
        return Optional.ofNullable(node);
    }

    // ---- scalars -------------------------------------------------------------------------------

    String text(Node node, String path) {
        if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
            return scalar.getValue().strip();
        }
        error(node, path, "must be a value, not " + describe(node));
        return null;
    }

    /** A BCM pin, each used once in the whole profile. */
    Integer pin(Node node, String path) {
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

    Duration millis(Node node, String path, int min, int max) {
        Integer ms = integer(node, path, min, max);
        return ms == null ? null : Duration.ofMillis(ms);
    }

    Integer integer(Node node, String path, int min, int max) {
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

    String matching(Node node, String path, String regex, String what) {
        String text = text(node, path);
        if (text != null && !text.matches(regex)) {
            error(node, path, "must be " + what + ", not '" + text + "'");
            return null;
        }
        return text;
    }

    byte[] hex(Node node, String path, int bytes) {
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

    /** @return bytes in hex of any length (a DER key), or null when not hex (recorded) */
    byte[] hex(Node node, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        if (!text.matches("([0-9a-fA-F]{2})+")) {
            error(node, path, "must be bytes in hex (an even number of hex digits)");
            return null;
        }
        return HexFormat.of().parseHex(text);
    }

    /** @return a path from the profile, relative ones taken from the profile's folder */
    Path path(String text) {
        Path path = Path.of(text);
        return path.isAbsolute() ? path : base.resolve(path);
    }

    // ---- errors --------------------------------------------------------------------------------

    void error(Node node, String path, String message) {
        Mark mark = node.getStartMark();
        errors.add(new ProfileError(mark.getLine() + 1, mark.getColumn() + 1, path, message));
    }

    static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s -> s.getValue().isBlank() ? "an empty value" : "'" + s.getValue() + "'";
            default -> node.getNodeId().toString();
        };
    }
}
