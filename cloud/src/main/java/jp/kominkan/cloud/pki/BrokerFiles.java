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

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.shared.tls.Pem;
import jp.kominkan.shared.topic.Topic;

/**
 * What a Mosquitto broker of the door network needs, written into one folder (docs/broker.md):
 * {@code ca.pem}, {@code broker.pem} + {@code broker.key} (its server certificate, issued when
 * missing or within 30 days of expiry), {@code crl.pem} (revoked certificates) and {@code acl}
 * (who may use which topic). The CRL and the ACL are written again after every enrollment and
 * decommissioning; Mosquitto reads them again on SIGHUP.
 */
public final class BrokerFiles {

    private static final System.Logger LOG = System.getLogger(BrokerFiles.class.getName());
    /** The broker user name (certificate CN) of the cloud's MQTT client. */
    public static final String CLOUD_USER = "kominkan-cloud";
    private static final Duration BROKER_LIFETIME = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final String GATEWAYS = "select id from gateway where decommissioned_at is null order by id";
    private static final String DOORS = "select id from door where gateway_id = ? order by id";

    private final CertificateAuthority ca;
    private final CertificateRegistry registry;
    private final DbClient db;
    private final Clock clock;

    /**
     * @param ca       the CA
     * @param registry issued certificates
     * @param db       the database (gateways and doors, for the ACL)
     * @param clock    the clock
     */
    public BrokerFiles(CertificateAuthority ca, CertificateRegistry registry, DbClient db, Clock clock) {
        this.ca = ca;
        this.registry = registry;
        this.db = db;
        this.clock = clock;
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
     * Writes the CRL and the ACL again (after an enrollment or a decommissioning).
     *
     * @param dir the broker's folder
     */
    public synchronized void writeRevocations(Path dir) {
        try {
            Files.createDirectories(dir);
            Instant now = clock.instant();
            write(dir.resolve("crl.pem"), Pem.encode("X509 CRL", ca.crl(registry.revoked(now), Duration.ofDays(30))
                    .getEncoded()));
            write(dir.resolve("acl"), acl());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the CRL and ACL to " + dir, e);
        } catch (CRLException e) {
            throw new IllegalStateException("A CRL just signed encodes", e);
        }
    }

    /**
     * The ACL (Mosquitto's acl_file format). The cloud reads acks, events and certificate requests
     * and writes the grant stream, receipts and certificates; each gateway may only write its own
     * acks, events and requests and read its own stream, receipts and certificates ({@code %u} is
     * its certificate's CN); a gateway also uses its doors' device topics, and each Wi-Fi device
     * only its own door's. Nobody else may read a keypad topic: a typed code reaches the door's
     * gateway and no one else.
     *
     * @return the ACL text
     */
    public String acl() {
        StringBuilder out = new StringBuilder("# Kominkan broker ACL, written by the cloud (docs/broker.md). Do not edit.\n\n");
        out.append("user ").append(CLOUD_USER).append('\n');
        for (String leaf : List.of("ack", "events", "csr")) {
            out.append("topic read kominkan/v1/gw/+/").append(leaf).append('\n');
        }
        for (String leaf : List.of("grants", "receipts", "cert")) {
            out.append("topic write kominkan/v1/gw/+/").append(leaf).append('\n');
        }
        for (String gateway : safe(Sql.list(db.execute().query(GATEWAYS), row -> Sql.text(row, "id")))) {
            List<String> doors = safe(Sql.list(db.execute().query(DOORS, gateway), row -> Sql.text(row, "id")));
            out.append("\nuser ").append(gateway).append('\n');
            doors.forEach(door -> out.append("topic readwrite ").append(siteTopic(door)).append("/#\n"));
            for (String door : doors) {
                out.append("\nuser ").append(DeviceNames.keypad(door)).append('\n')
                        .append("topic write ").append(Topic.keypad(door).name()).append('\n');
                out.append("\nuser ").append(DeviceNames.lock(door)).append('\n')
                        .append("topic read ").append(siteTopic(door)).append("/lock\n")
                        .append("topic write ").append(siteTopic(door)).append("/lock/status\n");
            }
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

    /**
     * Ids as they may appear in the ACL: a row written around the application (by hand, by an old
     * version) with a space, a line break or a wildcard in its id is left out, not written as a rule.
     */
    private static List<String> safe(List<String> ids) {
        List<String> safe = ids.stream().filter(Topic::isId).toList();
        if (safe.size() < ids.size()) {
            LOG.log(System.Logger.Level.WARNING, (ids.size() - safe.size())
                    + " gateway or door ids are not topic-safe and were left out of the broker's ACL");
        }
        return safe;
    }

    private static String siteTopic(String door) {
        String keypad = Topic.keypad(door).name();
        return keypad.substring(0, keypad.lastIndexOf('/'));
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
