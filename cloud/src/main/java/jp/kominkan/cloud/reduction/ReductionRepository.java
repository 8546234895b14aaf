package jp.kominkan.cloud.reduction;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.booking.BookingFees;
import jp.kominkan.cloud.db.Sql;

/**
 * The SQL of 減免, on H2 and PostgreSQL alike: the owner of {@code reduction_category} and
 * {@code reduction_application}. It also reads what a booking stored about its use (to price it again) and
 * writes the three reservation columns an application's review changes — the hold deadline (on the
 * reservation and its {@code room_slot} rows, which availability reads), the frozen quote and the amount —
 * always in the review's transaction.
 */
public final class ReductionRepository {

    private static final String CATEGORY_COLUMNS = """
            code, name_ja, name_en, percent, not_with_admission, applies_to_equipment, requires_group, roster_rule""";
    private static final String CATEGORIES = "select " + CATEGORY_COLUMNS
            + " from reduction_category where municipality_id = ? and retired_at is null order by sort_order, code";
    private static final String ACTIVE_CATEGORY = "select " + CATEGORY_COLUMNS
            + " from reduction_category where municipality_id = ? and code = ? and retired_at is null";
    // For the staff's list: every category, retired ones too, with what names it (applications; group categories
    // link it by code).
    private static final String LISTED_COLUMNS = CATEGORY_COLUMNS + """
            , sort_order, retired_at,
              (select count(*) from reduction_application a
                where a.municipality_id = c.municipality_id and a.category_code = c.code) as applications,
              (select count(*) from group_category g
                where g.municipality_id = c.municipality_id and g.reduction_code = c.code) as linked""";
    private static final String LISTED = "select " + LISTED_COLUMNS
            + " from reduction_category c where c.municipality_id = ? order by c.sort_order, c.code";
    private static final String LISTED_ONE = "select " + LISTED_COLUMNS
            + " from reduction_category c where c.municipality_id = ? and c.code = ?";
    private static final String LOCK_CATEGORY = """
            select code from reduction_category where municipality_id = ? and code = ? for update""";
    private static final String UPDATE_CATEGORY = """
            update reduction_category set code = ?, name_ja = ?, name_en = ?, percent = ?, not_with_admission = ?,
                                          applies_to_equipment = ?, requires_group = ?, roster_rule = ?, sort_order = ?
             where municipality_id = ? and code = ?""";
    private static final String RETIRE_CATEGORY = """
            update reduction_category set retired_at = ? where municipality_id = ? and code = ? and retired_at is null""";
    private static final String REINSTATE_CATEGORY = """
            update reduction_category set retired_at = null where municipality_id = ? and code = ? and retired_at is not null""";
    private static final String NEXT_SORT = """
            select coalesce(max(sort_order), 0) + 1 as n from reduction_category where municipality_id = ?""";
    private static final String EXISTS_ACTIVE = """
            select 1 as x from reduction_category where municipality_id = ? and code = ? and retired_at is null""";
    private static final String CATEGORY = "select " + CATEGORY_COLUMNS
            + " from reduction_category where municipality_id = ? and code = ?";
    private static final String INSERT_CATEGORY = """
            insert into reduction_category (municipality_id, code, name_ja, name_en, percent, not_with_admission,
                                            applies_to_equipment, requires_group, roster_rule, sort_order)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String COLUMNS = """
            id, reservation_id, category_code, group_id, reason, evidence_type, evidence_size, evidence_name, status,
            decided_by, decided_at, note, percent_applied, fee_before, fee_after, created_at""";
    private static final String INSERT = """
            insert into reduction_application (id, municipality_id, reservation_id, category_code, group_id, reason,
                                               evidence, evidence_type, evidence_size, evidence_name, status, fee_before,
                                               created_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)""";
    private static final String BY_RESERVATION = "select " + COLUMNS
            + " from reduction_application where municipality_id = ? and reservation_id = ?";
    private static final String BY_ID = "select " + COLUMNS + " from reduction_application where municipality_id = ? and id = ?";
    private static final String BY_STATUS = "select " + COLUMNS
            + " from reduction_application where municipality_id = ? and status = ? order by created_at limit 500";
    private static final String EVIDENCE = """
            select evidence, evidence_type, evidence_size, evidence_name from reduction_application
             where municipality_id = ? and id = ? and evidence is not null""";
    private static final String DECIDE = """
            update reduction_application set status = ?, decided_by = ?, decided_at = ?, note = ?, percent_applied = ?,
                                             fee_after = ?
             where id = ? and status = 'pending'""";
    private static final String STORED = """
            select purpose_admission_yen, purpose_commercial, purpose_mainly_non_resident, group_id
              from reservation where id = ?""";
    private static final String EQUIPMENT = """
            select e.code, re.quantity from reservation_equipment re join equipment e on e.id = re.equipment_id
             where re.reservation_id = ?""";
    private static final String HOLD = """
            update reservation set hold_expires_at = ? where id = ? and status = 'held' and hold_expires_at > ?""";
    private static final String HOLD_SLOTS = "update room_slot set hold_expires_at = ? where reservation_id = ?";
    private static final String REPRICE = "update reservation set fee_quote = ?, amount = ? where id = ?";
    private static final String PENDING_ON = """
            select 1 as x from reduction_application where reservation_id = ? and status = 'pending'""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public ReductionRepository(DbClient db) {
        this.db = db;
    }

