package jp.kominkan.cloud.group;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.config.Config;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffNotices;
import jp.kominkan.cloud.web.Problem;

/**
 * Groups (団体) as their representatives (代表者) register them, and as the rest of the cloud reads them.
 *
 * <p>Only a resident whose identity is verified with the My Number Card and who lives in the
 * municipality (市内在住, {@link Account.Residency#RESIDENT}) may register or send a group: the group's
 * privileges (減免, lottery entries) are a municipality's, for its residents. One person represents at
 * most {@link Settings#maxPerRepresentative} groups that are drafts, under review or approved; the
 * representative's account row is locked while counting, so registrations at the same moment cannot
 * pass the cap. Every write locks the account first and then the group, always in that order.
 *
 * <p>A group is seen only by its representative: another resident's group is answered 404, as if it
 * did not exist.
 */
public final class Groups {

    private final GroupRepository repository;
    private final Clock clock;
    private final Settings settings;
    private final StaffNotices notices;

    /**
     * How far groups go.
     *
     * @param maxPerRepresentative groups one person may hold as drafts, under review or approved
     * @param maxMembers           longest roster
     * @param maxEvidenceFiles     most files per group
     * @param maxEvidenceBytes     largest file
     * @param renewalWindowDays    how many days before the last day renewal opens (and the reminder goes)
     */
    public record Settings(int maxPerRepresentative, int maxMembers, int maxEvidenceFiles, long maxEvidenceBytes,
                           int renewalWindowDays) {

        /** The defaults. */
        public static final Settings DEFAULT = new Settings(3, 200, 10, 5L * 1024 * 1024, 30);

        /** Checks the bounds. */
        public Settings {
            if (maxPerRepresentative < 1 || maxMembers < 1 || maxMembers > 1000 || maxEvidenceFiles < 1
                    || maxEvidenceBytes < 1 || maxEvidenceBytes > 5L * 1024 * 1024 || renewalWindowDays < 1) {
                throw new IllegalArgumentException("Group settings out of range");
            }
        }

        /**
         * @param config the {@code kominkan.groups} node
         * @return the settings, defaults where absent
         */
        public static Settings fromConfig(Config config) {
            return new Settings(config.get("max-per-representative").asInt().orElse(DEFAULT.maxPerRepresentative()),
                    config.get("max-members").asInt().orElse(DEFAULT.maxMembers()),
                    config.get("max-evidence-files").asInt().orElse(DEFAULT.maxEvidenceFiles()),
                    config.get("evidence-max-bytes").asLong().orElse(DEFAULT.maxEvidenceBytes()),
                    config.get("renewal-window-days").asInt().orElse(DEFAULT.renewalWindowDays()));
        }
    }

    /**
     * A group's name, reading and category as typed.
     *
     * @param name         the name, 1–100 characters
     * @param nameKana     its reading in kana, 1–200 characters
     * @param categoryCode a category of the municipality
     */
    public record Details(String name, String nameKana, String categoryCode) {

        /** Checks the lengths and characters. */
        public Details {
            name = GroupText.required(name, 100, "name", "group's name", "団体名");
            nameKana = GroupText.required(nameKana, 200, "nameKana", "group's name in kana", "団体名のふりがな");
            categoryCode = categoryCode == null ? "" : categoryCode.strip();
        }
    }

    /**
     * @param repository the SQL
     * @param clock      the clock
     * @param settings   the bounds
     * @param notices    tells the reviewing staff of a group sent to them
     */
    public Groups(GroupRepository repository, Clock clock, Settings settings, StaffNotices notices) {
        this.repository = repository;
        this.clock = clock;
        this.settings = settings;
        this.notices = notices;
    }

    /** @return the bounds */
    public Settings settings() {
        return settings;
    }

    /**
     * @param town the municipality
     * @return its categories
     */
    public List<Category> categories(Municipality town) {
        return repository.categories(town.id());
    }

    /**
     * @param town    the municipality
     * @param account the representative
     * @return every group they represent
     */
    public List<Group> mine(Municipality town, Account account) {
        return repository.byRepresentative(town.id(), account.id());
    }

    /**
     * @param town    the municipality
     * @param account who asks
     * @param id      the group
     * @return the group with roster and evidence
     * @throws Problem 404 unless {@code account} represents it
     */
    public GroupFile file(Municipality town, Account account, long id) {
        Group group = repository.find(town.id(), id).filter(g -> g.representativeId().equals(account.id()))
                .orElseThrow(Groups::notFound);
        return fileOf(group);
    }

