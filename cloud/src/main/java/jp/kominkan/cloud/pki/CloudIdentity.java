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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import jp.kominkan.shared.tls.MutualTls;
import jp.kominkan.shared.tls.Pem;

/**
 * The cloud's own client certificate for the broker (CN {@value BrokerFiles#CLOUD_USER}), in
 * {@code <keys>/ca/cloud-mqtt.pem} and {@code .key}: issued by the CA on first start and again when
 * it is within 30 days of expiry. Every cloud instance shares it, as they share the keys folder.
 */
public final class CloudIdentity {

    private static final Duration LIFETIME = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private CloudIdentity() {
    }

    /**
     * @param ca       the CA
     * @param registry where issued certificates are recorded
     * @param extraCa  more CA certificates to trust for the broker (a broker whose server
     *                 certificate comes from another CA), PEM file
     * @param clock    the clock
     * @return a TLS context presenting the cloud's certificate and trusting the CA
     */
    public static SSLContext tlsContext(CertificateAuthority ca, CertificateRegistry registry, Optional<Path> extraCa,
                                        Clock clock) {
        Path cert = ca.dir().resolve("cloud-mqtt.pem");
        Path key = ca.dir().resolve("cloud-mqtt.key");
        try {
            if (!Files.exists(cert) || !Files.exists(key) || expiresSoon(cert, clock)) {
                KeyPair pair = CertificateAuthority.newKeyPair();
                X509Certificate issued = ca.issueClient(BrokerFiles.CLOUD_USER, pair.getPublic(), LIFETIME);
                Secrets.write(key, Pem.encode(pair.getPrivate()));
                Secrets.write(cert, Pem.encode(issued));
                registry.record(issued, BrokerFiles.CLOUD_USER, CertificateRegistry.Purpose.CLOUD, clock.instant());
            }
            List<X509Certificate> trusted = new ArrayList<>(List.of(ca.certificate()));
            if (extraCa.isPresent()) {
                trusted.addAll(Pem.certificates(Files.readString(extraCa.get(), StandardCharsets.US_ASCII)));
            }
            return MutualTls.context(Pem.privateKey(Files.readString(key, StandardCharsets.US_ASCII)),
                    Pem.certificates(Files.readString(cert, StandardCharsets.US_ASCII)), trusted);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the cloud's MQTT certificate in " + ca.dir(), e);
        }
    }

    private static boolean expiresSoon(Path cert, Clock clock) throws IOException {
        X509Certificate existing = Pem.certificates(Files.readString(cert, StandardCharsets.US_ASCII)).getFirst();
        return existing.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE));
    }
}
