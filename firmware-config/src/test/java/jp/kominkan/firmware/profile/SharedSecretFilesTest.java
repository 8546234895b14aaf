package jp.kominkan.firmware.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret file is named once in a profile: a keypad holding a lock's secret could log in as the
 * lock and forge its commands, and a door's key (64 hex digits, which pass as a device secret)
 * would become a device's broker password. The later of the two names is refused, at its line and
 * column, naming the other device or door, and never what the file holds. Files are compared as
 * what they really are, so another spelling of the same file is no way around it.
 */
class SharedSecretFilesTest {

    @TempDir
    Path dir;
    ExampleSite site;

    @BeforeEach
    void example() {
        site = ExampleSite.in(dir);
    }

    private String content(String name) throws Exception {
        return Files.readString(dir.resolve(name)).strip();
    }

    private void neverPrints(List<ProfileError> errors, String... files) throws Exception {
        for (String file : files) {
            String secret = content(file);
            assertThat(errors).extracting(ProfileError::message).noneMatch(m -> m.contains(secret));
        }
    }

    @Test
    void twoDevicesNeverShareASecretFile() throws Exception {
        // The Wi-Fi keypad (line 53) given the CoAP lock's PSK (line 48): it could log in as the lock.
        String yaml = site.with("secret-file: secrets/keypad-group-1.pw", "secret-file: secrets/lock-group-1.psk");
        List<ProfileError> errors = site.errors(yaml);
        assertThat(errors).as("%s", errors).hasSize(1);
        ProfileError error = errors.getFirst();
        assertThat(error.path()).isEqualTo("doors[1].keypad.secret-file");
        assertThat(error.line()).isEqualTo(53);
        assertThat(error.column()).isEqualTo(20);
        assertThat(error.message()).startsWith(dir.resolve("secrets/lock-group-1.psk") + " is also the secret-file of "
                + "device lock-group-1 (doors[1].lock.secret-file)").contains("a secret file of its own");
        neverPrints(errors, "secrets/lock-group-1.psk");

        // Across doors too: the study's QR reader (line 40) and the group room's lock (line 48).
        ProfileError across = site.error(site.with("secret-file: secrets/lock-group-1.psk",
                "secret-file: secrets/qr-study-1.psk"), "doors[1].lock.secret-file");
        assertThat(across.line()).isEqualTo(48);
        assertThat(across.message()).contains("device qr-study-1 (doors[0].qr-reader.secret-file)");
    }

    @Test
    void aDeviceNeverUsesADoorsKeyFile() throws Exception {
        // The door's key is 64 hex digits, which passes as a device secret: without this check it
        // would be the lock's plaintext PSK.
        String yaml = site.with("secret-file: secrets/lock-group-1.psk", "secret-file: secrets/999991-door-group.key");
        List<ProfileError> errors = site.errors(yaml);
        assertThat(errors).as("%s", errors).hasSize(1);
        ProfileError error = errors.getFirst();
        assertThat(error.path()).isEqualTo("doors[1].lock.secret-file");
        assertThat(error.line()).isEqualTo(48);
        assertThat(error.column()).isEqualTo(20);
        assertThat(error.message()).contains("is also the key-file of door 999991-door-group (doors[1].key-file)")
                .contains("a door's key is never a device's secret").contains("give device lock-group-1 a new file");
        neverPrints(errors, "secrets/999991-door-group.key");

        // A door's key-file (line 43) naming a device's secret file (line 40) is refused at the key-file.
        ProfileError key = site.error(site.with("key-file: secrets/999991-door-group.key",
                "key-file: secrets/qr-study-1.psk"), "doors[1].key-file");
        assertThat(key.line()).isEqualTo(43);
        assertThat(key.column()).isEqualTo(15);
        assertThat(key.message()).contains("is also the secret-file of device qr-study-1 (doors[0].qr-reader.secret-file)")
                .contains("give device qr-study-1 a new file");
        neverPrints(List.of(key), "secrets/qr-study-1.psk");
    }

    @Test
    void theLaterNameInTheFileIsTheOneRefusedWhateverOrderTheyAreRead() throws Exception {
        // The door's key-file written after its lock, whose secret-file names the door's key: the
        // key-file is read first, but the later of the two in the file is the one reported.
        String yaml = site.with("    key-file: secrets/999991-door-group.key\n", "")
                .replace("      pulse-ms: 5000\n", "      pulse-ms: 5000\n    key-file: secrets/999991-door-group.key\n")
                .replace("secret-file: secrets/lock-group-1.psk", "secret-file: secrets/999991-door-group.key");
        List<ProfileError> errors = site.errors(yaml);
        assertThat(errors).as("%s", errors).hasSize(1);
        ProfileError error = errors.getFirst();
        assertThat(error.path()).isEqualTo("doors[1].key-file");
        assertThat(error.line()).isEqualTo(49);
        assertThat(error.column()).isEqualTo(15);
        assertThat(error.message()).contains("is also the secret-file of device lock-group-1 (doors[1].lock.secret-file)")
                .contains("give device lock-group-1 a new file");
        neverPrints(errors, "secrets/999991-door-group.key");
    }

    @Test
    void anotherSpellingOfTheSameFileIsTheSameFile() throws Exception {
        for (String spelling : List.of("./secrets/../secrets/lock-group-1.psk", "secrets//./lock-group-1.psk",
                dir.resolve("secrets/lock-group-1.psk").toString())) {
            ProfileError error = site.error(site.with("secret-file: secrets/keypad-group-1.pw", "secret-file: " + spelling),
                    "doors[1].keypad.secret-file");
            assertThat(error.line()).as(spelling).isEqualTo(53);
            assertThat(error.column()).as(spelling).isEqualTo(20);
            assertThat(error.message()).as(spelling).contains("device lock-group-1 (doors[1].lock.secret-file)");
        }

        // Through a symbolic link to it, or to its folder.
        Files.createSymbolicLink(dir.resolve("alias.psk"), dir.resolve("secrets/lock-group-1.psk"));
        Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("secrets"));
        for (String spelling : List.of("alias.psk", "linked/lock-group-1.psk")) {
            assertThat(site.error(site.with("secret-file: secrets/keypad-group-1.pw", "secret-file: " + spelling),
                    "doors[1].keypad.secret-file").message()).as(spelling).contains("device lock-group-1");
        }

        // Files that do not exist yet are compared by their normalized absolute path.
        ProfileError missing = site.error(site.with("secret-file: secrets/lock-group-1.psk", "secret-file: new/a.psk")
                .replace("secret-file: secrets/keypad-group-1.pw", "secret-file: ./new/../new/a.psk"),
                "doors[1].keypad.secret-file");
        assertThat(missing.message()).contains("device lock-group-1 (doors[1].lock.secret-file)");
        assertThat(site.errors(site.with("secret-file: secrets/lock-group-1.psk", "secret-file: new/a.psk")
                .replace("secret-file: secrets/keypad-group-1.pw", "secret-file: ./new/../new/a.psk")))
                .extracting(ProfileError::path).containsExactly("doors[1].lock.secret-file", "doors[1].keypad.secret-file");
    }

    @Test
    void filesOfTheirOwnAreFine() {
        assertThat(site.valid(site.yaml()).doors()).hasSize(2);
    }
}
