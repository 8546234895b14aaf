package jp.kominkan.cloud.pki;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A PKCS#10 certificate request (RFC 2986) from a gateway, checked: well-formed PEM, signed by the
 * key it carries (so the sender holds that private key), an EC P-256 key, and one common name.
 *
 * @param commonName the CN it asks for
 * @param publicKey  the key to certify
 */
public record CertificateRequest(String commonName, PublicKey publicKey) {

    /** Largest request accepted; a P-256 request is about 400 bytes of PEM. */
    public static final int MAX_PEM = 4096;

    /**
     * @param pem the request, PEM ({@code CERTIFICATE REQUEST})
     * @return the checked request
     * @throws Invalid saying what is wrong
     */
    public static CertificateRequest parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new Invalid("csr-missing", "no certificate request");
        }
        if (pem.length() > MAX_PEM) {
            throw new Invalid("csr-malformed", "the certificate request is over " + MAX_PEM + " characters");
        }
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new Invalid("csr-malformed", "the certificate request is not valid PEM");
        }
        if (!(parsed instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest raw)) {
            throw new Invalid("csr-malformed", "the PEM text is not a CERTIFICATE REQUEST");
        }
        JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(raw);
        PublicKey key;
        try {
            key = csr.getPublicKey();
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
                throw new Invalid("csr-signature", "the certificate request is not signed by the key it carries");
            }
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException | RuntimeException e) {
            if (e instanceof Invalid invalid) {
                throw invalid;
            }
            throw new Invalid("csr-signature", "the certificate request's key or signature cannot be checked");
        }
        if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new Invalid("csr-key", "the key must be EC P-256 (secp256r1)");
        }
        RDN[] cn = csr.getSubject().getRDNs(BCStyle.CN);
        Optional<String> name = cn.length == 1 ? Optional.of(IETFUtils.valueToString(cn[0].getFirst().getValue()))
                : Optional.empty();
        return new CertificateRequest(name.orElseThrow(() -> new Invalid("csr-subject",
                "the certificate request must name exactly one CN")), key);
    }

    /** A request that cannot be certified, with a machine code and a sentence. */
    public static final class Invalid extends RuntimeException {

        private final String code;

        /**
         * @param code    machine code
         * @param message what is wrong
         */
        public Invalid(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        /** @return the machine code */
        public String code() {
            return code;
        }
    }
}
