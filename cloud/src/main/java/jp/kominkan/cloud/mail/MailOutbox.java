package jp.kominkan.cloud.mail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;

/**
 * The mail outbox: e-mail waiting to be sent, and what became of it ({@code mail_outbox}).
 *
 * <p>A message is written in the transaction of the change it reports (a transactional outbox), so a
 * booking cancelled by staff and the mail that tells the resident commit together or not at all, and a
 * mail server that is down delays the mail instead of failing the change. {@link MailWorker} sends what
 * is due. This class owns the table: all its SQL is here.
 */
public final class MailOutbox {

    /** Lengths of the columns (V7__mail_outbox.sql). */
    static final int RECIPIENT_MAX = 254;
    static final int SUBJECT_MAX = 400;
    static final int BODY_MAX = 20_000;
    static final int ERROR_MAX = 400;
    private static final Pattern KIND = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private static final String INSERT = """
            insert into mail_outbox (id, municipality_id, kind, recipient, subject, body, created_at, next_attempt_at,
                                     attempts)
            values (?, ?, ?, ?, ?, ?, ?, ?, 0)""";
    private static final String RECENT = """
            select id, kind, recipient, subject, created_at, attempts, sent_at, failed_at, last_error from mail_outbox
             where municipality_id = ? order by created_at desc, id limit ?""";
    private static final String PENDING = """
            select count(*) as n from mail_outbox
             where municipality_id = ? and sent_at is null and failed_at is null""";
    // SKIP LOCKED: two instances claiming at the same moment take different rows instead of waiting for
    // each other. H2 2.5 applies the limit before skipping (it may return nothing while another claim is
    // open, where PostgreSQL returns the next rows); either way no row is claimed twice.
    private static final String DUE = """
            select id, kind, recipient, subject, body, attempts from mail_outbox
             where next_attempt_at <= ? and sent_at is null and failed_at is null
             order by next_attempt_at limit ? for update skip locked""";
    // The claim moves the row out of reach until the lease ends. The condition repeats the query's, so a
    // row changed since it was read (by a database that did not lock it) is not taken.
    private static final String CLAIM = """
            update mail_outbox set next_attempt_at = ?
             where id = ? and next_attempt_at <= ? and sent_at is null and failed_at is null""";
    private static final String SENT = """
            update mail_outbox set sent_at = ?, attempts = attempts + 1, next_attempt_at = null, body = null
             where id = ? and sent_at is null and failed_at is null""";
    private static final String RETRY = """
            update mail_outbox set attempts = attempts + 1, next_attempt_at = ?, last_error = ?
             where id = ? and sent_at is null and failed_at is null""";
    private static final String GIVE_UP = """
            update mail_outbox set attempts = attempts + 1, failed_at = ?, next_attempt_at = null, last_error = ?,
                                   body = null
             where id = ? and sent_at is null and failed_at is null""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public MailOutbox(DbClient db) {
        this.db = Objects.requireNonNull(db);
    }

    /**
     * Queues a message in the caller's transaction: it is sent only if that transaction commits.
     *
     * @param tx             the transaction of the change the message reports
     * @param municipalityId the municipality it is sent for
     * @param kind           what it is about, kebab-case ({@code staff-invitation})
     * @param mail           the message
     * @param now            now; the message is due at once
     * @return the outbox row's id
     * @throws IllegalArgumentException when a part is longer than its column or the kind is not kebab-case
     */
    public UUID enqueue(DbTransaction tx, long municipalityId, String kind, Mailer.Mail mail, Instant now) {
        check(kind, mail);
        UUID id = UUID.randomUUID();
        tx.insert(INSERT, id, municipalityId, kind, mail.to(), mail.subject(), mail.body(), Sql.at(now), Sql.at(now));
        return id;
    }

    /**
     * Queues many messages of one kind in the caller's transaction, 100 rows a statement: a lottery's results
     * reach every applicant in the transaction that publishes them.
     *
     * @param tx             the caller's transaction
     * @param municipalityId the municipality they are sent for
     * @param kind           what they are about, kebab-case
     * @param mails          the messages
     * @param now            now; they are due at once
     * @throws IllegalArgumentException when a part is longer than its column or the kind is not kebab-case
     */
    public void enqueueAll(DbTransaction tx, long municipalityId, String kind, List<Mailer.Mail> mails, Instant now) {
        mails.forEach(mail -> check(kind, mail));
        String values = INSERT.substring(0, INSERT.indexOf("values"));
        for (int from = 0; from < mails.size(); from += 100) {
            List<Mailer.Mail> batch = mails.subList(from, Math.min(mails.size(), from + 100));
            List<Object> params = new java.util.ArrayList<>(batch.size() * 8);
            for (Mailer.Mail mail : batch) {
                params.addAll(List.of(UUID.randomUUID(), municipalityId, kind, mail.to(), mail.subject(), mail.body(),
                        Sql.at(now), Sql.at(now)));
            }
            tx.insert(values + "values " + String.join(", ",
                    java.util.Collections.nCopies(batch.size(), "(?, ?, ?, ?, ?, ?, ?, ?, 0)")), params.toArray());
        }
    }

    /**
     * Queues a message in a transaction of its own, for a caller that has none.
     *
     * @param municipalityId the municipality it is sent for
     * @param kind           what it is about
     * @param mail           the message
     * @param now            now
     * @return the outbox row's id
     */
    public UUID enqueue(long municipalityId, String kind, Mailer.Mail mail, Instant now) {
        check(kind, mail);
        DbTransaction tx = db.transaction();
        try {
            UUID id = enqueue(tx, municipalityId, kind, mail, now);
            tx.commit();
            return id;
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * @param municipalityId the municipality
     * @param limit          how many at most
     * @return its latest messages, newest first, without their bodies
     */
    public List<Entry> recent(long municipalityId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return Sql.list(db.execute().query(RECENT, municipalityId, limit), row -> new Entry(Sql.uuid(row, "id"),
                Sql.text(row, "kind"), Sql.text(row, "recipient"), Sql.text(row, "subject"),
                Sql.instant(row, "created_at"), Sql.integer(row, "attempts"), Sql.optionalInstant(row, "sent_at"),
                Sql.optionalInstant(row, "failed_at"), Sql.optionalText(row, "last_error")));
    }

    /**
     * @param municipalityId the municipality
     * @return how many of its messages are neither sent nor given up
     */
    public long pending(long municipalityId) {
        return db.execute().get(PENDING, municipalityId).map(row -> Sql.longValue(row, "n")).orElse(0L);
    }

    /**
     * Claims up to {@code limit} due messages until {@code leaseUntil}, in one short transaction: until
     * then no other worker, in this instance or another on the same database, takes them.
     *
     * @param now        now
     * @param leaseUntil when the claim ends and an unfinished message is due again
     * @param limit      how many at most
     * @return the claimed messages, in the order they fell due
     */
    List<Claimed> claimDue(Instant now, Instant leaseUntil, int limit) {
        DbTransaction tx = db.transaction();
        try {
            List<Claimed> due = Sql.list(tx.query(DUE, Sql.at(now), limit), MailOutbox::claimed);
            List<Claimed> claimed = new ArrayList<>(due.size());
            for (Claimed row : due) {
                if (tx.update(CLAIM, Sql.at(leaseUntil), row.id(), Sql.at(now)) == 1) {
                    claimed.add(row);
                }
            }
            tx.commit();
            return claimed;
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * @param id  a claimed message
     * @param now when the mail server took it
     */
    void markSent(UUID id, Instant now) {
        db.execute().update(SENT, Sql.at(now), id);
    }

    /**
     * @param id      a claimed message
     * @param next    when to try again
     * @param problem why it failed, without addresses or content
     */
    void markRetry(UUID id, Instant next, String problem) {
        db.execute().update(RETRY, Sql.at(next), problem, id);
    }

    /**
     * @param id      a claimed message
     * @param now     now
     * @param problem why the last attempt failed, without addresses or content
     */
    void markFailed(UUID id, Instant now, String problem) {
        db.execute().update(GIVE_UP, Sql.at(now), problem, id);
    }

    private static Claimed claimed(DbRow row) {
        return new Claimed(Sql.uuid(row, "id"), Sql.text(row, "kind"), Sql.integer(row, "attempts"),
                new Mailer.Mail(Sql.text(row, "recipient"), Sql.text(row, "subject"), Sql.text(row, "body")));
    }

    private static void check(String kind, Mailer.Mail mail) {
        Objects.requireNonNull(mail, "mail");
        if (kind == null || kind.length() > 40 || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("A mail kind is kebab-case, at most 40 characters: " + kind);
        }
        within("recipient", mail.to(), RECIPIENT_MAX);
        within("subject", mail.subject(), SUBJECT_MAX);
        within("body", mail.body(), BODY_MAX);
    }

    private static void within(String what, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw new IllegalArgumentException("The mail's " + what + " must be 1 to " + max + " characters");
        }
    }

    /**
     * A message as the staff page shows it: no body.
     *
     * @param id        the outbox row
     * @param kind      what it is about
     * @param recipient to whom
     * @param subject   subject
     * @param createdAt when it was queued
     * @param attempts  attempts so far, the successful one included
     * @param sentAt    when the mail server took it
     * @param failedAt  when the worker gave up
     * @param lastError why the last attempt failed (no addresses, no content)
     */
    public record Entry(UUID id, String kind, String recipient, String subject, Instant createdAt, int attempts,
                        Optional<Instant> sentAt, Optional<Instant> failedAt, Optional<String> lastError) {

        /** Checks that nothing is null. */
        public Entry {
            Objects.requireNonNull(id);
            Objects.requireNonNull(kind);
            Objects.requireNonNull(recipient);
            Objects.requireNonNull(subject);
            Objects.requireNonNull(createdAt);
            Objects.requireNonNull(sentAt);
            Objects.requireNonNull(failedAt);
            Objects.requireNonNull(lastError);
        }
    }

    /**
     * A message a worker has claimed and is about to send.
     *
     * @param id       the outbox row
     * @param kind     what it is about (safe to log)
     * @param attempts attempts before this one
     * @param mail     the message (never logged)
     */
    record Claimed(UUID id, String kind, int attempts, Mailer.Mail mail) {
    }
}
