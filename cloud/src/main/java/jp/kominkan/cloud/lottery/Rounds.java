package jp.kominkan.cloud.lottery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.booking.LotteryBookings;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * Rounds as staff run them (抽選の設定): define one, which holds its units for the lottery at once; list and watch
 * them; call one off before the draw. Every call checks {@link Permission#RUN_LOTTERY} for the round's facility.
 */
public final class Rounds {

    private final LotteryRepository repository;
    private final FacilityRepository facilities;
    private final LotteryBookings bookings;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param repository the lottery's tables
     * @param facilities rooms and closed days
     * @param bookings   holds units in the room slots
     * @param log        the operation log
     * @param clock      the clock
     */
    public Rounds(LotteryRepository repository, FacilityRepository facilities, LotteryBookings bookings,
                  OperationLog log, Clock clock) {
        this.repository = repository;
        this.facilities = facilities;
        this.bookings = bookings;
        this.log = log;
        this.clock = clock;
    }

    /**
     * A round defined.
     *
     * @param round   the round
     * @param units   how many units it holds
     * @param skipped dates and bands left out, and why (closed, outside hours, already booked)
     */
    public record Created(Round round, int units, List<String> skipped) {
    }

    /**
     * Defines a round and holds its units with lottery blocks, in one transaction; units already booked or blocked
     * are left out and named.
     *
     * @param town   where
     * @param member who
     * @param actor  who, from where
     * @param plan   what
     * @return the round
     */
    public Created create(Municipality town, StaffMember member, Actor actor, RoundPlan plan) {
        require(member, plan.facilityId());
        facilities.facility(town.id(), plan.facilityId()).orElseThrow(() -> Problem.notFound("facility", "施設"));
        Map<Long, Room> rooms = new LinkedHashMap<>();
        for (long roomId : plan.roomIds()) {
            Room room = facilities.room(town.id(), roomId).filter(r -> r.facilityId() == plan.facilityId())
                    .orElseThrow(() -> Problem.badField("roomIds", "Room " + roomId + " is not in this facility.",
                            "部屋 " + roomId + " はこの施設の部屋ではありません。"));
            rooms.put(roomId, room);
        }
        Instant now = clock.instant();
        if (plan.schedule().opensAt().isBefore(now.minusSeconds(3600))) {
            throw Problem.badField("schedule", "Applications cannot open in the past.", "申込開始を過去にはできません。");
        }
        RoundPlan.Planned planned = plan.units(rooms,
                facilities.closedDays(plan.facilityId(), plan.from(), plan.to()), town.zone());
        if (planned.units().isEmpty()) {
            throw Problem.badField("days", "No unit is left: every date and band is closed or outside opening hours.",
                    "抽選の枠がありません（休館日か利用時間外です）。曜日・時間帯を見直してください。");
        }
        Instant firstUse = planned.units().stream().map(u -> u.range().start()).min(Instant::compareTo).orElseThrow();
        if (plan.schedule().firstComeAt().isAfter(firstUse)) {
            throw Problem.badField("schedule", "First-come booking must open before the first unit is used.",
                    "先着順の受付開始は、最初の利用日時より前にしてください。");
        }
        String salt = PersonKeys.newSalt();
        UUID series = UUID.randomUUID();
        List<String> skipped = new ArrayList<>(planned.skipped());
        DbTransaction tx = repository.db().transaction();
        try {
            long id = repository.insertRound(tx, town.id(), plan, salt, Optional.of(member.id()), now);
            int held = 0;
            for (RoundPlan.PlannedUnit unit : planned.units()) {
                if (repository.slotsTaken(tx, unit.roomId(), unit.range())) {
                    skipped.add(unit.label() + ": 予約・ブロック済み");
                    continue;
                }
                long block = bookings.holdUnit(tx, town.id(), unit.roomId(), unit.range(), "抽選: " + plan.name(), series);
                repository.insertUnit(tx, id, unit, block);
                held++;
            }
            if (held == 0) {
                throw Problem.conflict("no-units", "Every unit is booked or blocked already.",
                        "すべての枠がすでに予約・ブロックされています。");
            }
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("name", plan.name());
            after.put("units", held);
            after.put("closesAt", plan.schedule().closesAt().toString());
            after.put("firstComeAt", plan.schedule().firstComeAt().toString());
            log.append(tx, town.id(), actor, Change.of("lottery.round.create", "lottery-round", id, plan.facilityId(),
                    null, after), now);
            tx.commit();
            return new Created(repository.round(town.id(), id).orElseThrow(), held, skipped);
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION || SqlFailure.of(e) == SqlFailure.TRANSIENT) {
                throw Problem.conflict("busy", "A unit was booked meanwhile; nothing was written. Please try again.",
                        "処理中に枠が予約されました。何も登録していません。もう一度お試しください。");
            }
            throw e;
        }
    }

    /**
     * @param town   where
     * @param member who
     * @return the rounds of the facilities in the member's scope, newest first
     */
    public List<Round> list(Municipality town, StaffMember member) {
        requirePermission(member);
        return repository.rounds(town.id(), 200).stream().filter(r -> member.mayManage(r.facilityId())).toList();
    }

    /**
     * A round as staff watch it.
     *
     * @param round        the round
     * @param units        its units
     * @param demand       unit id → applications wishing for it
     * @param applications how many applications
     * @param byTier       tier → how many applications
     * @param rooms        room id → room
     */
    public record Watched(Round round, List<Unit> units, Map<Long, Integer> demand, int applications,
                          Map<Integer, Integer> byTier, Map<Long, Room> rooms) {
    }

    /**
     * @param town   where
     * @param member who
     * @param id     which round
     * @return it, with its counts
     */
    public Watched watch(Municipality town, StaffMember member, long id) {
        Round round = visible(town, member, id);
        Map<Integer, Integer> byTier = repository.byTier(id);
        List<Unit> units = repository.units(repository.db().execute(), id);
        Map<Long, Room> rooms = new LinkedHashMap<>();
        units.forEach(u -> rooms.computeIfAbsent(u.roomId(), r -> facilities.room(town.id(), r).orElseThrow()));
        return new Watched(round, units, repository.demand(id), byTier.values().stream().mapToInt(Integer::intValue).sum(),
                byTier, rooms);
    }

    /**
     * Applications that look like one household or one person under several names: the same address, telephone
     * or e-mail (ignoring dots and +tags) behind different verified people.
     *
     * @param town   where
     * @param member who
     * @param id     which round
     * @return by kind (address, phone, email) → the clusters' public application numbers
     */
    public Map<String, List<List<String>>> clusters(Municipality town, StaffMember member, long id) {
        visible(town, member, id);
        Map<String, List<List<String>>> clusters = new LinkedHashMap<>();
        for (String kind : List.of("address", "phone", "email")) {
            clusters.put(kind, List.copyOf(repository.clusters(id, kind + "_key").values()));
        }
        return clusters;
    }

    /**
     * Calls a round off before its draw: its units go back to first-come booking at once.
     *
     * @param town   where
     * @param member who
     * @param actor  who, from where
     * @param id     which round
     */
    public void cancel(Municipality town, StaffMember member, Actor actor, long id) {
        Round round = visible(town, member, id);
        Instant now = clock.instant();
        Sql.inTransaction(repository.db(), tx -> {
            Round locked = repository.lock(tx, id).orElseThrow();
            if (locked.status() != RoundStatus.OPEN && locked.status() != RoundStatus.CLOSED) {
                throw Problem.conflict("round-drawn", "This round has been drawn (or ended); it can no longer be called off.",
                        "この抽選はすでに抽選済み（または終了）のため、中止できません。");
            }
            releaseUnits(tx, id);
            repository.setStatus(tx, id, locked.status(), RoundStatus.CANCELLED);
            log.append(tx, town.id(), actor, Change.of("lottery.round.cancel", "lottery-round", id, round.facilityId(),
                    Map.of("status", locked.status().wire()), Map.of("status", "cancelled")), now);
            return null;
        });
    }

    /** Frees every unit of the round still held by its lottery block. */
    void releaseUnits(DbTransaction tx, long roundId) {
        List<Unit> held = repository.units(tx, roundId).stream().filter(u -> u.blockId().isPresent()).toList();
        repository.clearBlocks(tx, held.stream().map(Unit::id).toList()); // first: the units refer to their blocks
        bookings.releaseUnits(tx, held.stream().map(u -> u.blockId().get()).toList());
    }

    /**
     * @param town   where
     * @param member who
     * @param id     which
     * @return the round, when the member may run it
     */
    public Round visible(Municipality town, StaffMember member, long id) {
        requirePermission(member);
        return repository.round(town.id(), id).filter(r -> member.mayManage(r.facilityId()))
                .orElseThrow(() -> Problem.notFound("lottery round", "抽選回"));
    }

    private static void require(StaffMember member, long facilityId) {
        if (!member.mayManage(facilityId)) {
            throw Problem.notFound("facility", "施設");
        }
        requirePermission(member);
    }

    private static void requirePermission(StaffMember member) {
        if (!member.may(Permission.RUN_LOTTERY)) {
            throw StaffAuthenticator.forbidden();
        }
    }
}
