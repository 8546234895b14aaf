package jp.kominkan.cloud.staff;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.Mailer;

/**
 * Tells the staff who may do a piece of new work that it is waiting (a group sent for review, a 減免
 * application): one e-mail to each enabled member whose role has the permission — and, for work that belongs to
 * a facility, whose scope includes it — queued through the outbox in the transaction that made the work, so the
 * notice exists exactly when the work does. The message names the work and links its page; it carries no
 * resident's personal data.
 */
public final class StaffNotices {

    private final MailOutbox outbox;

    /**
     * @param outbox the mail outbox
     */
    public StaffNotices(MailOutbox outbox) {
        this.outbox = Objects.requireNonNull(outbox);
    }

    /**
     * A notice as each member receives it.
     *
     * @param kind    what it is about, kebab-case ({@code staff-group-submitted})
     * @param subject the subject
     * @param body    the body
     */
    public record Notice(String kind, String subject, String body) {

        /** Checks the parts. */
        public Notice {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * For the municipality's work (groups belong to no facility).
     *
     * @param tx             the transaction of the work
     * @param municipalityId the municipality
     * @param permission     who may do it
     * @param notice         the message
     * @param now            now
     * @return how many were queued
     */
    public int tell(DbTransaction tx, long municipalityId, Permission permission, Notice notice, Instant now) {
        return send(tx, municipalityId, StaffRepository.permittedTo(tx, municipalityId, permission), notice, now);
    }

    /**
     * For a facility's work.
     *
     * @param tx             the transaction of the work
     * @param municipalityId the municipality
     * @param permission     who may do it
     * @param facilityId     the facility it belongs to
     * @param notice         the message
     * @param now            now
     * @return how many were queued
     */
    public int tellAt(DbTransaction tx, long municipalityId, Permission permission, long facilityId, Notice notice,
                      Instant now) {
        return send(tx, municipalityId, StaffRepository.permittedAt(tx, municipalityId, permission, facilityId), notice,
                now);
    }

    private int send(DbTransaction tx, long municipalityId, List<StaffMember> members, Notice notice, Instant now) {
        for (StaffMember member : members) {
            outbox.enqueue(tx, municipalityId, notice.kind(), new Mailer.Mail(member.email(), notice.subject(),
                    notice.body()), now);
        }
        return members.size();
    }
}