    /** @return the database, for the services' transactions */
    DbClient db() {
        return db;
    }

    /**
     * Adds a category (municipality setup, the demo and the staff's category page).
     *
     * @param tx             the transaction
     * @param municipalityId the municipality
     * @param category       the category
     * @param sortOrder      where it is listed
     */
    public static void insertCategory(DbTransaction tx, long municipalityId, ReductionCategory category, int sortOrder) {
        tx.insert(INSERT_CATEGORY, municipalityId, category.code(), category.nameJa(), category.nameEn(),
                category.percent(), category.notWithAdmission(), category.appliesToEquipment(), category.requiresGroup(),
                category.rosterRule().map(RosterRule::wire).orElse(null), sortOrder);
    }

    /**
     * A category as the staff's list shows it.
     *
     * @param category     the category
     * @param sortOrder    its place in lists
     * @param retiredAt    when it stopped being offered, if it has
     * @param applications applications that name it
     * @param linked       group categories that link it
     */
    record Listed(ReductionCategory category, int sortOrder, Optional<Instant> retiredAt, long applications,
                  long linked) {
    }

    List<Listed> listed(long municipalityId) {
        return Sql.list(db.execute().query(LISTED, municipalityId), ReductionRepository::listed);
    }

    Optional<Listed> listed(DbExecute exec, long municipalityId, String code) {
        return exec.get(LISTED_ONE, municipalityId, code).map(ReductionRepository::listed);
    }

    /** @return whether the category exists, locked for the rest of the transaction */
    boolean lockCategory(DbTransaction tx, long municipalityId, String code) {
        return tx.get(LOCK_CATEGORY, municipalityId, code).isPresent();
    }

    void updateCategory(DbTransaction tx, long municipalityId, String code, ReductionCategory category, int sortOrder) {
        tx.update(UPDATE_CATEGORY, category.code(), category.nameJa(), category.nameEn(), category.percent(),
                category.notWithAdmission(), category.appliesToEquipment(), category.requiresGroup(),
                category.rosterRule().map(RosterRule::wire).orElse(null), sortOrder, municipalityId, code);
    }

    boolean retireCategory(DbTransaction tx, long municipalityId, String code, Instant now) {
        return tx.update(RETIRE_CATEGORY, Sql.at(now), municipalityId, code) == 1;
    }

    boolean reinstateCategory(DbTransaction tx, long municipalityId, String code) {
        return tx.update(REINSTATE_CATEGORY, municipalityId, code) == 1;
    }

