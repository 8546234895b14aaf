package jp.kominkan.cloud.lottery;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.Mailer;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.municipality.Municipality;

/**
 * Tells every applicant of a drawn round their result (当選・補欠・落選のお知らせ) through the mail outbox, a thousand
 * applications a transaction, marking each as told in the transaction that queues its mail: a round of 100,000
 * applications is published in seconds, and its mail follows on the lottery's timer without a message lost or sent
 * twice (the round's row is locked while a batch is queued, so two instances take turns).
 */
public final class ResultMail {

    private static final int BATCH = 1000;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("M月d日 H:mm");

    private final LotteryRepository repository;
    private final WinRepository outcomes;
    private final Municipalities municipalities;
    private final MailOutbox outbox;
    private final Clock clock;

    /**
     * @param repository     the lottery's tables
     * @param outcomes   wins, substitutes and whom to tell
     * @param municipalities municipalities
     * @param outbox         the mail outbox
     * @param clock          the clock
     */
    public ResultMail(LotteryRepository repository, WinRepository outcomes, Municipalities municipalities,
                      MailOutbox outbox, Clock clock) {
        this.repository = repository;
        this.outcomes = outcomes;
        this.municipalities = municipalities;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Queues the results of every drawn round not yet told.
     *
     * @return how many mails were queued
     */
    public int sendDue() {
        int queued = 0;
        for (long roundId : outcomes.untold()) {
            queued += send(roundId);
        }
        return queued;
    }

    private int send(long roundId) {
        Round round = repository.lockless(roundId).orElseThrow();
        Municipality town = municipalities.byId(round.municipalityId()).orElseThrow();
        Map<Long, Unit> units = repository.units(repository.db().execute(), roundId).stream()
                .collect(Collectors.toMap(Unit::id, Function.identity()));
        Map<Long, String> results = new HashMap<>();
        Map<Long, List<List<Long>>> wishes = new HashMap<>();
        for (LotteryRepository.Stored a : repository.frozen(roundId)) {
            wishes.put(a.id(), a.wishes());
        }
        for (WinRepository.StoredWin win : outcomes.wins(repository.db().execute(), roundId)) {
            if (win.source().equals("draw")) {
                List<Unit> won = wishes.get(win.applicationId()).get(win.rank() - 1).stream().map(units::get).toList();
                results.put(win.applicationId(), "当選: 第" + win.rank() + "希望 " + Drawing.labels(won)
                        + "\n当選確定（お支払い）の期限: " + WHEN.withZone(town.zone()).format(Drawing.deadline(round, won)));
            }
        }
        outcomes.substitutePlacesOf(roundId).forEach((application, places) -> results.merge(application,
                places.entrySet().stream().map(e -> "補欠 " + e.getValue() + " 番: " + units.get(e.getKey()).label())
                        .collect(Collectors.joining("\n")), (a, b) -> a + "\n" + b));
        int queued = 0;
        while (true) {
            Instant now = clock.instant();
            Integer batch = Sql.inTransaction(repository.db(), tx -> {
                repository.lock(tx, roundId).orElseThrow();
                List<WinRepository.Untold> untold = outcomes.untold(tx, roundId, BATCH);
                List<Mailer.Mail> won = new ArrayList<>();
                List<Mailer.Mail> other = new ArrayList<>();
                for (WinRepository.Untold u : untold) {
                    if (u.email().isEmpty()) {
                        continue;
                    }
                    String result = results.getOrDefault(u.applicationId(), "落選（補欠にも入りませんでした）");
                    boolean isWin = result.startsWith("当選");
                    (isWin ? won : other).add(new Mailer.Mail(u.email().get(), "【抽選結果】" + round.name(),
                            body(town, round, u, result, isWin)));
                }
                outbox.enqueueAll(tx, town.id(), "lottery-won", won, now);
                outbox.enqueueAll(tx, town.id(), "lottery-result", other, now);
                outcomes.told(tx, untold.stream().map(WinRepository.Untold::applicationId).toList(), now);
                return untold.size();
            });
            queued += batch;
            if (batch < BATCH) {
                return queued;
            }
        }
    }

    private static String body(Municipality town, Round round, WinRepository.Untold u, String result,
                               boolean won) {
        return u.name() + " 様\n\n" + round.name() + " の抽選結果をお知らせします。\n\n申込番号: " + u.publicId() + "\n"
                + result + "\n\n"
                + (won ? "期限までにマイページの「抽選の申込」から当選を確定し、使用料をお支払いください。期限を過ぎると当選は"
                + "取り消され、補欠の方に繰り上がります。\n" : "")
                + "抽選の記録（監査ファイル）は /lottery/rounds/" + round.id() + " で公開しています。\n\n"
                + town.name() + " 施設予約";
    }
}
