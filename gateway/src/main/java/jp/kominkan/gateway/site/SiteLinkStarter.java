package jp.kominkan.gateway.site;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.shared.wire.LogText;

/**
 * Starts the site link and, when it cannot (its port taken, Mosquitto missing or failing), keeps
 * trying every {@code 5 s} instead of keeping the gateway from starting: doors on GPIO relays and
 * Wiegand keypads work meanwhile, and the building's CoAP and Wi-Fi devices as soon as it is up.
 */
public final class SiteLinkStarter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SiteLinkStarter.class.getName());
    static final Duration RETRY = Duration.ofSeconds(5);

    private final SiteProfile profile;
    private final Map<String, DoorController> doors;
    private final Clock clock;
    private final SiteLink[] started;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;
    private int failures;

    private SiteLinkStarter(SiteProfile profile, Map<String, DoorController> doors, Clock clock, SiteLink[] started) {
        this.profile = profile;
        this.doors = Map.copyOf(doors);
        this.clock = clock;
        this.started = started;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("site-link-start").daemon().factory());
    }

    /**
     * Tries at once; on failure, again every 5 s until it starts or is closed.
     *
     * @param profile the site profile
     * @param doors   the doors' controllers
     * @param clock   the clock
     * @param started where the started site link goes (the doors' smart locks read it from there)
     * @return the starter
     */
    public static SiteLinkStarter start(SiteProfile profile, Map<String, DoorController> doors, Clock clock,
                                        SiteLink[] started) {
        SiteLinkStarter starter = new SiteLinkStarter(profile, doors, clock, started);
        if (!starter.attempt()) {
            starter.timer.scheduleWithFixedDelay(() -> {
                if (starter.started[0] == null && !starter.closed && starter.attempt()) {
                    starter.timer.shutdown();
                }
            }, RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return starter;
    }

    private synchronized boolean attempt() {
        try {
            SiteLink link = SiteLink.start(profile, doors, clock);
            if (closed) {
                link.close();
                return true;
            }
            started[0] = link;
            if (failures > 0) {
                LOG.log(Level.INFO, "Site link started after " + failures + " failed attempts");
            }
            return true;
        } catch (RuntimeException e) {
            if (failures++ % 60 == 0) {
                // Loud once, then every five minutes: it must not go unnoticed, nor fill the log.
                LOG.log(Level.ERROR, "The site link could not start (" + LogText.safe(String.valueOf(e.getMessage()))
                        + "); doors on GPIO keep working, CoAP and Wi-Fi devices wait; trying again every "
                        + RETRY.toSeconds() + " s");
            }
            return false;
        }
    }

    /** @return the site link, once it has started */
    public Optional<SiteLink> current() {
        return Optional.ofNullable(started[0]);
    }

    @Override
    public synchronized void close() {
        closed = true;
        timer.shutdownNow();
        if (started[0] != null) {
            started[0].close();
        }
    }
}
