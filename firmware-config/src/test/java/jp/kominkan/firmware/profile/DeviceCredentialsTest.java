package jp.kominkan.firmware.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site-link devices' ids and credentials: secret files that only the gateway's user can read,
 * holding something an installer can type; raw public keys for CoAP; ids unique in the profile.
 * Each problem at the node that names it, and never the secret itself.
 */
class DeviceCredentialsTest {

    /** Where the example names the coap lock's secret file: doors[1].lock.secret-file. */
    static final String LOCK_SECRET = "doors[1].lock.secret-file";

    @TempDir
    Path dir;
    ExampleSite site;

    @BeforeEach
    void example() {
        site = ExampleSite.in(dir);
    }

    private ProfileError lockSecretProblem() {
        ProfileError error = site.error(site.yaml(), LOCK_SECRET);
        assertThat(error.line()).isEqualTo(48);
        assertThat(error.column()).isEqualTo(20);
        assertThat(error.message()).contains(dir.resolve("secrets/lock-group-1.psk").toString());
        return error;
    }

    private void lockSecret(String content, String mode) throws Exception {
        Path file = dir.resolve("secrets/lock-group-1.psk");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    @Test
    void aMissingSecretFileIsReportedWhereItIsNamed() throws Exception {
        Files.delete(dir.resolve("secrets/lock-group-1.psk"));
        assertThat(lockSecretProblem().message()).contains("does not exist").contains("kominkan config secrets");
        Files.delete(dir.resolve("secrets/999991-door-study.key"));
        ProfileError key = site.error(site.yaml(), "doors[0].key-file");
        assertThat(key.line()).isEqualTo(21);
        assertThat(key.column()).isEqualTo(15);
        assertThat(key.message()).contains("does not exist").contains("door's key");
    }

    @Test
    void aSecretFileTheGroupOrOthersCanReadIsRefusedWithTheChmodToRun() throws Exception {
        lockSecret("s3cret-lock-group-1-abcdef\n", "rw-r-----");
        assertThat(lockSecretProblem().message()).contains("rw-r-----").contains("chmod 600 " + dir.resolve(
                "secrets/lock-group-1.psk")).doesNotContain("s3cret");
        lockSecret("s3cret-lock-group-1-abcdef\n", "rw----r--");
        assertThat(lockSecretProblem().message()).contains("rw----r--").contains("chmod 600");
        lockSecret("s3cret-lock-group-1-abcdef\n", "rwx------");
        assertThat(site.valid(site.yaml()).doors().get(1).lock()).isInstanceOf(SiteProfile.Lock.Coap.class);
    }

    @Test
    void aSecretFileOfAnotherUserIsRefused() {
        SiteProfileParser.Result result = SiteProfileParser.parse(site.yaml(), dir, "kominkan-gateway");
        List<ProfileError> errors = ((SiteProfileParser.Result.Invalid) result).errors();
        String me = System.getProperty("user.name");
        assertThat(errors).hasSize(6).allSatisfy(e -> assertThat(e.message()).contains("belongs to " + me)
                .contains("chown kominkan-gateway"));
        assertThat(errors).extracting(ProfileError::path).contains(LOCK_SECRET, "doors[0].key-file");
    }

    @Test
    void aSecretIsSixteenToSixtyFourPrintableCharactersWithoutSpaces() throws Exception {
        lockSecret("short-secret\n", "rw-------");
        assertThat(lockSecretProblem().message()).contains("holds 12 characters").contains("16 to 64")
                .doesNotContain("short-secret");
        lockSecret("a".repeat(65), "rw-------");
        assertThat(lockSecretProblem().message()).contains("holds 65 characters");
        lockSecret("with a space in the middle\n", "rw-------");
        assertThat(lockSecretProblem().message()).contains("space").doesNotContain("middle");
        lockSecret("tab\tin-the-secret-0123\n", "rw-------");
        assertThat(lockSecretProblem().message()).contains("control character");
        lockSecret("ümlaut-in-the-secret-0123", "rw-------");
        assertThat(lockSecretProblem().message()).contains("non-ASCII");
        lockSecret("two-newlines-0123456789\n\n", "rw-------");
        assertThat(lockSecretProblem().message()).as("only one trailing newline is dropped").contains("control character");

        lockSecret("exactly-16-chars\r\n", "rw-------");
        SiteProfile.Lock.Coap lock = (SiteProfile.Lock.Coap) site.valid(site.yaml()).doors().get(1).lock();
        assertThat(((SiteProfile.Credential.Secret) lock.device().credential()).bytes())
                .isEqualTo("exactly-16-chars".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aDoorKeyFileHoldsSixtyFourHexDigits() throws Exception {
        Path key = dir.resolve("secrets/999991-door-group.key");
        Files.writeString(key, "not-hex-at-all-0123456789\n");
        ProfileError error = site.error(site.yaml(), "doors[1].key-file");
        assertThat(error.line()).isEqualTo(43);
        assertThat(error.message()).contains("64 hex digits").contains(key.toString()).doesNotContain("not-hex");
    }

    @Test
    void aSecretIsNeverWrittenInline() {
        String inline = site.with("      secret-file: secrets/lock-group-1.psk\n",
                "      secret-file: secrets/lock-group-1.psk\n      secret: hunter2hunter2hunter2\n")
                .replace("      secret-file: secrets/keypad-group-1.pw", "      password: hunter2hunter2hunter2");
        ProfileError secret = site.error(inline, "doors[1].lock.secret");
        assertThat(secret.message()).isEqualTo("secrets are never written in a profile; put it in an owner-only file "
                + "and name it with secret-file");
        assertThat(secret.line()).isEqualTo(49);
        assertThat(secret.column()).isEqualTo(7);
        assertThat(site.error(inline, "doors[1].keypad.password").message()).contains("never written in a profile");
        assertThat(site.errors(inline)).extracting(ProfileError::message).noneMatch(m -> m.contains("hunter2"));
    }

    @Test
    void deviceIdsAreUniqueInTheWholeProfileAndNeverTheGatewaysOwn() {
        ProfileError duplicate = site.error(site.with("device: keypad-group-1", "device: keypad-study-1"),
                "doors[1].keypad.device");
        assertThat(duplicate.message()).contains("keypad-study-1 is already used by doors[0].keypad[1].device");
        assertThat(duplicate.line()).isEqualTo(52);
        assertThat(duplicate.column()).isEqualTo(15);
        assertThat(site.error(site.with("device: lock-group-1", "device: gateway"), "doors[1].lock.device").message())
                .contains("the gateway's own user");
        assertThat(site.error(site.with("device: qr-study-1", "device: " + "q".repeat(101)), "doors[0].qr-reader.device")
                .message()).contains("1 to 100 of A-Z a-z 0-9 . _ -");
        assertThat(site.valid(site.with("device: qr-study-1", "device: " + "q".repeat(100))).doors().get(0).qrReaders())
                .hasSize(1);
        assertThat(site.error(site.with("device: qr-study-1", "device: qr/study#1"), "doors[0].qr-reader.device")
                .message()).contains("not 'qr/study#1'");
    }

    @Test
    void aCoapLockNeedsACoapsAddressWithHostAndPort() {
        assertThat(site.error(site.with("      address: coaps://192.168.10.21:5684\n", ""), "doors[1].lock.address")
                .message()).isEqualTo("is missing");
        for (String wrong : List.of("http://192.168.10.21:5684", "coap://192.168.10.21:5684", "coaps://192.168.10.21",
                "coaps://192.168.10.21:5684/unlock", "192.168.10.21:5684")) {
            ProfileError error = site.error(site.with("coaps://192.168.10.21:5684", wrong), "doors[1].lock.address");
            assertThat(error.message()).as(wrong).contains("coaps://host:port").contains(wrong);
            assertThat(error.line()).isEqualTo(47);
            assertThat(error.column()).isEqualTo(16);
        }
    }

    @Test
    void aCoapDeviceHasASecretFileOrAPublicKeyNotBothNorNeither() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] spki = generator.generateKeyPair().getPublic().getEncoded();
        String hex = HexFormat.of().formatHex(spki);

        SiteProfile.Lock.Coap raw = (SiteProfile.Lock.Coap) site.valid(site.with(
                "      secret-file: secrets/lock-group-1.psk\n", "      public-key: " + hex + "\n")).doors().get(1).lock();
        assertThat(raw.device().credential()).isEqualTo(new SiteProfile.Credential.RawPublicKey(spki));

        Files.writeString(dir.resolve("lock.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(spki) + "\n-----END PUBLIC KEY-----\n");
        SiteProfile.Keypad.Coap keypad = (SiteProfile.Keypad.Coap) site.valid(site.with(
                "        secret-file: secrets/keypad-study-1.psk\n", "        public-key-file: lock.pem\n"))
                .doors().get(0).keypads().get(1);
        assertThat(keypad.device().credential()).isEqualTo(new SiteProfile.Credential.RawPublicKey(spki));

        ProfileError both = site.error(site.with("      secret-file: secrets/lock-group-1.psk\n",
                "      secret-file: secrets/lock-group-1.psk\n      public-key: " + hex + "\n"), "doors[1].lock.public-key");
        assertThat(both.message()).contains("not both");
        assertThat(both.line()).isEqualTo(49);
        ProfileError neither = site.error(site.with("      secret-file: secrets/lock-group-1.psk\n", ""),
                "doors[1].lock.secret-file");
        assertThat(neither.message()).contains("secret-file").contains("public-key");
        assertThat(neither.line()).isEqualTo(45);

        var ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        assertThat(site.error(site.with("      secret-file: secrets/lock-group-1.psk\n",
                "      public-key: " + HexFormat.of().formatHex(ed25519) + "\n"), "doors[1].lock.public-key").message())
                .contains("EC P-256");
        assertThat(site.error(site.with("        secret-file: secrets/keypad-study-1.psk\n",
                "        public-key-file: nowhere.pem\n"), "doors[0].keypad[1].public-key-file").message())
                .contains("cannot be read");
        assertThat(site.error(site.with("      secret-file: secrets/keypad-group-1.pw", "      public-key: " + hex),
                "doors[1].keypad.public-key").message()).contains("does not apply to an mqtt-local keypad");
    }
}
