package jp.kominkan.cloud.caretaking;

import jp.kominkan.cloud.door.DoorEventRepository;

/**
 * The caretakers' timer: door events stored but not yet handled, gateways gone quiet, doors left open after a
 * booking, alarms nobody took on.
 * Each part runs on its own, so one that fails (the database briefly gone) never stops the others.
 */
public final class CaretakingSweep implements Runnable {

    private static final System.Logger LOG = System.getLogger(CaretakingSweep.class.getName());

    /** An event stored this long ago and still not handled is taken again. */
    private static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(30);

    private final Silence silence;
    private final LeftOpen leftOpen;
    private final Escalation escalation;
    private final DoorEventRepository events;
    private final DoorWatch watch;
    private final java.time.Clock clock;
    private final jp.kominkan.cloud.db.JobLease lease;

    /** How long the sweep stays this instance's without a run: well over any sweep interval in use. */
    private static final java.time.Duration LEASE = java.time.Duration.ofMinutes(2);

    CaretakingSweep(Silence silence, LeftOpen leftOpen, Escalation escalation, DoorEventRepository events, DoorWatch watch,
                    java.time.Clock clock, jp.kominkan.cloud.db.JobLease lease) {
        this.lease = lease;
        this.silence = silence;
        this.leftOpen = leftOpen;
        this.escalation = escalation;
        this.events = events;
        this.watch = watch;
        this.clock = clock;
    }

    @Override
    public void run() {
        // One instance at a time (docs/deploy.md): silence and left-open read before they write.
        boolean ours;
        try {
            ours = lease.acquire("caretaking-sweep", LEASE);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Caretaking sweep: its lease cannot be read; will try again: " + e);
            return;
        }
        if (!ours) {
            return;
        }
        step("events not yet handled", this::retry);
        step("gateway silence", silence::sweep);
        step("left open", leftOpen::sweep);
        step("escalation", escalation::sweep);
    }

    /** Gives up the sweep's lease: this instance is stopping, another takes the sweep at once. */
    public void release() {
        lease.release("caretaking-sweep");
    }

    /** Events stored but not handled (the database failed between the two): their state, alarms and board. */
    private void retry() {
        for (DoorEventRepository.Unprocessed u : events.unprocessed(clock.instant().minus(RETRY_AFTER), 200)) {
            watch.stored(u.gatewayId(), u.event(), u.reservation());
        }
    }

    private static void step(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Caretaking sweep (" + what + ") failed; will run again: " + e);
        }
    }
}
