package jp.kominkan.gateway.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import jp.kominkan.firmware.profile.SecretFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device secrets enrollment makes from the cloud's profile: only inside the gateway's folder,
 * only devices' (door keys come from the cloud), existing ones kept, and all of them gone again
 * when enrollment stops.
 */
class EnrollmentFilesTest {

    static final String PROFILE = """
            doors:
              - id: door-1
                key-file: secrets/door-1.key
                keypad:
                  - {type: coap, device: door-1.keypad, secret-file: secrets/door-1.keypad.psk}
                  - {type: mqtt-local, device: door-1.wifi-keypad, secret-file: secrets/door-1.wifi-keypad.pw}
                qr-reader: {type: coap, device: door-1.qr, secret-file: secrets/door-1.qr.psk}
            """;

    @TempDir
    Path tmp;

    @Test
    void deviceSecretsAreMadeOwnerOnlyInTheGatewaysFolderAndExistingOnesKept() throws Exception {
        Path dir = tmp.resolve("kominkan-gateway");
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/door-1.qr.psk"), "already-on-the-reader\n");
        List<SecretFiles.Reference> made = new EnrollmentFiles(dir).makeDeviceSecrets(PROFILE);
        assertThat(made).extracting(SecretFiles.Reference::owner).containsExactly("door-1.keypad", "door-1.wifi-keypad");
        for (SecretFiles.Reference reference : made) {
            assertThat(Files.getPosixFilePermissions(reference.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(reference.file())).matches("[A-Za-z0-9]{24}\n");
        }
        assertThat(Files.readString(dir.resolve("secrets/door-1.qr.psk"))).isEqualTo("already-on-the-reader\n");
        assertThat(dir.resolve("secrets/door-1.key")).as("a door key comes from the cloud, never made up").doesNotExist();
    }

    @Test
    void whenEnrollmentStopsTheSecretsAndTheFoldersItMadeAreRemoved() throws Exception {
        Path dir = tmp.resolve("fresh");
        EnrollmentFiles files = new EnrollmentFiles(dir);
        List<SecretFiles.Reference> made = files.makeDeviceSecrets(PROFILE);
        assertThat(made).hasSize(3);
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        files.removeSecrets(made);
        assertThat(dir).doesNotExist();
    }

    @Test
    void aSecretFileOutsideTheGatewaysFolderIsRefused() {
        Path dir = tmp.resolve("kominkan-gateway");
        assertThatThrownBy(() -> new EnrollmentFiles(dir).makeDeviceSecrets(
                PROFILE.replace("secrets/door-1.qr.psk", "../elsewhere/qr.psk")))
                .isInstanceOf(Enrollment.Failure.class).hasMessageContaining("outside " + dir);
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
        assertThat(dir).as("nothing made").doesNotExist();
    }
}