    int nextSortOrder(DbExecute exec, long municipalityId) {
        return exec.get(NEXT_SORT, municipalityId).map(row -> Sql.integer(row, "n")).orElse(1);
    }

    /**
     * For the group categories' page, which links a group category to one of these by code.
     *
     * @param exec           the caller's transaction or executor
     * @param municipalityId the municipality
     * @param code           a code
     * @return whether a category with it is offered (not retired)
     */
    public static boolean offered(DbExecute exec, long municipalityId, String code) {
        return exec.get(EXISTS_ACTIVE, municipalityId, code).isPresent();
    }

    /**
     * For the group categories' page, which offers these to link.
     *
     * @param exec           an executor
     * @param municipalityId the municipality
     * @return the categories offered (not retired), in their order
     */
    public static List<ReductionCategory> offered(DbExecute exec, long municipalityId) {
        return Sql.list(exec.query(CATEGORIES, municipalityId), ReductionRepository::category);
    }

    Optional<ReductionCategory> activeCategory(DbExecute exec, long municipalityId, String code) {
        return exec.get(ACTIVE_CATEGORY, municipalityId, code).map(ReductionRepository::category);
    }

    List<ReductionCategory> categories(long municipalityId) {
        return offered(db.execute(), municipalityId);
    }

    Optional<ReductionCategory> category(DbExecute exec, long municipalityId, String code) {
        return exec.get(CATEGORY, municipalityId, code).map(ReductionRepository::category);
    }

    /** An application with its evidence, to insert. */
    record NewApplication(ReductionApplication application, Optional<byte[]> bytes) {
    }

    void insert(DbTransaction tx, long municipalityId, NewApplication added) {
        ReductionApplication a = added.application();
        Optional<ReductionApplication.EvidenceInfo> e = a.evidence();
        tx.insert(INSERT, a.id(), municipalityId, a.reservationId(), a.categoryCode(), a.groupId().orElse(null),
                a.reason(), added.bytes().orElse(null), e.map(ReductionApplication.EvidenceInfo::mediaType).orElse(null),
                e.map(ReductionApplication.EvidenceInfo::size).orElse(null),
                e.map(ReductionApplication.EvidenceInfo::fileName).orElse(null), a.feeBefore(), Sql.at(a.createdAt()));
    }

    Optional<ReductionApplication> byReservation(long municipalityId, UUID reservationId) {
        return db.execute().get(BY_RESERVATION, municipalityId, reservationId).map(ReductionRepository::map);
    }

    Optional<ReductionApplication> find(DbExecute exec, long municipalityId, UUID id) {
        return exec.get(BY_ID, municipalityId, id).map(ReductionRepository::map);
    }

    Optional<ReductionApplication> lock(DbTransaction tx, long municipalityId, UUID id) {
        return tx.get(BY_ID + " for update", municipalityId, id).map(ReductionRepository::map);
    }

    List<ReductionApplication> byStatus(long municipalityId, ReductionStatus status) {
        return Sql.list(db.execute().query(BY_STATUS, municipalityId, status.wire()), ReductionRepository::map);
    }

    /** The evidence with its bytes. */
    record EvidenceFile(ReductionApplication.EvidenceInfo info, byte[] bytes) {
    }

    Optional<EvidenceFile> evidence(long municipalityId, UUID id) {
        return db.execute().get(EVIDENCE, municipalityId, id).map(row -> new EvidenceFile(
                new ReductionApplication.EvidenceInfo(Sql.text(row, "evidence_type"), Sql.integer(row, "evidence_size"),
                        Sql.optionalText(row, "evidence_name").orElse("")), Sql.bytes(row, "evidence")));
    }

    boolean decide(DbTransaction tx, UUID id, ReductionStatus status, UUID staffId, Instant now, Optional<String> note,
                   Optional<Integer> percent, Optional<Long> feeAfter) {
        return tx.update(DECIDE, status.wire(), staffId, Sql.at(now), note.orElse(null), percent.orElse(null),
                feeAfter.orElse(null), id) == 1;
    }

