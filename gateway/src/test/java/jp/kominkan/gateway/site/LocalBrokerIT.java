package jp.kominkan.gateway.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.site.mqtt.LocalBroker;
import jp.kominkan.gateway.support.SiteClients;
import org.junit.jupiter.api.Test;

/** The gateway's own Mosquitto: its files owner-only, and a broker an earlier run left behind does not block a new one. */
class LocalBrokerIT {

    static final SiteProfile.LocalBroker SETTINGS = new SiteProfile.LocalBroker("127.0.0.1", 0,
            Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto_passwd"));
    static final byte[] KEY = "kp-1-secret-0123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aBrokerLeftBehindByAKilledGatewayIsStoppedAndTheFilesAreOwnerOnly() throws Exception {
        Path storage = Files.createTempDirectory("site-broker");
        LocalBroker first = LocalBroker.start(SETTINGS, storage, Map.of("kp-1", KEY));
        long firstPid = Long.parseLong(Files.readString(storage.resolve("site-broker/broker.pid")).strip());
        // The gateway dies without closing it (kill -9): the next start must not find its port taken.
        SiteProfile.LocalBroker samePort = new SiteProfile.LocalBroker("127.0.0.1", first.port(),
                SETTINGS.mosquitto(), SETTINGS.mosquittoPasswd());
        try (first; LocalBroker second = LocalBroker.start(samePort, storage, Map.of("kp-1", KEY))) {
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).as("the old broker").isFalse();
            assertThat(second.isRunning()).isTrue();
            assertThat(SiteClients.localPublish(second.port(), "kp-1", KEY, "site/v1/kp-1/up/keypad", "{}").exit())
                    .as("a device gets through to the new one").isZero();
            for (String name : new String[] {"passwd", "psk", "acl", "mosquitto.conf"}) {
                assertThat(Files.getPosixFilePermissions(storage.resolve("site-broker").resolve(name))).as(name)
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            }
            assertThat(Files.getPosixFilePermissions(storage.resolve("site-broker")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE);
            assertThat(Files.readString(storage.resolve("site-broker/passwd"))).as("hashed")
                    .doesNotContain(new String(second.gatewayPassword()));
        }
    }

    @Test
    void theBrokerListensOnItsTwoPortsOnlyAndNowhereElse() throws Exception {
        Path storage = Files.createTempDirectory("site-broker");
        try (LocalBroker broker = LocalBroker.start(SETTINGS, storage, Map.of("kp-1", KEY))) {
            long pid = Long.parseLong(Files.readString(storage.resolve("site-broker/broker.pid")).strip());
            // Once a default listener slipped in (an option written before the first listener): 1883 on every interface.
            Process ss = new ProcessBuilder("ss", "-Hltnp").redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ss.waitFor()).isZero();
            Set<String> listening = new java.util.TreeSet<>();
            for (String line : out.split("\n")) {
                if (line.contains("pid=" + pid + ",")) {
                    listening.add(line.trim().split("\\s+")[3]);
                }
            }
            assertThat(listening).containsExactlyInAnyOrder("127.0.0.1:" + broker.port(),
                    "127.0.0.1:" + broker.gatewayPort());
        }
    }
}
