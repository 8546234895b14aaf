package jp.kominkan.cloud.door;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import jp.kominkan.cloud.db.Database;
import jp.kominkan.shared.wire.LogText;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Carries the door board's changes between cloud instances (docs/deploy.md): a change published on
 * one instance is sent with PostgreSQL's {@code NOTIFY}, and every instance {@code LISTEN}s on a
 * connection of its own and hands what the others sent to its watchers. A caretaker's live board
 * therefore shows an event whichever instance took it, and an alarm whichever instance holds the sweep.
 *
 * <p>Only what identifies the change travels ({@code instance|municipality|facility|kind|id}); the
 * receiving instance reads the door or alarm from the database and checks the watcher's scope, as
 * for its own changes. A notification that does not parse is dropped, logged and counted. When the
 * listening connection breaks (a failover), every watcher of this instance is cut off once it is back,
 * so each page reconnects and reads the board afresh: nothing sent meanwhile stays unseen.
 */
public final class BoardRelay implements AutoCloseable {

    static final String CHANNEL = "kominkan_door_board";
    /** How the listening connection shows in {@code pg_stat_activity}. */
    public static final String APPLICATION = "kominkan-door-board-relay";
    private static final System.Logger LOG = System.getLogger(BoardRelay.class.getName());
    private static final Set<String> KINDS = Set.of("door", "alarm", "gateway");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Database database;
    private final DoorFeed feed;
    private final String instance = UUID.randomUUID().toString();
    private final Thread listener;
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean closed;
    /** The listening connection, closed by {@link #close} to end a wait for notifications at once. */
    private volatile Connection current;

    private BoardRelay(Database database, DoorFeed feed) {
        this.database = database;
        this.feed = feed;
        this.listener = Thread.ofPlatform().name("door-board-relay").daemon().unstarted(this::listen);
    }

    /**
     * Relays the feed's changes to the other instances and theirs to it.
     *
     * @param database a PostgreSQL database (H2 has no NOTIFY: one instance, nothing to relay)
     * @param feed     this instance's feed
     * @return the running relay
     */
    public static BoardRelay start(Database database, DoorFeed feed) {
        BoardRelay relay = new BoardRelay(database, feed);
        feed.relayTo(relay::send);
        relay.listener.start();
        return relay;
    }

    /** Sends a change made here; a failure is logged: the others' pages catch up when they next reconnect. */
    private void send(DoorFeed.Change change) {
        String payload = String.join("|", instance, Long.toString(change.municipalityId()),
                Long.toString(change.facilityId()), change.kind(), change.id());
        try {
            database.client().execute().get("select pg_notify(?, ?) as sent", CHANNEL, payload);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not relay a door board change to the other instances: "
                    + LogText.safe(e.getMessage()));
        }
    }

    private void listen() {
        boolean first = true;
        while (!closed) {
            try (Connection connection = database.connect()) {
                current = connection;
                connection.setClientInfo("ApplicationName", APPLICATION);
                if (closed) {
                    return;
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                listening = true;
                if (!first) {
                    reconnects.incrementAndGet();
                    // Whatever the others sent while this was away is lost: every page reads the board again.
                    feed.cutOffAll();
                    LOG.log(Level.INFO, "Door board relay listening again; live boards of this instance reload");
                }
                first = false;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications((int) POLL.toMillis());
                    if (notifications == null) {
                        // A live connection answers; a dead one throws here rather than waiting forever.
                        try (PreparedStatement ping = connection.prepareStatement("select 1")) {
                            ping.execute();
                        }
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        receive(notification.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!closed) {
                    LOG.log(Level.WARNING, "Door board relay lost its database connection (" + LogText.safe(e.getMessage())
                            + "); reconnecting");
                    try {
                        Thread.sleep(RETRY.toMillis());   // back off before connecting again
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    private void receive(String payload) {
        String[] parts = payload.split("\\|", -1);
        try {
            if (parts.length != 5 || !KINDS.contains(parts[3]) || !ID.matcher(parts[4]).matches()) {
                throw new IllegalArgumentException("not instance|municipality|facility|kind|id");
            }
            if (parts[0].equals(instance)) {
                return;   // this instance's own: its watchers have it already
            }
            feed.deliver(new DoorFeed.Change(Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[3], parts[4]));
            relayed.incrementAndGet();
        } catch (IllegalArgumentException e) {
            rejected.incrementAndGet();
            LOG.log(Level.WARNING, "Dropped a door board notification (" + payload.length() + " characters): "
                    + LogText.safe(e.getMessage()));
        }
    }

    /** @return changes from other instances handed to this one's watchers, since start */
    public long relayed() {
        return relayed.get();
    }

    /** @return notifications dropped because they did not parse, since start */
    public long rejected() {
        return rejected.get();
    }

    /** @return times the listening connection was made again after it broke */
    public long reconnects() {
        return reconnects.get();
    }

    /** @return whether it is listening now */
    public boolean listening() {
        return listening;
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
        Connection connection = current;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "Door board relay: " + e.getMessage());
            }
        }
        try {
            listener.join(POLL.plusSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
