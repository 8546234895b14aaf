package jp.kominkan.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigToolTest {

    @TempDir
    Path dir;

    @Test
    void validateSaysValidOrListsProblemsAndSetsTheExitStatus() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int ok = ConfigTool.run(new String[] {"validate", "examples/site.example.yaml"}, new PrintStream(out), new PrintStream(err));
        assertThat(ok).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("valid").contains("2 door(s)");

        Path bad = dir.resolve("site.yaml");
        Files.writeString(bad, Files.readString(Path.of("examples/site.example.yaml")).replace("pin: 27", "pin: seven"));
        err.reset();
        int failed = ConfigTool.run(new String[] {"validate", bad.toString()}, new PrintStream(out), new PrintStream(err));
        assertThat(failed).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(bad + ":21:12: ").contains("doors[0].sensor.pin");
        assertThat(ConfigTool.run(new String[] {"check"}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
    }
}
