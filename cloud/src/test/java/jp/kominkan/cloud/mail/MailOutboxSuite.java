package jp.kominkan.cloud.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbTransaction;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.kominkan.cloud.db.Database;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mail outbox on a real database, sent by {@link MailWorker} to a real SMTP server (GreenMail): a
 * message commits with the change it reports, survives a mail server that is down, is sent once by
 * workers racing for it, and is given up but kept after the last attempt.
 */
abstract class MailOutboxSuite {

    static final String FROM = "yoyaku@city.yamabuki.example.lg.jp";
    static final Duration WAIT = Duration.ofSeconds(30);

    TestDatabases.Jdbc jdbc;
    Database database;
    MailOutbox outbox;
    MutableClock clock;
    GreenMail smtp;
    long town;
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void freshDatabaseAndMailServer() {
        jdbc = TestDatabases.fresh(kind());
        database = open();
        outbox = new MailOutbox(database.client());
        clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        town = givenMunicipality("999901", "山吹市");
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        smtp.stop();
        database.close();
    }

    @Test
    void aMessageQueuedInATransactionThatRollsBackIsNeverSent() throws Exception {
        DbTransaction rolledBack = database.client().transaction();
        rolledBack.insert("insert into municipality_host (host, municipality_id) values (?, ?)", "rolled.example",
                town);
        outbox.enqueue(rolledBack, town, "staff-invitation", mail("rolled@example.jp", "取り消された招待"), clock.instant());
        rolledBack.rollback();
        DbTransaction committed = database.client().transaction();
        committed.insert("insert into municipality_host (host, municipality_id) values (?, ?)", "kept.example", town);
        outbox.enqueue(committed, town, "staff-invitation", mail("kept@example.jp", "確定した招待"), clock.instant());
        committed.commit();

        MailWorker.Round round = worker(smtpMailer(port()), MailWorker.Settings.DEFAULT).runOnce();

        assertThat(round).isEqualTo(new MailWorker.Round(1, 1, 0, 0));
        assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
        assertThat(subjects(smtp.getReceivedMessages())).containsExactly("確定した招待");
        assertThat(count("select count(*) as n from mail_outbox")).isEqualTo(1);
        assertThat(count("select count(*) as n from municipality_host where host = 'rolled.example'")).isZero();
    }

    @Test
    void whileTheMailServerIsDownAMessageWaitsWithBackOffAndIsDeliveredOnceWhenItIsBack() throws Exception {
        int port = TestCloud.freePort();  // nothing listens here yet
        MailWorker worker = worker(smtpMailer(port), MailWorker.Settings.DEFAULT);
        outbox.enqueue(town, "reservation-cancelled-by-staff", mail("taro@example.jp", "予約取消のお知らせ"),
                clock.instant());

        assertThat(worker.runOnce()).isEqualTo(new MailWorker.Round(1, 0, 1, 0));
        MailOutbox.Entry waiting = only(outbox.recent(town, 10));
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.sentAt()).isEmpty();
        assertThat(waiting.failedAt()).isEmpty();
        assertThat(waiting.lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("ConnectException").doesNotContain("taro@example.jp"));
        assertThat(outbox.pending(town)).isEqualTo(1);

        // 30 s after the first failure, 1 min after the second, 2 min after the third.
        assertThat(worker.runOnce().claimed()).as("at once").isZero();
        clock.advance(Duration.ofSeconds(29));
        assertThat(worker.runOnce().claimed()).as("after 29 s").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(worker.runOnce()).as("after 30 s").isEqualTo(new MailWorker.Round(1, 0, 1, 0));
        clock.advance(Duration.ofSeconds(59));
        assertThat(worker.runOnce().claimed()).as("59 s after the second").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(worker.runOnce().retrying()).as("1 min after the second").isEqualTo(1);
        assertThat(only(outbox.recent(town, 10)).attempts()).isEqualTo(3);

        GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        back.start();
        closeAfter.add(back::stop);
        assertThat(worker.runOnce().claimed()).as("the server is back, the pause is not over").isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(worker.runOnce()).isEqualTo(new MailWorker.Round(1, 1, 0, 0));
        clock.advance(Duration.ofHours(2));
        assertThat(worker.runOnce().claimed()).as("nothing left").isZero();

