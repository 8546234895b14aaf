package jp.kominkan.cloud.pki;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import jp.kominkan.cloud.db.Sql;

/**
 * Every certificate the CA issued ({@code issued_certificate}, owned here): what the CRL is made
 * from, and what a renewal request is checked against.
 */
public final class CertificateRegistry {

    private static final String INSERT = """
            insert into issued_certificate (serial, subject, purpose, gateway_id, public_key, not_before, not_after, issued_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String REVOKE_GATEWAY = """
            update issued_certificate set revoked_at = ? where gateway_id = ? and revoked_at is null""";
    private static final String REVOKE_SUBJECT = """
            update issued_certificate set revoked_at = ? where subject = ? and purpose = 'device' and revoked_at is null""";
    private static final String REVOKE_DEVICES = """
            update issued_certificate set revoked_at = ? where purpose = 'device' and revoked_at is null""";
    private static final String REVOKED = """
            select serial, revoked_at from issued_certificate where revoked_at is not null and not_after > ? order by serial""";
    private static final String PUBLIC_KEYS = """
            select public_key from issued_certificate
             where gateway_id = ? and purpose = 'gateway' and revoked_at is null and not_after > ?""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public CertificateRegistry(DbClient db) {
        this.db = db;
    }

    /** What a certificate is for. */
    public enum Purpose {
        /** A building's gateway: CN = gateway id. */
        GATEWAY,
        /**
         * A Wi-Fi keypad or lock on a door ({@code keypad.<door>}, {@code lock.<door>}), issued by
         * versions before the gateway's site link. None is issued any more; those there are get
         * revoked whenever the broker's files are written ({@link #revokeAllDevices}).
         */
        DEVICE,
        /** The broker's server certificate. */
        BROKER,
        /** The cloud's own MQTT client. */
        CLOUD;

        String wire() {
            return name().toLowerCase();
        }
    }

    /**
     * Records a certificate, within the caller's transaction or alone.
     *
     * @param exec        where to write
     * @param certificate the certificate
     * @param subject     its CN
     * @param purpose     what it is for
     * @param gatewayId   the gateway it belongs to, if any
     * @param now         now
     */
    public static void record(DbExecute exec, X509Certificate certificate, String subject, Purpose purpose,
                              Optional<String> gatewayId, Instant now) {
        exec.insert(INSERT, serial(certificate.getSerialNumber()), subject, purpose.wire(), gatewayId.orElse(null),
                HexFormat.of().formatHex(certificate.getPublicKey().getEncoded()),
                Sql.at(certificate.getNotBefore().toInstant()), Sql.at(certificate.getNotAfter().toInstant()), Sql.at(now));
    }

    /**
     * @param certificate the certificate
     * @param subject     its CN
     * @param purpose     what it is for
     * @param now         now
     */
    public void record(X509Certificate certificate, String subject, Purpose purpose, Instant now) {
        record(db.execute(), certificate, subject, purpose, Optional.empty(), now);
    }

    /**
     * @param exec      where to write
     * @param gatewayId a gateway
     * @param now       now
     * @return certificates revoked
     */
    public static long revokeGateway(DbExecute exec, String gatewayId, Instant now) {
        return exec.update(REVOKE_GATEWAY, Sql.at(now), gatewayId);
    }

    /**
     * Revokes one device's certificates (issued by an earlier version), at once and without the
     * broker's files; {@link #revokeAllDevices} revokes them all when those are written.
     *
     * @param name the device's name, e.g. {@code keypad.<door>}
     * @param now  now
     * @return certificates revoked
     */
    public long revokeDevice(String name, Instant now) {
        return db.execute().update(REVOKE_SUBJECT, Sql.at(now), name);
    }

    /**
     * Revokes every device certificate not yet revoked. Devices talk to their gateway's site link
     * now, never to the cloud's broker, so a device credential from an earlier version must stop
     * working there; revoked certificates stay revoked, so this revokes each one once.
     *
     * @param now now
     * @return certificates revoked by this call
     */
    public long revokeAllDevices(Instant now) {
        return db.execute().update(REVOKE_DEVICES, Sql.at(now));
    }

    /**
     * @param now now; expired certificates need no CRL entry
     * @return serials revoked and not yet expired, with when
     */
    public Map<BigInteger, Instant> revoked(Instant now) {
        Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
        List<Object[]> rows = Sql.list(db.execute().query(REVOKED, Sql.at(now)),
                row -> new Object[] {Sql.text(row, "serial"), Sql.instant(row, "revoked_at")});
        rows.forEach(r -> revoked.put(new BigInteger((String) r[0], 16), (Instant) r[1]));
        return revoked;
    }


    /**
     * @param gatewayId a gateway
     * @param now       now
     * @return the keys its valid, unrevoked certificates certify: what may sign for it
     */
    public List<PublicKey> publicKeys(String gatewayId, Instant now) {
        return Sql.list(db.execute().query(PUBLIC_KEYS, gatewayId, Sql.at(now)), row -> Sql.text(row, "public_key")).stream()
                .map(CertificateRegistry::publicKey).toList();
    }

    private static PublicKey publicKey(String hex) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(HexFormat.of().parseHex(hex)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("A stored public key does not decode: " + e.getMessage(), e);
        }
    }

    static String serial(BigInteger serial) {
        return HexFormat.of().formatHex(serial.toByteArray()).replaceFirst("^00", "");
    }
}
