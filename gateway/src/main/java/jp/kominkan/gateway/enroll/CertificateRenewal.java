package jp.kominkan.gateway.enroll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.shared.tls.MutualTls;
import jp.kominkan.shared.tls.Pem;

/**
 * Keeps the gateway's certificate from expiring: when less than a third of its life is left, the
 * gateway asks for a new one for the same key over its mutual-TLS link; the answer is checked (this
 * key, this name, the CA) and replaces the file, and the next connection uses it. Free of MQTT.
 */
public final class CertificateRenewal {

    private final String gatewayId;
    private final SiteProfile.Tls files;
    private final Clock clock;

    /**
     * @param gatewayId this gateway
     * @param files     its TLS files
     * @param clock     the clock
     */
    public CertificateRenewal(String gatewayId, SiteProfile.Tls files, Clock clock) {
        this.gatewayId = gatewayId;
        this.files = files;
        this.clock = clock;
    }

    /** @return a certificate request to send now, when the certificate is in the last third of its life */
    public Optional<String> requestIfDue() {
        X509Certificate current = current();
        Instant from = current.getNotBefore().toInstant();
        Instant until = current.getNotAfter().toInstant();
        Duration third = Duration.between(from, until).dividedBy(3);
        if (clock.instant().isBefore(until.minus(third))) {
            return Optional.empty();
        }
        return Optional.of(GatewayKeys.certificateRequest(gatewayId, current.getPublicKey(), key()));
    }

    /**
     * @param pem a certificate the cloud sent
     * @return the TLS context to connect with from now on
     * @throws IllegalArgumentException when it is not for this key and name, or not from the CA
     */
    public SSLContext accept(String pem) {
        X509Certificate current = current();
        X509Certificate renewed = Pem.certificates(pem).getFirst();
        List<X509Certificate> trusted = Pem.certificates(read(files.ca()));
        GatewayKeys.problemWith(renewed, gatewayId, current.getPublicKey(), trusted).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        if (!renewed.getNotAfter().after(current.getNotAfter())) {
            throw new IllegalArgumentException("the certificate does not last longer than the current one");
        }
        try {
            EnrollmentFiles.replace(files.certificate(), pem);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the renewed certificate", e);
        }
        return MutualTls.fromFiles(files.key(), files.certificate(), files.ca());
    }

    /** @return when the certificate in use expires */
    public Instant expires() {
        return current().getNotAfter().toInstant();
    }

    private X509Certificate current() {
        return Pem.certificates(read(files.certificate())).getFirst();
    }

    private PrivateKey key() {
        return Pem.privateKey(read(files.key()));
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
