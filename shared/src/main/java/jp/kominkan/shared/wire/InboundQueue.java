package jp.kominkan.shared.wire;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where an MQTT client hands inbound messages: one thread, in arrival order, off the client's
 * callback thread. The queue is bounded; when it is full the callback waits, the client stops
 * reading, and MQTT flow control holds the sender back — a flood costs the sender time, not this
 * process its memory.
 */
public final class InboundQueue {

    private InboundQueue() {
    }

    /**
     * @param name     the thread's name
     * @param capacity messages waiting at most
     * @return the executor; {@code shutdownNow} ends it
     */
    public static ThreadPoolExecutor create(String name, int capacity) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                Thread.ofPlatform().name(name).daemon().factory(), (task, pool) -> {
                    if (!pool.isShutdown()) {
                        try {
                            pool.getQueue().put(task);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
    }
}
