package jp.kominkan.firmware.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.error.Mark;

import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the secrets a profile names by file ({@code secret-file}, {@code key-file}). A secret
 * never sits in the profile, which is committed and copied around; it sits in a file of its own
 * that only the gateway's user can read, so a leaked profile or a backup of the folder with the
 * wrong mode does not leak a device's key. Each problem is reported at the node naming the file,
 * and names the file, never what is in it. Each file is named once: two devices sharing a secret
 * could each log in as the other, and a door's key read as a device secret (64 hex digits pass as
 * one) would end up typed into a device as its password.
 */
final class SecretFileReader {

    /** Far more than any secret: a bigger file is not one, and is not read. */
    private static final long MAX_SIZE = 1024;
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final ProfileNodes nodes;
    private final String user;
    private final boolean namesOnly;
    private final List<SecretFiles.Reference> references = new ArrayList<>();
    /** Each file named so far, by what it really is, and where it was first named. */
    private final Map<Path, Use> used = new HashMap<>();

    /** Where a secret file is named: the node, its setting, the device or door it is for, and the file. */
    private record Use(Node node, String path, String owner, SecretFiles.Kind kind, Path file) {
        String describe() {
            return (kind == SecretFiles.Kind.DOOR_KEY ? "the key-file of door " : "the secret-file of device ") + owner
                    + " (" + path + ")";
        }

        boolean after(Use other) {
            Mark mine = node.getStartMark();
            Mark theirs = other.node.getStartMark();
            return mine.getLine() != theirs.getLine() ? mine.getLine() > theirs.getLine()
                    : mine.getColumn() > theirs.getColumn();
        }
    }

    /**
     * @param nodes     the profile being read
     * @param user      who must own the files: the user running the tool or the gateway
     * @param namesOnly only collect the files named, without reading them (they may not exist yet)
     */
    SecretFileReader(ProfileNodes nodes, String user, boolean namesOnly) {
        this.nodes = nodes;
        this.user = user;
        this.namesOnly = namesOnly;
    }

    /** @return every file named so far, in profile order */
    List<SecretFiles.Reference> references() {
        return List.copyOf(references);
    }

    /**
     * @param node  the {@code secret-file} value
     * @param path  its setting
     * @param owner the device it belongs to
     * @return the device's secret, or null when there is a problem (recorded)
     */
    SiteProfile.Credential.Secret deviceSecret(Node node, String path, String owner) {
        Path file = file(node, path, owner, SecretFiles.Kind.DEVICE_SECRET);
        if (file == null) {
            return null;
        }
        byte[] content = namesOnly ? new byte[0] : read(node, path, file, SecretFiles.Kind.DEVICE_SECRET);
        if (content == null) {
            return null;
        }
        if (!namesOnly && problem(node, path, file, SecretFiles.Kind.DEVICE_SECRET, content)) {
            return null;
        }
        return new SiteProfile.Credential.Secret(content, file);
    }

    /**
     * @param node  the {@code key-file} value
     * @param path  its setting
     * @param door  the door it belongs to
     * @return the door's code-verifier key (32 bytes), or null when there is a problem (recorded)
     */
    byte[] doorKey(Node node, String path, String door) {
        Path file = file(node, path, door, SecretFiles.Kind.DOOR_KEY);
        if (file == null) {
            return null;
        }
        if (namesOnly) {
            return new byte[32];
        }
        byte[] content = read(node, path, file, SecretFiles.Kind.DOOR_KEY);
        if (content == null) {
            return null;
        }
        if (problem(node, path, file, SecretFiles.Kind.DOOR_KEY, content)) {
            return null;
        }
        return HexFormat.of().parseHex(new String(content, java.nio.charset.StandardCharsets.US_ASCII));
    }

    private Path file(Node node, String path, String owner, SecretFiles.Kind kind) {
        String text = nodes.text(node, path);
        if (text == null) {
            return null;
        }
        Path file = nodes.path(text);
        references.add(new SecretFiles.Reference(owner, kind, file));
        if (shared(new Use(node, path, owner, kind, file))) {
            return null;
        }
        return file;
    }

