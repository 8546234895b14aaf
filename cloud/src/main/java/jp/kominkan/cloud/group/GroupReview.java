package jp.kominkan.cloud.group;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.Mailer;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * Staff review of groups (団体審査): the list by status with the overlap flag, one group's file, and the
 * decision. A decision, its operation log entry (操作ログ, without any member's name) and the mail that
 * tells the representative commit in one transaction. Groups belong to the whole municipality, not to a
 * facility, so a role with {@link Permission#REVIEW_GROUPS} sees all of its municipality's groups.
 */
public final class GroupReview {

    /** Longest staff note. */
    public static final int NOTE_MAX = 1000;

    private final GroupRepository repository;
    private final Groups groups;
    private final OperationLog log;
    private final MailOutbox outbox;
    private final Clock clock;

    /**
     * @param repository the SQL
     * @param groups     the groups' files
     * @param log        the operation log
     * @param outbox     the mail outbox
     * @param clock      the clock
     */
    public GroupReview(GroupRepository repository, Groups groups, OperationLog log, MailOutbox outbox, Clock clock) {
        this.repository = repository;
        this.groups = groups;
        this.log = log;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * A group in the staff's list.
     *
     * @param group          the group
     * @param representative the representative's name
     * @param overlaps       other groups sharing many members
     */
    public record Listed(Group group, String representative, List<Overlap> overlaps) {

        /** Checks the parts. */
        public Listed {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(representative, "representative");
            overlaps = List.copyOf(overlaps);
        }
    }

    /**
     * A group's file as staff see it.
     *
     * @param file     roster, evidence, category
     * @param overlaps other groups sharing many members
     */
    public record Reviewed(GroupFile file, List<Overlap> overlaps) {

        /** Checks the parts. */
        public Reviewed {
            Objects.requireNonNull(file, "file");
            overlaps = List.copyOf(overlaps);
        }
    }

    /**
     * A decision on a group under review.
     *
     * @param approve approve, or reject
     * @param note    the note to the representative: required to reject
     */
    public record Decision(boolean approve, String note) {

        /** Checks the note. */
        public Decision {
            String clean = note == null ? "" : note.strip();
            if (!approve || !clean.isEmpty()) {
                clean = GroupText.required(clean.replace("\r\n", " ").replace('\n', ' '), NOTE_MAX, "note",
                        "note saying why", approve ? "メモ" : "差戻しの理由");
            }
            note = clean;
        }
    }

    /**
     * @param town   the municipality
     * @param member who asks
     * @param status which groups
     * @return them, oldest submission first, each with its overlap flag
     */
    public List<Listed> list(Municipality town, StaffMember member, GroupStatus status) {
        require(member);
        Map<Long, List<Overlap>> overlaps = repository.overlaps(town.id());
        return repository.byStatus(town.id(), status).stream().map(g -> new Listed(g,
                repository.representative(repository.db().execute(), g.representativeId())
                        .map(GroupRepository.Representative::name).orElse(""),
                overlaps.getOrDefault(g.id(), List.of()))).toList();
    }

    /**
     * @param town   the municipality
     * @param member who asks
     * @param id     the group
     * @return its file; drafts are the representative's alone and answered 404
     */
    public Reviewed file(Municipality town, StaffMember member, long id) {
        require(member);
        Group group = visible(town, id);
        return new Reviewed(groups.fileOf(group), repository.overlaps(town.id()).getOrDefault(id, List.of()));
    }

    /**
     * @param town       the municipality
     * @param member     who asks
     * @param id         the group
     * @param evidenceId the file
     * @return the file with its bytes
     */
    public GroupRepository.EvidenceFile evidence(Municipality town, StaffMember member, long id, UUID evidenceId) {
        require(member);
        visible(town, id);
        return repository.evidenceFile(town.id(), id, evidenceId).orElseThrow(() -> Problem.notFound("file", "ファイル"));
    }

    /**
     * Approves or rejects a group under review. An approval lasts the category's months from today, or from
     * the last day of the running approval when it is a renewal.
     *
     * @param town     the municipality
     * @param member   who decides
     * @param actor    who, from where, for the log
     * @param id       the group
     * @param decision what
     * @return the group as it is now
     * @throws Problem 409 unless the group is under review
     */
    public Group decide(Municipality town, StaffMember member, Actor actor, long id, Decision decision) {
        require(member);
        Instant now = clock.instant();
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        return Sql.inTransaction(repository.db(), tx -> {
            Group group = repository.lock(tx, town.id(), id).filter(g -> g.status() != GroupStatus.DRAFT)
                    .orElseThrow(Groups::notFound);
            if (group.status() != GroupStatus.PENDING) {
                throw Problem.conflict("group-not-pending", "This group is not waiting for review.",
                        "この団体は審査待ちではありません。");
            }
            Category category = repository.category(tx, town.id(), group.categoryCode()).orElseThrow();
            Optional<LocalDate> until = decision.approve()
                    ? Optional.of(group.validUntil().filter(u -> !u.isBefore(today)).orElse(today)
                    .plusMonths(category.validityMonths()))
                    : Optional.empty();
            GroupStatus status = decision.approve() ? GroupStatus.APPROVED : GroupStatus.REJECTED;
            repository.decide(tx, id, status, until, decision.note().isEmpty() ? null : decision.note(), member.id(), now);
            int members = repository.members(tx, id).size();
            log.append(tx, town.id(), actor, Change.of(decision.approve() ? "group.approve" : "group.reject", "group",
                    id, null, state(group.status(), group.validUntil(), group.categoryCode(), members, ""),
                    state(status, until, group.categoryCode(), members, decision.note())), now);
            repository.representative(tx, group.representativeId()).flatMap(GroupRepository.Representative::email)
                    .ifPresent(email -> outbox.enqueue(tx, town.id(), decision.approve() ? "group-approved" : "group-rejected",
                            decisionMail(town, group, email, decision, until), now));
            return repository.lock(tx, town.id(), id).orElseThrow();
        });
    }

    private Group visible(Municipality town, long id) {
        return repository.find(town.id(), id).filter(g -> g.status() != GroupStatus.DRAFT).orElseThrow(Groups::notFound);
    }

    private static void require(StaffMember member) {
        if (!member.may(Permission.REVIEW_GROUPS)) {
            throw StaffAuthenticator.forbidden();
        }
    }

    /** The logged state: status, dates, category and the roster's size — never a member's name. */
    private static Map<String, Object> state(GroupStatus status, Optional<LocalDate> until, String category, int members,
                                             String note) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", status.wire());
        state.put("validUntil", until.map(LocalDate::toString).orElse(""));
        state.put("category", category);
        state.put("members", members);
        if (!note.isEmpty()) {
            state.put("note", note);
        }
        return state;
    }

    private static Mailer.Mail decisionMail(Municipality town, Group group, String email, Decision decision,
                                            Optional<LocalDate> until) {
        String result = decision.approve()
                ? "団体登録を承認しました。承認の有効期限は " + until.orElseThrow() + " までです。期限の 30 日前に更新のご案内をお送りします。"
                : "団体登録を差し戻しました。下記の理由をご確認のうえ、内容を直して再度送信してください。";
        String body = "団体「" + group.name() + "」の登録について、審査の結果をお知らせします。\n\n" + result + "\n"
                + (decision.note().isEmpty() ? "" : "\n職員からのメモ: " + decision.note() + "\n")
                + "\n登録内容はマイページの「団体登録」（/groups/" + group.id() + "）でご覧いただけます。\n\n" + town.name();
        String subject = "【" + town.name() + "】団体登録の審査結果（" + (decision.approve() ? "承認" : "差戻し") + "）";
        return new Mailer.Mail(email, subject, body);
    }
}
