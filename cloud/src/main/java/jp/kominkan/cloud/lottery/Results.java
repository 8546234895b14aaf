package jp.kominkan.cloud.lottery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.helidon.dbclient.DbExecute;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.receipt.DailyTakings;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * What rounds show: to everyone (the rounds, their commitments, the audit file once drawn), to a resident (their own
 * applications and results), and to staff (every application's outcome, as a table or CSV).
 */
public final class Results {

    private final LotteryRepository repository;
    private final WinRepository outcomes;
    private final Rounds rounds;
    private final FacilityRepository facilities;
    private final SecretSeal seal;

    /**
     * @param repository the lottery's tables
     * @param outcomes   wins, substitutes and whom to tell
     * @param rounds     staff scope checks
     * @param facilities names of facilities and rooms
     * @param secretKey  the key sealing rounds' secrets (revealed in the audit file once drawn)
     */
    public Results(LotteryRepository repository, WinRepository outcomes, Rounds rounds, FacilityRepository facilities,
                   byte[] secretKey) {
        this.repository = repository;
        this.outcomes = outcomes;
        this.rounds = rounds;
        this.facilities = facilities;
        this.seal = new SecretSeal(secretKey);
    }

    /**
     * @param town where
     * @return the rounds residents may see (not cancelled), newest first
     */
    public List<Round> publicRounds(Municipality town) {
        return repository.rounds(town.id(), 100).stream().filter(r -> r.status() != RoundStatus.CANCELLED).toList();
    }

    /**
     * A round as residents see it.
     *
     * @param round   the round
     * @param units   its units
     * @param demand  unit id → applications wishing for it (申込状況)
     * @param rooms   room id → room
     */
    public record PublicRound(Round round, List<Unit> units, Map<Long, Integer> demand, Map<Long, Room> rooms) {
    }

    /**
     * @param town where
     * @param id   which
     * @return the round
     */
    public PublicRound publicRound(Municipality town, long id) {
        Round round = repository.round(town.id(), id).filter(r -> r.status() != RoundStatus.CANCELLED)
                .orElseThrow(() -> Problem.notFound("lottery round", "抽選回"));
        List<Unit> units = repository.units(repository.db().execute(), id);
        Map<Long, Room> rooms = new LinkedHashMap<>();
        units.forEach(u -> rooms.computeIfAbsent(u.roomId(), r -> facilities.room(town.id(), r).orElseThrow()));
        return new PublicRound(round, units, repository.demand(id), rooms);
    }

    /**
     * The public audit file of a drawn round.
     *
     * @param town where
     * @param id   which round
     * @return its audit file
     */
    public AuditFile audit(Municipality town, long id) {
        Round round = repository.round(town.id(), id)
                .filter(r -> r.status() == RoundStatus.PUBLISHED || r.status() == RoundStatus.FINISHED)
                .orElseThrow(() -> Problem.notFoundWith("not-drawn", "This round has not been drawn yet; its audit file"
                        + " is published with the results.", "この抽選はまだ抽選前です。監査ファイルは結果と同時に公開します。"));
        DbExecute exec = repository.db().execute();
        List<LotteryRepository.Stored> frozen = repository.frozen(id);
        List<Entry> entries = Drawing.entries(repository, id, frozen);
        List<Unit> units = repository.units(exec, id);
        Map<Long, String> roomNames = new LinkedHashMap<>();
        units.forEach(u -> roomNames.computeIfAbsent(u.roomId(), r -> facilities.room(town.id(), r).map(Room::name)
                .orElse("")));
        String facility = facilities.facility(town.id(), round.facilityId()).map(f -> f.name()).orElse("");
        byte[] secret = seal.open(repository.sealedSecret(exec, id).orElseThrow(), id);
        Map<Long, LotteryRepository.Stored> byId = frozen.stream()
                .collect(Collectors.toMap(LotteryRepository.Stored::id, Function.identity()));
        List<AuditFile.WinView> wins = new ArrayList<>();
        List<AuditFile.AfterDrawView> after = new ArrayList<>();
        for (WinRepository.StoredWin win : outcomes.wins(exec, id)) {
            String publicId = byId.get(win.applicationId()).publicId();
            List<Long> wish = byId.get(win.applicationId()).wishes().get(win.rank() - 1);
            if (win.source().equals("draw")) {
                wins.add(new AuditFile.WinView(publicId, win.rank(), wish));
            } else {
                after.add(new AuditFile.AfterDrawView(win.wonAt().toString(), "promoted", publicId, wish));
            }
            win.settledAt().ifPresent(at -> after.add(new AuditFile.AfterDrawView(at.toString(), "lapsed", publicId,
                    wish)));
        }
        after.sort(java.util.Comparator.comparing(AuditFile.AfterDrawView::at));
        Map<String, List<AuditFile.SubstituteView>> substitutes = new LinkedHashMap<>();
        outcomes.substitutes(exec, id).forEach((unit, list) -> substitutes.put(String.valueOf(unit), list));
        return new AuditFile(AuditFile.FORMAT, Draw.ALGORITHM,
                new AuditFile.RoundInfo(id, town.name(), facility, round.name(),
                        round.schedule().closesAt().toString(), round.drawnAt().map(Instant::toString).orElse(""),
                        round.schedule().firstComeAt().toString()),
                round.rules().tierNames(),
                new AuditFile.CapsView(Drawing.caps(round).winsPerApplicant(), Drawing.caps(round).winsPerGroup(),
                        Drawing.caps(round).substitutes()),
                units.stream().map(u -> new AuditFile.UnitView(u.id(), roomNames.get(u.roomId()),
                        u.range().start().toString(), u.range().end().toString(), u.label())).toList(),
                AuditFile.views(entries),
                new AuditFile.CommitmentView(round.applicationsCommitment().orElseThrow(),
                        round.seedCommitment().orElseThrow(), round.frozenAt().map(Instant::toString).orElse("")),
                new AuditFile.SeedView(HexFormat.of().formatHex(secret), round.randomness().orElseThrow(),
                        round.beacon().map(b -> "beacon: " + b).orElse("staff"), round.seed().orElseThrow()),
                new AuditFile.ResultView(wins, substitutes), after);
    }

    /**
     * One of a resident's applications and where it stands.
     *
     * @param publicId    its number
     * @param round       its round
     * @param tier        its priority tier's name
     * @param wishes      its wishes' labels, first first
     * @param outcome     {@code applied}, {@code won}, {@code substitute}, {@code lost}
     * @param win         the reservation won, when it won
     * @param substitutes places on substitute lists: unit label → position
     */
    public record Mine(String publicId, Round round, String tier, List<String> wishes, String outcome,
                       Optional<WinRepository.StoredWin> win, Map<String, Integer> substitutes) {
    }

    /**
     * @param town    where
     * @param account who
     * @return their applications, newest first
     */
    public List<Mine> mine(Municipality town, Account account) {
        DbExecute exec = repository.db().execute();
        List<Mine> mine = new ArrayList<>();
        Map<Long, Map<Long, Unit>> unitsByRound = new LinkedHashMap<>();
        for (LotteryRepository.Stored a : repository.applicationsOf(account.id())) {
            Optional<Round> round = repository.round(town.id(), a.roundId());
            if (round.isEmpty()) {
                continue;
            }
            Map<Long, Unit> units = unitsByRound.computeIfAbsent(a.roundId(), r -> repository.units(exec, r).stream()
                    .collect(Collectors.toMap(Unit::id, Function.identity())));
            List<String> wishes = repository.wishesOf(exec, a.id()).stream()
                    .map(w -> Drawing.labels(w.stream().map(units::get).toList())).toList();
            Optional<WinRepository.StoredWin> win = outcomes.winOf(exec, a.id());
            Map<String, Integer> places = new LinkedHashMap<>();
            outcomes.substitutePlaces(exec, a.id()).forEach((unit, place) -> places.put(units.get(unit).label(), place));
            boolean drawn = round.get().status() == RoundStatus.PUBLISHED || round.get().status() == RoundStatus.FINISHED;
            String outcome = !drawn ? "applied" : win.isPresent() ? "won" : places.isEmpty() ? "lost" : "substitute";
            List<String> tiers = round.get().rules().tierNames();
            mine.add(new Mine(a.publicId(), round.get(), tiers.get(Math.min(a.tier(), tiers.size() - 1)), wishes,
                    outcome, win, places));
        }
        return mine;
    }

    /**
     * @param town   where
     * @param member who
     * @param id     which round
     * @return every application's outcome, by public number
     */
    public List<WinRepository.StaffRow> staffRows(Municipality town, StaffMember member, long id) {
        return staffRows(town, member, id, 0, Integer.MAX_VALUE);
    }

    /**
     * @param town   where
     * @param member who
     * @param id     which round
     * @param offset rows to skip
     * @param limit  most rows
     * @return a page of the applications' outcomes, by public number
     */
    public List<WinRepository.StaffRow> staffRows(Municipality town, StaffMember member, long id, int offset,
                                                  int limit) {
        rounds.visible(town, member, id);
        return outcomes.staffRows(id, offset, limit);
    }

    /**
     * @param town   where
     * @param member who
     * @param id     which round
     * @return the results as CSV (UTF-8 with a BOM, for spreadsheets; no cell starts a formula)
     */
    public byte[] csv(Municipality town, StaffMember member, long id) {
        Round round = rounds.visible(town, member, id);
        List<String> tiers = round.rules().tierNames();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.EXCEL);
            printer.printRecord("申込番号", "氏名", "団体", "優先区分", "居住", "申込日時", "結果", "当選希望順位", "予約の状態");
            for (WinRepository.StaffRow row : outcomes.staffRows(id, 0, Integer.MAX_VALUE)) {
                printer.printRecord(row.publicId(), DailyTakings.cell(row.name()),
                        DailyTakings.cell(row.groupName().orElse("")),
                        DailyTakings.cell(tiers.get(Math.min(row.tier(), tiers.size() - 1))),
                        row.residency(), row.appliedAt().atZone(town.zone()).toLocalDateTime().toString(),
                        outcome(round, row), row.wonRank().map(String::valueOf).orElse(""),
                        row.reservationStatus().orElse(""));
            }
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * @param round a round
     * @param row   an application's row
     * @return its outcome in Japanese
     */
    public static String outcome(Round round, WinRepository.StaffRow row) {
        if (round.status() != RoundStatus.PUBLISHED && round.status() != RoundStatus.FINISHED) {
            return "抽選前";
        }
        return row.source().map(s -> s.equals("draw") ? "当選" : "繰り上げ当選").orElse("落選・補欠");
    }
}
