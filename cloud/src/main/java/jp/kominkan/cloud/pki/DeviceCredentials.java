package jp.kominkan.cloud.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;

import jp.kominkan.shared.tls.Pem;

/**
 * Client certificates for the Wi-Fi devices on a door (a keypad, a lock) that still talk to the
 * cloud's broker: the broker lets each use only its own door's topic (see {@link BrokerFiles#acl()}).
 * The key is made here and written with the certificate for the installer to load into the device.
 */
public final class DeviceCredentials {

    private static final Duration LIFETIME = Duration.ofDays(365);

    private DeviceCredentials() {
    }

    /**
     * Where a device's files are.
     *
     * @param name        its broker user name
     * @param certificate its certificate
     * @param key         its private key
     * @param ca          the CA to trust for the broker
     */
    public record Files(String name, Path certificate, Path key, Path ca) {
    }

    /**
     * @param ca       the CA
     * @param registry where issued certificates are recorded
     * @param name     the device's name ({@link DeviceNames})
     * @param dir      where to write {@code <name>.pem}, {@code <name>.key} and {@code ca.pem}
     * @param clock    the clock
     * @return the files
     */
    public static Files issue(CertificateAuthority ca, CertificateRegistry registry, String name, Path dir, Clock clock) {
        try {
            java.nio.file.Files.createDirectories(dir);
            KeyPair pair = CertificateAuthority.newKeyPair();
            X509Certificate certificate = ca.issueClient(name, pair.getPublic(), LIFETIME);
            Path key = dir.resolve(name + ".key");
            Path cert = dir.resolve(name + ".pem");
            Path caFile = dir.resolve("ca.pem");
            Secrets.write(key, Pem.encode(pair.getPrivate()));
            java.nio.file.Files.writeString(cert, Pem.encode(certificate), StandardCharsets.US_ASCII);
            java.nio.file.Files.writeString(caFile, Pem.encode(ca.certificate()), StandardCharsets.US_ASCII);
            registry.record(certificate, name, CertificateRegistry.Purpose.DEVICE, clock.instant());
            return new Files(name, cert, key, caFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the device's credentials to " + dir, e);
        }
    }
}
