package jp.kominkan.cloud.group;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;

/**
 * Every SQL statement about groups (V12__groups.sql), the same text on H2 and PostgreSQL. Writes take the
 * caller's transaction, so a decision, its operation log entry and its mail commit together.
 */
public final class GroupRepository {

    private static final String GROUP = """
            g.id, g.municipality_id, g.name, g.name_kana, g.category_code, g.representative_id, g.status,
            g.valid_until, g.review_note, g.reviewed_by, g.submitted_at, g.created_at""";
    private static final String FIND = "select " + GROUP + " from app_group g where g.municipality_id = ? and g.id = ?";
    private static final String LOCK = FIND + " for update";
    private static final String BY_REPRESENTATIVE = "select " + GROUP
            + " from app_group g where g.municipality_id = ? and g.representative_id = ? order by g.id";
    private static final String BY_STATUS = "select " + GROUP
            + " from app_group g where g.municipality_id = ? and g.status = ? order by g.submitted_at, g.id limit 500";
    private static final String REPRESENTATIVE = """
            select a.name, a.email from account a where a.id = ? and a.deleted_at is null""";
    // The representative's account row is the lock that serialises their registrations: two at once
    // wait for each other here, so the count after it is exact (the cap cannot be passed by a race).
    private static final String LOCK_ACCOUNT = """
            select id from account where id = ? and municipality_id = ? and deleted_at is null for update""";
    private static final String COUNT_HELD = """
            select count(*) as n from app_group where representative_id = ? and status in ('draft', 'pending', 'approved')""";
    private static final String INSERT = """
            insert into app_group (municipality_id, name, name_kana, category_code, representative_id, status,
                                   created_at, updated_at)
            values (?, ?, ?, ?, ?, 'draft', ?, ?)""";
    private static final String LAST_OF = "select max(id) as id from app_group where representative_id = ?";
    private static final String UPDATE_DETAILS = """
            update app_group set name = ?, name_kana = ?, category_code = ?, status = 'draft', updated_at = ?
             where id = ?""";
    private static final String SUBMIT = """
            update app_group set status = 'pending', submitted_at = ?, updated_at = ? where id = ?""";
    private static final String DECIDE = """
            update app_group set status = ?, valid_until = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?,
                                 reminder_sent_at = null, updated_at = ?
             where id = ? and status = 'pending'""";
    private static final String MEMBERS = """
            select name, residency, age_band from group_member where group_id = ? order by sort_order""";
    private static final String DELETE_MEMBERS = "delete from group_member where group_id = ?";
    private static final String INSERT_MEMBER = """
            insert into group_member (group_id, sort_order, name, name_key, residency, age_band) values (?, ?, ?, ?, ?, ?)""";
    private static final String CATEGORIES = """
            select code, name_ja, name_en, validity_months, reduction_code from group_category
             where municipality_id = ? and retired_at is null order by sort_order, code""";
    private static final String ACTIVE_CATEGORY = """
            select code, name_ja, name_en, validity_months, reduction_code from group_category
             where municipality_id = ? and code = ? and retired_at is null""";
    // For the staff's list: retired ones too, with how many groups (of any status, drafts included) name each.
    private static final String LISTED_COLUMNS = """
            c.code, c.name_ja, c.name_en, c.validity_months, c.reduction_code, c.sort_order, c.retired_at,
            (select count(*) from app_group g where g.municipality_id = c.municipality_id and g.category_code = c.code)
              as groups_named""";
    private static final String LISTED = "select " + LISTED_COLUMNS
            + " from group_category c where c.municipality_id = ? order by c.sort_order, c.code";
    private static final String LISTED_ONE = "select " + LISTED_COLUMNS
            + " from group_category c where c.municipality_id = ? and c.code = ?";
    private static final String LOCK_CATEGORY = """
            select code from group_category where municipality_id = ? and code = ? for update""";
    private static final String UPDATE_CATEGORY = """
            update group_category set code = ?, name_ja = ?, name_en = ?, validity_months = ?, reduction_code = ?,
                                      sort_order = ?
             where municipality_id = ? and code = ?""";
    private static final String RETIRE_CATEGORY = """
            update group_category set retired_at = ? where municipality_id = ? and code = ? and retired_at is null""";
    private static final String REINSTATE_CATEGORY = """
            update group_category set retired_at = null where municipality_id = ? and code = ? and retired_at is not null""";
    private static final String NEXT_SORT = """
            select coalesce(max(sort_order), 0) + 1 as n from group_category where municipality_id = ?""";
    private static final String CATEGORY = """
            select code, name_ja, name_en, validity_months, reduction_code from group_category
             where municipality_id = ? and code = ?""";
    private static final String INSERT_CATEGORY = """
            insert into group_category (municipality_id, code, name_ja, name_en, validity_months, reduction_code, sort_order)
            values (?, ?, ?, ?, ?, ?, ?)""";
    private static final String EVIDENCE = """
            select id, file_name, media_type, size_bytes, uploaded_at from group_evidence where group_id = ?
             order by uploaded_at, id""";
    private static final String EVIDENCE_FILE = """
            select e.bytes, e.id, e.file_name, e.media_type, e.size_bytes, e.uploaded_at from group_evidence e
             join app_group g on g.id = e.group_id where g.municipality_id = ? and e.group_id = ? and e.id = ?""";
    private static final String COUNT_EVIDENCE = "select count(*) as n from group_evidence where group_id = ?";
    private static final String INSERT_EVIDENCE = """
            insert into group_evidence (id, group_id, file_name, media_type, size_bytes, bytes, uploaded_at)
            values (?, ?, ?, ?, ?, ?, ?)""";
    private static final String DELETE_EVIDENCE = "delete from group_evidence where group_id = ? and id = ?";
    // Pairs of groups (neither a draft) with names in common, counted once per distinct name.
    private static final String SHARED = """
            select a.group_id as g, b.group_id as other, count(distinct a.name_key) as shared
              from group_member a
              join group_member b on b.name_key = a.name_key and b.group_id <> a.group_id
              join app_group ga on ga.id = a.group_id
              join app_group gb on gb.id = b.group_id
             where ga.municipality_id = ? and gb.municipality_id = ? and ga.status <> 'draft' and gb.status <> 'draft'
             group by a.group_id, b.group_id""";
    private static final String SIZES = """
            select m.group_id as g, count(distinct m.name_key) as n, max(ag.name) as name, max(ag.status) as status
              from group_member m join app_group ag on ag.id = m.group_id
             where ag.municipality_id = ? and ag.status <> 'draft' group by m.group_id""";
    private static final String DUE_REMINDERS = """
            select g.id, g.municipality_id, g.name, g.valid_until, a.email from app_group g
              join account a on a.id = g.representative_id
             where g.status = 'approved' and g.reminder_sent_at is null and g.valid_until <= ? and g.valid_until >= ?
             order by g.id limit 200""";
    private static final String MARK_REMINDED = """
            update app_group set reminder_sent_at = ? where id = ? and reminder_sent_at is null and status = 'approved'""";
    private static final String EXPIRE = """
            update app_group set status = 'expired', updated_at = ? where status = 'approved' and valid_until < ?""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public GroupRepository(DbClient db) {
        this.db = db;
    }

    DbClient db() {
        return db;
    }

    // ---- categories -------------------------------------------------------------------------------

    /**
     * @param municipalityId the municipality
     * @return its categories in their order
     */
    public List<Category> categories(long municipalityId) {
        return Sql.list(db.execute().query(CATEGORIES, municipalityId), GroupRepository::category);
    }

    Optional<Category> category(DbExecute exec, long municipalityId, String code) {
        return exec.get(CATEGORY, municipalityId, code).map(GroupRepository::category);
    }

    /**
     * A category as the staff's list shows it.
     *
     * @param category  the category
     * @param sortOrder its place in lists
     * @param retiredAt when it stopped being offered, if it has
     * @param groups    groups that name it, drafts included
     */
    record Listed(Category category, int sortOrder, Optional<Instant> retiredAt, long groups) {
    }

    List<Listed> listed(long municipalityId) {
        return Sql.list(db.execute().query(LISTED, municipalityId), GroupRepository::listed);
    }

    Optional<Listed> listed(DbExecute exec, long municipalityId, String code) {
        return exec.get(LISTED_ONE, municipalityId, code).map(GroupRepository::listed);
    }

    Optional<Category> activeCategory(DbExecute exec, long municipalityId, String code) {
        return exec.get(ACTIVE_CATEGORY, municipalityId, code).map(GroupRepository::category);
    }

    /** @return whether the category exists, locked for the rest of the transaction */
    boolean lockCategory(DbTransaction tx, long municipalityId, String code) {
        return tx.get(LOCK_CATEGORY, municipalityId, code).isPresent();
    }

    void updateCategory(DbTransaction tx, long municipalityId, String code, Category category, int sortOrder) {
        tx.update(UPDATE_CATEGORY, category.code(), category.nameJa(), category.nameEn(), category.validityMonths(),
                category.reductionCode().orElse(null), sortOrder, municipalityId, code);
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
     * Adds a category (municipality setup, the demo and the staff's category page).
     *
     * @param tx             the transaction
     * @param municipalityId the municipality
     * @param category       the category
     * @param sortOrder      its place in lists
     */
    public static void insertCategory(DbTransaction tx, long municipalityId, Category category, int sortOrder) {
        tx.insert(INSERT_CATEGORY, municipalityId, category.code(), category.nameJa(), category.nameEn(),
                category.validityMonths(), category.reductionCode().orElse(null), sortOrder);
    }

    /**
     * Adds a group already approved, with its roster (municipality setup and the demo; not a path a
     * resident or staff can take).
     *
     * @param tx             the transaction
     * @param municipalityId the municipality
     * @param representative the representative's account
     * @param name           the group's name
     * @param kana           its reading
     * @param category       its category code
     * @param validUntil     the last day of its approval
     * @param members        its roster
     * @param now            now
     * @return the group's id
     */
    public static long insertApproved(DbTransaction tx, long municipalityId, UUID representative, String name,
                                      String kana, String category, LocalDate validUntil, List<Member> members,
                                      Instant now) {
        tx.insert(INSERT, municipalityId, name, kana, category, representative, Sql.at(now), Sql.at(now));
        long id = Sql.longValue(tx.get(LAST_OF, representative).orElseThrow(), "id");
        tx.update("update app_group set status = 'approved', valid_until = ?, submitted_at = ?, reviewed_at = ?"
                + " where id = ?", validUntil, Sql.at(now), Sql.at(now), id);
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            tx.insert(INSERT_MEMBER, id, i, m.name(), m.key(), m.residency().wire(), m.ageBand().wire());
        }
        return id;
    }

    // ---- groups -----------------------------------------------------------------------------------

    Optional<Group> find(long municipalityId, long id) {
        return db.execute().get(FIND, municipalityId, id).map(GroupRepository::group);
    }

    Optional<Group> lock(DbTransaction tx, long municipalityId, long id) {
        return tx.get(LOCK, municipalityId, id).map(GroupRepository::group);
    }

    List<Group> byRepresentative(long municipalityId, UUID accountId) {
        return Sql.list(db.execute().query(BY_REPRESENTATIVE, municipalityId, accountId), GroupRepository::group);
    }

    List<Group> byStatus(long municipalityId, GroupStatus status) {
        return Sql.list(db.execute().query(BY_STATUS, municipalityId, status.wire()), GroupRepository::group);
    }

    /** @return the representative's name and e-mail, while the account exists */
    Optional<Representative> representative(DbExecute exec, UUID accountId) {
        return exec.get(REPRESENTATIVE, accountId).map(row -> new Representative(Sql.text(row, "name"),
                Sql.optionalText(row, "email")));
    }

    /**
     * Locks the account and counts its groups that hold a place under the cap.
     *
     * @return the count, or empty when the account is not a live one of this municipality
     */
    Optional<Integer> lockAndCount(DbTransaction tx, long municipalityId, UUID accountId) {
        if (tx.get(LOCK_ACCOUNT, accountId, municipalityId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(tx.get(COUNT_HELD, accountId).map(row -> Sql.integer(row, "n")).orElse(0));
    }

    long insert(DbTransaction tx, long municipalityId, UUID accountId, String name, String kana, String category,
                Instant now) {
        tx.insert(INSERT, municipalityId, name, kana, category, accountId, Sql.at(now), Sql.at(now));
        return Sql.longValue(tx.get(LAST_OF, accountId).orElseThrow(), "id");
    }

    void updateDetails(DbTransaction tx, long id, String name, String kana, String category, Instant now) {
        tx.update(UPDATE_DETAILS, name, kana, category, Sql.at(now), id);
    }

    void submit(DbTransaction tx, long id, Instant now) {
        tx.update(SUBMIT, Sql.at(now), Sql.at(now), id);
    }

    boolean decide(DbTransaction tx, long id, GroupStatus status, Optional<LocalDate> validUntil, String note,
                   UUID staffId, Instant now) {
        return tx.update(DECIDE, status.wire(), validUntil.orElse(null), note, staffId, Sql.at(now), Sql.at(now), id) == 1;
    }

    List<Member> members(DbExecute exec, long groupId) {
        return Sql.list(exec.query(MEMBERS, groupId), row -> new Member(Sql.text(row, "name"),
                Member.Residency.of(Sql.text(row, "residency")), Member.AgeBand.of(Sql.text(row, "age_band"))));
    }

    List<Member> members(long groupId) {
        return members(db.execute(), groupId);
    }

    void replaceMembers(DbTransaction tx, long groupId, List<Member> members) {
        tx.delete(DELETE_MEMBERS, groupId);
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            tx.insert(INSERT_MEMBER, groupId, i, m.name(), m.key(), m.residency().wire(), m.ageBand().wire());
        }
    }

    // ---- evidence ---------------------------------------------------------------------------------

    List<Evidence> evidence(long groupId) {
        return Sql.list(db.execute().query(EVIDENCE, groupId), GroupRepository::evidence);
    }

    int countEvidence(DbTransaction tx, long groupId) {
        return tx.get(COUNT_EVIDENCE, groupId).map(row -> Sql.integer(row, "n")).orElse(0);
    }

    void insertEvidence(DbTransaction tx, long groupId, Evidence evidence, byte[] bytes) {
        tx.insert(INSERT_EVIDENCE, evidence.id(), groupId, evidence.fileName(), evidence.mediaType(), evidence.size(),
                bytes, Sql.at(evidence.uploadedAt()));
    }

    boolean deleteEvidence(DbTransaction tx, long groupId, UUID evidenceId) {
        return tx.delete(DELETE_EVIDENCE, groupId, evidenceId) == 1;
    }

    Optional<EvidenceFile> evidenceFile(long municipalityId, long groupId, UUID evidenceId) {
        return db.execute().get(EVIDENCE_FILE, municipalityId, groupId, evidenceId)
                .map(row -> new EvidenceFile(evidence(row), Sql.bytes(row, "bytes")));
    }

    // ---- overlap, reminders, expiry ---------------------------------------------------------------

    /**
     * @param municipalityId the municipality
     * @return for each group that is not a draft, the other groups its roster overlaps enough to be flagged
     */
    Map<Long, List<Overlap>> overlaps(long municipalityId) {
        Map<Long, Integer> sizes = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<Long, GroupStatus> statuses = new HashMap<>();
        try (var rows = db.execute().query(SIZES, municipalityId)) {
            rows.forEach(row -> {
                long g = Sql.longValue(row, "g");
                sizes.put(g, Sql.integer(row, "n"));
                names.put(g, Sql.text(row, "name"));
                statuses.put(g, GroupStatus.of(Sql.text(row, "status")));
            });
        }
        Map<Long, List<Overlap>> found = new HashMap<>();
        try (var rows = db.execute().query(SHARED, municipalityId, municipalityId)) {
            rows.forEach(row -> {
                long g = Sql.longValue(row, "g");
                long other = Sql.longValue(row, "other");
                int shared = Sql.integer(row, "shared");
                int a = sizes.getOrDefault(g, 0);
                int b = sizes.getOrDefault(other, 0);
                if (Overlap.flagged(shared, a, b)) {
                    found.computeIfAbsent(g, k -> new ArrayList<>()).add(new Overlap(other, names.get(other),
                            statuses.get(other), shared, Math.min(a, b)));
                }
            });
        }
        return found;
    }

    List<Reminder> dueReminders(LocalDate today, LocalDate until) {
        return Sql.list(db.execute().query(DUE_REMINDERS, until, today), row -> new Reminder(Sql.longValue(row, "id"),
                Sql.longValue(row, "municipality_id"), Sql.text(row, "name"), date(row, "valid_until").orElseThrow(),
                Sql.optionalText(row, "email")));
    }

    boolean markReminded(DbTransaction tx, long groupId, Instant now) {
        return tx.update(MARK_REMINDED, Sql.at(now), groupId) == 1;
    }

    long expire(LocalDate today, Instant now) {
        return db.execute().update(EXPIRE, Sql.at(now), today);
    }

    // ---- rows -------------------------------------------------------------------------------------

    /** The representative's name and e-mail, for staff pages and mail. */
    record Representative(String name, Optional<String> email) {
    }

    /** A group whose approval ends soon and whose representative has not been reminded. */
    record Reminder(long groupId, long municipalityId, String name, LocalDate validUntil, Optional<String> email) {
    }

    /** An evidence file with its bytes. */
    record EvidenceFile(Evidence evidence, byte[] bytes) {
    }

    private static Group group(DbRow row) {
        return new Group(Sql.longValue(row, "id"), Sql.longValue(row, "municipality_id"), Sql.text(row, "name"),
                Sql.text(row, "name_kana"), Sql.text(row, "category_code"), uuid(Sql.value(row, "representative_id")
                .orElseThrow()), GroupStatus.of(Sql.text(row, "status")), date(row, "valid_until"),
                Sql.optionalText(row, "review_note"), Sql.value(row, "reviewed_by").map(GroupRepository::uuid),
                Sql.optionalInstant(row, "submitted_at"), Sql.instant(row, "created_at"));
    }

    private static Listed listed(DbRow row) {
        return new Listed(category(row), Sql.integer(row, "sort_order"), Sql.optionalInstant(row, "retired_at"),
                Sql.longValue(row, "groups_named"));
    }

    private static Category category(DbRow row) {
        return new Category(Sql.text(row, "code"), Sql.text(row, "name_ja"), Sql.text(row, "name_en"),
                Sql.integer(row, "validity_months"), Sql.optionalText(row, "reduction_code"));
    }

    private static Evidence evidence(DbRow row) {
        return new Evidence(uuid(Sql.value(row, "id").orElseThrow()), Sql.text(row, "file_name"),
                Sql.text(row, "media_type"), Sql.integer(row, "size_bytes"), Sql.instant(row, "uploaded_at"));
    }

    private static Optional<LocalDate> date(DbRow row, String column) {
        return Sql.value(row, column).map(value -> switch (value) {
            case LocalDate d -> d;
            case java.sql.Date d -> d.toLocalDate();
            default -> throw new IllegalStateException(column + " is a " + value.getClass());
        });
    }

    private static UUID uuid(Object value) {
        return value instanceof UUID u ? u : UUID.fromString(value.toString());
    }
}
