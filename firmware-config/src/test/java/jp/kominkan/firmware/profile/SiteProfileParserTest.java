package jp.kominkan.firmware.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteProfileParserTest {

    @TempDir
    Path dir;
    ExampleSite site;

    @BeforeEach
    void example() {
        site = ExampleSite.in(dir);
    }

    private SiteProfile.Credential.Secret secret(String file) throws Exception {
        Path path = dir.resolve(file);
        return new SiteProfile.Credential.Secret(Files.readString(path).strip().getBytes(StandardCharsets.US_ASCII), path);
    }

    @Test
    void theExampleProfileIsValidWithEveryKindOfDevice() throws Exception {
        SiteProfile profile = site.valid(site.yaml());
        assertThat(profile.gatewayId()).isEqualTo("999991-gw-ekimae");
        assertThat(profile.trustedKeys()).containsKey("ed25519-21fe31dfa154a261");
        assertThat(profile.siteLink()).isEqualTo(SiteProfile.SiteLink.DEFAULT);
        assertThat(profile.doors()).hasSize(2);

        SiteProfile.Door study = profile.doors().get(0);
        assertThat(study.key()).isEqualTo(HexFormat.of().parseHex(
                Files.readString(dir.resolve("secrets/999991-door-study.key")).strip()));
        assertThat(study.lock()).isEqualTo(new SiteProfile.Lock.GpioRelay(17, Duration.ofSeconds(3)));
        assertThat(study.sensor()).contains(new SiteProfile.Sensor(27, Duration.ofMillis(50), Duration.ofSeconds(120)));
        assertThat(study.keypads()).containsExactly(new SiteProfile.Keypad.Wiegand(5, 6),
                new SiteProfile.Keypad.Coap(new SiteProfile.Device("keypad-study-1", secret("secrets/keypad-study-1.psk"))));
        assertThat(study.qrReaders()).containsExactly(
                new SiteProfile.QrReader.Coap(new SiteProfile.Device("qr-study-1", secret("secrets/qr-study-1.psk"))));

        SiteProfile.Door group = profile.doors().get(1);
        assertThat(group.lock()).isEqualTo(new SiteProfile.Lock.Coap(
                new SiteProfile.Device("lock-group-1", secret("secrets/lock-group-1.psk")),
                URI.create("coaps://192.168.10.21:5684"), Duration.ofSeconds(5)));
        assertThat(group.keypads()).containsExactly(new SiteProfile.Keypad.LocalMqtt(
                new SiteProfile.Device("keypad-group-1", secret("secrets/keypad-group-1.pw"))));
        assertThat(group.qrReaders()).isEmpty();
        assertThat(group.sensor()).isEmpty();
    }

    @Test
    void mqttLocalLocksAndQrReadersAndAListOfReadersAreRead() throws Exception {
        Files.writeString(dir.resolve("secrets/lock.pw"), "lock-password-0123456789\n");
        Files.writeString(dir.resolve("secrets/qr-2.pw"), "qr-password-0123456789");
        for (String file : List.of("secrets/lock.pw", "secrets/qr-2.pw")) {
            Files.setPosixFilePermissions(dir.resolve(file), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        SiteProfile profile = site.valid(site.yaml()
                .replace("""
                              type: coap                # a smart lock the gateway calls over DTLS
                              device: lock-group-1
                              address: coaps://192.168.10.21:5684
                              secret-file: secrets/lock-group-1.psk
                        """, """
                              type: mqtt-local
                              device: lock-group-1
                              secret-file: secrets/lock.pw
                        """)
                .replace("""
                            qr-reader:
                              type: coap                # posts the door pass it scans to coaps://gateway/qr
                              device: qr-study-1
                              secret-file: secrets/qr-study-1.psk
                        """, """
                            qr-reader:
                              - {type: coap, device: qr-study-1, secret-file: secrets/qr-study-1.psk}
                              - {type: mqtt-local, device: qr-study-2, secret-file: secrets/qr-2.pw}
                        """));
        assertThat(profile.doors().get(1).lock()).isEqualTo(new SiteProfile.Lock.LocalMqtt(
                new SiteProfile.Device("lock-group-1", secret("secrets/lock.pw")), Duration.ofSeconds(5)));
        assertThat(profile.doors().get(0).qrReaders()).containsExactly(
                new SiteProfile.QrReader.Coap(new SiteProfile.Device("qr-study-1", secret("secrets/qr-study-1.psk"))),
                new SiteProfile.QrReader.LocalMqtt(new SiteProfile.Device("qr-study-2", secret("secrets/qr-2.pw"))));
    }

    @Test
    void theSiteLinkIsReadAndItsPortsAndAddressesChecked() {
        SiteProfile custom = site.valid(site.with("""
                  coap: {bind: 0.0.0.0, port: 5684}
                  mqtt-local: {bind: 0.0.0.0, port: 1883, mosquitto: /usr/sbin/mosquitto, mosquitto-passwd: /usr/bin/mosquitto_passwd}
                """, """
                  coap: {bind: 192.168.10.1, port: 0}
                  mqtt-local: {bind: "fe80::1", port: 8883, mosquitto: /opt/mosquitto/sbin/mosquitto}
                """));
        assertThat(custom.siteLink()).isEqualTo(new SiteProfile.SiteLink(new SiteProfile.CoapListener("192.168.10.1", 0),
                new SiteProfile.LocalBroker("fe80::1", 8883, Path.of("/opt/mosquitto/sbin/mosquitto"),
                        Path.of("/usr/bin/mosquitto_passwd"))));
        assertThat(site.valid(site.with("""
                site-link:                      # where the building's devices reach the gateway (these are the defaults)
                  coap: {bind: 0.0.0.0, port: 5684}
                  mqtt-local: {bind: 0.0.0.0, port: 1883, mosquitto: /usr/sbin/mosquitto, mosquitto-passwd: /usr/bin/mosquitto_passwd}
                """, "")).siteLink()).as("optional").isEqualTo(SiteProfile.SiteLink.DEFAULT);

        String broken = site.with("""
                  coap: {bind: 0.0.0.0, port: 5684}
                  mqtt-local: {bind: 0.0.0.0, port: 1883, mosquitto: /usr/sbin/mosquitto, mosquitto-passwd: /usr/bin/mosquitto_passwd}
                """, """
                  coap: {bind: gateway.local, port: 70000, ciphers: all}
                  mqtt-local: {bind: 192.168.10.300, port: -1, mosquitto: mosquitto}
                """);
        List<ProfileError> errors = site.errors(broken);
        assertThat(errors).extracting(ProfileError::path).containsExactly("site-link.coap.bind", "site-link.coap.port",
                "site-link.coap.ciphers", "site-link.mqtt-local.bind", "site-link.mqtt-local.port",
                "site-link.mqtt-local.mosquitto");
        assertThat(errors.get(0)).satisfies(e -> {
            assertThat(e.line()).isEqualTo(16);
            assertThat(e.column()).isEqualTo(16);
            assertThat(e.message()).contains("IP address").contains("gateway.local");
        });
        assertThat(errors.get(1).message()).contains("from 0 to 65535");
        assertThat(errors.get(1).column()).isEqualTo(37);
        assertThat(errors.get(2).message()).contains("unknown setting");
        assertThat(errors.get(4).line()).isEqualTo(17);
        assertThat(errors.get(5).message()).contains("absolute path");
    }

    @Test
    void everyErrorNamesItsLineColumnAndSetting() {
        String broken = site.yaml()
                .replace("pin: 17 ", "pin: 40 ")
                .replace("d1-pin: 6", "d1-pin: 5")
                .replace("pulse-ms: 5000", "pulse-ms: soon")
                .replace("    sensor:\n", "    sensr:\n");
        List<ProfileError> errors = site.errors(broken);
        assertThat(errors).extracting(ProfileError::path).contains("doors[0].lock.pin", "doors[0].keypad[0].d1-pin",
                "doors[1].lock.pulse-ms", "doors[0].sensr");
        ProfileError pin = site.error(broken, "doors[0].lock.pin");
        assertThat(pin.line()).isEqualTo(24);
        assertThat(pin.column()).isEqualTo(12);
        assertThat(pin.message()).contains("from 2 to 27");
        assertThat(pin.format("site.yaml")).startsWith("site.yaml:24:12: doors[0].lock.pin: ");
        ProfileError duplicate = site.error(broken, "doors[0].keypad[0].d1-pin");
        assertThat(duplicate.message()).contains("already used by doors[0].keypad[0].d0-pin");
        assertThat(duplicate.line()).isEqualTo(33);
    }

    @Test
    void aKeypadIsOneMappingOrAListOfAtLeastOne() {
        assertThat(site.error(site.with("""
                    keypad:                     # a door may have several
                      - type: wiegand           # Wiegand 26/34 on two lines
                        d0-pin: 5
                        d1-pin: 6
                      - type: coap              # posts {"code":"12345678"} to coaps://gateway/keypad over DTLS
                        device: keypad-study-1  # its PSK identity
                        secret-file: secrets/keypad-study-1.psk
                """, "    keypad: []\n"), "doors[0].keypad")).satisfies(e -> {
            assertThat(e.message()).contains("at least one keypad");
            assertThat(e.line()).isEqualTo(30);
        });
        assertThat(site.error(site.with("      - type: wiegand ", "      - wiegand\n      - type: wiegand "),
                "doors[0].keypad[0]").message()).contains("must be a mapping");
        assertThat(site.error(site.with("    keypad:\n      type: mqtt-local", "    keypad: mqtt-local\n    x:\n      type: mqtt-local"),
                "doors[1].keypad").message()).contains("a mapping of settings or a list of them");
        assertThat(site.error(site.with("    keypad:\n      type: mqtt-local", "    kp:\n      type: mqtt-local"),
                "doors[1].keypad").message()).isEqualTo("is missing");
    }

    @Test
    void settingsOfAnotherTypeOfDeviceAreErrors() {
        ProfileError pin = site.error(site.with("      device: lock-group-1\n", "      device: lock-group-1\n      pin: 18\n"),
                "doors[1].lock.pin");
        assertThat(pin.message()).contains("does not apply to a coap lock").contains("address");
        assertThat(pin.line()).isEqualTo(47);
        assertThat(site.error(site.with("        d0-pin: 5\n", "        d0-pin: 5\n        device: x\n"),
                "doors[0].keypad[0].device").message()).contains("does not apply to a wiegand keypad");
        assertThat(site.error(site.with("      type: mqtt-local ", "      type: wiegand "), "doors[1].keypad.d0-pin")
                .message()).isEqualTo("is missing");
        assertThat(site.error(site.with("type: gpio-relay", "type: magnet"), "doors[0].lock.type").message())
                .contains("gpio-relay, coap or mqtt-local");
    }

    @Test
    void theCloudBrokerTypesAreGoneAndSayWhatToUseInstead() {
        String old = site.with("""
                      type: mqtt-local          # a Wi-Fi keypad on the gateway's own broker, user keypad-group-1
                      device: keypad-group-1
                      secret-file: secrets/keypad-group-1.pw
                """, "      type: wifi\n").replace("type: gpio-relay", "type: mqtt");
        ProfileError lock = site.error(old, "doors[0].lock.type");
        assertThat(lock.message()).contains("'mqtt'").contains("no longer use the cloud broker").contains("mqtt-local")
                .contains("docs/site-profile.md");
        assertThat(lock.line()).isEqualTo(23);
        assertThat(lock.column()).isEqualTo(13);
        ProfileError keypad = site.error(old, "doors[1].keypad.type");
        assertThat(keypad.message()).contains("'wifi'").contains("no longer use the cloud broker");
        assertThat(keypad.line()).isEqualTo(51);
    }

    @Test
    void aDoorKeyIsInAKeyFileOrInlineNeverBoth() {
        String inline = site.with("    key-file: secrets/999991-door-group.key\n",
                "    key: 1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100\n");
        assertThat(site.valid(inline).doors().get(1).key()).isEqualTo(
                HexFormat.of().parseHex("1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"));
        ProfileError both = site.error(site.with("    key-file: secrets/999991-door-group.key\n",
                "    key-file: secrets/999991-door-group.key\n    key: 00\n"), "doors[1].key-file");
        assertThat(both.message()).contains("not both");
        assertThat(site.error(site.with("    key-file: secrets/999991-door-group.key\n", ""), "doors[1].key-file")
                .message()).startsWith("is missing");
    }

    @Test
    void missingSettingsWrongKeysAndBadYamlAreReported() {
        assertThat(site.errors(site.with("  municipality: \"999991\"        # 全国地方公共団体コード\n", "")))
                .extracting(ProfileError::path).containsExactly("gateway.municipality");
        List<ProfileError> wrongKey = site.errors(site.with("ed25519-21fe31dfa154a261", "ed25519-0000000000000000"));
        assertThat(wrongKey).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("cloud.trusted-keys[0].key-id");
            assertThat(e.message()).contains("ed25519-21fe31dfa154a261");
            assertThat(e.line()).isEqualTo(12);
        });
        assertThat(site.errors("gateway: [unclosed\n")).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("(file)");
            assertThat(e.line()).isEqualTo(2);
        });
        assertThat(site.errors("")).singleElement().satisfies(e -> assertThat(e.message()).contains("empty"));
        assertThat(site.errors("- just\n- a list\n")).singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(1));
    }
}
