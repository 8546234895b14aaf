package jp.kominkan.cloud.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import jp.kominkan.shared.tls.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The door network's certificate authority (BouncyCastle {@code bcpkix}): it issues the client
 * certificates gateways, devices and the cloud present to the broker, the broker's server
 * certificate, and the CRL the broker checks. Its key is EC P-256, kept in {@code <keys>/ca/ca.key}
 * (owner-only) beside {@code ca.pem}, both created on first start. Rotation is described in
 * {@code docs/security.md}.
 */
public final class CertificateAuthority {

    private static final System.Logger LOG = System.getLogger(CertificateAuthority.class.getName());
    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    /** Certificates start a little in the past, so a device whose clock is slightly behind accepts them. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Path dir;
    private final Clock clock;

    private CertificateAuthority(PrivateKey key, X509Certificate certificate, Path dir, Clock clock) {
        this.key = key;
        this.certificate = certificate;
        this.dir = dir;
        this.clock = clock;
    }

    /**
     * Loads the CA from {@code dir}, creating its key and self-signed certificate the first time.
     *
     * @param dir   the CA folder ({@code <keys>/ca})
     * @param name  the CA's name, e.g. "Kominkan door network CA"
     * @param clock the clock
     * @return the CA
     */
    public static CertificateAuthority openOrCreate(Path dir, String name, Clock clock) {
        try {
            Files.createDirectories(dir);
            Path keyFile = dir.resolve("ca.key");
            Path certFile = dir.resolve("ca.pem");
            if (!Files.exists(keyFile)) {
                KeyPair pair = newKeyPair();
                Instant now = clock.instant();
                X500Name subject = name(name);
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                        Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_LIFETIME)), subject, pair.getPublic());
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                        .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
                X509Certificate ca = convert(builder.build(signer(pair.getPrivate())));
                Secrets.write(keyFile, Pem.encode(pair.getPrivate()));
                Files.writeString(certFile, Pem.encode(ca), StandardCharsets.US_ASCII);
                LOG.log(Level.INFO, "Created the door network CA in " + dir);
            }
            PrivateKey key = Pem.privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
            X509Certificate certificate = Pem.certificates(Files.readString(certFile, StandardCharsets.US_ASCII)).getFirst();
            return new CertificateAuthority(key, certificate, dir, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the CA in " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot create the CA: " + e.getMessage(), e);
        }
    }

    /** @return the CA certificate peers trust */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the CA folder */
    public Path dir() {
        return dir;
    }

    /**
     * A client certificate (TLS client authentication only) naming its holder in the CN, which
     * the broker takes as the user name.
     *
     * @param commonName the holder: a gateway id, a device name or the cloud
     * @param publicKey  the holder's key
     * @param lifetime   how long it is valid
     * @return the certificate
     */
    public X509Certificate issueClient(String commonName, PublicKey publicKey, Duration lifetime) {
        return issue(commonName, publicKey, lifetime, KeyPurposeId.id_kp_clientAuth, List.of());
    }

    /**
     * The broker's server certificate.
     *
     * @param hosts     the host names and IP addresses clients connect to
     * @param publicKey the broker's key
     * @param lifetime  how long it is valid
     * @return the certificate
     */
    public X509Certificate issueServer(List<String> hosts, PublicKey publicKey, Duration lifetime) {
        return issue(hosts.getFirst(), publicKey, lifetime, KeyPurposeId.id_kp_serverAuth, hosts);
    }

    /**
     * @param revoked serials revoked, with when
     * @param validity how long until the next CRL is due
     * @return a signed CRL (RFC 5280 §5)
     */
    public X509CRL crl(Map<BigInteger, Instant> revoked, Duration validity) {
        try {
            Instant now = clock.instant();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(new X509CertificateHolder(certificate.getEncoded()).getSubject(),
                    Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(validity)));
            revoked.forEach((serial, at) -> builder.addCRLEntry(serial, Date.from(at), CRLReason.cessationOfOperation));
            builder.addExtension(Extension.cRLNumber, false,
                    new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
            return new JcaX509CRLConverter().getCRL(builder.build(signer(key)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Cannot sign the CRL: " + e.getMessage(), e);
        }
    }

    /** @return a new EC P-256 key pair (for the broker and the cloud; gateways make their own) */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is part of every JDK", e);
        }
    }

    private X509Certificate issue(String commonName, PublicKey publicKey, Duration lifetime, KeyPurposeId purpose,
                                  List<String> hosts) {
        try {
            Instant now = clock.instant();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(lifetime)), name(commonName), publicKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            if (!hosts.isEmpty()) {
                GeneralName[] names = hosts.stream()
                        .map(h -> h.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, h)
                                : new GeneralName(GeneralName.dNSName, h))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return convert(builder.build(signer(key)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Cannot issue a certificate: " + e.getMessage(), e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Kominkan").addRDN(BCStyle.CN, commonName).build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(126);   // positive, 16 bytes, never zero (RFC 5280 §4.1.2.2)
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    }

    private static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
