package jp.kominkan.cloud.municipality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MunicipalitiesTest {

    @Test
    void hostNamesLoseTheirPortAndCase() {
        assertThat(Municipalities.hostName("Yoyaku.City.Example.LG.JP:8443")).isEqualTo("yoyaku.city.example.lg.jp");
        assertThat(Municipalities.hostName("localhost")).isEqualTo("localhost");
        assertThat(Municipalities.hostName("[::1]:8080")).isEqualTo("::1");
    }
}
