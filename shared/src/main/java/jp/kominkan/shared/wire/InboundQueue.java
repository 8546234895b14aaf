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

    private final ExecutorService worker;
    private final long maxBytes;
    private final Runnable onDropped;
    private final AtomicLong waiting = new AtomicLong();

    /**
     * @param name      the worker thread's name
     * @param maxBytes  bytes of messages waiting at most
     * @param onDropped called for each message dropped
     */
    public InboundQueue(String name, long maxBytes, Runnable onDropped) {
        this.worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(name).daemon().factory());
        this.maxBytes = maxBytes;
        this.onDropped = onDropped;
    }

    /**
     * @param bytes the message's size
     * @param task  what to do with it, on the worker thread
     */
    public void submit(int bytes, Runnable task) {
        if (waiting.addAndGet(bytes) > maxBytes) {
            waiting.addAndGet(-bytes);
            onDropped.run();
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
