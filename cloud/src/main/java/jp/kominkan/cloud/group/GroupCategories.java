package jp.kominkan.cloud.group;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.dbclient.DbExecute;
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
 * The municipality's group categories (団体区分) as its main administrator keeps them: add one, change its names,
 * how long an approval lasts and the 減免 category it gives, retire one no longer registered (and offer it again).
 * Groups know a category by its code, so the code cannot change once a group names it; a longer or shorter
 * validity counts from the next approval. Each write and its operation-log entry are one transaction.
 */
public final class GroupCategories {

    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /**
     * The 減免 categories a group category may link, as the fee-reduction feature answers (it owns them; this
     * package does not read its tables).
     */
    public interface ReductionCodes {

        /**
         * @param municipalityId the municipality
         * @return the 減免 categories offered, in their order
         */
        List<Choice> offered(long municipalityId);

        /**
         * @param exec           the caller's transaction
         * @param municipalityId the municipality
         * @param code           a 減免 category's code
         * @return whether it is offered
         */
        boolean offered(DbExecute exec, long municipalityId, String code);
    }

    /**
     * A 減免 category to link.
     *
     * @param code   its code
     * @param nameJa its Japanese name
     * @param nameEn its English name
     */
    public record Choice(String code, String nameJa, String nameEn) {
    }

    /**
     * A category as the staff's list shows it.
     *
     * @param category  the category
     * @param sortOrder its place in lists
     * @param retiredAt when it stopped being offered, if it has
     * @param groups    groups that name it, drafts included
     */
    public record Entry(Category category, int sortOrder, Optional<Instant> retiredAt, long groups) {

        /** Checks the parts. */
        public Entry {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(retiredAt, "retiredAt");
        }

        /** @return whether groups name its code (which then cannot change) */
        public boolean inUse() {
            return groups > 0;
        }

        /** @return whether residents can still register under it */
        public boolean offered() {
            return retiredAt.isEmpty();
        }
    }

    /**
     * A category as typed in the form, judged field by field.
     *
     * @param code           lower-case letters, digits and hyphens, 1–40
     * @param nameJa         the Japanese name, 1–100
     * @param nameEn         the English name, 1–100
     * @param validityMonths how long an approval lasts, 1–60
     * @param reductionCode  empty, or an offered 減免 category's code
     * @param sortOrder      empty (last) or 1–999
     */
    public record Draft(String code, String nameJa, String nameEn, String validityMonths, String reductionCode,
                        String sortOrder) {

        /** Takes a missing text as empty. */
        public Draft {
            code = code == null ? "" : code.strip();
            nameJa = nameJa == null ? "" : nameJa;
            nameEn = nameEn == null ? "" : nameEn;
            validityMonths = validityMonths == null ? "" : validityMonths.strip();
            reductionCode = reductionCode == null ? "" : reductionCode.strip();
            sortOrder = sortOrder == null ? "" : sortOrder.strip();
        }
    }

