package jp.kominkan.gateway.access;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jp.kominkan.gateway.journal.Ledger;
import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.stream.StreamEntry;
import jp.kominkan.shared.wire.UuidBytes;

/**
 * The gateway's grants, kept on disk in a {@link Ledger} and indexed in memory by door and code
 * verifier, so a typed code is checked with one lookup however many grants there are.
 *
 * <p>Stream entries are applied strictly in order: an entry already applied is ignored (a
 * resend), an entry after a gap is refused (the caller asks for a resend from its ack). A number
 * is acknowledged only after {@link #sync()}, so nothing acknowledged is lost in a crash.
 * Every grant's signature is checked when it arrives and again when it is read back from disk.
 *
 * <p>An {@code UNLOCK} entry (a caretaker's remote unlock) advances the stream like any other, but
 * the store neither keeps nor acts on it: it is not in a snapshot, and replaying the ledger at
 * open only counts it. Acting on it is for whoever applied it live, once ({@link Applied#APPLIED}).
 */
public final class GrantStore implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GrantStore.class.getName());
    private static final byte BASE = 0;

    private final GrantVerifier verifier;
    private Ledger ledger;
    private final Map<Key, List<AccessGrant>> byCode = new HashMap<>();
    private final Map<UUID, AccessGrant> byId = new HashMap<>();
    private final Set<UUID> revoked = new HashSet<>();
    private long applied;
    private long durable;
    private long rejected;
    private boolean based;

    private GrantStore(Ledger ledger, GrantVerifier verifier) {
        this.ledger = ledger;
        this.verifier = verifier;
    }

    /**
     * Opens the store and replays its ledger.
     *
     * @param file     the ledger file
     * @param verifier checks grant signatures
     * @return the store
     */
    public static GrantStore open(Path file, GrantVerifier verifier) {
        GrantStore store = new GrantStore(Ledger.open(file), verifier);
        for (byte[] record : store.ledger.recovered()) {
            store.replay(record);
        }
        store.durable = store.applied;
        return store;
    }

    /**
     * Applies the next entry of the stream (not yet durable: call {@link #sync()} before acking).
     *
     * @param entry the entry
     * @return what happened
     */
    public synchronized Applied apply(StreamEntry entry) {
        if (entry.seq() <= applied) {
            return Applied.DUPLICATE;
        }
        if (entry.seq() != applied + 1) {
            return Applied.GAP;
        }
        ledger.append(encode(entry.seq(), (byte) entry.kind().code(), entry.body()));
        remember(entry.seq(), entry.kind(), entry.body());
        return Applied.APPLIED;
    }

    /**
     * Replaces everything with a snapshot of the live grants as of a stream number (a gateway that
     * lost its disk, or fell too far behind). Durable when it returns.
     *
     * <p>Revocations survive a snapshot: a grant this gateway was told to revoke stays revoked
     * until it has expired, even if a snapshot (an old one replayed, or one from a confused
     * instance) holds it again.
     *
     * @param seq    the stream number the snapshot stands for
     * @param grants signed grants
     * @param now    now; revocations of expired grants are dropped
     * @return false when the snapshot is older than what is already applied, and was ignored
     */
    public synchronized boolean replaceWith(long seq, List<byte[]> grants, java.time.Instant now) {
        if (seq < applied) {
            // A snapshot older than what is applied (two cloud instances answering one hello) would roll back.
            return false;
        }
        List<UUID> stillRevoked = revoked.stream()
                .filter(id -> !byId.containsKey(id) || byId.get(id).validUntil().isAfter(now))
                .toList();
        List<byte[]> records = new ArrayList<>(grants.size() + stillRevoked.size() + 1);
        records.add(encode(seq, BASE, new byte[0]));
        stillRevoked.forEach(id -> records.add(encode(seq, (byte) StreamEntry.Kind.REVOKE.code(), UuidBytes.of(id))));
        grants.forEach(g -> records.add(encode(seq, (byte) StreamEntry.Kind.ISSUE.code(), g)));
        ledger = ledger.rewrite(records);
        clear();
        records.forEach(this::replay);
        applied = seq;
        durable = seq;
        return true;
    }

    /**
     * Forces applied entries to disk.
     *
     * @return the highest stream number now durable, to acknowledge
     */
    public synchronized long sync() {
        if (durable < applied) {
            ledger.sync();
            durable = applied;
        }
        return durable;
    }

    /** @return the highest number durably applied */
    public synchronized long durableSeq() {
        return durable;
    }

    /**
     * @return whether this store has anything to stand on: a snapshot, or entries applied. An
     *         empty store (new, or its disk wiped) must start from a fresh snapshot, never from old
     *         entries someone recorded and plays back from number 1.
     */
    public synchronized boolean started() {
        return based || durable > 0;
    }

    /**
     * The grants on a door whose verifier matches, revoked or not.
     *
     * @param doorId   the door
     * @param verifier the typed code's verifier
     * @return matching grants
     */
    public synchronized List<AccessGrant> find(String doorId, CodeVerifier verifier) {
        return List.copyOf(byCode.getOrDefault(new Key(doorId, verifier), List.of()));
    }

    /**
     * @param grantId a grant
     * @return whether it has been revoked; a revocation from the stream is kept even for a grant this
     *         store never held, so a door pass carrying that grant is refused too
     */
    public synchronized boolean isRevoked(UUID grantId) {
        return revoked.contains(grantId);
    }

    /**
     * @return what checks grant signatures here, with the cloud's keys (a door pass carries its grant,
     *         which is checked with the same keys)
     */
    public GrantVerifier verifier() {
        return verifier;
    }

    /** @return grants held (live or not) */
    public synchronized int size() {
        return byId.size();
    }

    /** @return entries whose grant failed verification, since start */
    public synchronized long rejected() {
        return rejected;
    }

    @Override
    public synchronized void close() {
        ledger.close();
    }

    private void replay(byte[] record) {
        try {
            replayRecord(record);
        } catch (RuntimeException e) {
            // A record that cannot be read back must never stop the gateway from starting.
            rejected++;
            LOG.log(Level.WARNING, "Skipped an unreadable grant record: " + e.getMessage());
        }
    }

    private void replayRecord(byte[] record) {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        long seq = buffer.getLong();
        byte kind = buffer.get();
        byte[] body = new byte[buffer.remaining()];
        buffer.get(body);
        if (kind == BASE) {
            clear();
            based = true;
        } else {
            remember(seq, StreamEntry.Kind.of(kind), body);
        }
        applied = seq;
    }

    private void remember(long seq, StreamEntry.Kind kind, byte[] body) {
        applied = seq;
        switch (kind) {
            case ISSUE -> {
                switch (verifier.verify(body)) {
                    case GrantVerifier.Verification.Verified v -> {
                        AccessGrant grant = v.grant();
                        if (byId.putIfAbsent(grant.grantId(), grant) == null) {
                            byCode.computeIfAbsent(new Key(grant.doorId(), grant.codeVerifier()), k -> new ArrayList<>(1))
                                    .add(grant);
                        }
                    }
                    case GrantVerifier.Verification.Rejected r -> {
                        rejected++;
                        LOG.log(Level.WARNING, "Stream entry " + seq + " holds a grant that does not verify ("
                                + r.reason() + "): ignored");
                    }
                }
            }
            case REVOKE -> revoked.add(UuidBytes.uuid(body));
            case UNLOCK -> {
                // Only numbered and kept here: whoever applied it live acts on it once (mqtt.StreamFollower);
                // read back from the ledger at open it is history and never opens a door.
            }
        }
    }

    private void clear() {
        byCode.clear();
        byId.clear();
        revoked.clear();
    }

    private static byte[] encode(long seq, byte kind, byte[] body) {
        return ByteBuffer.allocate(9 + body.length).putLong(seq).put(kind).put(body).array();
    }

    /** What {@link #apply} did. */
    public enum Applied {
        /** Stored. */
        APPLIED,
        /** Already had it; ignored. */
        DUPLICATE,
        /** An entry is missing before it; ignored, ask for a resend. */
        GAP
    }

    private record Key(String doorId, CodeVerifier verifier) {
    }
}
