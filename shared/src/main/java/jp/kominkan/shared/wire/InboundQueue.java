package jp.kominkan.shared.wire;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where an MQTT client hands inbound messages: one thread, in arrival order, off the client's
 * callback thread, with a budget of bytes waiting. Past the budget a message is dropped and
 * counted — a flood costs the sender its messages, not this process its memory — while a burst
 * of many small messages (10,000 door events after an outage) fits. Nothing is lost by a drop:
 * every message of the door network is sent again until it is answered (stream entries until
 * acked, events until receipted, hellos on every gap). Blocking the callback instead deadlocks
 * Paho: the worker waits for a PUBACK the blocked client can no longer read (seen in
 * StreamResilienceIT).
 */
public final class InboundQueue implements AutoCloseable {

    /** What a queued message costs beyond its payload (its MqttMessage, topic, lambda and queue node). */
    static final int OVERHEAD = 1024;

    private final ExecutorService worker;
    private final long maxBytes;
    private final System.Logger log;
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param name     the worker thread's name
     * @param maxBytes bytes of messages waiting at most
     * @param log      where a line goes for the first drop and every thousandth
     */
    public InboundQueue(String name, long maxBytes, System.Logger log) {
        this.worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(name).daemon().factory());
        this.maxBytes = maxBytes;
        this.log = log;
    }

    /** @return messages dropped because the budget was full, since start (their senders send them again) */
    public long dropped() {
        return dropped.get();
    }

    /**
     * @param payloadBytes the message's size
     * @param task         what to do with it, on the worker thread
     */
    public void submit(int payloadBytes, Runnable task) {
        // Each message also costs its queue entry and the client's objects: a flood of empty messages is bounded too.
        long bytes = payloadBytes + OVERHEAD;
        if (waiting.addAndGet(bytes) > maxBytes) {
            waiting.addAndGet(-bytes);
            if (dropped.incrementAndGet() % 1000 == 1) {
                log.log(System.Logger.Level.WARNING, "Inbound MQTT messages over " + maxBytes / (1024 * 1024)
                        + " MiB waiting: dropped " + dropped.get() + " since start (they are sent again)");
            }
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } finally {
                    waiting.addAndGet(-bytes);
                }
            });
        } catch (RejectedExecutionException closed) {
            waiting.addAndGet(-bytes);   // shutting down: the sender sends it again to whoever is there next
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
