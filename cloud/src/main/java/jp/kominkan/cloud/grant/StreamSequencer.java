package jp.kominkan.cloud.grant;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;

/**
 * Numbers queued grant stream entries ({@code grant_outbox}) onto their gateway's stream: under the gateway's row
 * lock, in outbox order, gap-free, many entries per transaction. A writer calls {@link #sequenceTouched()} after
 * its commit and returns once its entries are numbered, so whoever reads the stream after a booking's answer sees
 * them; concurrent writers behind one gateway share one sequencing transaction (as a database shares a log flush)
 * instead of queueing on the gateway's row inside their own. {@link #sweep()}, on a timer, numbers whatever a
 * writer left (it crashed after its commit, or committed on a path that does not call back), on any instance:
 * the row lock makes instances take turns.
 */
public final class StreamSequencer {

    private static final System.Logger LOG = System.getLogger(StreamSequencer.class.getName());
    /** Entries numbered per transaction; more are taken in the next. */
    static final int BATCH = 500;
    /** Rows per multi-row insert or {@code in} list. */
    private static final int CHUNK = 50;
    /** Longest a writer waits for another's sequencing before leaving it to the sweep. */
    private static final long WAIT_SECONDS = 5;

    private static final String LOCK_HEAD = "select stream_head from gateway where id = ? for update";
    private static final String QUEUED = """
            select id, kind, grant_id, message, created_at from grant_outbox where gateway_id = ? order by id limit ?""";
    private static final String SET_HEAD = "update gateway set stream_head = ? where id = ?";
    private static final String WAITING = "select distinct gateway_id from grant_outbox";

    private final DbClient db;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * @param db the database
     */
    public StreamSequencer(DbClient db) {
        this.db = db;
    }

    /**
     * Numbers the entries this thread queued (committed since), for every gateway it wrote for. Never throws: the
     * entries are committed, and the sweep numbers them if this cannot.
     */
    public void sequenceTouched() {
        for (String gatewayId : GrantStreamWrites.takeTouched()) {
            try {
                sequence(gatewayId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Numbering the grant stream of " + gatewayId + " failed; the sweep will: "
                        + e.getMessage());
            }
        }
    }

    /**
     * Returns once every entry for the gateway committed before the call is numbered: by this thread, or by a
     * sequencing another thread began after the call.
     *
     * @param gatewayId the gateway
     */
    public void sequence(String gatewayId) {
        lanes.computeIfAbsent(gatewayId, id -> new Lane()).await(() -> drain(gatewayId));
    }

    /**
     * Numbers what is left in the outbox, for every gateway: on a timer.
     *
     * @return how many entries were numbered
     */
    public int sweep() {
        int numbered = 0;
        for (String gatewayId : Sql.list(db.execute().query(WAITING), row -> Sql.text(row, "gateway_id"))) {
            numbered += drain(gatewayId);
        }
        return numbered;
    }

    /** {@link #sweep()} on a timer: logs a failure and leaves the entries for the next round. */
    public void sweepQuietly() {
        try {
            int numbered = sweep();
            if (numbered > 0) {
                LOG.log(Level.DEBUG, "Numbered " + numbered + " grant stream entries left by their writers");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Numbering the grant stream failed; will try again: " + e.getMessage());
        }
    }

    /** Numbers the gateway's queued entries, a batch per transaction, until none is left. */
    private int drain(String gatewayId) {
        int numbered = 0;
        int batch;
        do {
            batch = Sql.inTransaction(db, tx -> numberBatch(tx, gatewayId));
            numbered += batch;
        } while (batch == BATCH);
        return numbered;
    }

    private static int numberBatch(DbTransaction tx, String gatewayId) {
        long head = tx.get(LOCK_HEAD, gatewayId).map(row -> Sql.longValue(row, "stream_head"))
                .orElseThrow(() -> new IllegalStateException("No gateway " + gatewayId));
        List<DbRow> queued = Sql.list(tx.query(QUEUED, gatewayId, BATCH), row -> row);
        if (queued.isEmpty()) {
            return 0;
        }
        long seq = head;
        for (List<DbRow> chunk : Sql.batches(queued, CHUNK)) {
            List<Object> values = new ArrayList<>(chunk.size() * 6);
            List<Object> ids = new ArrayList<>(chunk.size());
            for (DbRow row : chunk) {
                values.add(gatewayId);
                values.add(++seq);
                values.add(Sql.text(row, "kind"));
                values.add(Sql.uuid(row, "grant_id"));
                values.add(Sql.text(row, "message"));
                values.add(Sql.at(Sql.instant(row, "created_at")));
                ids.add(Sql.longValue(row, "id"));
            }
            tx.insert("insert into grant_stream (gateway_id, seq, kind, grant_id, message, created_at) values "
                    + rows(chunk.size()), values.toArray());
            // Exactly the rows taken: one committed meanwhile with a smaller id waits for the next batch.
            tx.delete("delete from grant_outbox where id in (" + Sql.marks(ids.size()) + ")", ids.toArray());
        }
        tx.update(SET_HEAD, seq, gatewayId);
        return queued.size();
    }

    /** @return {@code (?, ?, ?, ?, ?, ?), …} for n rows of a grant_stream insert */
    private static String rows(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "(?, ?, ?, ?, ?, ?)"));
    }

    /** One gateway's turn-taking: tickets taken after a writer's commit, served by a sequencing begun after them. */
    private static final class Lane {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition finished = lock.newCondition();
        private long requested;
        private long served;
        private boolean running;

        void await(Runnable drain) {
            lock.lock();
            try {
                long ticket = ++requested;
                while (served < ticket) {
                    if (running) {
                        if (!finished.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                            return;
                        }
                        continue;
                    }
                    running = true;
                    long upTo = requested;
                    boolean done = false;
                    lock.unlock();
                    try {
                        drain.run();
                        done = true;
                    } finally {
                        lock.lock();
                        running = false;
                        if (done) {
                            served = Math.max(served, upTo);
                        }
                        finished.signalAll();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        }
    }
}
