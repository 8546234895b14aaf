package jp.kominkan.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MainArgumentsTest {

    @Test
    void demoTakesPortMqttPortAndDataFolder() {
        Main.Arguments args = Main.Arguments.parse(new String[] {"demo", "--port", "9090", "--mqtt-port", "1884",
                "--data", "/tmp/k"});
        assertThat(args.demo()).isTrue();
        assertThat(args.port()).contains("9090");
        assertThat(args.data()).isEqualTo("/tmp/k");
        assertThat(args.mqttPort()).isEqualTo(1884);
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> Main.Arguments.parse(new String[] {})).hasMessageContaining("demo or serve");
        assertThatThrownBy(() -> Main.Arguments.parse(new String[] {"demo", "--port", "http"}))
                .hasMessageContaining("--port must be a port number");
        assertThatThrownBy(() -> Main.Arguments.parse(new String[] {"demo", "--colour", "red"}))
                .hasMessageContaining("Unknown option --colour");
        assertThatThrownBy(() -> Main.Arguments.parse(new String[] {"demo", "--data"}))
                .hasMessageContaining("--data needs a value");
    }
}
