package jp.kominkan.shared.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS context that presents a client certificate and trusts only the door network's CA, not the
 * JDK's list of public CAs: a broker is genuine when the city's CA signed its certificate.
 * TLS 1.2 or 1.3 only (the JDK's defaults refuse anything older).
 */
public final class MutualTls {

    private MutualTls() {
    }

    /**
     * @param key     the private key
     * @param chain   its certificate, then any intermediates
     * @param trusted the CA certificates a peer must chain to
     * @return the context
     */
    public static SSLContext context(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted) {
        try {
            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("identity", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trustOnly(trusted).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * A context without a client certificate that trusts only the given CAs (a gateway enrolling
     * with a cloud whose HTTPS certificate comes from a private CA).
     *
     * @param trusted the CA certificates a server must chain to
     * @return the context
     */
    public static SSLContext trusting(List<X509Certificate> trusted) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustOnly(trusted).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustOnly(List<X509Certificate> trusted) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
            trust.setCertificateEntry("ca-" + i, trusted.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    /**
     * @param keyFile         the PKCS#8 private key, PEM
     * @param certificateFile the certificate (and chain), PEM
     * @param caFile          the CA certificates to trust, PEM
     * @return the context
     */
    public static SSLContext fromFiles(Path keyFile, Path certificateFile, Path caFile) {
        return context(Pem.privateKey(read(keyFile)), Pem.certificates(read(certificateFile)),
                Pem.certificates(read(caFile)));
    }

    /**
     * @param keyFile a PKCS#8 private key, PEM
     * @return the key
     */
    public static PrivateKey privateKey(Path keyFile) {
        return Pem.privateKey(read(keyFile));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
    }
}
