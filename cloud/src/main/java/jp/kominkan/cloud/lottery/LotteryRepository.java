package jp.kominkan.cloud.lottery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The lottery's SQL, for H2 and PostgreSQL alike: rounds and units, applications and wishes, wins and substitutes.
 * The owner of the {@code lottery_*} tables.
 */
public final class LotteryRepository {

    private static final String ROUND_COLUMNS = """
            id, municipality_id, facility_id, name, status, opens_at, closes_at, draw_at, confirm_by, first_come_at,
            rules, beacon, applications_commitment, seed_commitment, frozen_at, randomness, seed, drawn_at""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public LotteryRepository(DbClient db) {
        this.db = db;
    }

    DbClient db() {
        return db;
    }

    // --- rounds and units ---

    long insertRound(DbTransaction tx, long townId, RoundPlan plan, String salt, Optional<UUID> staffId, Instant now) {
        RoundSchedule s = plan.schedule();
        tx.insert("""
                insert into lottery_round (municipality_id, facility_id, name, status, opens_at, closes_at, draw_at,
                                           confirm_by, first_come_at, rules, beacon, pseudonym_salt, created_by, created_at)
                values (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", townId, plan.facilityId(), plan.name(),
                Sql.at(s.opensAt()), Sql.at(s.closesAt()), Sql.at(s.drawAt()), Sql.at(s.confirmBy()),
                Sql.at(s.firstComeAt()), plan.rules().toJson(), plan.beacon().orElse(null), salt, staffId.orElse(null),
                Sql.at(now));
        return Sql.longValue(tx.get("select id from lottery_round where pseudonym_salt = ?", salt).orElseThrow(), "id");
    }

    void insertUnit(DbTransaction tx, long roundId, RoundPlan.PlannedUnit unit, long blockId) {
        tx.insert("insert into lottery_unit (round_id, room_id, starts_at, ends_at, label, block_id) values (?, ?, ?, ?, ?, ?)",
                roundId, unit.roomId(), Sql.at(unit.range().start()), Sql.at(unit.range().end()), unit.label(), blockId);
    }

    Optional<Round> round(long townId, long id) {
        return db.execute().get("select " + ROUND_COLUMNS + " from lottery_round where municipality_id = ? and id = ?",
                townId, id).map(LotteryRepository::round);
    }

    /** Locks the round's row for the rest of the transaction: applications, the close and the draw take turns. */
    Optional<Round> lock(DbTransaction tx, long id) {
        return tx.get("select " + ROUND_COLUMNS + " from lottery_round where id = ? for update", id)
                .map(LotteryRepository::round);
    }

    List<Round> rounds(long townId, int limit) {
        return Sql.list(db.execute().query("select " + ROUND_COLUMNS + " from lottery_round where municipality_id = ?"
                + " order by opens_at desc, id desc limit ?", townId, limit), LotteryRepository::round);
    }

    List<Long> due(String status, String column, Instant now) {
        return Sql.list(db.execute().query("select id from lottery_round where status = ? and " + column + " <= ?"
                + " order by id limit 50", status, Sql.at(now)), row -> Sql.longValue(row, "id"));
    }

    String salt(DbExecute exec, long roundId) {
        return Sql.text(exec.get("select pseudonym_salt from lottery_round where id = ?", roundId).orElseThrow(),
                "pseudonym_salt");
    }

    Optional<String> sealedSecret(DbExecute exec, long roundId) {
        return exec.get("select secret_sealed from lottery_round where id = ?", roundId)
                .flatMap(row -> Sql.optionalText(row, "secret_sealed"));
    }

    void freeze(DbTransaction tx, long id, String applications, String seedCommitment, String sealed, Instant now) {
        tx.update("""
                update lottery_round set status = 'closed', applications_commitment = ?, seed_commitment = ?,
                                         secret_sealed = ?, frozen_at = ? where id = ? and status = 'open'""",
                applications, seedCommitment, sealed, Sql.at(now), id);
    }

    boolean publish(DbTransaction tx, long id, String randomness, String seedHex, UUID staffId, Instant now) {
        return tx.update("""
                update lottery_round set status = 'published', randomness = ?, seed = ?, drawn_at = ?, drawn_by = ?
                 where id = ? and status = 'closed'""", randomness, seedHex, Sql.at(now), staffId, id) == 1;
    }

    /** @return whether the randomness was stored now (false when some was entered before) */
    boolean enterRandomness(DbTransaction tx, long id, String randomness) {
        return tx.update("update lottery_round set randomness = ? where id = ? and status = 'closed'"
                + " and randomness is null", randomness, id) == 1;
    }

    boolean setStatus(DbTransaction tx, long id, RoundStatus from, RoundStatus to) {
        return tx.update("update lottery_round set status = ? where id = ? and status = ?", to.wire(), id, from.wire()) == 1;
    }

    List<Unit> units(DbExecute exec, long roundId) {
        return Sql.list(exec.query("select id, round_id, room_id, starts_at, ends_at, label, block_id from lottery_unit"
                + " where round_id = ? order by room_id, starts_at", roundId), LotteryRepository::unit);
    }

    /**
     * Whether any of the room's slots in the range has a row: a booking, a block, or an overdue hold not yet swept
     * (whose row would refuse a block all the same).
     */
    boolean slotsTaken(DbExecute exec, long roomId, SlotRange range) {
        return count(exec.get("select count(*) as n from room_slot where room_id = ? and slot_start >= ?"
                + " and slot_start < ?", roomId, Sql.at(range.start()), Sql.at(range.end()))) > 0;
    }

    void clearBlocks(DbTransaction tx, List<Long> unitIds) {
        for (List<Long> batch : Sql.batches(unitIds, 500)) {
            tx.update("update lottery_unit set block_id = null where id in (" + Sql.marks(batch.size()) + ")",
                    batch.toArray());
        }
    }

    void setBlock(DbTransaction tx, long unitId, Optional<Long> blockId) {
        tx.update("update lottery_unit set block_id = ? where id = ?", blockId.orElse(null), unitId);
    }

    Optional<Instant> firstComeAt(long roomId, SlotRange range, Instant now) {
        return db.execute().get("""
                select max(r.first_come_at) as opens from lottery_unit u join lottery_round r on r.id = u.round_id
                 where u.room_id = ? and u.starts_at < ? and u.ends_at > ? and r.status in ('open', 'closed', 'published', 'finished')
                   and r.first_come_at > ?""", roomId, Sql.at(range.end()), Sql.at(range.start()), Sql.at(now))
                .flatMap(row -> Sql.value(row, "opens").map(v -> Sql.instant(row, "opens")));
    }

    // --- applications ---

    /** A stored application. */
    record Stored(long id, long roundId, String publicId, UUID accountId, String personKey, Optional<Long> groupId,
                  int tier, String purpose, int attendees, Instant createdAt, List<List<Long>> wishes,
                  String residency) {
    }

    /** @return wishes as the wishes column holds them: {@code 3;5+6} */
    static String wishesText(List<List<Long>> wishes) {
        return wishes.stream().map(w -> w.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("+")))
                .collect(java.util.stream.Collectors.joining(";"));
    }

    static List<List<Long>> wishes(String text) {
        List<List<Long>> wishes = new ArrayList<>();
        for (String wish : text.split(";")) {
            List<Long> units = new ArrayList<>();
            for (String unit : wish.split("\\+")) {
                units.add(Long.parseLong(unit));
            }
            wishes.add(List.copyOf(units));
        }
        return List.copyOf(wishes);
    }

    /**
     * Every application of a round, read over plain JDBC: a round's hundred thousand rows are read at the close, the
     * draw and for the audit file, and the DB Client's per-column mapping costs seconds there. Called while the
     * round's row is locked (or after the close), so no application is being added meanwhile.
     */
    List<Stored> frozen(long roundId) {
        List<Stored> applications = new ArrayList<>();
        try (java.sql.Connection c = db.execute().unwrap(java.sql.Connection.class);
             java.sql.PreparedStatement q = c.prepareStatement("select id, public_id, account_id, person_key, group_id,"
                     + " tier, purpose, attendees, created_at, wishes, residency from lottery_application where round_id = ?"
                     + " order by id")) {
            q.setFetchSize(5000);
            q.setLong(1, roundId);
            try (java.sql.ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    long group = rows.getLong(5);
                    Optional<Long> groupId = rows.wasNull() ? Optional.empty() : Optional.of(group);
                    applications.add(new Stored(rows.getLong(1), roundId, rows.getString(2),
                            rows.getObject(3, UUID.class), rows.getString(4), groupId, rows.getInt(6), rows.getString(7),
                            rows.getInt(8), rows.getObject(9, java.time.OffsetDateTime.class).toInstant(),
                            wishes(rows.getString(10)), rows.getString(11)));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not read round " + roundId + "'s applications", e);
        }
        return applications;
    }

    int countByPerson(DbTransaction tx, long roundId, String personKey) {
        return count(tx.get("select count(*) as n from lottery_application where round_id = ? and person_key = ?",
                roundId, personKey));
    }

    boolean personUsesOtherAccount(DbTransaction tx, long roundId, String personKey, UUID accountId) {
        return count(tx.get("select count(*) as n from lottery_application where round_id = ? and person_key = ?"
                + " and account_id <> ?", roundId, personKey, accountId)) > 0;
    }

    /**
     * The smallest ordinal not in use by this person (or group) in the round: a withdrawn application's place is
     * taken again, and the unique key still refuses two applications racing for one place.
     */
    int freeOrdinal(DbTransaction tx, long roundId, String column, Object value) {
        String ordinal = column.equals("person_key") ? "person_ordinal" : "group_ordinal";
        if (!column.equals("person_key") && !column.equals("group_id")) {
            throw new IllegalArgumentException(column);
        }
        java.util.Set<Integer> used = new java.util.HashSet<>(Sql.list(tx.query("select " + ordinal + " as o from"
                + " lottery_application where round_id = ? and " + column + " = ?", roundId, value),
                row -> Sql.integer(row, "o")));
        int free = 1;
        while (used.contains(free)) {
            free++;
        }
        return free;
    }

    /** The longest wishes text the column holds. */
    static final int MAX_WISHES_TEXT = 2000;

    int countByGroup(DbTransaction tx, long roundId, long groupId) {
        return count(tx.get("select count(*) as n from lottery_application where round_id = ? and group_id = ?",
                roundId, groupId));
    }

    /** What a new application stores besides its wishes. */
    record NewApplication(long roundId, String publicId, UUID accountId, String personKey, int personOrdinal,
                          Optional<Long> groupId, Optional<Integer> groupOrdinal, String residency, int tier,
                          String purpose, int attendees, List<List<Long>> wishes, Optional<String> addressKey,
                          Optional<String> phoneKey, Optional<String> emailKey) {
    }

    long insertApplication(DbTransaction tx, NewApplication a, Instant now) {
        tx.insert("""
                insert into lottery_application (round_id, public_id, account_id, person_key, person_ordinal, group_id,
                        group_ordinal, residency, tier, purpose, attendees, wishes, address_key, phone_key, email_key,
                        created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", a.roundId(), a.publicId(), a.accountId(),
                a.personKey(), a.personOrdinal(), a.groupId().orElse(null), a.groupOrdinal().orElse(null),
                a.residency(), a.tier(), a.purpose(), a.attendees(), wishesText(a.wishes()), a.addressKey().orElse(null),
                a.phoneKey().orElse(null), a.emailKey().orElse(null), Sql.at(now));
        return Sql.longValue(tx.get("select id from lottery_application where public_id = ?", a.publicId()).orElseThrow(),
                "id");
    }

    void insertWishes(DbTransaction tx, long applicationId, List<List<Long>> wishes) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("insert into lottery_wish (application_id, wish_rank, unit_id) values ");
        for (int rank = 1; rank <= wishes.size(); rank++) {
            for (long unit : wishes.get(rank - 1)) {
                sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?)");
                params.add(applicationId);
                params.add(rank);
                params.add(unit);
            }
        }
        tx.insert(sql.toString(), params.toArray());
    }

    void deleteApplication(DbTransaction tx, long applicationId) {
        tx.delete("delete from lottery_wish where application_id = ?", applicationId);
        tx.delete("delete from lottery_application where id = ?", applicationId);
    }

    Optional<Stored> application(DbExecute exec, String publicId) {
        return exec.get("select * from lottery_application where public_id = ?", publicId).map(LotteryRepository::stored);
    }

    /**
     * @return the application, when it is the account's and its round the municipality's
     */
    Optional<Stored> ownApplication(long townId, UUID accountId, String publicId) {
        return application(db.execute(), publicId).filter(a -> a.accountId().equals(accountId))
                .filter(a -> round(townId, a.roundId()).isPresent());
    }

    List<Stored> applicationsOf(UUID accountId) {
        return Sql.list(db.execute().query("select * from lottery_application where account_id = ?"
                + " order by created_at desc limit 200", accountId), LotteryRepository::stored);
    }

    List<Stored> applications(DbExecute exec, long roundId) {
        return Sql.list(exec.query("select * from lottery_application where round_id = ? order by id", roundId),
                LotteryRepository::stored);
    }

    List<List<Long>> wishesOf(DbExecute exec, long applicationId) {
        TreeMap<Integer, List<Long>> ranks = new TreeMap<>();
        try (var rows = exec.query("select wish_rank, unit_id from lottery_wish where application_id = ?"
                + " order by wish_rank, unit_id", applicationId)) {
            rows.forEach(row -> ranks.computeIfAbsent(Sql.integer(row, "wish_rank"), r -> new ArrayList<>())
                    .add(Sql.longValue(row, "unit_id")));
        }
        return List.copyOf(ranks.values());
    }

    /** @return unit id → how many applications wish for it, at any rank */
    Map<Long, Integer> demand(long roundId) {
        Map<Long, Integer> demand = new HashMap<>();
        try (var rows = db.execute().query("""
                select w.unit_id, count(distinct w.application_id) as n from lottery_wish w
                  join lottery_application a on a.id = w.application_id where a.round_id = ? group by w.unit_id""",
                roundId)) {
            rows.forEach(row -> demand.put(Sql.longValue(row, "unit_id"), Sql.integer(row, "n")));
        }
        return demand;
    }

    /** @return tier → how many applications */
    Map<Integer, Integer> byTier(long roundId) {
        Map<Integer, Integer> tiers = new TreeMap<>();
        try (var rows = db.execute().query("select tier, count(*) as n from lottery_application where round_id = ?"
                + " group by tier", roundId)) {
            rows.forEach(row -> tiers.put(Sql.integer(row, "tier"), Sql.integer(row, "n")));
        }
        return tiers;
    }

    /**
     * Accounts that share an address, telephone or e-mail key while being different people.
     *
     * @param roundId the round
     * @param column  {@code address_key}, {@code phone_key} or {@code email_key}
     * @return key → the public ids applying with it
     */
    Map<String, List<String>> clusters(long roundId, String column) {
        if (!List.of("address_key", "phone_key", "email_key").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        Map<String, List<String>> clusters = new TreeMap<>();
        try (var rows = db.execute().query("select " + column + " as k, public_id from lottery_application"
                + " where round_id = ? and " + column + " in (select " + column + " from lottery_application"
                + " where round_id = ? and " + column + " is not null group by " + column
                + " having count(distinct person_key) > 1) order by public_id", roundId, roundId)) {
            rows.forEach(row -> clusters.computeIfAbsent(Sql.text(row, "k"), k -> new ArrayList<>())
                    .add(Sql.text(row, "public_id")));
        }
        return clusters;
    }

    Optional<Round> lockless(long id) {
        return db.execute().get("select " + ROUND_COLUMNS + " from lottery_round where id = ?", id)
                .map(LotteryRepository::round);
    }

    private static int count(Optional<DbRow> row) {
        return row.map(r -> Sql.integer(r, "n")).orElse(0);
    }

    private static Round round(DbRow row) {
        return new Round(Sql.longValue(row, "id"), Sql.longValue(row, "municipality_id"),
                Sql.longValue(row, "facility_id"), Sql.text(row, "name"), RoundStatus.of(Sql.text(row, "status")),
                new RoundSchedule(Sql.instant(row, "opens_at"), Sql.instant(row, "closes_at"),
                        Sql.instant(row, "draw_at"), Sql.instant(row, "confirm_by"), Sql.instant(row, "first_come_at")),
                LotteryRules.fromJson(Optional.of(Sql.text(row, "rules"))), Sql.optionalText(row, "beacon"),
                Sql.optionalText(row, "applications_commitment"), Sql.optionalText(row, "seed_commitment"),
                Sql.optionalInstant(row, "frozen_at"), Sql.optionalText(row, "randomness"),
                Sql.optionalText(row, "seed"), Sql.optionalInstant(row, "drawn_at"));
    }

    private static Unit unit(DbRow row) {
        return new Unit(Sql.longValue(row, "id"), Sql.longValue(row, "round_id"), Sql.longValue(row, "room_id"),
                new SlotRange(Sql.instant(row, "starts_at"), Sql.instant(row, "ends_at")), Sql.text(row, "label"),
                Sql.value(row, "block_id").map(v -> Sql.longValue(row, "block_id")));
    }

    private static Stored stored(DbRow row) {
        return new Stored(Sql.longValue(row, "id"), Sql.longValue(row, "round_id"), Sql.text(row, "public_id"),
                Sql.uuid(row, "account_id"), Sql.text(row, "person_key"),
                Sql.value(row, "group_id").map(v -> Sql.longValue(row, "group_id")), Sql.integer(row, "tier"),
                Sql.text(row, "purpose"), Sql.integer(row, "attendees"), Sql.instant(row, "created_at"),
                wishes(Sql.text(row, "wishes")), Sql.text(row, "residency"));
    }
}