    GroupFile fileOf(Group group) {
        Category category = repository.category(repository.db().execute(), group.municipalityId(),
                group.categoryCode()).orElseThrow();
        String representative = repository.representative(repository.db().execute(), group.representativeId())
                .map(GroupRepository.Representative::name).orElse("");
        return new GroupFile(group, category, representative, repository.members(group.id()),
                repository.evidence(group.id()));
    }

    /**
     * Registers a draft group.
     *
     * @param town    the municipality
     * @param account the representative-to-be
     * @param details name, reading, category
     * @return the new group's id
     * @throws Problem 403 unless a verified resident, 409 at the cap, 400 for an unknown category
     */
    public long create(Municipality town, Account account, Details details) {
        requireVerifiedResident(account);
        return Sql.inTransaction(repository.db(), tx -> {
            lockWithinCap(tx, town, account);
            category(tx, town, details.categoryCode());
            return repository.insert(tx, town.id(), account.id(), details.name(), details.nameKana(),
                    details.categoryCode(), clock.instant());
        });
    }

    /**
     * Changes name, reading and category of a draft (or a rejected group, which becomes a draft again).
     *
     * @param town    the municipality
     * @param account the representative
     * @param id      the group
     * @param details what it is now
     */
    public void update(Municipality town, Account account, long id, Details details) {
        edit(town, account, id, (tx, group) -> {
            category(tx, town, details.categoryCode());
            repository.updateDetails(tx, id, details.name(), details.nameKana(), details.categoryCode(), clock.instant());
        });
    }

    /**
     * Replaces the roster of a draft.
     *
     * @param town    the municipality
     * @param account the representative
     * @param id      the group
     * @param members the whole roster, in order
     * @throws Problem 400 about {@code members} when longer than {@link Settings#maxMembers}
     */
    public void replaceRoster(Municipality town, Account account, long id, List<Member> members) {
        checkRosterSize(members.size());
        edit(town, account, id, (tx, group) -> repository.replaceMembers(tx, id, members));
    }

    /**
     * Adds members at the end of a draft's roster.
     *
     * @param town    the municipality
     * @param account the representative
     * @param id      the group
     * @param added   the new members
     * @return the roster now
     */
    public List<Member> addMembers(Municipality town, Account account, long id, List<Member> added) {
        List<Member> roster = new ArrayList<>();
        edit(town, account, id, (tx, group) -> {
            roster.addAll(repository.members(tx, id));
            roster.addAll(added);
            checkRosterSize(roster.size());
            repository.replaceMembers(tx, id, roster);
        });
        return List.copyOf(roster);
    }

    /**
     * Attaches a file to a draft. Its type is sniffed from its bytes; the name is kept only to show.
     *
     * @param town     the municipality
     * @param account  the representative
     * @param id       the group
     * @param fileName the name it came with
     * @param bytes    the file
     * @return the stored file's description
     * @throws Problem 413 when larger than the limit, 400 about {@code evidence} when empty, not PDF, JPEG or
     *                 PNG, or one too many
     */
    public Evidence addEvidence(Municipality town, Account account, long id, String fileName, byte[] bytes) {
        if (bytes.length > settings.maxEvidenceBytes()) {
            throw Problem.tooLarge(settings.maxEvidenceBytes());
        }
        if (bytes.length == 0) {
            throw Problem.badField("evidence", "Choose a file to upload.", "アップロードするファイルを選んでください。");
        }
        String type = Evidence.sniff(bytes).orElseThrow(() -> Problem.badField("evidence",
                "Only PDF, JPEG or PNG files can be attached, and this file is none of them (judged by its content).",
                "添付できるのは PDF・JPEG・PNG のファイルだけです。このファイルはそのどれでもありません（中身で判定しています）。"));
        String shown = shownName(fileName, type);
        Evidence evidence = new Evidence(UUID.randomUUID(), shown, type, bytes.length, clock.instant());
        edit(town, account, id, (tx, group) -> {
            if (repository.countEvidence(tx, id) >= settings.maxEvidenceFiles()) {
                throw Problem.badField("evidence", "A group has at most " + settings.maxEvidenceFiles() + " files.",
                        "添付できるファイルは 1 団体 " + settings.maxEvidenceFiles() + " 件までです。");
            }
            repository.insertEvidence(tx, id, evidence, bytes);
        });
        return evidence;
    }

