package jp.kominkan.cloud.caretaking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.alarm.Alarm;
import jp.kominkan.cloud.alarm.AlarmRepository;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.Mailer;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;

/**
 * An alarm nobody has acknowledged within {@code after} is mailed to the facility's caretakers (those
 * whose scope holds the facility; when it has none, to everyone who may acknowledge it there), once:
 * the alarm is marked escalated in the transaction that puts the mail in the outbox, so two instances
 * never both mail, and a mail server that is down delays the mail but never loses it.
 */
final class Escalation {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("M月d日 H:mm");

    private final DbClient db;
    private final AlarmRepository alarms;
    private final MailOutbox outbox;
    private final Municipalities municipalities;
    private final Clock clock;
    private final Duration after;

    Escalation(DbClient db, AlarmRepository alarms, MailOutbox outbox, Municipalities municipalities, Clock clock,
               Duration after) {
        this.db = db;
        this.alarms = alarms;
        this.outbox = outbox;
        this.municipalities = municipalities;
        this.clock = clock;
        this.after = after;
    }

    /** @return alarms escalated now */
    int sweep() {
        Instant now = clock.instant();
        int escalated = 0;
        for (Alarm alarm : alarms.dueForEscalation(now.minus(after), 100)) {
            Municipality town = municipalities.byId(alarm.municipalityId()).orElseThrow();
            List<StaffMember> able = StaffRepository.permittedAt(db.execute(), town.id(), Permission.OPERATE_DOORS,
                    alarm.facilityId());
            List<StaffMember> caretakers = able.stream().filter(m -> m.role() == StaffRole.CARETAKER).toList();
            List<StaffMember> to = caretakers.isEmpty() ? able : caretakers;
            String where = place(alarm);
            List<Mailer.Mail> mails = to.stream().map(m -> mail(town, alarm, where, m)).toList();
            boolean mine = Sql.inTransaction(db, tx -> {
                if (!alarms.markEscalated(tx, alarm.id(), now)) {
                    return false;
                }
                outbox.enqueueAll(tx, town.id(), "door-alarm", mails, now);
                return true;
            });
            escalated += mine ? 1 : 0;
        }
        return escalated;
    }

    private String place(Alarm alarm) {
        String facility = db.execute().get("select name from facility where id = ?", alarm.facilityId())
                .map(row -> Sql.text(row, "name")).orElse("");
        String door = alarm.doorId().flatMap(id -> db.execute().get("select name from door where id = ?", id))
                .map(row -> " " + Sql.text(row, "name")).orElse("");
        return facility + door;
    }

    private Mailer.Mail mail(Municipality town, Alarm alarm, String where, StaffMember to) {
        String body = to.name() + " 様\n\n"
                + where + " で次の警報が " + after.toMinutes() + " 分以上確認されていません。\n\n"
                + "  警報: " + alarm.kind().japanese() + "\n"
                + "  発生: " + WHEN.format(alarm.raisedAt().atZone(town.zone()))
                + (alarm.occurrences() > 1 ? "（" + alarm.occurrences() + "回）" : "") + "\n"
                + alarm.detail().map(d -> "  詳細: " + d + "\n").orElse("")
                + "\n管理画面の「扉の状況」（/staff/doors）で状況を確かめ、対応メモを付けて確認してください。\n"
                + "このメールは " + town.name() + " の公共施設予約システムから自動で送られています。\n";
        return new Mailer.Mail(to.email(), "【扉の警報】" + alarm.kind().japanese() + " — " + where, body);
    }
}
