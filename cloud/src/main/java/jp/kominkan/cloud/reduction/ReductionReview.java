package jp.kominkan.cloud.reduction;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbExecute;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.booking.BookingFees;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.fee.Quote;
import jp.kominkan.cloud.group.ApprovedGroup;
import jp.kominkan.cloud.group.Groups;
import jp.kominkan.cloud.ledger.Ledger;
import jp.kominkan.cloud.ledger.LedgerEntry;
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
 * Staff review of 減免 applications (減免審査), scoped to the facilities a member manages: the pending list,
 * one application with its booking, group, roster rule and the fee before and after, and the decision.
 *
 * <p>Approving takes the category's rate — or the rate of the 減免 category the group's category links to
 * (団体区分による減免率) — refuses when the roster rule fails or admission is charged and the category says not
 * with admission, prices the booking again with the reduction ({@link BookingFees#reprice}), freezes the new
 * quote and amount, records the fall in the ledger as {@code reduction}, and sets a new payment deadline from
 * now by the room's rule, or confirms the booking with its door grants when nothing is left to pay. Rejecting
 * (with a note) keeps the fee and sets the deadline from now. Either way the operation log entry and the
 * resident's mail commit in the same transaction.
 */
public final class ReductionReview {

    /** Longest staff note. */
    public static final int NOTE_MAX = 1000;
    private static final DateTimeFormatter MAIL_TIME = DateTimeFormatter.ofPattern("yyyy年M月d日 H:mm");

    private final ReductionRepository repository;
    private final BookingService bookings;
    private final BookingFees fees;
    private final FacilityRepository facilities;
    private final Groups groups;
    private final AccountService accounts;
    private final OperationLog log;
    private final MailOutbox outbox;
    private final Clock clock;

    /**
     * @param repository the SQL
     * @param bookings   reservations, and confirming a booking that became free
     * @param fees       prices a booking again and sets deadlines
     * @param facilities rooms and facilities
     * @param groups     the groups a booking is for, with their rosters counted
     * @param accounts   the applicants
     * @param log        the operation log
     * @param outbox     the mail outbox
     * @param clock      the clock
     */
    public ReductionReview(ReductionRepository repository, BookingService bookings, BookingFees fees,
                           FacilityRepository facilities, Groups groups, AccountService accounts, OperationLog log,
                           MailOutbox outbox, Clock clock) {
        this.repository = repository;
        this.bookings = bookings;
        this.fees = fees;
        this.facilities = facilities;
        this.groups = groups;
        this.accounts = accounts;
        this.log = log;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * An application in the staff's list.
     *
     * @param application the application
     * @param reservation its booking
     * @param place       facility and room
     * @param category    the category applied for
     */
    public record Listed(ReductionApplication application, Reservation reservation, String place,
                         ReductionCategory category) {
    }

    /**
     * One application as staff weigh it.
     *
     * @param application the application
     * @param reservation its booking
     * @param facility    the facility
     * @param room        the room
     * @param applicant   the applicant's name
     * @param category    the category applied for
     * @param group       the group the booking is for, as approved today
     * @param groupName   its name, even when no longer approved
     * @param rosterRule  the roster rule and whether the roster meets it
     * @param percent     the rate approval would grant
     * @param rateFixedBy the 減免 category of the group's category, when it fixes the rate
     * @param feeBefore   the fee now
     * @param after       the fee approval would freeze, when approval is possible
     * @param refusal     why approval is refused, when it is
     */
    public record Reviewed(ReductionApplication application, Reservation reservation, Facility facility, Room room,
                           String applicant, ReductionCategory category, Optional<ApprovedGroup> group,
                           Optional<String> groupName, Optional<RuleResult> rosterRule, int percent,
                           Optional<ReductionCategory> rateFixedBy, long feeBefore, Optional<Quote> after,
                           Optional<Problem> refusal) {
    }

    /**
     * @param rule  the rule
     * @param holds whether the roster meets it
     * @param shown the count it looks at, e.g. "3 / 6"
     */
    public record RuleResult(RosterRule rule, boolean holds, String shown) {
    }

    /**
     * A decision.
     *
     * @param approve approve, or reject
     * @param note    to the resident; required to reject
     */
    public record Decision(boolean approve, String note) {

        /** Checks the note. */
        public Decision {
            String clean = note == null ? "" : note.strip();
            if (!approve || !clean.isEmpty()) {
                clean = Reductions.text(clean, NOTE_MAX, "note", approve ? "a note" : "a note saying why",
                        approve ? "メモ" : "不承認の理由");
            }
            note = clean;
        }
    }

    /**
     * @param town   the municipality
     * @param member who asks
     * @param status which
     * @return the applications on bookings of the member's facilities, oldest first
     */
    public List<Listed> list(Municipality town, StaffMember member, ReductionStatus status) {
        require(member);
        return repository.byStatus(town.id(), status).stream().flatMap(a -> {
            Reservation r = bookings.reservation(town, a.reservationId());
            Optional<Room> room = facilities.room(town.id(), r.roomId()).filter(x -> member.mayManage(x.facilityId()));
            return room.map(x -> new Listed(a, r, facilities.facility(town.id(), x.facilityId()).map(Facility::name)
                    .orElse("") + " " + x.name(), repository.category(repository.db().execute(), town.id(),
                    a.categoryCode()).orElseThrow())).stream();
        }).toList();
    }

    /**
     * @param town   the municipality
     * @param member who asks
     * @param id     the application
     * @return it, weighed; 404 outside the member's facilities
     */
    public Reviewed file(Municipality town, StaffMember member, UUID id) {
        require(member);
        ReductionApplication application = repository.find(repository.db().execute(), town.id(), id)
                .orElseThrow(ReductionReview::notFound);
        return weigh(repository.db().execute(), town, member, application);
    }

    /**
     * @param town   the municipality
     * @param member who asks
     * @param id     the application
     * @return its evidence with the bytes
     */
    public ReductionRepository.EvidenceFile evidence(Municipality town, StaffMember member, UUID id) {
        file(town, member, id);
        return repository.evidence(town.id(), id).orElseThrow(() -> Problem.notFound("file", "ファイル"));
    }

    /**
     * Approves or rejects a pending application.
     *
     * @param town     the municipality
     * @param member   who decides
     * @param actor    who, from where, for the log
     * @param id       the application
     * @param decision what
     * @return the application as decided
     * @throws Problem 409 unless pending on a live hold, or when approval is refused (roster rule, admission)
     */
    public ReductionApplication decide(Municipality town, StaffMember member, Actor actor, UUID id, Decision decision) {
        require(member);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return Sql.inTransaction(repository.db(), tx -> {
            ReductionApplication application = repository.lock(tx, town.id(), id).orElseThrow(ReductionReview::notFound);
            Reviewed weighed = weigh(tx, town, member, application);
            if (application.status() != ReductionStatus.PENDING) {
                throw Problem.conflict("reduction-decided", "This application has been decided already.",
                        "この申請はすでに審査済みです。");
            }
            Reservation reservation = weighed.reservation();
            if (reservation.statusAt(now) != ReservationStatus.HELD || !reservation.range().start().isAfter(now)) {
                throw Problem.conflict("reduction-booking-gone",
                        "The booking is no longer held (it was cancelled, or its time has come).",
                        "この予約は仮予約ではなくなっています（取消済み、または利用時刻を過ぎています）。");
            }
            long before = reservation.amount();
            long after = before;
            Optional<Instant> deadline;
            Optional<Integer> percent = Optional.empty();
            if (decision.approve()) {
                if (weighed.refusal().isPresent()) {
                    throw weighed.refusal().get();
                }
                Quote quote = weighed.after().orElseThrow();
                after = quote.total();
                percent = Optional.of(weighed.percent());
                repository.reprice(tx, reservation.id(), quote.toJson(), after);
                Ledger.dueTo(tx, reservation.id(), after, LedgerEntry.Kind.REDUCTION,
                        "減免 " + weighed.category().nameJa() + "（" + weighed.percent() + "%）", now);
                if (after == 0) {
                    Reservation repriced = new Reservation(reservation.id(), reservation.municipalityId(),
                            reservation.roomId(), reservation.accountId(), reservation.status(), reservation.range(),
                            reservation.purpose(), reservation.attendees(), 0, reservation.holdDeadline(),
                            reservation.createdAt());
                    if (!bookings.confirmFree(tx, town, repriced, now)) {
                        throw Problem.conflict("busy", "Please try again.", "もう一度お試しください。");
                    }
                    deadline = Optional.empty();
                } else {
                    deadline = Optional.of(hold(tx, weighed, now));
                }
            } else {
                deadline = Optional.of(hold(tx, weighed, now));
            }
            ReductionStatus status = decision.approve() ? ReductionStatus.APPROVED : ReductionStatus.REJECTED;
            Optional<String> note = decision.note().isEmpty() ? Optional.empty() : Optional.of(decision.note());
            if (!repository.decide(tx, id, status, member.id(), now, note, percent,
                    decision.approve() ? Optional.of(after) : Optional.empty())) {
                throw Problem.conflict("reduction-decided", "This application has been decided already.",
                        "この申請はすでに審査済みです。");
            }
            log.append(tx, town.id(), actor, Change.of(decision.approve() ? "reduction.approve" : "reduction.reject",
                    "reduction_application", id, weighed.room().facilityId(),
                    state(ReductionStatus.PENDING, application.categoryCode(), before, Optional.empty(), ""),
                    state(status, application.categoryCode(), after, percent, decision.note())), now);
            long fee = after;
            accounts.find(reservation.accountId()).flatMap(Account::email).ifPresent(email -> outbox.enqueue(tx,
                    town.id(), decision.approve() ? "reduction-approved" : "reduction-rejected",
                    mail(town, weighed, email, decision, fee, deadline), now));
            return repository.find(tx, town.id(), id).orElseThrow();
        });
    }

    /** Holds the booking to the room's payment deadline from now. */
    private Instant hold(io.helidon.dbclient.DbTransaction tx, Reviewed weighed, Instant now) {
        Instant deadline = fees.deadlineFrom(weighed.room(), weighed.reservation().range(), now);
        if (!repository.holdUntil(tx, weighed.reservation().id(), deadline, now)) {
            throw Problem.conflict("reduction-booking-gone", "The booking is no longer held.",
                    "この予約は仮予約ではなくなっています。");
        }
        return deadline;
    }

    private Reviewed weigh(DbExecute exec, Municipality town, StaffMember member, ReductionApplication application) {
        Reservation reservation = bookings.reservation(town, application.reservationId());
        Room room = facilities.room(town.id(), reservation.roomId()).filter(r -> member.mayManage(r.facilityId()))
                .orElseThrow(ReductionReview::notFound);
        Facility facility = facilities.facility(town.id(), room.facilityId()).orElseThrow();
        ReductionCategory category = repository.category(exec, town.id(), application.categoryCode()).orElseThrow();
        Optional<Account> applicant = accounts.find(reservation.accountId());
        ReductionRepository.StoredUse stored = repository.stored(exec, reservation.id());
        Optional<ApprovedGroup> group = application.groupId().flatMap(g -> applicant.flatMap(a ->
                groups.approvedGroup(town, a, g)));
        Optional<String> groupName = group.map(ApprovedGroup::name).or(() -> application.groupId().flatMap(g ->
                exec.get("select name from app_group where id = ?", g).map(row -> Sql.text(row, "name"))));
        Optional<RuleResult> rule = category.rosterRule().map(r -> group.map(g -> new RuleResult(r, r.holds(g.roster()),
                r.shown(g.roster()))).orElse(new RuleResult(r, false, "—")));
        Optional<ReductionCategory> fixedBy = group.flatMap(ApprovedGroup::reductionCode)
                .flatMap(code -> repository.category(exec, town.id(), code));
        int percent = fixedBy.map(ReductionCategory::percent).orElse(category.percent());
        Optional<Problem> refusal = Optional.empty();
        if (category.requiresGroup() && group.isEmpty()) {
            refusal = Optional.of(Problem.conflict("reduction-group-not-approved",
                    "The booking's group is not approved today, so this category cannot be granted.",
                    "予約の団体が現在承認されていないため、この区分の減免は承認できません。"));
        } else if (rule.isPresent() && !rule.get().holds()) {
            refusal = Optional.of(Problem.conflict("reduction-roster-rule",
                    "The group's roster does not meet the condition: " + rule.get().rule().labelEn() + " ("
                            + rule.get().shown() + ").",
                    "団体の名簿が条件を満たしていません: " + rule.get().rule().labelJa() + "（" + rule.get().shown() + "）。"));
        } else if (category.notWithAdmission() && stored.use().admissionYen() > 0) {
            refusal = Optional.of(Problem.conflict("reduction-not-with-admission",
                    "This category is not granted when admission is charged (" + stored.use().admissionYen() + " yen).",
                    "入場料（" + stored.use().admissionYen() + " 円）を徴収する利用には、この区分の減免は適用できません。"));
        }
        Optional<Quote> after = Optional.empty();
        if (refusal.isEmpty()) {
            try {
                after = Optional.of(fees.reprice(room, reservation, stored.use(),
                        applicant.map(Account::residency).orElse(Account.Residency.UNKNOWN),
                        Optional.of(category.reduction(percent))));
            } catch (Problem refused) {
                refusal = Optional.of(refused);
            }
        }
        return new Reviewed(application, reservation, facility, room, applicant.map(Account::name).orElse(""), category,
                group, groupName, rule, percent, fixedBy.filter(f -> f.percent() != category.percent()),
                reservation.amount(), after, refusal);
    }

    private static void require(StaffMember member) {
        if (!member.may(Permission.REVIEW_REDUCTIONS)) {
            throw StaffAuthenticator.forbidden();
        }
    }

    static Problem notFound() {
        return Problem.notFound("reduction application", "減免の申請");
    }

    /** The logged state: status, category, fee, rate and the staff's note — never the resident's reason. */
    private static Map<String, Object> state(ReductionStatus status, String category, long amount,
                                             Optional<Integer> percent, String note) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", status.wire());
        state.put("category", category);
        state.put("amount", amount);
        percent.ifPresent(p -> state.put("percent", p));
        if (!note.isEmpty()) {
            state.put("note", note);
        }
        return state;
    }

    private static Mailer.Mail mail(Municipality town, Reviewed weighed, String email, Decision decision, long fee,
                                    Optional<Instant> deadline) {
        ZonedDateTime start = weighed.reservation().range().start().atZone(town.zone());
        String booking = weighed.facility().name() + " " + weighed.room().name() + "（" + MAIL_TIME.format(start) + "〜）";
        String next = deadline.map(d -> "お支払い期限: " + MAIL_TIME.format(d.atZone(town.zone()))
                        + " までに、予約の詳細ページ（/reservations/" + weighed.reservation().id()
                        + "）から、または施設の窓口でお支払いください。期限を過ぎると予約は取り消されます。")
                .orElse("お支払いの必要はありません。予約は確定しました。解錠コードは予約の詳細ページ（/reservations/"
                        + weighed.reservation().id() + "）でご覧いただけます。");
        String result = decision.approve()
                ? "減免を承認しました。\n区分: " + weighed.category().nameJa() + "（" + weighed.percent() + "%）\n"
                + "使用料: " + String.format("%,d", weighed.feeBefore()) + " 円 → " + String.format("%,d", fee) + " 円\n"
                : "減免は承認されませんでした。使用料は変わりません（" + String.format("%,d", fee) + " 円）。\n";
        String body = booking + " の減免申請について、審査の結果をお知らせします。\n\n" + result
                + (decision.note().isEmpty() ? "" : "職員からのメモ: " + decision.note() + "\n") + "\n" + next + "\n\n"
                + town.name();
        String subject = "【" + town.name() + "】減免申請の審査結果（" + (decision.approve() ? "承認" : "不承認") + "）";
        return new Mailer.Mail(email, subject, body);
    }
}
