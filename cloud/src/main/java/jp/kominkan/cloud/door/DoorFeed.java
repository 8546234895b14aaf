package jp.kominkan.cloud.door;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What changed on the door board, handed to whoever watches it live (the board's server-sent
 * events): a door's state, an alarm raised, repeated, acknowledged or cleared. In memory, for the
 * watchers of this instance, and relayed to the other instances ({@link BoardRelay}), since a
 * change happens on whichever instance took the event or holds the sweep. A watcher that falls
 * behind is cut off (its page reconnects and reads the board afresh), so a stalled phone never
 * holds up a gateway's events.
 */
public final class DoorFeed {

    /** Most live watchers on one instance. */
    public static final int MAX_WATCHERS = 500;
    /** Most live watchers of one member of staff (a phone, a laptop, the office screen, a few tabs). */
    public static final int MAX_PER_VIEWER = 5;
    private static final int BACKLOG = 512;

    private final Set<Watcher> watchers = new CopyOnWriteArraySet<>();
    private volatile Consumer<Change> relay = change -> { };

    /**
     * @param relay tells the other instances of each change published here
     */
    public void relayTo(Consumer<Change> relay) {
        this.relay = relay;
    }

    /**
     * A change made on this instance: to its watchers, and to the other instances'.
     *
     * @param change what changed
     */
    public void publish(Change change) {
        deliver(change);
        relay.accept(change);
    }

    /**
     * A change, to this instance's watchers only (one relayed from another instance).
     *
     * @param change what changed
     */
    public void deliver(Change change) {
        for (Watcher watcher : watchers) {
            if (watcher.municipalityId == change.municipalityId()
                    && watcher.facilities.map(f -> f.contains(change.facilityId())).orElse(true)) {
                if (!watcher.queue.offer(change)) {
                    watcher.overrun.set(true);
                    watchers.remove(watcher);
                }
            }
        }
    }

    /**
     * Cuts every watcher off, so each page reconnects and reads the board afresh: changes may have been
     * missed (the relay from the other instances was down).
     */
    public void cutOffAll() {
        for (Watcher watcher : watchers) {
            watcher.overrun.set(true);
            watchers.remove(watcher);
        }
    }

    /**
     * @param municipalityId the municipality
     * @param viewer         who watches (a member of staff)
     * @param facilities     the facilities in scope; empty for all of the municipality's (a main administrator)
     * @return a watcher, to be closed; empty when this instance has {@link #MAX_WATCHERS} already, or the viewer
     *         {@link #MAX_PER_VIEWER} (one member holding every slot would shut the others out)
     */
    public synchronized Optional<Watcher> watch(long municipalityId, UUID viewer, Optional<Set<Long>> facilities) {
        if (watchers.size() >= MAX_WATCHERS
                || watchers.stream().filter(w -> w.viewer.equals(viewer)).count() >= MAX_PER_VIEWER) {
            return Optional.empty();
        }
        Watcher watcher = new Watcher(this, municipalityId, viewer, facilities.map(Set::copyOf));
        watchers.add(watcher);
        return Optional.of(watcher);
    }

    /**
     * One change.
     *
     * @param municipalityId the municipality
     * @param facilityId     the facility
     * @param kind           {@code door} or {@code alarm}
     * @param id             the door's or the alarm's id
     */
    public record Change(long municipalityId, long facilityId, String kind, String id) {
    }

    /** One live watcher of the board. */
    public static final class Watcher implements AutoCloseable {
        private final DoorFeed feed;
        private final long municipalityId;
        private final UUID viewer;
        private final Optional<Set<Long>> facilities;
        private final BlockingQueue<Change> queue = new ArrayBlockingQueue<>(BACKLOG);
        private final AtomicBoolean overrun = new AtomicBoolean();

        private Watcher(DoorFeed feed, long municipalityId, UUID viewer, Optional<Set<Long>> facilities) {
            this.feed = feed;
            this.municipalityId = municipalityId;
            this.viewer = viewer;
            this.facilities = facilities;
        }

        /**
         * @param wait longest to wait
         * @return the next change for this watcher, if one came
         * @throws InterruptedException when interrupted
         */
        public Optional<Change> next(Duration wait) throws InterruptedException {
            return Optional.ofNullable(queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        }

        /** @return whether it fell too far behind and was cut off */
        public boolean overrun() {
            return overrun.get();
        }

        @Override
        public void close() {
            feed.watchers.remove(this);
        }
    }
}
