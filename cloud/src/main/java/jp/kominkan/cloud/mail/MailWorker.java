package jp.kominkan.cloud.mail;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * Sends what the {@link MailOutbox} holds, on a timer: claims the due messages, hands each to the
 * {@link Mailer}, and records the outcome. A message the mail server did not take is tried again after
 * an exponentially growing pause (30 s, 1 min, 2 min … at most 1 h by default) until the maximum number
 * of attempts, then given up and kept, so that staff can see it.
 *
 * <p>Several cloud instances on one database may each run a worker: a claim is a lease written in a
 * short transaction, so a message is taken by one worker at a time, and a worker that dies while
 * sending leaves it to be tried again when the lease ends. Delivery is at least once: a worker that dies
 * after the mail server took a message and before it recorded so sends it again (there is no way to ask
 * an SMTP server whether it already has a message).
 *
 * <p>Logs carry outbox ids, kinds and counts only: never an address, a subject or a body.
 */
public final class MailWorker implements Runnable {

    private static final System.Logger LOG = System.getLogger(MailWorker.class.getName());
    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>()\\[\\],;:\"']+@[^\\s<>()\\[\\],;:\"']+");

    private final MailOutbox outbox;
    private final Mailer mailer;
    private final Clock clock;
    private final Settings settings;

    /**
     * @param outbox   the outbox
     * @param mailer   what sends
     * @param clock    the clock due times are read from
     * @param settings attempts, back-off, lease and batch size
     */
    public MailWorker(MailOutbox outbox, Mailer mailer, Clock clock, Settings settings) {
        this.outbox = Objects.requireNonNull(outbox);
        this.mailer = Objects.requireNonNull(mailer);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
    }

    /** One round for the timer; a failure is logged and the next round tries again. */
    @Override
    public void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // Class names only: a database's message may quote the values of the row.
            LOG.log(Level.WARNING, "Mail outbox round failed; will try again: " + causes(e));
        }
    }

    /**
     * Claims up to a batch of due messages and tries to send each.
     *
     * @return what happened
     */
    public Round runOnce() {
        Instant start = clock.instant();
        // Sending stops at half the lease, so no message is still being sent when another worker may take it.
        Instant stopSending = start.plus(settings.lease().dividedBy(2));
        List<MailOutbox.Claimed> claimed = outbox.claimDue(start, start.plus(settings.lease()), settings.batchSize());
        int sent = 0;
        int retrying = 0;
        int failed = 0;
        for (MailOutbox.Claimed message : claimed) {
            if (!clock.instant().isBefore(stopSending)) {
                LOG.log(Level.DEBUG, "Mail outbox: lease half over; " + (claimed.size() - sent - retrying - failed)
                        + " claimed messages wait for the lease to end");
                break;
            }
            int attempt = message.attempts() + 1;
            Optional<RuntimeException> failure = send(message.mail());
            // Recorded after send() and not inside its catch: if recording fails, the round stops and the
            // lease brings the message back, rather than a sent message being counted as failed.
            Instant now = clock.instant();
            if (failure.isEmpty()) {
                outbox.markSent(message.id(), now);
                sent++;
                LOG.log(Level.TRACE, () -> "Mail " + message.id() + " (" + message.kind() + ") sent on attempt "
                        + attempt);
            } else if (attempt >= settings.maxAttempts()) {
                outbox.markFailed(message.id(), now, problem(failure.get(), message.mail()));
                failed++;
                LOG.log(Level.WARNING, "Gave up mail " + message.id() + " (" + message.kind() + ") after " + attempt
                        + " attempts");
            } else {
                Duration pause = settings.pauseAfter(attempt);
                outbox.markRetry(message.id(), now.plus(pause), problem(failure.get(), message.mail()));
                retrying++;
                LOG.log(Level.DEBUG, () -> "Mail " + message.id() + " (" + message.kind() + ") attempt " + attempt
                        + " failed (" + failure.get().getClass().getSimpleName() + "); next in " + pause);
            }
        }
        Round round = new Round(claimed.size(), sent, retrying, failed);
        if (!claimed.isEmpty()) {
            LOG.log(Level.DEBUG, () -> "Mail outbox: " + round);
        }
        return round;
    }

    /** @return why the mail server did not take the message, empty when it did */
    private Optional<RuntimeException> send(Mailer.Mail mail) {
        try {
            mailer.send(mail);
            return Optional.empty();
        } catch (RuntimeException e) {
            // MailFailure, or a mailer's bug: either way this message waits and the others go on.
            return Optional.of(e);
        }
    }

    /**
     * What is kept of a failure: the failure's message and its root cause, without e-mail addresses (a
     * mail server's refusal quotes the recipient), on one line, at most the column's length.
     */
    static String problem(RuntimeException failure, Mailer.Mail mail) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure instanceof Mailer.MailFailure && failure.getMessage() != null
                ? failure.getMessage() : failure.getClass().getSimpleName();
        if (root != failure) {
            text += " (" + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
                    + ")";
        }
        text = text.replace(mail.to(), "<recipient>");
        text = ADDRESS.matcher(text).replaceAll("<address>").replaceAll("\\s+", " ").strip();
        return text.length() <= MailOutbox.ERROR_MAX ? text : text.substring(0, MailOutbox.ERROR_MAX - 1) + "…";
    }

    private static String causes(Throwable e) {
        StringBuilder names = new StringBuilder(e.getClass().getName());
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            names.append(" ← ").append(t.getClass().getName());
        }
        return names.toString();
    }

    /**
     * What one round did.
     *
     * @param claimed  messages claimed
     * @param sent     taken by the mail server
     * @param retrying failed, to be tried again
     * @param failed   failed for the last time and given up
     */
    public record Round(int claimed, int sent, int retrying, int failed) {
    }

    /**
     * How the worker behaves.
     *
     * @param maxAttempts attempts before a message is given up (at least 1)
     * @param firstPause  pause after the first failed attempt; each later one doubles it
     * @param maxPause    the longest pause
     * @param lease       how long a claim keeps other workers away; well above the mail server's time-outs
     * @param batchSize   messages claimed per round
     */
    public record Settings(int maxAttempts, Duration firstPause, Duration maxPause, Duration lease, int batchSize) {

        /** 20 attempts, 30 s doubling to at most 1 h (about 13 h in all), a 5-minute lease, 20 a round. */
        public static final Settings DEFAULT = new Settings(20, Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofMinutes(5), 20);

        /** Checks the settings. */
        public Settings {
            if (maxAttempts < 1 || batchSize < 1) {
                throw new IllegalArgumentException("max-attempts and batch-size must be at least 1");
            }
            if (firstPause.isNegative() || firstPause.isZero() || maxPause.compareTo(firstPause) < 0) {
                throw new IllegalArgumentException("Pauses must be positive, the first no longer than the longest");
            }
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("The lease must be positive");
            }
        }

        /**
         * @param outbox the {@code kominkan.mail.outbox} node: {@code max-attempts}, {@code first-pause},
         *               {@code max-pause}, {@code lease}, {@code batch-size}
         * @return the settings, defaults where not given
         */
        public static Settings fromConfig(Config outbox) {
            return new Settings(outbox.get("max-attempts").asInt().orElse(DEFAULT.maxAttempts()),
                    outbox.get("first-pause").as(Duration.class).orElse(DEFAULT.firstPause()),
                    outbox.get("max-pause").as(Duration.class).orElse(DEFAULT.maxPause()),
                    outbox.get("lease").as(Duration.class).orElse(DEFAULT.lease()),
                    outbox.get("batch-size").asInt().orElse(DEFAULT.batchSize()));
        }

        /**
         * @param failedAttempts failed attempts so far (at least 1)
         * @return how long to wait before the next
         */
        public Duration pauseAfter(int failedAttempts) {
            if (failedAttempts < 1) {
                throw new IllegalArgumentException("failedAttempts must be at least 1");
            }
            Duration pause = firstPause;
            for (int i = 1; i < failedAttempts && pause.compareTo(maxPause) < 0; i++) {
                pause = pause.multipliedBy(2);
            }
            return pause.compareTo(maxPause) < 0 ? pause : maxPause;
        }
    }
}
