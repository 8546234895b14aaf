package jp.kominkan.cloud.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * A Wi-Fi keypad's or lock's certificate as versions before the site link issued it
 * ({@code pki device}, the former {@code DeviceCredentials.issue}): a client certificate for the
 * cloud's broker, CN {@code keypad.<door>} or {@code lock.<door>}, valid a year, recorded as a
 * device's. The cloud no longer issues these; tests make one to prove it stops working.
 */
public final class OldDeviceCertificate {

    private OldDeviceCertificate() {
    }

    /**
     * @param ca       the CA
     * @param registry where it is recorded
     * @param name     the device's name, e.g. {@code keypad.999991-door-study}
     * @param now      when it was issued
     * @return the certificate
     */
    public static X509Certificate issue(CertificateAuthority ca, CertificateRegistry registry, String name, Instant now) {
        X509Certificate certificate = ca.issueClient(name, CertificateAuthority.newKeyPair().getPublic(),
                Duration.ofDays(365));
        registry.record(certificate, name, CertificateRegistry.Purpose.DEVICE, now);
        return certificate;
    }
}
