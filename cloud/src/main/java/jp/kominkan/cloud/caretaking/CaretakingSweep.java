package jp.kominkan.cloud.caretaking;

/**
 * The caretakers' timer: gateways gone quiet, doors left open after a booking, alarms nobody took on.
 * Each part runs on its own, so one that fails (the database briefly gone) never stops the others.
 */
public final class CaretakingSweep implements Runnable {

    private static final System.Logger LOG = System.getLogger(CaretakingSweep.class.getName());

    private final Silence silence;
    private final LeftOpen leftOpen;
    private final Escalation escalation;

    CaretakingSweep(Silence silence, LeftOpen leftOpen, Escalation escalation) {
        this.silence = silence;
        this.leftOpen = leftOpen;
        this.escalation = escalation;
    }

    @Override
    public void run() {
        step("gateway silence", silence::sweep);
        step("left open", leftOpen::sweep);
        step("escalation", escalation::sweep);
    }

    private static void step(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Caretaking sweep (" + what + ") failed; will run again: " + e);
        }
    }
}
