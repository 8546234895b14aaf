package jp.kominkan.cloud.grant;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;

/**
 * Writes grants and their stream entries inside the caller's transaction — the one that confirms,
 * cancels or expires the booking, or issues or revokes a shelter code (避難所) — so that the booking or
 * the shelter code and the grant stream never disagree (the transactional outbox).
 *
 * <p>Issue and revoke entries go to {@code grant_outbox}, unnumbered: {@link StreamSequencer} numbers them onto
 * their gateway's stream after the commit, so that bookings behind one gateway do not queue on its row. The
 * gateways a thread wrote for are remembered until {@link #takeTouched()}, so the sequencer can number them
 * before the request is answered.
 */
public final class GrantStreamWrites {

    private static final String SEAL_CODE = "update reservation set access_code_sealed = ? where id = ?";
    private static final String INSERT_GRANT = """
            insert into access_grant (id, reservation_id, door_id, valid_from, valid_until, code_verifier, key_id)
            values (?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_SHELTER_GRANT = """
            insert into access_grant (id, shelter_code_id, door_id, valid_from, valid_until, code_verifier, key_id)
            values (?, ?, ?, ?, ?, ?, ?)""";
    private static final String ADVANCE_HEAD = "update gateway set stream_head = stream_head + 1 where id = ?";
    private static final String HEAD = "select stream_head from gateway where id = ?";
    private static final String OUTBOX = """
            insert into grant_outbox (gateway_id, kind, grant_id, message, created_at) values (?, ?, ?, ?, ?)""";
    private static final String APPEND_UNLOCK = """
            insert into grant_stream (gateway_id, seq, kind, unlock_id, message, created_at) values (?, ?, 'unlock', ?, ?, ?)""";
    private static final String LIVE_GRANTS = """
            select g.id, d.gateway_id from access_grant g join door d on d.id = g.door_id
             where g.reservation_id = ? and g.revoked_at is null order by d.gateway_id, g.id""";
    private static final String LIVE_SHELTER_GRANTS = """
            select g.id, d.gateway_id from access_grant g join door d on d.id = g.door_id
             where g.shelter_code_id = ? and g.revoked_at is null order by d.gateway_id, g.id""";
    private static final String REVOKE = "update access_grant set revoked_at = ? where id = ?";
    private static final String FORGET_CODE = "update reservation set access_code_sealed = null where id = ?";

    /** Gateways this thread appended entries for since it last asked. */
    private static final ThreadLocal<java.util.Set<String>> TOUCHED = new ThreadLocal<>();

    private GrantStreamWrites() {
    }

    /**
     * @return the gateways this thread has written entries for (committed or not) since it last asked; forgotten now
     */
    static java.util.Set<String> takeTouched() {
        java.util.Set<String> touched = TOUCHED.get();
        if (touched == null) {
            return java.util.Set.of();   // every commit asks: most threads never wrote an entry
        }
        TOUCHED.remove();
        return touched;
    }

    /**
     * Stores a confirmed booking's grants and appends an issue entry per grant to its gateway's stream.
     *
     * @param tx            the booking's transaction
     * @param reservationId the booking
     * @param batch         its grants
     * @param now           now
     */
    public static void issue(DbTransaction tx, UUID reservationId, GrantBatch batch, Instant now) {
        tx.update(SEAL_CODE, batch.sealedCode(), reservationId);
        List<GrantBatch.Issued> byGateway = batch.grants().stream()
                .sorted(java.util.Comparator.comparing(GrantBatch.Issued::gatewayId)).toList();
        for (GrantBatch.Issued issued : byGateway) {
            var grant = issued.grant();
            tx.insert(INSERT_GRANT, grant.grantId(), reservationId, grant.doorId(), Sql.at(grant.validFrom()),
                    Sql.at(grant.validUntil()), HexFormat.of().formatHex(grant.codeVerifier().bytes()), grant.keyId());
            append(tx, issued.gatewayId(), "issue", grant.grantId(), HexFormat.of().formatHex(issued.signed()), now);
        }
    }

    /**
     * Revokes a booking's live grants, appends a revoke entry per grant, and forgets its code.
     *
     * @param tx            the booking's transaction
     * @param reservationId the booking
     * @param now           now
     * @return how many grants were revoked
     */
    public static int revokeAll(DbTransaction tx, UUID reservationId, Instant now) {
        List<String[]> live = Sql.list(tx.query(LIVE_GRANTS, reservationId),
                row -> new String[] {Sql.uuid(row, "id").toString(), Sql.text(row, "gateway_id")});
        for (String[] grant : live) {
            UUID grantId = UUID.fromString(grant[0]);
            tx.update(REVOKE, Sql.at(now), grantId);
            append(tx, grant[1], "revoke", grantId, grantId.toString(), now);
        }
        tx.update(FORGET_CODE, reservationId);
        return live.size();
    }

    /**
     * Stores a shelter code's grants (避難所) and appends an issue entry per grant to its gateway's stream, in the
     * transaction that records the shelter code (written before in it). Nothing of the code is stored but the
     * grants' verifiers.
     *
     * @param tx            the shelter code's transaction
     * @param shelterCodeId the shelter code
     * @param grants        its grants
     * @param now           now
     */
    public static void issueShelter(DbTransaction tx, UUID shelterCodeId, ShelterGrants grants, Instant now) {
        List<GrantBatch.Issued> byGateway = grants.grants().stream()
                .sorted(java.util.Comparator.comparing(GrantBatch.Issued::gatewayId)).toList();
        for (GrantBatch.Issued issued : byGateway) {
            var grant = issued.grant();
            tx.insert(INSERT_SHELTER_GRANT, grant.grantId(), shelterCodeId, grant.doorId(), Sql.at(grant.validFrom()),
                    Sql.at(grant.validUntil()), HexFormat.of().formatHex(grant.codeVerifier().bytes()), grant.keyId());
            append(tx, issued.gatewayId(), "issue", grant.grantId(), HexFormat.of().formatHex(issued.signed()), now);
        }
    }

    /**
     * Revokes a shelter code's live grants and appends a revoke entry per grant, in the transaction that marks the
     * shelter code revoked.
     *
     * @param tx            the transaction
     * @param shelterCodeId the shelter code
     * @param now           now
     * @return how many grants were revoked
     */
    public static int revokeShelter(DbTransaction tx, UUID shelterCodeId, Instant now) {
        List<String[]> live = Sql.list(tx.query(LIVE_SHELTER_GRANTS, shelterCodeId),
                row -> new String[] {Sql.uuid(row, "id").toString(), Sql.text(row, "gateway_id")});
        for (String[] grant : live) {
            UUID grantId = UUID.fromString(grant[0]);
            tx.update(REVOKE, Sql.at(now), grantId);
            append(tx, grant[1], "revoke", grantId, grantId.toString(), now);
        }
        return live.size();
    }

    /**
     * Appends a remote unlock order to its gateway's stream, in the caller's transaction (the one
     * that records the unlock), so the order and its record never disagree.
     *
     * @param tx        the transaction
     * @param gatewayId the door's gateway
     * @param unlockId  the remote_unlock row, written before in this transaction
     * @param order     the order, CBOR ({@code jp.kominkan.shared.stream.UnlockOrder})
     * @param now       now
     * @return the entry's stream number
     */
    public static long appendUnlock(DbTransaction tx, String gatewayId, UUID unlockId, byte[] order, Instant now) {
        long seq = nextSeq(tx, gatewayId);
        tx.insert(APPEND_UNLOCK, gatewayId, seq, unlockId, HexFormat.of().formatHex(order), Sql.at(now));
        return seq;
    }

    /** Takes the gateway's next stream number; the update row-locks the gateway until commit. */
    private static long nextSeq(DbTransaction tx, String gatewayId) {
        if (tx.update(ADVANCE_HEAD, gatewayId) != 1) {
            throw new IllegalStateException("No gateway " + gatewayId);
        }
        return tx.get(HEAD, gatewayId).map(row -> Sql.longValue(row, "stream_head")).orElseThrow();
    }

    /** Queues an issue or revoke entry for the gateway's stream; the sequencer numbers it after the commit. */
    private static void append(DbTransaction tx, String gatewayId, String kind, UUID grantId, String message,
                               Instant now) {
        tx.insert(OUTBOX, gatewayId, kind, grantId, message, Sql.at(now));
        java.util.Set<String> touched = TOUCHED.get();
        if (touched == null) {
            touched = new java.util.TreeSet<>();
            TOUCHED.set(touched);
        }
        touched.add(gatewayId);
    }
}
