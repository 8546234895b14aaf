package jp.kominkan.cloud.fleet;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;

import jp.kominkan.cloud.pki.CertificateAuthority;
import jp.kominkan.shared.tls.Pem;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Certificate requests as a gateway makes them, and as an attacker might. */
final class Csrs {

    private Csrs() {
    }

    static KeyPair key() {
        return CertificateAuthority.newKeyPair();
    }

    /** A request naming {@code cn} for {@code publicKey}, signed with {@code signingKey}. */
    static String request(String cn, PublicKey publicKey, PrivateKey signingKey, String algorithm) throws Exception {
        var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Kominkan").addRDN(BCStyle.CN, cn).build();
        var csr = new JcaPKCS10CertificationRequestBuilder(subject, publicKey)
                .build(new JcaContentSignerBuilder(algorithm).build(signingKey));
        return Pem.encode("CERTIFICATE REQUEST", csr.getEncoded());
    }

    static String request(String cn, KeyPair key) throws Exception {
        return request(cn, key.getPublic(), key.getPrivate(), "SHA256withECDSA");
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