    /** What a booking stored about its use, and the group it is for. */
    record StoredUse(BookingFees.Stored use, Optional<Long> groupId) {
    }

    StoredUse stored(DbExecute exec, UUID reservationId) {
        DbRow row = exec.get(STORED, reservationId).orElseThrow();
        Map<String, Integer> equipment = new TreeMap<>();
        try (var rows = exec.query(EQUIPMENT, reservationId)) {
            rows.forEach(r -> equipment.merge(Sql.text(r, "code"), Sql.integer(r, "quantity"), Integer::sum));
        }
        return new StoredUse(new BookingFees.Stored(Sql.longValue(row, "purpose_admission_yen"),
                flag(row, "purpose_commercial"), flag(row, "purpose_mainly_non_resident"), equipment),
                Sql.value(row, "group_id").map(v -> ((Number) v).longValue()));
    }

    /**
     * Moves a live hold's deadline, on the reservation and its room slots together (availability reads the slots).
     *
     * @return false when the booking is no longer a live hold
     */
    boolean holdUntil(DbTransaction tx, UUID reservationId, Instant deadline, Instant now) {
        if (tx.update(HOLD, Sql.at(deadline), reservationId, Sql.at(now)) == 0) {
            return false;
        }
        tx.update(HOLD_SLOTS, Sql.at(deadline), reservationId);
        return true;
    }

    void reprice(DbTransaction tx, UUID reservationId, String quoteJson, long amount) {
        tx.update(REPRICE, quoteJson, Math.toIntExact(amount), reservationId);
    }

    /**
     * @param reservationId a booking
     * @return whether a 減免 application on it waits for review (then it cannot be paid yet)
     */
    public boolean pendingOn(UUID reservationId) {
        return pendingOn(db.execute(), reservationId);
    }

    /**
     * @param exec          the caller's transaction (the counter's cash payment asks after locking the booking)
     * @param reservationId a booking
     * @return whether a 減免 application on it waits for review
     */
    public static boolean pendingOn(DbExecute exec, UUID reservationId) {
        return exec.get(PENDING_ON, reservationId).isPresent();
    }

    private static ReductionCategory category(DbRow row) {
        return new ReductionCategory(Sql.text(row, "code"), Sql.text(row, "name_ja"), Sql.text(row, "name_en"),
                Sql.integer(row, "percent"), flag(row, "not_with_admission"), flag(row, "applies_to_equipment"),
                flag(row, "requires_group"), Sql.optionalText(row, "roster_rule").map(RosterRule::of));
    }

    private static Listed listed(DbRow row) {
        return new Listed(category(row), Sql.integer(row, "sort_order"), Sql.optionalInstant(row, "retired_at"),
                Sql.longValue(row, "applications"), Sql.longValue(row, "linked"));
    }

    private static ReductionApplication map(DbRow row) {
        Optional<ReductionApplication.EvidenceInfo> evidence = Sql.optionalText(row, "evidence_type")
                .map(type -> new ReductionApplication.EvidenceInfo(type, Sql.integer(row, "evidence_size"),
                        Sql.optionalText(row, "evidence_name").orElse("")));
        return new ReductionApplication(Sql.uuid(row, "id"), Sql.uuid(row, "reservation_id"),
                Sql.text(row, "category_code"), Sql.value(row, "group_id").map(v -> ((Number) v).longValue()),
                Sql.text(row, "reason"), evidence, ReductionStatus.of(Sql.text(row, "status")),
                Sql.value(row, "decided_by").map(v -> v instanceof UUID u ? u : UUID.fromString(v.toString())),
                Sql.optionalInstant(row, "decided_at"), Sql.optionalText(row, "note"),
                Sql.value(row, "percent_applied").map(v -> ((Number) v).intValue()), Sql.longValue(row, "fee_before"),
                Sql.value(row, "fee_after").map(v -> ((Number) v).longValue()), Sql.instant(row, "created_at"));
    }

    private static boolean flag(DbRow row, String column) {
        Object value = row.column(column).get();
        return value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString());
    }
}