    /**
     * Removes a file from a draft.
     *
     * @param town       the municipality
     * @param account    the representative
     * @param id         the group
     * @param evidenceId the file
     */
    public void removeEvidence(Municipality town, Account account, long id, UUID evidenceId) {
        edit(town, account, id, (tx, group) -> {
            if (!repository.deleteEvidence(tx, id, evidenceId)) {
                throw Problem.notFound("file", "ファイル");
            }
        });
    }

    /**
     * @param town       the municipality
     * @param account    the representative
     * @param id         the group
     * @param evidenceId the file
     * @return the file with its bytes
     */
    public GroupRepository.EvidenceFile evidenceFile(Municipality town, Account account, long id, UUID evidenceId) {
        file(town, account, id);
        return repository.evidenceFile(town.id(), id, evidenceId).orElseThrow(() -> Problem.notFound("file", "ファイル"));
    }

    /**
     * Sends a draft for review: it needs at least one member and one evidence file.
     *
     * @param town    the municipality
     * @param account the representative
     * @param id      the group
     */
    public void submit(Municipality town, Account account, long id) {
        edit(town, account, id, (tx, group) -> {
            if (repository.members(tx, id).isEmpty()) {
                throw Problem.badField("members", "Add the members before sending.", "送信する前に会員名簿を入力してください。");
            }
            if (repository.countEvidence(tx, id) == 0) {
                throw Problem.badField("evidence", "Attach the group's rules or roster before sending.",
                        "送信する前に、会則や名簿などの書類を添付してください。");
            }
            repository.submit(tx, id, clock.instant());
            tellReviewers(tx, town, group, false);
        });
    }

    /**
     * Sends an approved group (from {@link Settings#renewalWindowDays} days before its last day) or an
     * expired one for review again. While the renewal is reviewed, an approved group stays approved
     * until its last day.
     *
     * @param town    the municipality
     * @param account the representative
     * @param id      the group
     */
    public void renew(Municipality town, Account account, long id) {
        requireVerifiedResident(account);
        Sql.inTransaction(repository.db(), tx -> {
            int held = repository.lockAndCount(tx, town.id(), account.id()).orElseThrow(Groups::notFound);
            Group group = lockOwn(tx, town, account, id);
            LocalDate today = LocalDate.now(clock.withZone(town.zone()));
            if (!group.renewableOn(today, settings.renewalWindowDays())) {
                throw Problem.conflict("not-renewable", "This group can be renewed from " + settings.renewalWindowDays()
                                + " days before its approval ends, or after it has expired.",
                        "更新の申請は、承認期限の " + settings.renewalWindowDays() + " 日前から、または期限切れの後にできます。");
            }
            if (group.status() == GroupStatus.EXPIRED) {
                checkCap(held);
            }
            repository.submit(tx, id, clock.instant());
            tellReviewers(tx, town, group, true);
            return id;
        });
    }

    /**
     * Mail to everyone who may review groups (主管理者 and 施設管理者: groups are the municipality's), in the
     * submission's transaction. Only the group's name and the review page: no representative, no roster.
     */
    private void tellReviewers(DbTransaction tx, Municipality town, Group group, boolean renewal) {
        String kind = renewal ? "更新" : "新規登録";
        String body = "団体の" + kind + "の審査依頼が届きました。\n\n団体名: " + group.name() + "\n審査画面: /staff/groups/"
                + group.id() + "\n\n職員用画面にログインし、「団体審査」からご確認ください。\n\n" + town.name() + " 施設予約システム";
        notices.tell(tx, town.id(), Permission.REVIEW_GROUPS, new StaffNotices.Notice(
                renewal ? "staff-group-renewal" : "staff-group-submitted",
                "【" + town.name() + "】団体登録の審査依頼（" + kind + "）", body), clock.instant());
    }

    /**
     * The groups a resident may book for today: approved (or under renewal with the approval still
     * running), represented by them.
     *
     * @param town    the municipality
     * @param account the resident
     * @return their approved groups
     */
    public List<GroupSummary> approvedFor(Municipality town, Account account) {
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        return mine(town, account).stream().filter(g -> g.approvedOn(today))
                .map(g -> new GroupSummary(g.id(), g.name(), g.categoryCode(), g.status(), g.validUntil())).toList();
    }

