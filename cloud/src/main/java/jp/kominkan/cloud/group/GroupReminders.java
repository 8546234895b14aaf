package jp.kominkan.cloud.group;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.Mailer;

/**
 * The sweep a timer runs: tells each representative once, {@link Groups.Settings#renewalWindowDays} days
 * before their group's approval ends, that it can be renewed (更新のご案内), and marks groups whose approval
 * has ended as expired. The reminder is remembered on the group in the transaction that queues its mail, so
 * two cloud instances sweeping at the same moment send it once; a new approval forgets it.
 *
 * <p>Dates are Japan's (every municipality is in Asia/Tokyo): the approval's last day is a whole day there.
 */
public final class GroupReminders {

    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    private final GroupRepository repository;
    private final MailOutbox outbox;
    private final Clock clock;
    private final int windowDays;

    /**
     * @param repository the SQL
     * @param outbox     the mail outbox
     * @param clock      the clock
     * @param windowDays how many days before the last day to remind
     */
    public GroupReminders(GroupRepository repository, MailOutbox outbox, Clock clock, int windowDays) {
        this.repository = repository;
        this.outbox = outbox;
        this.clock = clock;
        this.windowDays = windowDays;
    }

    /**
     * What one sweep did.
     *
     * @param reminded representatives reminded
     * @param expired  groups marked expired
     */
    public record Sweep(int reminded, long expired) {
    }

    /** @return what this sweep did */
    public Sweep sweep() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, JAPAN);
        int reminded = 0;
        for (GroupRepository.Reminder due : repository.dueReminders(today, today.plusDays(windowDays))) {
            boolean sent = Sql.inTransaction(repository.db(), tx -> {
                if (!repository.markReminded(tx, due.groupId(), now)) {
                    return false; // another instance was first
                }
                due.email().ifPresent(email -> outbox.enqueue(tx, due.municipalityId(), "group-renewal-reminder",
                        reminder(email, due), now));
                return true;
            });
            reminded += sent ? 1 : 0;
        }
        return new Sweep(reminded, repository.expire(today, now));
    }

    private static Mailer.Mail reminder(String email, GroupRepository.Reminder due) {
        return new Mailer.Mail(email, "【団体登録】承認の有効期限が近づいています（" + due.validUntil() + " まで）",
                "団体「" + due.name() + "」の登録の有効期限は " + due.validUntil() + " です。\n\n"
                        + "引き続きご利用になる場合は、期限までにマイページの「団体登録」（/groups/" + due.groupId()
                        + "）から更新を申請してください。審査中も期限までは登録が有効です。\n"
                        + "期限を過ぎると登録は期限切れとなり、団体としての予約や減免が使えなくなります。");
    }
}
