package jp.kominkan.gateway.site;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jp.kominkan.gateway.journal.Ledger;

/**
 * Each smart lock's unlock counter, on disk, so that no counter is ever used twice — not after a
 * restart, a power cut, nor a Pi that boots without the time (it has no clock battery, and an
 * offline building has no NTP). The next counter is above both the last one written and the
 * clock in milliseconds, and is synced to disk before the command is sent.
 */
public final class UnlockCounters implements AutoCloseable {

    private static final int REWRITE_AFTER = 10_000;

    private final Clock clock;
    private final Map<String, Long> last = new HashMap<>();
    private Ledger ledger;
    private int records;

    private UnlockCounters(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * @param file  the counters' ledger
     * @param clock the clock
     * @return the counters, as last written
     */
    public static UnlockCounters open(Path file, Clock clock) {
        UnlockCounters counters = new UnlockCounters(Ledger.open(file), clock);
        for (byte[] record : counters.ledger.recovered()) {
            ByteBuffer buffer = ByteBuffer.wrap(record);
            long value = buffer.getLong();
            byte[] lock = new byte[buffer.remaining()];
            buffer.get(lock);
            counters.last.merge(new String(lock, StandardCharsets.UTF_8), value, Math::max);
            counters.records++;
        }
        return counters;
    }

    /**
     * @param lockId a lock
     * @return its next counter, already durable
     */
    public synchronized long next(String lockId) {
        long next = Math.max(last.getOrDefault(lockId, 0L) + 1, clock.millis());
        if (records >= REWRITE_AFTER) {
            List<byte[]> latest = new ArrayList<>();
            last.forEach((lock, value) -> latest.add(record(lock, value)));
            ledger = ledger.rewrite(latest);
            records = latest.size();
        }
        ledger.append(record(lockId, next));
        ledger.sync();
        records++;
        last.put(lockId, next);
        return next;
    }

    private static byte[] record(String lockId, long value) {
        byte[] lock = lockId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + lock.length).putLong(value).put(lock).array();
    }

    @Override
    public synchronized void close() {
        ledger.close();
    }
}