        assertThat(back.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
        assertThat(subjects(back.getReceivedMessages())).containsExactly("予約取消のお知らせ");
        MailOutbox.Entry sent = only(outbox.recent(town, 10));
        assertThat(sent.attempts()).isEqualTo(4);
        assertThat(sent.sentAt()).contains(Instant.parse("2026-12-01T00:03:30Z"));
        assertThat(outbox.pending(town)).isZero();
        assertThat(count("select count(*) as n from mail_outbox where body is null and next_attempt_at is null"))
                .as("a sent message's body is not kept").isEqualTo(1);
    }

    @Test
    void twoWorkersOnTwoInstancesRacingOverTheSameRowsSendEachMessageOnce() throws Exception {
        int messages = 60;
        for (int i = 1; i <= messages; i++) {
            outbox.enqueue(town, "staff-invitation", mail("staff" + i + "@example.jp", "お知らせ " + i), clock.instant());
        }
        Database second = open();  // another cloud instance: its own connection pool on the same database
        closeAfter.add(second);
        MailWorker.Settings small = new MailWorker.Settings(20, Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofMinutes(5), 5);
        Mailer mailer = smtpMailer(port());
        List<MailWorker> workers = List.of(worker(outbox, mailer, small),
                worker(new MailOutbox(second.client()), mailer, small));
        List<MailWorker.Round> rounds = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(workers.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (MailWorker worker : workers) {
                done.add(threads.submit(() -> {
                    go.await();
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (outbox.pending(town) > 0 && System.nanoTime() < deadline) {
                        rounds.add(worker.runOnce());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(outbox.pending(town)).isZero();
        assertThat(rounds.stream().mapToInt(MailWorker.Round::sent).sum()).isEqualTo(messages);
        assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), messages)).isTrue();
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(messages);
        assertThat(subjects(received)).doesNotHaveDuplicates().hasSize(messages);
        assertThat(count("select count(*) as n from mail_outbox where attempts = 1 and sent_at is not null"))
                .isEqualTo(messages);
    }

    @Test
    void aWorkerStopsAtHalfItsLeaseAndLeavesTheRestUntilTheLeaseEnds() throws Exception {
        Mailer smtpServer = smtpMailer(port());
        Mailer slow = mail -> {
            smtpServer.send(mail);
            clock.advance(Duration.ofMinutes(3));  // a mail server that takes three minutes a message
        };
        for (int i = 1; i <= 3; i++) {
            outbox.enqueue(town, "staff-invitation", mail("slow" + i + "@example.jp", "遅い " + i), clock.instant());
        }
        MailWorker worker = worker(slow, MailWorker.Settings.DEFAULT);  // 5-minute lease

        assertThat(worker.runOnce()).isEqualTo(new MailWorker.Round(3, 1, 0, 0));
        assertThat(worker.runOnce().claimed()).as("still leased at 3 min").isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(worker.runOnce()).as("the lease ended at 5 min").isEqualTo(new MailWorker.Round(2, 1, 0, 0));
        clock.advance(Duration.ofMinutes(5));
        assertThat(worker.runOnce()).isEqualTo(new MailWorker.Round(1, 1, 0, 0));

        assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 3)).isTrue();
        assertThat(subjects(smtp.getReceivedMessages())).containsExactly("遅い 1", "遅い 2", "遅い 3");
        assertThat(count("select count(*) as n from mail_outbox where attempts = 1 and sent_at is not null"))
                .isEqualTo(3);
    }

    @Test
    void aMessageIsGivenUpAfterTheMaximumAttemptsAndKept() {
        MailWorker.Settings three = new MailWorker.Settings(3, Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofMinutes(5), 20);
        MailWorker worker = worker(smtpMailer(TestCloud.freePort()), three);
        outbox.enqueue(town, "staff-invitation", mail("hanako@example.jp", "招待"), clock.instant());

        assertThat(worker.runOnce().retrying()).isEqualTo(1);
        clock.advance(Duration.ofHours(1));
        assertThat(worker.runOnce().retrying()).isEqualTo(1);
        clock.advance(Duration.ofHours(1));
        assertThat(worker.runOnce()).isEqualTo(new MailWorker.Round(1, 0, 0, 1));
        clock.advance(Duration.ofDays(1));
        assertThat(worker.runOnce().claimed()).as("never tried again").isZero();

        MailOutbox.Entry gaveUp = only(outbox.recent(town, 10));
        assertThat(gaveUp.attempts()).isEqualTo(3);
        assertThat(gaveUp.failedAt()).contains(Instant.parse("2026-12-01T02:00:00Z"));
        assertThat(gaveUp.sentAt()).isEmpty();
        assertThat(gaveUp.lastError()).isNotEmpty();
        assertThat(gaveUp.recipient()).isEqualTo("hanako@example.jp");
        assertThat(outbox.pending(town)).isZero();
        assertThat(count("select count(*) as n from mail_outbox where body is null")).isEqualTo(1);
    }

    @Test
    void japaneseSubjectAndBodyArriveIntact() throws Exception {
        String subject = "【山吹市】予約取消のお知らせ（髙橋・𠮷田 様）";
        String body = """
                髙橋 様

                次のご予約は、施設の点検のため取り消されました。
                　施設：山吹市民会館 大会議室
                　日時：2026年12月24日（木）10:00〜12:00
                使用料は全額お返しします。ご不便をおかけし申し訳ございません。①②③ ～ ¥1,200
                """;
        outbox.enqueue(town, "reservation-cancelled-by-staff", new Mailer.Mail("takahashi@example.jp", subject, body),
                clock.instant());

        assertThat(worker(smtpMailer(port()), MailWorker.Settings.DEFAULT).runOnce().sent()).isEqualTo(1);

        assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
        MimeMessage message = smtp.getReceivedMessages()[0];
        assertThat(message.getSubject()).isEqualTo(subject);
        assertThat(((String) message.getContent()).replace("\r\n", "\n")).isEqualTo(body);
        assertThat(message.getContentType()).containsIgnoringCase("utf-8");
        assertThat(((InternetAddress) message.getFrom()[0]).getAddress()).isEqualTo(FROM);
        assertThat(only(outbox.recent(town, 1)).subject()).isEqualTo(subject);
    }

    @Test
    void failuresAreKeptWithoutAddressesAndNothingPersonalIsLogged() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger mailLog = Logger.getLogger("jp.kominkan.cloud.mail");
        java.util.logging.Level before = mailLog.getLevel();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        mailLog.setLevel(java.util.logging.Level.ALL);
        mailLog.setUseParentHandlers(false);  // captured, not printed
        mailLog.addHandler(capture);
        try {
            Mailer refusing = mail -> {
                throw new Mailer.MailFailure("550 5.1.1 <" + mail.to() + ">: Recipient address rejected",
                        new IllegalStateException("RCPT TO:<" + mail.to() + "> refused; cc jiro@example.jp"));
            };
            outbox.enqueue(town, "staff-invitation", mail("hanako@example.jp", "秘密の件名"), clock.instant());
            outbox.enqueue(town, "staff-invitation", mail("ichiro@example.jp", "秘密の件名"), clock.instant());
            assertThat(worker(refusing, MailWorker.Settings.DEFAULT).runOnce().retrying()).isEqualTo(2);
            clock.advance(Duration.ofMinutes(1));
            assertThat(worker(refusing, new MailWorker.Settings(1, Duration.ofSeconds(30), Duration.ofHours(1),
                    Duration.ofMinutes(5), 1)).runOnce().failed()).isEqualTo(1);
            assertThat(worker(smtpMailer(port()), MailWorker.Settings.DEFAULT).runOnce().sent()).isEqualTo(1);
        } finally {
            mailLog.removeHandler(capture);
            mailLog.setUseParentHandlers(true);
            mailLog.setLevel(before);
        }

        List<String> errors = outbox.recent(town, 10).stream().map(e -> e.lastError().orElseThrow()).toList();
        assertThat(errors).hasSize(2).allSatisfy(error -> assertThat(error)
                .contains("Recipient address rejected", "<recipient>", "<address>").doesNotContain("@"));
        assertThat(logged).as("the worker logs what it did").anyMatch(line -> line.startsWith("WARNING Gave up mail"))
                .anyMatch(line -> line.contains("attempt 1 failed"));
        assertThat(logged).noneMatch(line -> line.contains("@") || line.contains("秘密") || line.contains("本文"));
    }

