package jp.kominkan.cloud.operations;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.web.Json;

/**
 * The staff operation log (操作ログ): appended in the transaction of the write it records, read back
 * with filters, and checked. Entries form a hash chain per municipality: each entry's hash is the
 * SHA-256 of the previous hash and the entry's canonical text, so a changed, removed or reordered
 * row shows as a broken link. This class has no update or delete of entries; the chain's head row
 * is locked while appending, so two writers get consecutive numbers.
 */
public final class OperationLog {

    /** The previous hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);
    /** Most entries one query returns. */
    public static final int MAX_ROWS = 5000;

    private static final String HEAD = "select last_seq, last_hash from operation_chain where municipality_id = ? for update";
    private static final String START_CHAIN = """
            insert into operation_chain (municipality_id, last_seq, last_hash) values (?, 0, ?)""";
    private static final String MOVE_HEAD = """
            update operation_chain set last_seq = ?, last_hash = ? where municipality_id = ? and last_seq = ?""";
    private static final String INSERT = """
            insert into staff_operation (municipality_id, seq, occurred_at, staff_id, staff_role, action, target_type,
                                         target_id, facility_id, before_state, after_state, source_address, prev_hash,
                                         entry_hash)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String COLUMNS = """
            municipality_id, seq, occurred_at, staff_id, staff_role, action, target_type, target_id, facility_id,
            before_state, after_state, source_address, prev_hash, entry_hash""";
    private static final String CHAIN = "select " + COLUMNS + " from staff_operation where municipality_id = ?"
            + " and seq > ? order by seq limit 1000";

    private final DbClient db;

    /**
     * @param db the database
     */
    public OperationLog(DbClient db) {
        this.db = db;
    }

    /**
     * Starts a municipality's chain; in the transaction that creates the municipality.
     *
     * @param tx             the transaction
     * @param municipalityId the new municipality
     */
    public static void startChain(DbTransaction tx, long municipalityId) {
        tx.insert(START_CHAIN, municipalityId, GENESIS);
    }

    /**
     * Appends an entry in the caller's transaction: it commits or rolls back with the write.
     *
     * @param tx             the write's transaction
     * @param municipalityId the municipality
     * @param actor          who, from where
     * @param change         what
     * @param now            when
     * @return the entry
     */
    public Operation append(DbTransaction tx, long municipalityId, Actor actor, Change change, Instant now) {
        DbRow head = tx.get(HEAD, municipalityId).orElseThrow(() -> new IllegalStateException(
                "Municipality " + municipalityId + " has no operation chain"));
        long seq = Sql.longValue(head, "last_seq") + 1;
        String prev = Sql.text(head, "last_hash");
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        Operation unsigned = new Operation(municipalityId, seq, at, actor.staffId(), actor.role(), change.action(),
                change.targetType(), change.targetId(), change.facilityId(), change.before().map(OperationLog::json),
                change.after().map(OperationLog::json), actor.source(), prev, "");
        String hash = hash(unsigned);
        tx.insert(INSERT, municipalityId, seq, Sql.at(at), actor.staffId().orElse(null), actor.role(), change.action(),
                change.targetType(), change.targetId(), change.facilityId().orElse(null),
                unsigned.before().orElse(null), unsigned.after().orElse(null), actor.source(), prev, hash);
        if (tx.update(MOVE_HEAD, seq, hash, municipalityId, seq - 1) != 1) {
            throw new IllegalStateException("The operation chain moved while locked");
        }
        return new Operation(municipalityId, seq, at, actor.staffId(), actor.role(), change.action(),
                change.targetType(), change.targetId(), change.facilityId(), unsigned.before(), unsigned.after(),
                actor.source(), prev, hash);
    }

    /**
     * Appends an entry in a transaction of its own, for a write that has already committed elsewhere.
     *
     * @param municipalityId the municipality
     * @param actor          who
     * @param change         what
     * @param now            when
     * @return the entry
     */
    public Operation append(long municipalityId, Actor actor, Change change, Instant now) {
        return Sql.inTransaction(db, tx -> append(tx, municipalityId, actor, change, now));
    }

    /**
     * @param municipalityId the municipality
     * @param filter         which entries
     * @return matching entries, newest first, at most {@link #MAX_ROWS}
     */
    public List<Operation> find(long municipalityId, OperationFilter filter) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS)
                .append(" from staff_operation where municipality_id = ?");
        List<Object> params = new ArrayList<>(List.of(municipalityId));
        filter.from().ifPresent(from -> {
            sql.append(" and occurred_at >= ?");
            params.add(Sql.at(from));
        });
        filter.until().ifPresent(until -> {
            sql.append(" and occurred_at < ?");
            params.add(Sql.at(until));
        });
        filter.staffId().ifPresent(staff -> {
            sql.append(" and staff_id = ?");
            params.add(staff);
        });
        filter.target().ifPresent(target -> {
            sql.append(" and (target_id = ? or target_type = ?)");
            params.add(target);
            params.add(target);
        });
        filter.facilities().ifPresent(scope -> {
            if (scope.isEmpty()) {
                sql.append(" and 1 = 0");
            } else {
                sql.append(" and facility_id in (").append(String.join(", ", java.util.Collections.nCopies(scope.size(), "?")))
                        .append(")");
                params.addAll(scope);
            }
        });
        sql.append(" order by seq desc limit ").append(Math.min(filter.limit(), MAX_ROWS));
        return Sql.list(db.execute().query(sql.toString(), params.toArray()), OperationLog::map);
    }

    /**
     * Walks a municipality's whole chain and recomputes every hash.
     *
     * @param municipalityId the municipality
     * @return the outcome
     */
    public Verification verify(long municipalityId) {
        String prev = GENESIS;
        long expected = 1;
        long after = 0;
        while (true) {
            List<Operation> page = Sql.list(db.execute().query(CHAIN, municipalityId, after), OperationLog::map);
            if (page.isEmpty()) {
                break;
            }
            for (Operation entry : page) {
                if (entry.seq() != expected || !entry.prevHash().equals(prev) || !hash(entry).equals(entry.hash())) {
                    return new Verification(false, expected - 1, Optional.of(expected));
                }
                prev = entry.hash();
                expected++;
            }
            after = page.get(page.size() - 1).seq();
        }
        Optional<DbRow> head = db.execute().get("select last_seq, last_hash from operation_chain where municipality_id = ?",
                municipalityId);
        long last = expected - 1;
        String finalPrev = prev;
        boolean headOk = head.map(row -> Sql.longValue(row, "last_seq") == last && Sql.text(row, "last_hash").equals(finalPrev))
                .orElse(last == 0);
        return headOk ? new Verification(true, last, Optional.empty())
                : new Verification(false, last, Optional.of(last + 1));
    }

    /**
     * @param entry an entry (its own hash is not part of the text)
     * @return the SHA-256 of its previous hash and canonical text
     */
    static String hash(Operation entry) {
        List<Object> fields = Arrays.asList(entry.municipalityId(), entry.seq(), entry.occurredAt().toEpochMilli(),
                entry.staffId().map(UUID::toString).orElse(null), entry.role(), entry.action(), entry.targetType(),
                entry.targetId(), entry.facilityId().orElse(null), entry.before().orElse(null),
                entry.after().orElse(null), entry.source());
        try {
            return Tokens.sha256Hex(entry.prevHash() + "\n" + Json.mapper().writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, ?> state) {
        try {
            return Json.mapper().writeValueAsString(new TreeMap<>(state));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("State not writable as JSON", e);
        }
    }

    private static Operation map(DbRow row) {
        return new Operation(Sql.longValue(row, "municipality_id"), Sql.longValue(row, "seq"),
                Sql.instant(row, "occurred_at"), Sql.value(row, "staff_id").map(v -> UUID.fromString(v.toString())),
                Sql.text(row, "staff_role"), Sql.text(row, "action"), Sql.text(row, "target_type"),
                Sql.text(row, "target_id"), Sql.value(row, "facility_id").map(v -> ((Number) v).longValue()),
                Sql.optionalText(row, "before_state"), Sql.optionalText(row, "after_state"),
                Sql.text(row, "source_address"), Sql.text(row, "prev_hash"), Sql.text(row, "entry_hash"));
    }

    /**
     * What {@link #verify} found.
     *
     * @param intact    whether every link and the head hold
     * @param entries   how many entries were checked good
     * @param brokenAt  the first entry number that does not hold
     */
    public record Verification(boolean intact, long entries, Optional<Long> brokenAt) {
    }
}
