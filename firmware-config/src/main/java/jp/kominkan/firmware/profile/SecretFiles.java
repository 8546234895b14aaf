package jp.kominkan.firmware.profile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The secret files a site profile names ({@code secret-file} of each device, {@code key-file} of
 * each door), and the installer's way to make the missing ones: a fresh random secret in a new
 * owner-only file (folder 0700, file 0600), written in full and synced under a temporary name and
 * only then put in place, so a power cut never leaves half a secret. An existing file is never
 * replaced: a device already set up with it keeps working.
 */
public final class SecretFiles {

    /** Letters and digits only, so an installer can type it into a device's setup page or {@code coap-client -k}. */
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** 24 of 62 characters: about 143 random bits. */
    private static final int SECRET_LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /** What a secret file holds. */
    public enum Kind {
        /** A device's DTLS pre-shared key or local broker password. */
        DEVICE_SECRET,
        /** A door's code-verifier key, which the cloud also holds. */
        DOOR_KEY;

        /**
         * @param content a file's content without its trailing newline
         * @return what is wrong with it, without quoting it, or empty when it is fine
         */
        Optional<String> problem(byte[] content) {
            if (this == DOOR_KEY) {
                return content.length == 64 && ascii(content).matches("[0-9a-fA-F]{64}") ? Optional.empty()
                        : Optional.of("must hold the door's key: 64 hex digits (on one line)");
            }
            for (byte b : content) {
                if (b < 0x21 || b > 0x7e) {
                    return Optional.of("holds a space, a control character or a non-ASCII character; a device secret is "
                            + "16 to 64 printable ASCII characters without spaces");
                }
            }
            if (content.length < 16 || content.length > 64) {
                return Optional.of("holds " + content.length + " characters; a device secret is 16 to 64 printable "
                        + "ASCII characters without spaces");
            }
            return Optional.empty();
        }
    }

    /**
     * A secret file named in a profile.
     *
     * @param owner the device (or, for a key file, the door) it belongs to
     * @param kind  what it holds
     * @param file  where it is (relative names taken from the profile's folder)
     */
    public record Reference(String owner, Kind kind, Path file) {
        /** Checks the parts are present. */
        public Reference {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * @param yaml the profile's text
     * @param base the profile's folder
     * @return every secret file it names, in profile order, whether or not it exists; none when
     *         the text is not YAML (validation says why)
     */
    public static List<Reference> referenced(String yaml, Path base) {
        return SiteProfileParser.references(yaml, base);
    }

    /**
     * Creates each secret file the profile names that does not exist yet, with a new random
     * secret: 24 letters and digits for a device, 32 random bytes in hex for a door key.
     *
     * @param yaml the profile's text
     * @param base the profile's folder
     * @return the references whose file was created now (a file two devices share appears twice)
     * @throws IOException when a file or folder cannot be made; those made before stay
     */
    public static List<Reference> createMissing(String yaml, Path base) throws IOException {
        return createMissing(referenced(yaml, base));
    }

    /**
     * Creates the files of these references that do not exist yet, as {@link #createMissing(String, Path)}.
     *
     * @param references some of what {@link #referenced} found (enrollment makes device secrets only)
     * @return the references whose file was created now
     * @throws IOException when a file or folder cannot be made; those made before stay
     */
    public static List<Reference> createMissing(List<Reference> references) throws IOException {
        List<Reference> created = new ArrayList<>();
        Set<Path> made = new LinkedHashSet<>();
        for (Reference reference : references) {
            Path file = reference.file().toAbsolutePath().normalize();
            if (made.contains(file)) {
                created.add(reference);
            } else if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                String secret = reference.kind() == Kind.DOOR_KEY ? newDoorKey() : newSecret();
                if (create(file, secret + "\n")) {
                    made.add(file);
                    created.add(reference);
                }
            }
        }
        return created;
    }

    /** @return a new device secret: 24 of A–Z a–z 0–9 */
    static String newSecret() {
        StringBuilder secret = new StringBuilder(SECRET_LENGTH);
        for (int i = 0; i < SECRET_LENGTH; i++) {
            secret.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return secret.toString();
    }

    private static String newDoorKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    /**
     * Writes a new owner-only file beside its final name, syncs it, then links it into place, which
     * fails rather than replaces when the name was taken meanwhile.
     *
     * @return whether the file was created (false: it appeared in the meantime and was kept)
     */
    private static boolean create(Path file, String content) throws IOException {
        Path dir = file.getParent();
        ownerOnlyFolders(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".new-" + Long.toHexString(RANDOM.nextLong()));
        try {
            try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            syncFolder(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes the missing folders up to {@code dir}, each readable by its owner only. */
    private static void ownerOnlyFolders(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path at = dir; at != null && !Files.exists(at); at = at.getParent()) {
            missing.addFirst(at);
        }
        for (Path folder : missing) {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** The new name is durable only once the folder is synced too (fsync(2) on the directory). */
    private static void syncFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a folder; the file itself is synced
        }
    }

    private static String ascii(byte[] content) {
        return new String(content, StandardCharsets.US_ASCII);
    }
}
