package jp.kominkan.gateway.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.access.AccessDecision;
import jp.kominkan.gateway.support.SiteClients;
import jp.kominkan.gateway.support.SiteNetwork;
import jp.kominkan.gateway.support.Waits;
import org.junit.jupiter.api.Test;

/** A site link that cannot start does not keep the gateway, or its GPIO doors, from working; it starts once it can. */
class SiteLinkStarterIT {

    @Test
    void theGatewayRunsItsGpioDoorsWhileTheSiteLinkCannotStartAndStartsItWhenItCan() throws Exception {
        String secret = "wkp-1-secret-0123456789";
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            SiteProfile profile = new SiteProfile("999991-gw-retry", "999991", URI.create("tcp://127.0.0.1:1"),
                    Files.createTempDirectory("retry-gateway"), Map.of(),
                    List.of(new SiteProfile.Door("door-1", "door", new byte[32],
                            new SiteProfile.Lock.GpioRelay(17, Duration.ofMillis(100)), Optional.empty(),
                            List.of(new SiteProfile.Keypad.Wiegand(5, 6),
                                    new SiteProfile.Keypad.LocalMqtt(SiteNetwork.device("wkp-1", secret))), List.of())))
                    .withSiteLink(new SiteProfile.SiteLink(new SiteProfile.CoapListener("127.0.0.1", 0),
                            new SiteProfile.LocalBroker("127.0.0.1", taken.getLocalPort(), Path.of("/usr/sbin/mosquitto"),
                                    Path.of("/usr/bin/mosquitto_passwd"))));
            try (Gateway gateway = Gateway.start(profile, Gateway.mockPlatform(), Clock.systemUTC())) {
                assertThatThrownBy(gateway::site).isInstanceOf(IllegalStateException.class);
                assertThat(gateway.door("door-1").codeEntered("12345678")).as("the door decides meanwhile")
                        .isEqualTo(new AccessDecision.Denied(AccessDecision.Reason.UNKNOWN_CODE));
                taken.close();
                Waits.until("site link started once its port is free", Duration.ofSeconds(20), () -> {
                    try {
                        return gateway.site().mqtt().orElseThrow().isConnected();
                    } catch (IllegalStateException notYet) {
                        return false;
                    }
                });
                assertThat(SiteClients.localPublish(gateway.site().broker().orElseThrow().port(), "wkp-1",
                        secret.getBytes(StandardCharsets.US_ASCII), "site/v1/wkp-1/up/keypad", "{\"code\":\"12345678\"}")
                        .exit()).isZero();
            }
        }
    }
}
