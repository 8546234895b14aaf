package jp.kominkan.shared.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text (RFC 7468) for the certificates and keys of the door network, with the JDK alone, so
 * the gateway and the cloud read the same files the broker (Mosquitto, OpenSSL) reads.
 */
public final class Pem {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private Pem() {
    }

    /**
     * @param pem one or more {@code CERTIFICATE} blocks
     * @return the certificates, in order
     * @throws IllegalArgumentException when there is none, or one is not a certificate
     */
    public static List<X509Certificate> certificates(String pem) {
        try {
            var certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> list = certificates.stream().map(c -> (X509Certificate) c).toList();
            if (list.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the PEM text");
            }
            return list;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage());
        }
    }

    /**
     * @param pem a {@code PRIVATE KEY} block (PKCS#8), EC or Ed25519
     * @return the key
     */
    public static PrivateKey privateKey(String pem) {
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("no PKCS#8 PRIVATE KEY block in the PEM text");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : List.of("EC", "Ed25519", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("the private key is not an EC, Ed25519 or RSA PKCS#8 key");
    }

    /**
     * @param type the block type, e.g. {@code CERTIFICATE}
     * @param der  the DER bytes
     * @return the PEM block, lines of 64 characters, ending in a newline
     */
    public static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /**
     * @param certificate a certificate
     * @return it as PEM
     */
    public static String encode(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate encodes", e);
        }
    }

    /**
     * @param key a private key
     * @return it as a PKCS#8 PEM block
     */
    public static String encode(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }
}
