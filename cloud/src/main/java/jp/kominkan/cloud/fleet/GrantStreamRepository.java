package jp.kominkan.cloud.fleet;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.shared.stream.StreamEntry;
import jp.kominkan.shared.wire.UuidBytes;

/**
 * Reads the grant stream (the outbox) for publishing, and records what gateways acknowledge: for the
 * gateways of one broker shard, since each shard's bridge streams only its own (docs/deploy.md).
 */
public final class GrantStreamRepository {

    private static final String PENDING = """
            select id, stream_head, last_ack from gateway
             where stream_head > last_ack and decommissioned_at is null and broker_shard = ?""";
    private static final String HEAD = "select stream_head from gateway where id = ?";
    private static final String ENTRIES = """
            select seq, kind, message from grant_stream where gateway_id = ? and seq > ? and seq <= ? order by seq""";
    private static final String LIVE = """
            select s.message from grant_stream s join access_grant g on g.id = s.grant_id
             where s.gateway_id = ? and s.kind = 'issue' and g.revoked_at is null and g.valid_until > ? and s.seq <= ?
             order by s.seq""";
    private static final String ACK = "update gateway set last_ack = ? where id = ? and last_ack < ?";
    /** Never moves back: a message handled late (a deferred hello) must not hide a later one. */
    private static final String SEEN = """
            update gateway set last_seen_at = ? where id = ? and (last_seen_at is null or last_seen_at < ?)""";
    private static final String FEATURES = "update gateway set features = ? where id = ? and features <> ?";
    private static final String IN_SERVICE = """
            select id from gateway where id = ? and decommissioned_at is null and broker_shard = ?""";

    private final DbClient db;
    private final String shard;

    /**
     * @param db    the database
     * @param shard the broker shard whose gateways this reads and records
     */
    public GrantStreamRepository(DbClient db, String shard) {
        this.db = db;
        this.shard = shard;
    }

    /** @return the broker shard this stands for */
    public String shard() {
        return shard;
    }

    /** @return the shard's gateways with entries they have not acknowledged */
    public List<Position> pending() {
        return Sql.list(db.execute().query(PENDING, shard), row -> new Position(Sql.text(row, "id"),
                Sql.longValue(row, "stream_head"), Sql.longValue(row, "last_ack")));
    }

    /**
     * @param gatewayId a gateway
     * @return whether it is registered, not decommissioned, and on this shard: a gateway heard on another
     *         shard's broker than its own is not believed (its site profile names its broker)
     */
    public boolean inService(String gatewayId) {
        return db.execute().get(IN_SERVICE, gatewayId, shard).isPresent();
    }

    /**
     * @param gatewayId a gateway
     * @return the number of its last entry
     */
    public long head(String gatewayId) {
        return db.execute().get(HEAD, gatewayId).map(row -> Sql.longValue(row, "stream_head")).orElse(0L);
    }

    /**
     * @param gatewayId a gateway
     * @param after     last number not wanted
     * @param upTo      last number wanted
     * @return the entries, in order
     */
    public List<StreamEntry> entries(String gatewayId, long after, long upTo) {
        return Sql.list(db.execute().query(ENTRIES, gatewayId, after, upTo), GrantStreamRepository::entry);
    }

    /**
     * @param gatewayId a gateway
     * @param upTo      stream number the snapshot stands for
     * @param now       now; ended grants are left out
     * @return the signed grants still to honour
     */
    public List<byte[]> liveGrants(String gatewayId, long upTo, Instant now) {
        return Sql.list(db.execute().query(LIVE, gatewayId, Sql.at(now), upTo),
                row -> HexFormat.of().parseHex(Sql.text(row, "message")));
    }

    /**
     * @param gatewayId the gateway
     * @param seq       the number it acknowledged
     * @param now       when the gateway said it
     */
    public void acknowledged(String gatewayId, long seq, Instant now) {
        db.execute().update(ACK, seq, gatewayId, seq);
        db.execute().update(SEEN, Sql.at(now), gatewayId, Sql.at(now));
    }

    /**
     * @param gatewayId the gateway
     * @param now       now
     */
    public void seen(String gatewayId, Instant now) {
        db.execute().update(SEEN, Sql.at(now), gatewayId, Sql.at(now));
    }

    /**
     * @param gatewayId the gateway
     * @param features  what it says it understands, from its latest hello or heartbeat
     */
    public void features(String gatewayId, long features) {
        db.execute().update(FEATURES, features, gatewayId, features);
    }

    private static StreamEntry entry(DbRow row) {
        String kind = Sql.text(row, "kind");
        String message = Sql.text(row, "message");
        long seq = Sql.longValue(row, "seq");
        return switch (kind) {
            case "issue" -> new StreamEntry(seq, StreamEntry.Kind.ISSUE, HexFormat.of().parseHex(message));
            case "unlock" -> new StreamEntry(seq, StreamEntry.Kind.UNLOCK, HexFormat.of().parseHex(message));
            default -> new StreamEntry(seq, StreamEntry.Kind.REVOKE, UuidBytes.of(UUID.fromString(message)));
        };
    }

    /**
     * Where a gateway stands.
     *
     * @param gatewayId the gateway
     * @param head      its last entry
     * @param lastAck   its last acknowledgement
     */
    public record Position(String gatewayId, long head, long lastAck) {
    }
}
