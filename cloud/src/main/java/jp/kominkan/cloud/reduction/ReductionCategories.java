package jp.kominkan.cloud.reduction;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * The municipality's list of 減免 categories (減免区分) as its main administrator keeps it: add one, change its
 * rate, names and conditions, retire one that is no longer granted (and offer it again). A code is the name
 * applications and group categories know a category by, so it cannot change once either names it; such a
 * category is retired rather than removed, and what was granted under it keeps its meaning. Each write and its
 * operation-log entry are one transaction.
 */
public final class ReductionCategories {

    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final ReductionRepository repository;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param repository the SQL
     * @param log        the operation log
     * @param clock      the clock
     */
    public ReductionCategories(ReductionRepository repository, OperationLog log, Clock clock) {
        this.repository = repository;
        this.log = log;
        this.clock = clock;
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
    public record Entry(ReductionCategory category, int sortOrder, Optional<Instant> retiredAt, long applications,
                        long linked) {

        /** Checks the parts. */
        public Entry {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(retiredAt, "retiredAt");
        }

        /** @return whether applications or group categories name its code (which then cannot change) */
        public boolean inUse() {
            return applications > 0 || linked > 0;
        }

        /** @return whether it is still offered to residents */
        public boolean offered() {
            return retiredAt.isEmpty();
        }
    }

    /**
     * A category as typed in the form, judged field by field.
     *
     * @param code               lower-case letters, digits and hyphens, 1–40
     * @param nameJa             the Japanese name, 1–100
     * @param nameEn             the English name, 1–100
     * @param percent            the rate off, an integer 0–100
     * @param notWithAdmission   not when admission is charged
     * @param appliesToEquipment equipment fees reduced too
     * @param requiresGroup      only for a booking made for an approved group
     * @param rosterRule         empty, {@code elderly-half} or {@code residents-half}
     * @param sortOrder          empty (last) or 1–999
     */
    public record Draft(String code, String nameJa, String nameEn, String percent, boolean notWithAdmission,
                        boolean appliesToEquipment, boolean requiresGroup, String rosterRule, String sortOrder) {

        /** Takes a missing text as empty. */
        public Draft {
            code = code == null ? "" : code.strip();
            nameJa = nameJa == null ? "" : nameJa;
            nameEn = nameEn == null ? "" : nameEn;
            percent = percent == null ? "" : percent.strip();
            rosterRule = rosterRule == null ? "" : rosterRule.strip();
            sortOrder = sortOrder == null ? "" : sortOrder.strip();
        }
    }

    /**
     * @param town where
     * @param me   who asks (a main administrator)
     * @return every category, retired ones too, in their order
     */
    public List<Entry> list(Municipality town, StaffMember me) {
        administer(me);
        return repository.listed(town.id()).stream().map(ReductionCategories::entry).toList();
    }

    /**
     * @param town where
     * @param me   who asks
     * @param code which
     * @return it; 404 when this municipality has none with the code
     */
    public Entry one(Municipality town, StaffMember me, String code) {
        administer(me);
        return repository.listed(repository.db().execute(), town.id(), code).map(ReductionCategories::entry)
                .orElseThrow(ReductionCategories::notFound);
    }

    /**
     * Adds a category, offered at once.
     *
     * @param town  where
     * @param me    who (a main administrator)
     * @param actor who, from where
     * @param draft what was typed
     * @return it
     * @throws Problem 400 naming the field at fault, 409 when the code is taken
     */
    public Entry add(Municipality town, StaffMember me, Actor actor, Draft draft) {
        administer(me);
        ReductionCategory category = category(draft);
        Instant now = now();
        try {
            Sql.inTransaction(repository.db(), tx -> {
                if (repository.lockCategory(tx, town.id(), category.code())) {
                    throw taken();
                }
                int sort = sortOrder(draft).orElseGet(() -> repository.nextSortOrder(tx, town.id()));
                ReductionRepository.insertCategory(tx, town.id(), category, sort);
                log.append(tx, town.id(), actor, Change.of("reduction-category.add", "reduction-category",
                        category.code(), null, null, state(category, sort)), now);
                return null;
            });
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                throw taken();
            }
            throw e;
        }
        return one(town, me, category.code());
    }

