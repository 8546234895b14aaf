package jp.kominkan.firmware.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    @TempDir
    Path dir;

    private static String example() throws Exception {
        return Files.readString(Path.of("examples/site.example.yaml"));
    }

    @Test
    void theFilesAProfileNamesAreFoundWithoutThemExisting() throws Exception {
        List<SecretFiles.Reference> named = SecretFiles.referenced(example(), dir);
        assertThat(named).containsExactly(
                new SecretFiles.Reference("999991-door-study", SecretFiles.Kind.DOOR_KEY, dir.resolve("secrets/999991-door-study.key")),
                new SecretFiles.Reference("keypad-study-1", SecretFiles.Kind.DEVICE_SECRET, dir.resolve("secrets/keypad-study-1.psk")),
                new SecretFiles.Reference("qr-study-1", SecretFiles.Kind.DEVICE_SECRET, dir.resolve("secrets/qr-study-1.psk")),
                new SecretFiles.Reference("999991-door-group", SecretFiles.Kind.DOOR_KEY, dir.resolve("secrets/999991-door-group.key")),
                new SecretFiles.Reference("lock-group-1", SecretFiles.Kind.DEVICE_SECRET, dir.resolve("secrets/lock-group-1.psk")),
                new SecretFiles.Reference("keypad-group-1", SecretFiles.Kind.DEVICE_SECRET, dir.resolve("secrets/keypad-group-1.pw")));
        assertThat(Files.exists(dir.resolve("secrets"))).isFalse();
        assertThat(SecretFiles.referenced(example().replace("pin: 17", "pin: 99"), dir)).as("despite other errors")
                .hasSize(6);
        assertThat(SecretFiles.referenced("doors: [unclosed", dir)).isEmpty();
    }

    @Test
    void missingFilesAreMadeOwnerOnlyWithFreshSecretsAndTheProfileThenValidates() throws Exception {
        List<SecretFiles.Reference> created = SecretFiles.createMissing(example(), dir);
        assertThat(created).isEqualTo(SecretFiles.referenced(example(), dir));
        assertThat(Files.getPosixFilePermissions(dir.resolve("secrets"))).isEqualTo(FOLDER);
        Set<String> secrets = new HashSet<>();
        for (SecretFiles.Reference made : created) {
            assertThat(Files.getPosixFilePermissions(made.file())).as("%s", made.file()).isEqualTo(FILE);
            String content = Files.readString(made.file());
            assertThat(content).matches(made.kind() == SecretFiles.Kind.DOOR_KEY ? "[0-9a-f]{64}\n" : "[A-Za-z0-9]{24}\n");
            secrets.add(content);
        }
        assertThat(secrets).as("each one fresh").hasSize(6);
        try (var files = Files.list(dir.resolve("secrets"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").hasSize(6)
                    .noneMatch(name -> name.startsWith("."));
        }
        assertThat(SiteProfileParser.parse(example(), dir)).isInstanceOf(SiteProfileParser.Result.Valid.class);
    }

    @Test
    void anExistingFileIsNeverReplaced() throws Exception {
        Path mine = dir.resolve("secrets/lock-group-1.psk");
        Files.createDirectories(mine.getParent());
        Files.writeString(mine, "set-on-the-lock-already\n");
        List<SecretFiles.Reference> created = SecretFiles.createMissing(example(), dir);
        assertThat(created).hasSize(5).extracting(SecretFiles.Reference::owner).doesNotContain("lock-group-1");
        assertThat(Files.readString(mine)).isEqualTo("set-on-the-lock-already\n");

        String before = Files.readString(dir.resolve("secrets/keypad-study-1.psk"));
        assertThat(SecretFiles.createMissing(example(), dir)).as("a second run").isEmpty();
        assertThat(Files.readString(dir.resolve("secrets/keypad-study-1.psk"))).isEqualTo(before);
    }

    @Test
    void missingFoldersAreMadeOwnerOnlyAndASharedFileOnce() throws Exception {
        String yaml = example().replace("secrets/qr-study-1.psk", "deep/er/shared.psk")
                .replace("secrets/keypad-group-1.pw", "deep/er/shared.psk");
        List<SecretFiles.Reference> created = SecretFiles.createMissing(yaml, dir);
        assertThat(created).filteredOn(r -> r.file().endsWith("shared.psk")).extracting(SecretFiles.Reference::owner)
                .containsExactly("qr-study-1", "keypad-group-1");
        assertThat(Files.getPosixFilePermissions(dir.resolve("deep"))).isEqualTo(FOLDER);
        assertThat(Files.getPosixFilePermissions(dir.resolve("deep/er"))).isEqualTo(FOLDER);
        assertThat(Files.getPosixFilePermissions(dir.resolve("deep/er/shared.psk"))).isEqualTo(FILE);
    }
}
