package jp.kominkan.firmware.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class SiteProfileParserTest {

    private static String example() throws IOException {
        return Files.readString(Path.of("examples/site.example.yaml"));
    }

    private static List<ProfileError> errors(String yaml) {
        SiteProfileParser.Result result = SiteProfileParser.parse(yaml);
        assertThat(result).isInstanceOf(SiteProfileParser.Result.Invalid.class);
        return ((SiteProfileParser.Result.Invalid) result).errors();
    }

    @Test
    void theExampleProfileIsValid() throws IOException {
        SiteProfileParser.Result result = SiteProfileParser.parse(example());
        assertThat(result).isInstanceOf(SiteProfileParser.Result.Valid.class);
        SiteProfile profile = ((SiteProfileParser.Result.Valid) result).profile();
        assertThat(profile.gatewayId()).isEqualTo("999991-gw-ekimae");
        assertThat(profile.doors()).hasSize(2);
        assertThat(profile.doors().get(0).lock()).isEqualTo(new SiteProfile.Lock.GpioRelay(17, Duration.ofSeconds(3)));
        assertThat(profile.doors().get(0).keypad()).isEqualTo(new SiteProfile.Keypad.Wiegand(5, 6));
        assertThat(profile.doors().get(0).sensor()).contains(
                new SiteProfile.Sensor(27, Duration.ofMillis(50), Duration.ofSeconds(120)));
        assertThat(profile.doors().get(1).keypad()).isInstanceOf(SiteProfile.Keypad.Wifi.class);
        assertThat(profile.trustedKeys()).containsKey("ed25519-21fe31dfa154a261");
    }

    @Test
    void everyErrorNamesItsLineColumnAndSetting() throws IOException {
        String broken = example()
                .replace("pin: 17 ", "pin: 40 ")
                .replace("d1-pin: 6", "d1-pin: 5")
                .replace("pulse-ms: 5000", "pulse-ms: soon")
                .replace("    sensor:\n", "    sensr:\n");
        List<ProfileError> errors = errors(broken);
        assertThat(errors).extracting(ProfileError::path).contains("doors[0].lock.pin", "doors[0].keypad.d1-pin",
                "doors[1].lock.pulse-ms", "doors[0].sensr");
        ProfileError pin = errors.stream().filter(e -> e.path().equals("doors[0].lock.pin")).findFirst().orElseThrow();
        assertThat(pin.line()).isEqualTo(18);
        assertThat(pin.column()).isEqualTo(12);
        assertThat(pin.message()).contains("from 2 to 27");
        assertThat(pin.format("site.yaml")).startsWith("site.yaml:18:12: doors[0].lock.pin: ");
        ProfileError duplicate = errors.stream().filter(e -> e.path().equals("doors[0].keypad.d1-pin")).findFirst()
                .orElseThrow();
        assertThat(duplicate.message()).contains("already used by doors[0].keypad.d0-pin");
        assertThat(duplicate.line()).isEqualTo(27);
    }

    @Test
    void missingSettingsWrongKeysAndBadYamlAreReported() throws IOException {
        assertThat(errors(example().replace("  municipality: \"999991\"        # 全国地方公共団体コード\n", "")))
                .extracting(ProfileError::path).containsExactly("gateway.municipality");
        List<ProfileError> wrongKey = errors(example().replace("ed25519-21fe31dfa154a261", "ed25519-0000000000000000"));
        assertThat(wrongKey).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("cloud.trusted-keys[0].key-id");
            assertThat(e.message()).contains("ed25519-21fe31dfa154a261");
            assertThat(e.line()).isEqualTo(9);
        });
        assertThat(errors("gateway: [unclosed\n")).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("(file)");
            assertThat(e.line()).isEqualTo(2);
        });
        assertThat(errors("")).singleElement().satisfies(e -> assertThat(e.message()).contains("empty"));
        assertThat(errors("- just\n- a list\n")).singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(1));
    }
}
