package jp.kominkan.cloud.lottery;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.booking.LotteryBookings;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The close and the draw (締切と抽選). At the close the applications are frozen and committed to, with the server's
 * secret sealed and its hash published; at the draw staff enter randomness (or the beacon's value), the seed is
 * made from both and the commitment, the draw runs, and its results become held reservations and substitute lists
 * in the one transaction that publishes the round — so a slot is never given twice and a round is drawn once.
 * {@link ResultMail} then tells every applicant.
 */
public final class Drawing {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("M月d日 H:mm");

    private final LotteryRepository repository;
    private final WinRepository outcomes;
    private final Rounds rounds;
    private final LotteryBookings bookings;
    private final AccountService accounts;
    private final FacilityRepository facilities;
    private final OperationLog log;
    private final SecretSeal seal;
    private final Clock clock;

    /**
     * @param repository the lottery's tables
     * @param outcomes   wins, substitutes and whom to tell
     * @param rounds     the staff's rounds (scope checks)
     * @param bookings   places wins
     * @param accounts   winners' accounts
     * @param facilities rooms
     * @param log        the operation log
     * @param secretKey  the key sealing rounds' secrets
     * @param clock      the clock
     */
    public Drawing(LotteryRepository repository, WinRepository outcomes, Rounds rounds, LotteryBookings bookings,
                   AccountService accounts, FacilityRepository facilities, OperationLog log, byte[] secretKey,
                   Clock clock) {
        this.repository = repository;
        this.outcomes = outcomes;
        this.rounds = rounds;
        this.bookings = bookings;
        this.accounts = accounts;
        this.facilities = facilities;
        this.log = log;
        this.seal = new SecretSeal(secretKey);
        this.clock = clock;
    }

    /**
     * Freezes every round whose application window has ended; called on a timer.
     *
     * @return how many were frozen
     */
    public int freezeDue() {
        int frozen = 0;
        for (long id : repository.due("open", "closes_at", clock.instant())) {
            if (freeze(id)) {
                frozen++;
            }
        }
        return frozen;
    }

    /**
     * Freezes one round: in a transaction holding the round's row, so that no application is being added while the
     * list is committed to.
     *
     * @param roundId the round
     * @return false when it was not open or not due
     */
    public boolean freeze(long roundId) {
        Instant now = clock.instant();
        return Sql.inTransaction(repository.db(), tx -> {
            Round round = repository.lock(tx, roundId).orElseThrow();
            if (round.status() != RoundStatus.OPEN || now.isBefore(round.schedule().closesAt())) {
                return false;
            }
            String commitment = Commitments.applications(frame(tx, round),
                    entries(repository, roundId, repository.frozen(roundId)));
            byte[] secret = SecretSeal.newSecret();
            repository.freeze(tx, roundId, commitment, Commitments.seedCommitment(secret), seal.seal(secret, roundId), now);
            return true;
        });
    }

    /**
     * What the draw published.
     *
     * @param round        the round, now published
     * @param wins         how many wins
     * @param applications how many applications were drawn
     */
    public record Published(Round round, int wins, int applications) {
    }

    /**
     * Draws a closed round and publishes its results.
     *
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param roundId    which
     * @param randomness what staff entered (dice, a lottery machine's numbers), or the beacon's published value
     * @return what was published
     */
    public Published draw(Municipality town, StaffMember member, Actor actor, long roundId, String randomness) {
        Round visible = rounds.visible(town, member, roundId);
        String entered = Normalizer.normalize(randomness == null ? "" : randomness, Normalizer.Form.NFKC).strip();
        if (entered.length() < 8 || entered.length() > 200 || entered.chars().anyMatch(Character::isISOControl)) {
            throw Problem.badField("randomness", visible.beacon().isPresent()
                            ? "Enter the beacon's published value (8 to 200 characters)."
                            : "Enter 8 to 200 characters of randomness drawn in public (dice, a lottery machine).",
                    visible.beacon().isPresent() ? "ビーコンが公開した値を入力してください（8〜200 文字）。"
                            : "公開の場で決めた乱数（さいころ・抽選機の数字など）を 8〜200 文字で入力してください。");
        }
        Instant now = clock.instant();
        // The randomness is kept before the draw runs, in its own transaction: should the draw then fail (a room's
        // fee schedule that cannot price a win, say), it is run again with the same value, never re-rolled.
        Sql.inTransaction(repository.db(), tx -> {
            Round round = repository.lock(tx, roundId).orElseThrow();
            if (round.status() == RoundStatus.CLOSED && !now.isBefore(round.schedule().drawAt())
                    && !repository.enterRandomness(tx, roundId, entered)
                    && !round.randomness().orElse("").equals(entered)) {
                throw Problem.conflict("randomness-entered", "Randomness was entered for this round already;"
                                + " draw it with the same value.",
                        "この抽選には乱数がすでに入力されています。同じ値で抽選してください。");
            }
            return null;
        });
        Published published = Sql.inTransaction(repository.db(), tx -> {
            Round round = repository.lock(tx, roundId).orElseThrow();
            switch (round.status()) {
                case OPEN -> throw Problem.conflict("not-closed", "Applications are still open; the draw comes after the close.",
                        "まだ申込期間中です。抽選は締切の後に行います。");
                case PUBLISHED, FINISHED -> throw Problem.conflict("already-drawn",
                        "This round has been drawn and published; it is never drawn again.",
                        "この抽選はすでに抽選・公表済みです。やり直しはできません。");
                case CANCELLED -> throw Problem.conflict("round-cancelled", "This round was called off.",
                        "この抽選は中止されています。");
                case CLOSED -> {
                }
            }
            if (now.isBefore(round.schedule().drawAt())) {
                throw Problem.conflict("too-early", "The draw may run from " + round.schedule().drawAt() + ".",
                        "抽選は " + WHEN.withZone(town.zone()).format(round.schedule().drawAt()) + " から行えます。");
            }
            if (!now.isBefore(round.schedule().confirmBy())) {
                throw Problem.conflict("too-late", "The confirmation deadline has passed; the round cannot be drawn.",
                        "当選確定期限を過ぎているため抽選できません。抽選回を中止して日程を組み直してください。");
            }
            return publish(tx, town, member, actor, round, entered, now);
        });
        return published;
    }

    private Published publish(DbTransaction tx, Municipality town, StaffMember member, Actor actor, Round round,
                              String randomness, Instant now) {
        long roundId = round.id();
        List<LotteryRepository.Stored> frozen = repository.frozen(roundId);
        List<Entry> entries = entries(repository, roundId, frozen);
        String commitment = Commitments.applications(frame(tx, round), entries);
        if (!commitment.equals(round.applicationsCommitment().orElse(""))) {
            throw new IllegalStateException("Round " + roundId + "'s applications changed after the close");
        }
        byte[] secret = seal.open(repository.sealedSecret(tx, roundId).orElseThrow(), roundId);
        byte[] seed = Commitments.seed(secret, randomness, commitment);
        List<Unit> units = repository.units(tx, roundId);
        DrawResult result = Draw.run(units.stream().map(Unit::id).toList(), entries, caps(round), seed);
        if (!repository.publish(tx, roundId, randomness, HexFormat.of().formatHex(seed), member.id(), now)) {
            throw Problem.conflict("already-drawn", "This round has just been drawn.", "この抽選はたった今抽選されました。");
        }
        Map<String, LotteryRepository.Stored> byPublicId = frozen.stream()
                .collect(Collectors.toMap(LotteryRepository.Stored::publicId, Function.identity()));
        Map<Long, Unit> unitById = units.stream().collect(Collectors.toMap(Unit::id, Function.identity()));
        Map<Long, Room> rooms = new HashMap<>();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < result.order().size(); i++) {
            position.put(result.order().get(i), i + 1);
        }
        // Every win is priced first (a schedule that cannot price one fails the draw before anything is written);
        // then every won unit lets go of its block, in a few statements rather than three per unit.
        List<LotteryBookings.PricedWin> priced = new ArrayList<>(result.wins().size());
        List<Account> winners = new ArrayList<>(result.wins().size());
        for (DrawResult.Win win : result.wins()) {
            LotteryRepository.Stored application = byPublicId.get(win.application());
            Account winner = winner(town, application);
            winners.add(winner);
            priced.add(price(town, winner, application, win.units().stream().map(unitById::get).toList(), rooms, now));
        }
        release(tx, result.wins().stream().flatMap(w -> w.units().stream()).map(unitById::get).toList());
        int order = 0;
        for (int i = 0; i < result.wins().size(); i++) {
            DrawResult.Win win = result.wins().get(i);
            LotteryRepository.Stored application = byPublicId.get(win.application());
            List<Unit> won = win.units().stream().map(unitById::get).toList();
            Reservation reservation = bookings.placeWin(tx, winners.get(i), priced.get(i), deadline(round, won),
                    "lottery-" + application.publicId(), now);
            outcomes.insertWin(tx, roundId, application.id(), win.rank(), reservation.id(), "draw",
                    Optional.of(++order), now);
        }
        List<Object[]> substitutes = new ArrayList<>();
        result.substitutes().forEach((unit, list) -> {
            for (int i = 0; i < list.size(); i++) {
                DrawResult.Substitute s = list.get(i);
                substitutes.add(new Object[] {unit, i + 1, byPublicId.get(s.application()).id(), s.rank(),
                        position.get(s.application())});
            }
        });
        outcomes.insertSubstitutes(tx, substitutes);
        // Each applicant's result goes to the mail outbox after this commit, a thousand a transaction
        // (ResultMail): nothing is lost, since whose result is unsent is kept on the application.
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("seed", HexFormat.of().formatHex(seed));
        after.put("applications", entries.size());
        after.put("wins", result.wins().size());
        log.append(tx, town.id(), actor, Change.of("lottery.round.draw", "lottery-round", roundId, round.facilityId(),
                Map.of("status", "closed"), after), now);
        return new Published(repository.lock(tx, roundId).orElseThrow(), result.wins().size(), entries.size());
    }

    /**
     * Books a won wish for its applicant: prices it first (reads only), then frees the units' lottery blocks and
     * holds a reservation until the deadline.
     *
     * @throws jp.kominkan.cloud.web.Problem when the room's fee schedule cannot price it; nothing is written then
     */
    Reservation placeUntil(DbTransaction tx, Municipality town, LotteryRepository.Stored application, List<Unit> units,
                           Map<Long, Room> rooms, Instant deadline, Instant now) {
        Account account = winner(town, application);
        LotteryBookings.PricedWin priced = price(town, account, application, units, rooms, now);
        release(tx, units);
        return bookings.placeWin(tx, account, priced, deadline, "lottery-" + application.publicId(), now);
    }

    /** Frees units from their lottery blocks: the units let go of them first, since they refer to them. */
    private void release(DbTransaction tx, List<Unit> units) {
        List<Long> blocks = units.stream().map(u -> u.blockId().orElseThrow(
                () -> new IllegalStateException("unit " + u.id() + " is not held for the lottery"))).toList();
        repository.clearBlocks(tx, units.stream().map(Unit::id).toList());
        bookings.releaseUnits(tx, blocks);
    }

    private LotteryBookings.PricedWin price(Municipality town, Account account, LotteryRepository.Stored application,
                                            List<Unit> units, Map<Long, Room> rooms, Instant now) {
        Room room = rooms.computeIfAbsent(units.get(0).roomId(), id -> facilities.room(town.id(), id).orElseThrow());
        return bookings.price(account, room, new SlotRange(units.get(0).range().start(),
                units.get(units.size() - 1).range().end()), application.purpose(), application.attendees(),
                application.groupId(), now);
    }

    /**
     * The winner as priced: with the residency judged at application (a verification that expires meanwhile does
     * not make a resident pay the 市外 fee). An account deleted since the close still holds its frozen application:
     * its win is held in its name and lapses unconfirmed to the next substitute, so the draw's result stays the one
     * the audit file recomputes.
     */
    private Account winner(Municipality town, LotteryRepository.Stored application) {
        Account found = accounts.find(application.accountId()).orElseGet(() -> new Account(application.accountId(),
                town.id(), Optional.empty(), "(退会済み)", Account.Residency.UNKNOWN));
        return new Account(found.id(), found.municipalityId(), found.email(), found.name(),
                Account.Residency.of(application.residency()));
    }

    static Caps caps(Round round) {
        return new Caps(round.rules().winsPerPerson(), round.rules().winsPerGroup(), round.rules().substitutes());
    }

    private Commitments.Frame frame(DbExecute exec, Round round) {
        return new Commitments.Frame(round.id(), caps(round), repository.units(exec, round.id()).stream()
                .map(Unit::id).toList());
    }

    static Instant deadline(Round round, List<Unit> units) {
        Instant start = units.get(0).range().start();
        return round.schedule().confirmBy().isAfter(start) ? start : round.schedule().confirmBy();
    }

    static String labels(List<Unit> units) {
        return units.stream().map(Unit::label).collect(Collectors.joining("、"));
    }

    /**
     * The frozen applications as the draw and the audit file see them, pseudonymised with the round's salt.
     *
     * @param repository the lottery's tables
     * @param roundId    the round
     * @param frozen     its applications, as {@link LotteryRepository#frozen} read them
     * @return the entries
     */
    static List<Entry> entries(LotteryRepository repository, long roundId, List<LotteryRepository.Stored> frozen) {
        PersonKeys.Pseudonyms pseudonyms = new PersonKeys.Pseudonyms(repository.salt(repository.db().execute(), roundId));
        List<Entry> entries = new ArrayList<>(frozen.size());
        for (LotteryRepository.Stored a : frozen) {
            entries.add(new Entry(a.publicId(), pseudonyms.of("p", a.personKey()),
                    a.groupId().map(g -> pseudonyms.of("g", String.valueOf(g))), a.tier(), a.wishes()));
        }
        return entries;
    }
}
