package jp.kominkan.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigToolTest {

    @TempDir
    Path dir;
    Path profile;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void example() throws Exception {
        profile = dir.resolve("site.yaml");
        Files.copy(Path.of("examples/site.example.yaml"), profile);
    }

    int run(String... args) {
        out.reset();
        err.reset();
        return ConfigTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void secretsMakesTheMissingFilesAndSaysWhichDeviceEachIsForThenValidatePasses() throws Exception {
        assertThat(run("validate", profile.toString())).isEqualTo(1);
        assertThat(err()).contains(profile + ":48:20: doors[1].lock.secret-file: ").contains("does not exist");

        assertThat(run("secrets", profile.toString())).isZero();
        String secret = Files.readString(dir.resolve("secrets/lock-group-1.psk")).strip();
        assertThat(out()).contains("created " + dir.resolve("secrets/lock-group-1.psk")
                + " (owner-only): set the same secret on device lock-group-1")
                .contains("a random key for door 999991-door-study; replace it with the door's key from the cloud")
                .as("no secret printed").doesNotContain(secret);
        assertThat(out().lines()).hasSize(6);

        assertThat(run("secrets", profile.toString())).isZero();
        assertThat(out()).contains("every secret file it names exists (6); none created");

        assertThat(run("validate", profile.toString())).isZero();
        assertThat(out()).contains("valid").contains("2 door(s)").contains("4 site-link device(s)");
    }

    @Test
    void showPrintsEachDevicesSecretForTheInstallerToType() throws Exception {
        assertThat(run("secrets", profile.toString(), "--show")).isZero();
        String lock = Files.readString(dir.resolve("secrets/lock-group-1.psk")).strip();
        String keypad = Files.readString(dir.resolve("secrets/keypad-group-1.pw")).strip();
        assertThat(out()).contains("lock-group-1: " + lock + "\n", "keypad-group-1: " + keypad + "\n",
                "keypad-study-1: ", "qr-study-1: ");
        assertThat(out()).as("door keys are not typed into devices")
                .doesNotContain(Files.readString(dir.resolve("secrets/999991-door-study.key")).strip());

        Files.setPosixFilePermissions(dir.resolve("secrets/lock-group-1.psk"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("secrets", profile.toString(), "--show")).as("a file too open is not shown").isEqualTo(1);
        assertThat(out()).doesNotContain(lock);
        assertThat(err()).contains("chmod 600");
    }

    @Test
    void validateListsProblemsAndSetsTheExitStatus() throws Exception {
        run("secrets", profile.toString());
        Files.writeString(profile, Files.readString(profile).replace("pin: 27", "pin: seven"));
        assertThat(run("validate", profile.toString())).isEqualTo(1);
        assertThat(err()).contains(profile + ":27:12: doors[0].sensor.pin").contains("1 problem(s)");
        assertThat(run("check")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
        assertThat(run("secrets", profile.toString(), "--shout")).isEqualTo(2);
        assertThat(err()).contains("kominkan config secrets SITE.yaml [--show]");
        assertThat(run("validate", dir.resolve("nowhere.yaml").toString())).isEqualTo(1);
        assertThat(err()).contains("cannot read");
    }
}