    @Test
    void theStaffPageSeesItsOwnMunicipalitysMessagesNewestFirst() {
        long other = givenMunicipality("999902", "桜川町");
        outbox.enqueue(town, "staff-invitation", mail("a@example.jp", "一通目"), clock.instant());
        clock.advance(Duration.ofSeconds(1));
        outbox.enqueue(town, "staff-invitation", mail("b@example.jp", "二通目"), clock.instant());
        clock.advance(Duration.ofSeconds(1));
        outbox.enqueue(town, "reservation-cancelled-by-staff", mail("c@example.jp", "三通目"), clock.instant());
        outbox.enqueue(other, "staff-invitation", mail("d@example.jp", "よその町"), clock.instant());

        assertThat(outbox.pending(town)).isEqualTo(3);
        assertThat(outbox.pending(other)).isEqualTo(1);
        List<MailOutbox.Entry> latest = outbox.recent(town, 2);
        assertThat(latest).extracting(MailOutbox.Entry::subject).containsExactly("三通目", "二通目");
        assertThat(latest.get(0).kind()).isEqualTo("reservation-cancelled-by-staff");
        assertThat(latest.get(0).recipient()).isEqualTo("c@example.jp");
        assertThat(latest.get(0).createdAt()).isEqualTo(Instant.parse("2026-12-01T00:00:02Z"));

        assertThat(worker(smtpMailer(port()), MailWorker.Settings.DEFAULT).runOnce().sent()).isEqualTo(4);
        assertThat(outbox.pending(town)).isZero();
        assertThat(outbox.recent(town, 10)).hasSize(3).allSatisfy(entry -> {
            assertThat(entry.sentAt()).contains(clock.instant());
            assertThat(entry.attempts()).isEqualTo(1);
            assertThat(entry.lastError()).isEmpty();
        });
    }

