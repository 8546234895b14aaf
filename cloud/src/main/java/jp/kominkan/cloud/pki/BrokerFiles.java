package jp.kominkan.cloud.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.CRLException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jp.kominkan.shared.tls.Pem;

/**
 * What the cloud's Mosquitto broker needs, written into one folder (docs/broker.md):
 * {@code ca.pem}, {@code broker.pem} + {@code broker.key} (its server certificate, issued when
 * missing or within 30 days of expiry), {@code crl.pem} (revoked certificates) and {@code acl}
 * (who may use which topic). The CRL and the ACL are written again after every enrollment and
 * decommissioning; Mosquitto reads them again on SIGHUP.
 *
 * <p>Only the cloud and the gateways use this broker. A building's keypads, readers and locks talk
 * to their gateway's site link (docs/gateway.md, "Site link"), so nothing a device sends crosses
 * the internet; device certificates issued by versions before it are revoked here, each time
 * the CRL is written, until none is left ({@link #writeRevocations}).
 */
public final class BrokerFiles {

    private static final System.Logger LOG = System.getLogger(BrokerFiles.class.getName());
    /** The broker user name (certificate CN) of the cloud's MQTT client. */
    public static final String CLOUD_USER = "kominkan-cloud";
    private static final Duration BROKER_LIFETIME = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final CertificateAuthority ca;
    private final CertificateRegistry registry;
    private final Clock clock;

    /**
     * @param ca       the CA
     * @param registry issued certificates: the CRL's source, and where old device certificates are revoked
     * @param clock    the clock
     */
    public BrokerFiles(CertificateAuthority ca, CertificateRegistry registry, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Writes every file the broker needs.
     *
     * @param dir   the broker's folder
     * @param hosts names and addresses clients use to reach the broker (the certificate's SAN)
     */
    public void writeAll(Path dir, List<String> hosts) {
        try {
            Files.createDirectories(dir);
            write(dir.resolve("ca.pem"), Pem.encode(ca.certificate()));
            Path cert = dir.resolve("broker.pem");
            if (!Files.exists(cert) || expiresSoon(cert)) {
                KeyPair pair = CertificateAuthority.newKeyPair();
                X509Certificate server = ca.issueServer(hosts, pair.getPublic(), BROKER_LIFETIME);
                Secrets.write(dir.resolve("broker.key"), Pem.encode(pair.getPrivate()));
                groupReadable(dir.resolve("broker.key"));
                write(cert, Pem.encode(server));
                registry.record(server, hosts.getFirst(), CertificateRegistry.Purpose.BROKER, clock.instant());
            }
            writeRevocations(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the broker's files to " + dir, e);
        }
    }

    /**
     * Writes the CRL and the ACL again (after an enrollment or a decommissioning, and daily). Every
     * device certificate still unrevoked is revoked first, so it is on this CRL: Wi-Fi keypads and
     * locks of versions before the site link held certificates for this broker, and no device
     * credential may work here any more.
     *
     * @param dir the broker's folder
     */
    public synchronized void writeRevocations(Path dir) {
        try {
            Files.createDirectories(dir);
            Instant now = clock.instant();
            long devices = registry.revokeAllDevices(now);
            if (devices > 0) {
                LOG.log(System.Logger.Level.INFO, "Revoked " + devices + " device certificates issued by an earlier"
                        + " version: devices use their gateway's site link, never the cloud's broker");
            }
            write(dir.resolve("crl.pem"), crl(now));
            write(dir.resolve("acl"), acl());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the CRL and ACL to " + dir, e);
        } catch (CRLException e) {
            throw new IllegalStateException("A CRL just signed encodes", e);
        }
    }

    /**
     * @return the CRL as of now, PEM: every certificate revoked, due again in 30 days
     */
    public String crl() {
        try {
            return crl(clock.instant());
        } catch (CRLException e) {
            throw new IllegalStateException("A CRL just signed encodes", e);
        }
    }

    private String crl(Instant now) throws CRLException {
        return Pem.encode("X509 CRL", ca.crl(registry.revoked(now), Duration.ofDays(30)).getEncoded());
    }

    /**
     * The ACL (Mosquitto's acl_file format). The cloud reads acks, events and certificate requests
     * and writes the grant stream, receipts and certificates; each gateway may only write its own
     * acks, events and requests and read its own stream, receipts and certificates ({@code %u} is
     * its certificate's CN). That is all: there are no device users and no device topics, since
     * devices talk only to their gateway's site link, and nothing here depends on which gateways
     * exist (a new gateway may use the broker before the file is written again; a decommissioned
     * one is kept out by the CRL, and the cloud ignores it).
     *
     * <p>A certificate of any other name, such as an old device's {@code keypad.<door>}, is on the
     * CRL ({@link #writeRevocations}), so it never gets to connect. Were it to, it has no
     * {@code user} section, and the {@code pattern} lines would let it use only
     * {@code kominkan/v1/gw/keypad.<door>/…}: no gateway's topics (gateway ids begin with the
     * municipality's code), and the cloud takes nothing from an id that is not a gateway in service.
     *
     * @return the ACL text
     */
    public static String acl() {
        StringBuilder out = new StringBuilder("# Kominkan broker ACL, written by the cloud (docs/broker.md). Do not edit.\n\n");
        out.append("user ").append(CLOUD_USER).append('\n');
        for (String leaf : List.of("ack", "events", "csr")) {
            out.append("topic read kominkan/v1/gw/+/").append(leaf).append('\n');
        }
        for (String leaf : List.of("grants", "receipts", "cert")) {
            out.append("topic write kominkan/v1/gw/+/").append(leaf).append('\n');
        }
        out.append("\n# Every gateway, by its certificate's CN:\n");
        for (String leaf : List.of("ack", "events", "csr")) {
            out.append("pattern write kominkan/v1/gw/%u/").append(leaf).append('\n');
        }
        for (String leaf : List.of("grants", "receipts", "cert")) {
            out.append("pattern read kominkan/v1/gw/%u/").append(leaf).append('\n');
        }
        return out.toString();
    }

    private boolean expiresSoon(Path cert) throws IOException {
        X509Certificate existing = Pem.certificates(Files.readString(cert, StandardCharsets.US_ASCII)).getFirst();
        return existing.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))
                || !existing.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal());
    }

    private static void write(Path file, String content) throws IOException {
        // A name of its own: two instances (or the daily refresh and an enrollment) may write at once.
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        groupReadable(tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Mode 640: the broker runs as its own user, in the group of whoever writes these files (docs/broker.md). */
    private static void groupReadable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own ACLs decide
        }
    }
}
