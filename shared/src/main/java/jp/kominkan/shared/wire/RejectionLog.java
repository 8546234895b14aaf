package jp.kominkan.shared.wire;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One sanitised log line per rejected wire message — but at most {@value #LINES_PER_MINUTE} a
 * minute: a flood of bad messages is counted in full and summarised, and cannot fill the disk or
 * bury the lines that matter. Thread-safe.
 */
public final class RejectionLog {

    /** Lines written per minute before the rest are only counted. */
    public static final int LINES_PER_MINUTE = 20;

    private final Logger log;
    private final Clock clock;
    private Instant window = Instant.EPOCH;
    private int written;
    private long suppressed;

    /**
     * @param log   where lines go
     * @param clock the clock
     */
    public RejectionLog(Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param topic  where it came from (untrusted)
     * @param bytes  its size
     * @param reason why it was rejected (may hold untrusted text)
     */
    public void rejected(String topic, int bytes, String reason) {
        String line = null;
        synchronized (this) {
            Instant now = clock.instant();
            if (!now.isBefore(window.plus(Duration.ofMinutes(1)))) {
                if (suppressed > 0) {
                    log.log(Level.WARNING, suppressed + " more rejected messages in the last minute were not logged");
                }
                window = now;
                written = 0;
                suppressed = 0;
            }
            if (written < LINES_PER_MINUTE) {
                written++;
                line = "Rejected a message on " + LogText.safe(topic) + " (" + bytes + " bytes): " + LogText.safe(reason);
            } else {
                suppressed++;
            }
        }
        if (line != null) {
            log.log(Level.WARNING, line);
        }
    }
}