    private final GroupRepository repository;
    private final ReductionCodes reductions;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param repository the SQL
     * @param reductions the 減免 categories to link
     * @param log        the operation log
     * @param clock      the clock
     */
    public GroupCategories(GroupRepository repository, ReductionCodes reductions, OperationLog log, Clock clock) {
        this.repository = repository;
        this.reductions = reductions;
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param town where
     * @param me   who asks (a main administrator)
     * @return every category, retired ones too, in their order
     */
    public List<Entry> list(Municipality town, StaffMember me) {
        administer(me);
        return repository.listed(town.id()).stream().map(GroupCategories::entry).toList();
    }

    /**
     * @param town where
     * @param me   who asks
     * @return the 減免 categories a group category may link
     */
    public List<Choice> reductionChoices(Municipality town, StaffMember me) {
        administer(me);
        return reductions.offered(town.id());
    }

    /**
     * @param town where
     * @param me   who asks
     * @param code which
     * @return it; 404 when this municipality has none with the code
     */
    public Entry one(Municipality town, StaffMember me, String code) {
        administer(me);
        return repository.listed(repository.db().execute(), town.id(), code).map(GroupCategories::entry)
                .orElseThrow(GroupCategories::notFound);
    }

    /**
     * Adds a category, offered at once.
     *
     * @param town  where
     * @param me    who (a main administrator)
     * @param actor who, from where
     * @param draft what was typed
     * @return it
     * @throws Problem 400 naming the field at fault (a code taken too)
     */
    public Entry add(Municipality town, StaffMember me, Actor actor, Draft draft) {
        administer(me);
        Category category = category(draft);
        Instant now = now();
        try {
            Sql.inTransaction(repository.db(), tx -> {
                checkLink(tx, town, category);
                if (repository.lockCategory(tx, town.id(), category.code())) {
                    throw taken();
                }
                int sort = sortOrder(draft).orElseGet(() -> repository.nextSortOrder(tx, town.id()));
                GroupRepository.insertCategory(tx, town.id(), category, sort);
                log.append(tx, town.id(), actor, Change.of("group-category.add", "group-category", category.code(),
                        null, null, state(category, sort)), now);
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
     * Changes a category. Its code changes only while no group names it.
     *
     * @param town  where
     * @param me    who (a main administrator)
     * @param actor who, from where
     * @param code  which
     * @param draft what was typed
     * @return it now
     * @throws Problem 404 for another municipality's or no category, 400 naming the field at fault
     */
    public Entry update(Municipality town, StaffMember me, Actor actor, String code, Draft draft) {
        administer(me);
        Category category = category(draft);
        Instant now = now();
        try {
            Sql.inTransaction(repository.db(), tx -> {
                Entry before = locked(tx, town, code);
                if (!category.code().equals(code)) {
                    if (before.inUse()) {
                        throw Problem.badField("code", "Groups are registered under this code; it cannot change.",
                                "この区分で登録された団体があるため、コードは変更できません。");
                    }
                    if (repository.lockCategory(tx, town.id(), category.code())) {
                        throw taken();
                    }
                }
                // A link kept as it was stays valid even when that 減免 category has been retired since.
                if (!category.reductionCode().equals(before.category().reductionCode())) {
                    checkLink(tx, town, category);
                }
                int sort = sortOrder(draft).orElse(before.sortOrder());
                repository.updateCategory(tx, town.id(), code, category, sort);
                log.append(tx, town.id(), actor, Change.of("group-category.update", "group-category", category.code(),
                        null, state(before.category(), before.sortOrder()), state(category, sort)), now);
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
     * Stops offering a category for new registrations; groups under it keep it (and their approval).
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
            log.append(tx, town.id(), actor, Change.of("group-category.retire", "group-category", code, null,
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
            log.append(tx, town.id(), actor, Change.of("group-category.reinstate", "group-category", code, null,
                    Map.of("retired", true), Map.of("retired", false)), now);
            return null;
        });
        return one(town, me, code);
    }

    static Category category(Draft draft) {
        if (draft.code().isEmpty() || draft.code().length() > 40 || !CODE.matcher(draft.code()).matches()) {
            throw Problem.badField("code", "The code is 1 to 40 lower-case letters, digits and hyphens, e.g. social-education.",
                    "コードは英小文字・数字・ハイフンで 40 文字以内で入力してください（例: social-education）。");
        }
        String nameJa = GroupText.required(draft.nameJa(), 100, "nameJa", "Japanese name", "区分名（日本語）");
        String nameEn = GroupText.required(draft.nameEn(), 100, "nameEn", "English name", "区分名（英語）");
        int months;
        try {
            months = Integer.parseInt(draft.validityMonths());
        } catch (NumberFormatException e) {
            months = 0;
        }
        if (months < 1 || months > 60) {
            throw Problem.badField("validityMonths", "An approval lasts 1 to 60 months.",
                    "承認の有効期間は 1〜60 か月の整数で入力してください。");
        }
        return new Category(draft.code(), nameJa, nameEn, months,
                draft.reductionCode().isEmpty() ? Optional.empty() : Optional.of(draft.reductionCode()));
    }

    private void checkLink(DbTransaction tx, Municipality town, Category category) {
        if (category.reductionCode().isPresent() && !reductions.offered(tx, town.id(), category.reductionCode().get())) {
            throw Problem.badField("reductionCode", "Choose a fee reduction category from the list, or none.",
                    "連動する減免の区分は一覧から選んでください（なしも選べます）。");
        }
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
        return repository.listed(tx, town.id(), code).map(GroupCategories::entry).orElseThrow();
    }

    private static Map<String, Object> state(Category c, int sortOrder) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("code", c.code());
        state.put("nameJa", c.nameJa());
        state.put("nameEn", c.nameEn());
        state.put("validityMonths", c.validityMonths());
        state.put("reductionCode", c.reductionCode().orElse(""));
        state.put("sortOrder", sortOrder);
        return state;
    }

    private static Entry entry(GroupRepository.Listed l) {
        return new Entry(l.category(), l.sortOrder(), l.retiredAt(), l.groups());
    }

    private static void administer(StaffMember me) {
        if (!me.may(Permission.ADMINISTER)) {
            throw StaffAuthenticator.forbidden();
        }
    }

    private static Problem notFound() {
        return Problem.notFound("group category", "団体の区分");
    }

    private static Problem taken() {
        return Problem.badField("code", "Another category has this code.", "このコードはほかの区分で使われています。");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