    @Test
    void malformedMailIsRefusedAndNothingIsQueued() {
        assertThatThrownBy(() -> outbox.enqueue(town, "Staff Invitation", mail("a@example.jp", "件名"), clock.instant()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kebab-case");
        assertThatThrownBy(() -> outbox.enqueue(town, "staff-invitation", mail("a@example.jp", "長".repeat(401)),
                clock.instant())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
        assertThatThrownBy(() -> outbox.enqueue(town, "staff-invitation",
                new Mailer.Mail("a@example.jp", "件名", "本".repeat(20_001)), clock.instant()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body");
        assertThat(count("select count(*) as n from mail_outbox")).isZero();
        // The longest allowed fits the columns on both databases.
        outbox.enqueue(town, "staff-invitation", new Mailer.Mail("a".repeat(240) + "@example.jp", "長".repeat(400),
                "本".repeat(20_000)), clock.instant());
        assertThat(count("select count(*) as n from mail_outbox")).isEqualTo(1);
    }

    private Database open() {
        return Database.open(TestCloud.config(jdbc, Map.of()).get("db"));
    }

    private int port() {
        return smtp.getSmtp().getPort();
    }

    private MailWorker worker(Mailer mailer, MailWorker.Settings settings) {
        return worker(outbox, mailer, settings);
    }

    private MailWorker worker(MailOutbox box, Mailer mailer, MailWorker.Settings settings) {
        return new MailWorker(box, mailer, clock, settings);
    }

    private static Mailer smtpMailer(int port) {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("port", Integer.toString(port));
        settings.put("from", FROM);
        settings.put("timeout", "PT5S");
        return SmtpMailer.fromConfig(Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(settings))
                .build());
    }

    private static Mailer.Mail mail(String to, String subject) {
        return new Mailer.Mail(to, subject, "本文: " + subject);
    }

    private long givenMunicipality(String code, String name) {
        database.client().execute().insert("""
                insert into municipality (code, name, name_kana, prefecture, city, zone_id)
                values (?, ?, ?, ?, ?, ?)""", code, name, "かな", "東京都", name, "Asia/Tokyo");
        return database.client().execute().get("select id from municipality where code = ?", code)
                .map(row -> Sql.longValue(row, "id")).orElseThrow();
    }

    private long count(String sql) {
        return database.client().execute().get(sql).map(row -> Sql.longValue(row, "n")).orElseThrow();
    }

    private static MailOutbox.Entry only(List<MailOutbox.Entry> entries) {
        assertThat(entries).hasSize(1);
        return entries.getFirst();
    }

    private static List<String> subjects(MimeMessage[] messages) throws Exception {
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : messages) {
            subjects.add(m.getSubject());
        }
        return subjects;
    }
}
