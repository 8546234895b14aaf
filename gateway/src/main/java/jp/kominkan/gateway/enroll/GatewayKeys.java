package jp.kominkan.gateway.enroll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

import jp.kominkan.shared.tls.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The gateway's own key, made on the gateway (EC P-256) and never sent anywhere, and the PKCS#10
 * certificate requests (RFC 2986) that ask the cloud's CA to certify it.
 */
public final class GatewayKeys {

    private GatewayKeys() {
    }

    /** @return a new key pair */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is part of every JDK", e);
        }
    }

    /**
     * @param gatewayId  the name to certify (the certificate's CN)
     * @param publicKey  the key to certify
     * @param privateKey its private key, which signs the request (proof of possession)
     * @return the request, PEM
     */
    public static String certificateRequest(String gatewayId, PublicKey publicKey, PrivateKey privateKey) {
        try {
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Kominkan")
                    .addRDN(BCStyle.CN, gatewayId).build();
            var request = new JcaPKCS10CertificationRequestBuilder(subject, publicKey)
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(privateKey));
            return Pem.encode("CERTIFICATE REQUEST", request.getEncoded());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Cannot sign the certificate request: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CN values of a certificate's subject, parsed (RFC 4514), not searched for in a string. */
    private static List<String> commonNames(X509Certificate certificate) {
        try {
            return new javax.naming.ldap.LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(rdn -> String.valueOf(rdn.getValue()))
                    .toList();
        } catch (javax.naming.InvalidNameException e) {
            return List.of();
        }
    }

    /**
     * Checks that a certificate the cloud sent is for this gateway's key and name and chains to a
     * trusted CA.
     *
     * @param certificate the certificate
     * @param gatewayId   this gateway
     * @param publicKey   this gateway's key
     * @param trusted     the CA certificates
     * @return why it cannot be used, or empty when it can
     */
    public static java.util.Optional<String> problemWith(X509Certificate certificate, String gatewayId, PublicKey publicKey,
                                                         List<X509Certificate> trusted) {
        if (!java.util.Arrays.equals(certificate.getPublicKey().getEncoded(), publicKey.getEncoded())) {
            return java.util.Optional.of("the certificate is not for this gateway's key");
        }
        if (!commonNames(certificate).equals(List.of(gatewayId))) {
            return java.util.Optional.of("the certificate does not name exactly " + gatewayId);
        }
        for (X509Certificate ca : trusted) {
            try {
                certificate.verify(ca.getPublicKey());
                certificate.checkValidity();
                return java.util.Optional.empty();
            } catch (GeneralSecurityException notThisOne) {
                // try the next CA
            }
        }
        return java.util.Optional.of("the certificate is not valid now or not signed by the CA");
    }
}