    /**
     * Changes a category. Its code changes only while nothing names it.
     *
     * @param town  where
     * @param me    who (a main administrator)
     * @param actor who, from where
     * @param code  which
     * @param draft what was typed
     * @return it now
     * @throws Problem 404 for another municipality's or no category, 400 naming the field at fault (a used code)
     */
    public Entry update(Municipality town, StaffMember me, Actor actor, String code, Draft draft) {
        administer(me);
        ReductionCategory category = category(draft);
        Instant now = now();
        try {
            Sql.inTransaction(repository.db(), tx -> {
                Entry before = locked(tx, town, code);
                if (!category.code().equals(code)) {
                    if (before.inUse()) {
                        throw Problem.badField("code", "Applications or group categories name this code; it cannot change.",
                                "この区分は申請または団体区分で使われているため、コードは変更できません。");
                    }
                    if (repository.lockCategory(tx, town.id(), category.code())) {
                        throw taken();
                    }
                }
                int sort = sortOrder(draft).orElse(before.sortOrder());
                repository.updateCategory(tx, town.id(), code, category, sort);
                log.append(tx, town.id(), actor, Change.of("reduction-category.update", "reduction-category",
                        category.code(), null, state(before.category(), before.sortOrder()), state(category, sort)), now);
                return null;
            });
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                throw taken();
            }
            throw e;
        }
        return one(town, me, category.code());
    }

    /**
     * Stops offering a category: residents no longer see it; applications under it keep it.
     *
     * @param town  where
     * @param me    who (a main administrator)
     * @param actor who, from where
     * @param code  which
     * @return it now
     */
    public Entry retire(Municipality town, StaffMember me, Actor actor, String code) {
        administer(me);
        Instant now = now();
        Sql.inTransaction(repository.db(), tx -> {
            locked(tx, town, code);
            if (!repository.retireCategory(tx, town.id(), code, now)) {
                throw Problem.conflict("category-retired", "This category is retired already.", "この区分はすでに廃止しています。");
            }
            log.append(tx, town.id(), actor, Change.of("reduction-category.retire", "reduction-category", code, null,
                    Map.of("retired", false), Map.of("retired", true)), now);
            return null;
        });
        return one(town, me, code);
    }

    /**
     * Offers a retired category again.
     *
     * @param town  where
     * @param me    who (a main administrator)
     * @param actor who, from where
     * @param code  which
     * @return it now
     */
    public Entry reinstate(Municipality town, StaffMember me, Actor actor, String code) {
        administer(me);
        Instant now = now();
        Sql.inTransaction(repository.db(), tx -> {
            locked(tx, town, code);
            if (!repository.reinstateCategory(tx, town.id(), code)) {
                throw Problem.conflict("category-offered", "This category is offered already.", "この区分は廃止されていません。");
            }
            log.append(tx, town.id(), actor, Change.of("reduction-category.reinstate", "reduction-category", code, null,
                    Map.of("retired", true), Map.of("retired", false)), now);
            return null;
        });
        return one(town, me, code);
    }

    /**
     * @param draft what was typed
     * @return the category it describes
     * @throws Problem 400 naming the first field at fault
     */
    static ReductionCategory category(Draft draft) {
        if (draft.code().isEmpty() || draft.code().length() > 40 || !CODE.matcher(draft.code()).matches()) {
            throw Problem.badField("code", "The code is 1 to 40 lower-case letters, digits and hyphens, e.g. city-event.",
                    "コードは英小文字・数字・ハイフンで 40 文字以内で入力してください（例: city-event）。");
        }
        String nameJa = Reductions.text(draft.nameJa(), 100, "nameJa", "the Japanese name", "区分名（日本語）");
        String nameEn = Reductions.text(draft.nameEn(), 100, "nameEn", "the English name", "区分名（英語）");
        int percent;
        try {
            percent = Integer.parseInt(draft.percent());
        } catch (NumberFormatException e) {
            percent = -1;
        }
        if (percent < 0 || percent > 100) {
            throw Problem.badField("percent", "The rate off is a whole number from 0 to 100 (100 = full exemption).",
                    "減免率は 0〜100 の整数で入力してください（100 は全額免除）。");
        }
        Optional<RosterRule> rule;
        try {
            rule = draft.rosterRule().isEmpty() ? Optional.empty() : Optional.of(RosterRule.of(draft.rosterRule()));
        } catch (IllegalArgumentException e) {
            throw Problem.badField("rosterRule", "Choose a roster condition from the list.", "名簿の条件は一覧から選んでください。");
        }
        if (rule.isPresent() && !draft.requiresGroup()) {
            throw Problem.badField("rosterRule", "A roster condition needs \"only for groups\".",
                    "名簿の条件を付けるには「団体の予約に限る」を選んでください。");
        }
        return new ReductionCategory(draft.code(), nameJa, nameEn, percent, draft.notWithAdmission(),
                draft.appliesToEquipment(), draft.requiresGroup(), rule);
    }

    private static Optional<Integer> sortOrder(Draft draft) {
        if (draft.sortOrder().isEmpty()) {
            return Optional.empty();
        }
        try {
            int sort = Integer.parseInt(draft.sortOrder());
            if (sort >= 1 && sort <= 999) {
                return Optional.of(sort);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Problem.badField("sortOrder", "The order is a whole number from 1 to 999, or empty for last.",
                "表示順は 1〜999 の整数で入力してください（空欄なら最後）。");
    }

    private Entry locked(DbTransaction tx, Municipality town, String code) {
        if (!repository.lockCategory(tx, town.id(), code)) {
            throw notFound();
        }
        return repository.listed(tx, town.id(), code).map(ReductionCategories::entry).orElseThrow();
    }

    private static Map<String, Object> state(ReductionCategory c, int sortOrder) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("code", c.code());
        state.put("nameJa", c.nameJa());
        state.put("nameEn", c.nameEn());
        state.put("percent", c.percent());
        state.put("notWithAdmission", c.notWithAdmission());
        state.put("appliesToEquipment", c.appliesToEquipment());
        state.put("requiresGroup", c.requiresGroup());
        state.put("rosterRule", c.rosterRule().map(RosterRule::wire).orElse(""));
        state.put("sortOrder", sortOrder);
        return state;
    }

    private static Entry entry(ReductionRepository.Listed l) {
        return new Entry(l.category(), l.sortOrder(), l.retiredAt(), l.applications(), l.linked());
    }

    private static void administer(StaffMember me) {
        if (!me.may(Permission.ADMINISTER)) {
            throw StaffAuthenticator.forbidden();
        }
    }

    private static Problem notFound() {
        return Problem.notFound("reduction category", "減免の区分");
    }

    private static Problem taken() {
        return Problem.badField("code", "Another category has this code.", "このコードはほかの区分で使われています。");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