    /**
     * One of a resident's groups as the fee reduction (減免) rules read it, if approved today.
     *
     * @param town    the municipality
     * @param account the resident
     * @param groupId the group
     * @return the group, its category's 減免 code and its roster counted; empty when not theirs or not
     *         approved today
     */
    public Optional<ApprovedGroup> approvedGroup(Municipality town, Account account, long groupId) {
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        return repository.find(town.id(), groupId)
                .filter(g -> g.representativeId().equals(account.id()) && g.approvedOn(today))
                .map(g -> {
                    Category category = repository.category(repository.db().execute(), town.id(), g.categoryCode())
                            .orElseThrow();
                    return new ApprovedGroup(g.id(), g.name(), g.categoryCode(), category.reductionCode(),
                            RosterCounts.of(repository.members(g.id())), g.validUntil().orElseThrow());
                });
    }

    /**
     * @param account a resident
     * @throws Problem 403, saying how to verify, unless verified and living in the municipality
     */
    public static void requireVerifiedResident(Account account) {
        switch (account.residency()) {
            case RESIDENT -> {
            }
            case NON_RESIDENT -> throw Problem.forbidden(
                    "Only a resident of this municipality (verified with the My Number Card) can represent a group.",
                    "団体の代表者になれるのは、マイナンバーカードで本人確認をした市内在住の方だけです。");
            case UNKNOWN -> throw Problem.forbidden(
                    "To register a group, first verify your identity with your My Number Card: on My page, choose"
                            + " \"Verify with xID\".",
                    "団体を登録するには、先にマイナンバーカードによる本人確認が必要です。マイページの「xID で本人確認する」から"
                            + "確認してください（確認の期限が切れた方はもう一度確認してください）。");
        }
    }

    /** An edit of a draft, in its transaction with the group locked. */
    @FunctionalInterface
    private interface Edit {
        void apply(DbTransaction tx, Group group);
    }

    /**
     * Runs an edit: a verified resident, their group, editable; a rejected group becomes a draft again,
     * which takes a place under the cap.
     */
    private void edit(Municipality town, Account account, long id, Edit edit) {
        requireVerifiedResident(account);
        Sql.inTransaction(repository.db(), tx -> {
            int held = repository.lockAndCount(tx, town.id(), account.id()).orElseThrow(Groups::notFound);
            Group group = lockOwn(tx, town, account, id);
            if (!group.status().editable()) {
                throw Problem.conflict("group-not-editable", "This group is " + group.status().wire()
                                + " and cannot be changed now.",
                        "この団体は審査中または承認済みのため、いまは変更できません。");
            }
            if (group.status() == GroupStatus.REJECTED) {
                checkCap(held);
                Instant now = clock.instant();
                repository.updateDetails(tx, id, group.name(), group.nameKana(), group.categoryCode(), now);
            }
            edit.apply(tx, group);
            return id;
        });
    }

    private Group lockOwn(DbTransaction tx, Municipality town, Account account, long id) {
        return repository.lock(tx, town.id(), id).filter(g -> g.representativeId().equals(account.id()))
                .orElseThrow(Groups::notFound);
    }

    private void lockWithinCap(DbTransaction tx, Municipality town, Account account) {
        checkCap(repository.lockAndCount(tx, town.id(), account.id()).orElseThrow(Groups::notFound));
    }

    private void checkCap(int held) {
        if (held >= settings.maxPerRepresentative()) {
            throw Problem.conflict("group-limit", "One person can represent at most " + settings.maxPerRepresentative()
                            + " groups (drafts, under review or approved).",
                    "お一人が代表者になれる団体は " + settings.maxPerRepresentative() + " 団体まで（下書き・審査中・承認済みを含む）です。");
        }
    }

    private void checkRosterSize(int size) {
        if (size > settings.maxMembers()) {
            throw Problem.badField("members", "A roster has at most " + settings.maxMembers() + " members.",
                    "名簿に登録できるのは " + settings.maxMembers() + " 人までです。");
        }
    }

    private void category(DbTransaction tx, Municipality town, String code) {
        if (repository.activeCategory(tx, town.id(), code).isEmpty()) {
            throw Problem.badField("categoryCode", "Choose one of the categories.", "団体の区分を選んでください。");
        }
    }

    /** The name shown for a file: its base name without control characters, with the sniffed type's extension. */
    private static String shownName(String fileName, String type) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
                .codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT
                        && c != '"' && c != ';')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        String extension = switch (type) {
            case "application/pdf" -> ".pdf";
            case "image/png" -> ".png";
            default -> ".jpg";
        };
        int dot = base.lastIndexOf('.');
        String stem = dot > 0 ? base.substring(0, dot) : base;
        if (stem.isEmpty()) {
            stem = "evidence";
        }
        return (stem.length() > 200 ? stem.substring(0, 200) : stem) + extension;
    }

    static Problem notFound() {
        return Problem.notFound("group", "団体");
    }
}