    /**
     * Records where a file is named and reports it when a device already names it, or a door
     * names it as its key-file and this is a device (or the other way round). The report is at
     * whichever of the two comes later in the profile (a door's key-file is read before its
     * devices, wherever it is written) and names the other; neither file's content is read.
     *
     * @return whether the file is shared that way (recorded)
     */
    private boolean shared(Use use) {
        Use other = used.putIfAbsent(identity(use.file()), use);
        if (other == null || (other.kind() == SecretFiles.Kind.DOOR_KEY && use.kind() == SecretFiles.Kind.DOOR_KEY)) {
            return false;
        }
        Use later = use.after(other) ? use : other;
        Use earlier = later == use ? other : use;
        nodes.error(later.node(), later.path(), later.file() + " is also " + earlier.describe() + "; "
                + (use.kind() == other.kind() ? "each device needs a secret file of its own, or it can log in as the other"
                        : "a door's key is never a device's secret")
                + "; give device " + (use.kind() == SecretFiles.Kind.DEVICE_SECRET ? use : other).owner()
                + " a new file (`kominkan config secrets` makes it)");
        return true;
    }

    /**
     * @return what the file really is, so two spellings of one ({@code a.psk}, {@code ./x/../a.psk},
     *         a symbolic link) are one: its real path when it exists, else its normalized absolute path
     */
    private static Path identity(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            return Files.exists(file) ? file.toRealPath() : absolute;
        } catch (IOException | SecurityException e) {
            return absolute;
        }
    }

    /** @return the file's content without one trailing newline, or null when it cannot be used (recorded) */
    private byte[] read(Node node, String path, Path file, SecretFiles.Kind kind) {
        if (!Files.exists(file)) {
            nodes.error(node, path, file + " does not exist; " + (kind == SecretFiles.Kind.DOOR_KEY
                    ? "put the door's key from the cloud there (64 hex digits, chmod 600)"
                    : "`kominkan config secrets` makes the missing ones, owner-only"));
            return null;
        }
        if (!Files.isRegularFile(file)) {
            nodes.error(node, path, file + " is not a regular file");
            return null;
        }
        boolean usable = true;
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
            if (!attributes.owner().getName().equals(user)) {
                nodes.error(node, path, file + " belongs to " + attributes.owner().getName() + ", not to " + user
                        + " who reads it; run chown " + user + " " + file);
                usable = false;
            }
            Set<PosixFilePermission> others = EnumSet.noneOf(PosixFilePermission.class);
            others.addAll(attributes.permissions());
            others.retainAll(NOT_OWNER);
            if (!others.isEmpty()) {
                nodes.error(node, path, file + " is open to its group or others (" + PosixFilePermissions.toString(
                        attributes.permissions()) + "); run chmod 600 " + file);
                usable = false;
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own ACLs decide
        } catch (IOException e) {
            nodes.error(node, path, file + " cannot be read (" + e.getMessage() + ")");
            return null;
        }
        try {
            if (Files.size(file) > MAX_SIZE) {
                nodes.error(node, path, file + " is " + Files.size(file) + " bytes, too long to be a secret");
                return null;
            }
            byte[] content = Files.readAllBytes(file);
            return usable ? withoutNewline(content) : null;
        } catch (IOException e) {
            nodes.error(node, path, file + " cannot be read (" + e.getMessage() + ")");
            return null;
        }
    }

    /** One trailing newline (LF or CRLF) is how editors and {@code echo} end a file; it is not part of the secret. */
    static byte[] withoutNewline(byte[] content) {
        int end = content.length;
        if (end > 0 && content[end - 1] == '\n') {
            end--;
            if (end > 0 && content[end - 1] == '\r') {
                end--;
            }
        }
        return Arrays.copyOf(content, end);
    }

    private boolean problem(Node node, String path, Path file, SecretFiles.Kind kind, byte[] content) {
        return kind.problem(content).map(problem -> {
            nodes.error(node, path, file + " " + problem);
            return true;
        }).orElse(false);
    }
}
