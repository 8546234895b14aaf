package jp.kominkan.gateway.enroll;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jp.kominkan.firmware.profile.SecretFiles;

/**
 * The files enrollment leaves in the gateway's folder, owner-only: {@code gateway.key} (made here,
 * never sent), {@code gateway.pem}, {@code ca.pem} and {@code site.yaml} (which holds the door
 * keys). Each is written in full and synced under a temporary name first, and only then are they
 * renamed into place, so a failure or a power cut never leaves a half-written key or profile.
 * The devices' secrets go in {@code secrets/} beside them (see {@link #makeDeviceSecrets}).
 */
final class EnrollmentFiles {

    static final String KEY = "gateway.key";
    static final String CERTIFICATE = "gateway.pem";
    static final String CA = "ca.pem";
    static final String PROFILE = "site.yaml";

    private final Path dir;
    /** Whether {@link #makeDeviceSecrets} made the gateway's folder itself. */
    private boolean createdFolder;

    EnrollmentFiles(Path dir) {
        this.dir = dir;
    }

    Path profile() {
        return dir.resolve(PROFILE);
    }

    boolean exists() {
        return Files.exists(dir.resolve(PROFILE)) || Files.exists(dir.resolve(KEY));
    }

    /**
     * Moves the grant ledger of an earlier enrollment aside ({@code state/grants.log.replaced-<time>}):
     * a re-enrolled gateway starts from a fresh snapshot, never from another stream's numbers. The
     * event journal stays: its events name their doors, which the cloud checks, and none is lost.
     *
     * @param now now
     * @return where the old ledger went, if there was one
     */
    java.util.Optional<Path> retireGrants(java.time.Instant now) {
        Path ledger = dir.resolve("state").resolve("grants.log");
        if (!Files.exists(ledger)) {
            return java.util.Optional.empty();
        }
        Path aside = ledger.resolveSibling("grants.log.replaced-" + now.getEpochSecond());
        try {
            Files.move(ledger, aside, StandardCopyOption.ATOMIC_MOVE);
            return java.util.Optional.of(aside);
        } catch (IOException e) {
            throw new Enrollment.Failure("Cannot move the old grant ledger " + ledger + " aside (" + e.getMessage() + ").");
        }
    }

    /**
     * Makes the device secret files the profile names that are missing (SecretFiles: a fresh
     * random secret each, 0600 in a 0700 folder). Existing ones stay, so devices set up before a
     * re-enrollment keep working. Door keys are never made here: the cloud sends them.
     *
     * @param profile the profile from the cloud
     * @return the secret files made now
     * @throws Enrollment.Failure when the profile names a file outside the gateway's folder, or
     *                            one cannot be written (those made are removed again)
     */
    List<SecretFiles.Reference> makeDeviceSecrets(String profile) {
        Path home = dir.toAbsolutePath().normalize();
        List<SecretFiles.Reference> wanted = new ArrayList<>();
        for (SecretFiles.Reference reference : SecretFiles.referenced(profile, dir)) {
            if (!reference.file().toAbsolutePath().normalize().startsWith(home)) {
                throw new Enrollment.Failure("The site profile from the cloud names a secret file outside " + dir
                        + " (" + reference.file() + "); nothing was written.");
            }
            if (reference.kind() == SecretFiles.Kind.DEVICE_SECRET) {
                wanted.add(reference);
            }
        }
        boolean existed = Files.exists(dir);
        Set<Path> there = new java.util.HashSet<>();
        wanted.stream().map(SecretFiles.Reference::file).filter(Files::exists).forEach(there::add);
        createdFolder = !existed;
        try {
            return SecretFiles.createMissing(wanted);
        } catch (IOException e) {
            removeSecrets(wanted.stream().filter(r -> !there.contains(r.file())).toList());
            throw new Enrollment.Failure("Cannot write the device secrets to " + dir + " (" + e.getMessage()
                    + "); nothing was changed.");
        }
    }

    /**
     * Removes secret files made by {@link #makeDeviceSecrets} when enrollment stops after all, and
     * the folders they left empty, so a failed enrollment leaves nothing behind.
     *
     * @param made what it made
     */
    void removeSecrets(List<SecretFiles.Reference> made) {
        Set<Path> folders = new TreeSet<>(java.util.Comparator.reverseOrder());
        for (SecretFiles.Reference reference : made) {
            try {
                Files.deleteIfExists(reference.file());
            } catch (IOException ignored) {
                // best effort: the enrollment's own message says what failed
            }
            for (Path folder = reference.file().getParent(); folder != null && folder.startsWith(dir) && !folder.equals(dir);
                 folder = folder.getParent()) {
                folders.add(folder);
            }
        }
        if (createdFolder) {
            folders.add(dir);
        }
        for (Path folder : folders) {
            try {
                Files.deleteIfExists(folder);
            } catch (IOException notEmpty) {
                // holds something else: it stays
            }
        }
    }

    void write(String key, String certificate, String ca, String profile) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(KEY, key);
        files.put(CERTIFICATE, certificate);
        files.put(CA, ca);
        files.put(PROFILE, profile);
        try {
            Files.createDirectories(dir);
            ownerOnly(dir, "rwx------");
            for (Map.Entry<String, String> file : files.entrySet()) {
                writeSynced(dir.resolve(file.getKey() + ".enrolling"), file.getValue());
            }
            for (String name : files.keySet()) {
                Files.move(dir.resolve(name + ".enrolling"), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            for (String name : files.keySet()) {
                try {
                    Files.deleteIfExists(dir.resolve(name + ".enrolling"));
                } catch (IOException ignored) {
                    // best effort: the message below says what failed
                }
            }
            throw new Enrollment.Failure("Cannot write to " + dir + " (" + e.getMessage() + "); nothing was changed.");
        }
    }

    /**
     * Replaces the certificate after a renewal, the same way.
     *
     * @param certificateFile the certificate's path
     * @param pem             the new certificate
     * @throws IOException when it cannot be written; the old one stays
     */
    static void replace(Path certificateFile, String pem) throws IOException {
        Path tmp = certificateFile.resolveSibling(certificateFile.getFileName() + ".renewing");
        writeSynced(tmp, pem);
        Files.move(tmp, certificateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes a new owner-only file in full and syncs it, ready to be renamed into place. */
    private static void writeSynced(Path tmp, String content) throws IOException {
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        ownerOnly(tmp, "rw-------");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own ACLs decide
        }
    }
}
