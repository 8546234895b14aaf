package jp.kominkan.cloud.residents;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Profile;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.web.Problem;

/**
 * Resident management (利用者管理) for staff: find a resident, read their file, keep notes, and suspend
 * or reinstate their account with a reason. Residents belong to the whole municipality, so any member
 * allowed to view residents finds any of them; their bookings are shown only in the member's facilities.
 * Every write is logged in the write's transaction, with the resident only as an account id.
 */
public final class ResidentAdmin {

    /** Longest search text. */
    public static final int MAX_QUERY = 100;
    /** Most pages of the search. */
    public static final int MAX_PAGE = 999;
    private static final int MAX_NOTE = 2000;
    private static final int MAX_REASON = 400;

    private final DbClient db;
    private final ResidentRepository residents;
    private final AccountService accounts;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param db        the database
     * @param residents the staff's side of accounts
     * @param accounts  residents' profiles and verification
     * @param log       the operation log
     * @param clock     the clock
     */
    public ResidentAdmin(DbClient db, ResidentRepository residents, AccountService accounts, OperationLog log,
                         Clock clock) {
        this.db = db;
        this.residents = residents;
        this.accounts = accounts;
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param town   where
     * @param member who searches
     * @param text   a name, an e-mail or phone digits; blank for everyone
     * @param page   which page, from 0
     * @return one page of residents, by name
     */
    public ResidentRepository.Found search(Municipality town, StaffMember member, String text, int page) {
        require(member, Permission.VIEW_RESIDENTS);
        if (text.length() > MAX_QUERY) {
            throw Problem.badField("q", "Search with at most " + MAX_QUERY + " characters.",
                    "検索語は " + MAX_QUERY + " 文字までにしてください。");
        }
        if (page < 0 || page > MAX_PAGE) {
            throw Problem.badField("page", "page is a whole number from 0 to " + MAX_PAGE + ".",
                    "ページは 0〜" + MAX_PAGE + " の整数で指定してください。");
        }
        return residents.search(town.id(), text, page);
    }

    /**
     * @param town   where
     * @param member who reads
     * @param id     the resident's account
     * @return their file, with bookings in the member's facilities only
     */
    public ResidentFile file(Municipality town, StaffMember member, UUID id) {
        require(member, Permission.VIEW_RESIDENTS);
        Account account = accounts.find(id).filter(a -> a.municipalityId() == town.id()).orElseThrow(ResidentAdmin::notFound);
        ResidentRepository.Standing standing = residents.standing(town.id(), id).orElseThrow(ResidentAdmin::notFound);
        Profile profile = accounts.profile(account);
        Optional<Set<Long>> scope = member.role() == StaffRole.MAIN ? Optional.empty() : Optional.of(member.facilities());
        return new ResidentFile(profile, accounts.verificationStatus(profile), standing.walkIn(), standing.createdAt(),
                standing.suspendedAt(), standing.suspensionReason(), residents.notes(town.id(), id),
                residents.bookings(town.id(), id, scope));
    }

    /**
     * @param town   where
     * @param member who writes (manage residents)
     * @param actor  who, from where
     * @param id     about whom
     * @param note   what, up to 2,000 characters
     * @return the resident's file now
     */
    public ResidentFile addNote(Municipality town, StaffMember member, Actor actor, UUID id, String note) {
        require(member, Permission.MANAGE_RESIDENTS);
        String text = note == null ? "" : note.strip();
        if (text.isEmpty() || text.length() > MAX_NOTE) {
            throw Problem.badField("note", "Write the note (up to " + MAX_NOTE + " characters).",
                    "メモを入力してください（" + MAX_NOTE + " 文字まで）。");
        }
        file(town, member, id);
        Instant now = now();
        Sql.inTransaction(db, tx -> {
            long noteId = residents.addNote(tx, town.id(), id, member.id(), text, now);
            // The note's text may describe the person; the log keeps only a reference to it.
            log.append(tx, town.id(), actor, Change.of("resident.note", "account", id, null, null,
                    Map.of("note", noteId, "length", text.length())), now);
            return null;
        });
        return file(town, member, id);
    }

    /**
     * Suspends an account (利用停止): it cannot log in, and its sessions end at once. Its bookings stay;
     * staff decide on each (the file lists those still to come).
     *
     * @param town   where
     * @param member who (manage residents)
     * @param actor  who, from where
     * @param id     whom
     * @param reason why, up to 400 characters
     * @return the file now
     */
    public ResidentFile suspend(Municipality town, StaffMember member, Actor actor, UUID id, String reason) {
        require(member, Permission.MANAGE_RESIDENTS);
        String why = reason(reason, "suspending", "利用停止");
        ResidentFile before = file(town, member, id);
        if (before.suspended()) {
            throw Problem.conflict("already-suspended", "This account is suspended already.",
                    "この利用者はすでに利用停止中です。");
        }
        Instant now = now();
        Sql.inTransaction(db, tx -> {
            if (!residents.suspend(tx, town.id(), id, why, now)) {
                throw Problem.conflict("already-suspended", "This account changed meanwhile; reload.",
                        "この利用者は他の操作で変更されました。再読み込みしてください。");
            }
            log.append(tx, town.id(), actor, Change.of("resident.suspend", "account", id, null,
                    Map.of("suspended", false), Map.of("suspended", true, "reason", why)), now);
            return null;
        });
        return file(town, member, id);
    }

    /**
     * Lifts a suspension: the account can log in again.
     *
     * @param town   where
     * @param member who (manage residents)
     * @param actor  who, from where
     * @param id     whom
     * @param reason why, up to 400 characters
     * @return the file now
     */
    public ResidentFile reinstate(Municipality town, StaffMember member, Actor actor, UUID id, String reason) {
        require(member, Permission.MANAGE_RESIDENTS);
        String why = reason(reason, "reinstating", "利用再開");
        ResidentFile before = file(town, member, id);
        if (!before.suspended()) {
            throw Problem.conflict("not-suspended", "This account is not suspended.", "この利用者は利用停止中ではありません。");
        }
        Instant now = now();
        Sql.inTransaction(db, tx -> {
            if (!residents.reinstate(tx, town.id(), id)) {
                throw Problem.conflict("not-suspended", "This account changed meanwhile; reload.",
                        "この利用者は他の操作で変更されました。再読み込みしてください。");
            }
            log.append(tx, town.id(), actor, Change.of("resident.reinstate", "account", id, null,
                    Map.of("suspended", true, "reason", before.suspensionReason().orElse("")),
                    Map.of("suspended", false, "reason", why)), now);
            return null;
        });
        return file(town, member, id);
    }

    private static String reason(String reason, String english, String japanese) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw Problem.badField("reason", "Give the reason for " + english + " (up to " + MAX_REASON + " characters).",
                    japanese + "の理由を入力してください（" + MAX_REASON + " 文字まで）。");
        }
        return why;
    }

    private static void require(StaffMember member, Permission permission) {
        if (!member.may(permission)) {
            throw StaffAuthenticator.forbidden();
        }
    }

    private static Problem notFound() {
        return Problem.notFound("resident", "利用者");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

}
