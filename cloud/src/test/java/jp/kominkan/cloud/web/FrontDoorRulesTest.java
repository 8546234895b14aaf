package jp.kominkan.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The small rules of the front door: which origin is this host, which address is one client, what is public. */
class FrontDoorRulesTest {

    @Test
    void anOriginIsSameHostOnlyWithTheSameNameAndPort() {
        assertThat(CrossSiteGuard.sameHost("https://yoyaku.city.example.lg.jp", "yoyaku.city.example.lg.jp")).isTrue();
        assertThat(CrossSiteGuard.sameHost("https://yoyaku.city.example.lg.jp", "yoyaku.city.example.lg.jp:443")).isTrue();
        assertThat(CrossSiteGuard.sameHost("http://localhost:8080", "localhost:8080")).isTrue();
        assertThat(CrossSiteGuard.sameHost("http://localhost:8081", "localhost:8080")).isFalse();
        assertThat(CrossSiteGuard.sameHost("https://evil.city.example.lg.jp", "yoyaku.city.example.lg.jp")).isFalse();
        assertThat(CrossSiteGuard.sameHost("null", "localhost:8080")).isFalse();
        assertThat(CrossSiteGuard.sameHost("https://yoyaku.city.example.lg.jp.evil.example", "yoyaku.city.example.lg.jp"))
                .isFalse();
    }

    @Test
    void anIpv6ClientCountsAsItsSlash64AndIpv4AsItself() {
        assertThat(ClientAddress.normalise("2001:db8:1:2:aaaa::1")).isEqualTo(ClientAddress.normalise("2001:db8:1:2:bbbb::9"));
        assertThat(ClientAddress.normalise("2001:db8:1:2::1")).isNotEqualTo(ClientAddress.normalise("2001:db8:1:3::1"));
        assertThat(ClientAddress.normalise("[2001:db8:1:2::1]")).endsWith("/64");
        assertThat(ClientAddress.normalise("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(ClientAddress.normalise("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
    }

    @Test
    void onlyPublicReadsKeepTheirCaching() {
        assertThat(CachePolicy.publicRead("GET", "/api/v1/facilities")).isTrue();
        assertThat(CachePolicy.publicRead("GET", "/api/v1/rooms/3/availability")).isTrue();
        assertThat(CachePolicy.publicRead("POST", "/api/v1/rooms/3")).isFalse();
        assertThat(CachePolicy.publicRead("GET", "/api/v1/roomsX")).isFalse();
        assertThat(CachePolicy.publicRead("GET", "/api/v1/me")).isFalse();
        assertThat(CachePolicy.publicRead("GET", "/api/v1/staff/facilities")).isFalse();
    }
}
