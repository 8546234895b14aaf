package jp.kominkan.cloud.receipt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceiptFontTest {

    @TempDir
    Path dir;

    @Test
    void defaultFontIsInstalledAndUsable() {
        assertThat(ReceiptFixtures.font().path()).isEqualTo(ReceiptFont.defaultPath());
    }

    @Test
    void configuredPathIsUsed() {
        Path path = ReceiptFont.defaultPath();
        Config receipt = Config.just(ConfigSources.create(Map.of("font-path", path.toString())));

        assertThat(ReceiptFont.fromConfig(receipt).path()).isEqualTo(path);
    }

    @Test
    void missingFontSaysWhatToInstall() {
        Config receipt = Config.just(ConfigSources.create(Map.of("font-path", dir.resolve("none.ttf").toString())));

        assertThatThrownBy(() -> ReceiptFont.fromConfig(receipt))
                .isInstanceOf(ReceiptFont.Unusable.class)
                .hasMessageContaining("receipt font " + dir.resolve("none.ttf") + " not found")
                .hasMessageContaining("apt-get install fonts-ipaexfont");
    }

    @Test
    void aFileThatIsNotAFontIsRefusedAtLoad() throws IOException {
        Path notAFont = Files.writeString(dir.resolve("font.ttf"), "not a font");

        assertThatThrownBy(() -> ReceiptFont.load(notAFont))
                .isInstanceOf(ReceiptFont.Unusable.class)
                .hasMessageContaining("cannot be embedded")
                .hasMessageContaining("apt-get install fonts-ipaexfont");
    }

    @Test
    void aTruncatedFontIsRefusedAtLoad() throws IOException {
        byte[] real = Files.readAllBytes(ReceiptFixtures.font().path());
        Path truncated = Files.write(dir.resolve("truncated.ttf"), Arrays.copyOf(real, 4096));

        assertThatThrownBy(() -> ReceiptFont.load(truncated))
                .isInstanceOf(ReceiptFont.Unusable.class)
                .hasMessageContaining(truncated.toString());
    }
}
