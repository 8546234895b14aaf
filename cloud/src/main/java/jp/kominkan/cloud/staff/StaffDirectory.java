package jp.kominkan.cloud.staff;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.account.PersonFields;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.web.Problem;

/**
 * Staff management (職員管理) for the main administrator: the list of staff, a member's role and
 * facility scope, disabling and enabling, inviting and re-sending an invitation. A change of role or
 * scope counts from the member's next request; disabling ends their sessions at once. The municipality
 * always keeps one enabled main administrator: the rows of those are locked while a change is checked,
 * so two administrators demoting each other at once cannot leave none. Each write is logged in its
 * transaction.
 */
public final class StaffDirectory {

    private static final int MAX_SCOPE = 500;
    private static final String COLUMNS = "s.id, s.municipality_id, s.email, s.name, s.staff_role, s.created_at, s.disabled_at";
    private static final String ALL = "select " + COLUMNS + " from staff_account s where s.municipality_id = ?"
            + " order by case when s.disabled_at is null then 0 else 1 end, s.name, s.id";
    private static final String ONE = "select " + COLUMNS + " from staff_account s where s.id = ? and s.municipality_id = ?";
    private static final String SCOPE = "select facility_id from staff_facility_scope where staff_id = ?";
    private static final String MAINS = """
            select id from staff_account where municipality_id = ? and staff_role = 'main' and disabled_at is null
            for update""";
    private static final String SET_ROLE = "update staff_account set staff_role = ? where id = ? and municipality_id = ?";
    private static final String CLEAR_SCOPE = "delete from staff_facility_scope where staff_id = ?";
    private static final String ADD_SCOPE = "insert into staff_facility_scope (staff_id, facility_id) values (?, ?)";
    private static final String DISABLE = """
            update staff_account set disabled_at = ? where id = ? and municipality_id = ? and disabled_at is null""";
    private static final String ENABLE = """
            update staff_account set disabled_at = null where id = ? and municipality_id = ? and disabled_at is not null""";
    private static final String END_SESSIONS = "delete from staff_session where staff_id = ?";
    private static final String PENDING = """
            select i.token_hash, i.email, i.staff_role, i.created_at, i.expires_at
              from staff_invitation i
             where i.municipality_id = ? and i.accepted_at is null
               and not exists (select 1 from staff_account s where s.municipality_id = i.municipality_id
                                                             and s.email = i.email)
             order by i.created_at desc, i.expires_at desc limit 500""";
    private static final String LATEST_FOR = """
            select token_hash, email, staff_role, created_at, expires_at from staff_invitation
             where municipality_id = ? and email = ? and accepted_at is null
             order by created_at desc, expires_at desc limit 1""";
    private static final String INVITATION_SCOPE = "select facility_id from staff_invitation_facility where token_hash = ?";
    private static final String WITHDRAW = """
            update staff_invitation set expires_at = ?
             where municipality_id = ? and email = ? and accepted_at is null and token_hash <> ? and expires_at > ?""";

    private final DbClient db;
    private final StaffService staff;
    private final StaffRepository repository;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param db         the database
     * @param staff      invitations
     * @param repository staff accounts (the facilities' check)
     * @param log        the operation log
     * @param clock      the clock
     */
    public StaffDirectory(DbClient db, StaffService staff, StaffRepository repository, OperationLog log, Clock clock) {
        this.db = db;
        this.staff = staff;
        this.repository = repository;
        this.log = log;
        this.clock = clock;
    }

    /**
     * A member of staff as the directory lists them.
     *
     * @param member     the member, with role and scope
     * @param createdAt  when their account was made
     * @param disabledAt when it was disabled, if it is
     */
    public record Entry(StaffMember member, Instant createdAt, Optional<Instant> disabledAt) {

        /** Checks the fields are present. */
        public Entry {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(disabledAt, "disabledAt");
        }

        /** @return whether the member is disabled */
        public boolean disabled() {
            return disabledAt.isPresent();
        }
    }

    /**
     * An invitation not yet accepted, the latest for its e-mail.
     *
     * @param email      whom
     * @param role       the role offered
     * @param facilities the scope offered
     * @param createdAt  when it was sent
     * @param expiresAt  when its link stops working
     */
    public record Pending(String email, StaffRole role, Set<Long> facilities, Instant createdAt, Instant expiresAt) {

        /** Checks the fields are present. */
        public Pending {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(role, "role");
            facilities = Set.copyOf(facilities);
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        /**
         * @param now now
         * @return whether the link still works
         */
        public boolean usableAt(Instant now) {
            return expiresAt.isAfter(now);
        }
    }

    /**
     * @param town where
     * @param me   who asks (a main administrator)
     * @return everyone, enabled first, by name
     */
    public List<Entry> members(Municipality town, StaffMember me) {
        administer(me);
        return Sql.list(db.execute().query(ALL, town.id()), this::entry);
    }

    /**
     * @param town where
     * @param me   who asks
     * @param id   which member
     * @return them
     */
    public Entry member(Municipality town, StaffMember me, UUID id) {
        administer(me);
        return find(town, id);
    }

    /**
     * @param town where
     * @param me   who asks
     * @return the invitations not accepted, latest per e-mail, newest first
     */
    public List<Pending> pending(Municipality town, StaffMember me) {
        administer(me);
        Map<String, Pending> latest = new LinkedHashMap<>();
        for (Pending p : Sql.list(db.execute().query(PENDING, town.id()), this::pending)) {
            latest.putIfAbsent(p.email(), p);
        }
        return List.copyOf(latest.values());
    }

    /**
     * Changes a member's role and facilities.
     *
     * @param town       where
     * @param me         who (a main administrator)
     * @param actor      who, from where
     * @param id         whom
     * @param role       the new role
     * @param facilities for a scoped role, the facilities (at least one, all of this municipality)
     * @return the member now
     */
    public Entry changeRole(Municipality town, StaffMember me, Actor actor, UUID id, StaffRole role,
                            Set<Long> facilities) {
        administer(me);
        Set<Long> scope = scope(town, role, facilities);
        Entry before = find(town, id);
        Instant now = now();
        Sql.inTransaction(db, tx -> {
            List<UUID> mains = Sql.list(tx.query(MAINS, town.id()), row -> Sql.uuid(row, "id"));
            if (role != StaffRole.MAIN && mains.contains(id) && mains.size() <= 1) {
                throw lastMain();
            }
            tx.update(SET_ROLE, role.wire(), id, town.id());
            tx.delete(CLEAR_SCOPE, id);
            for (long facility : scope) {
                tx.insert(ADD_SCOPE, id, facility);
            }
            log.append(tx, town.id(), actor, Change.of("staff.change-role", "staff", id, null,
                    Map.of("role", before.member().role().wire(), "facilities", sorted(before.member().facilities())),
                    Map.of("role", role.wire(), "facilities", sorted(scope))), now);
            return null;
        });
        return find(town, id);
    }

    /**
     * Disables a member: they cannot log in, and their sessions end now.
     *
     * @param town  where
     * @param me    who (a main administrator, not the member themself)
     * @param actor who, from where
     * @param id    whom
     * @return the member now
     */
    public Entry disable(Municipality town, StaffMember me, Actor actor, UUID id) {
        administer(me);
        Entry before = find(town, id);
        if (before.disabled()) {
            throw Problem.conflict("already-disabled", "This member is disabled already.", "この職員はすでに無効です。");
        }
        Instant now = now();
        Sql.inTransaction(db, tx -> {
            List<UUID> mains = Sql.list(tx.query(MAINS, town.id()), row -> Sql.uuid(row, "id"));
            if (mains.contains(id) && mains.size() <= 1) {
                throw lastMain();
            }
            if (id.equals(me.id())) {
                throw Problem.conflict("own-account", "You cannot disable your own account.",
                        "自分自身のアカウントは無効にできません。");
            }
            if (tx.update(DISABLE, Sql.at(now), id, town.id()) != 1) {
                throw Problem.conflict("already-disabled", "This member changed meanwhile; reload.",
                        "この職員は他の操作で変更されました。再読み込みしてください。");
            }
            tx.delete(END_SESSIONS, id);
            log.append(tx, town.id(), actor, Change.of("staff.disable", "staff", id, null, Map.of("disabled", false),
                    Map.of("disabled", true)), now);
            return null;
        });
        return find(town, id);
    }

    /**
     * Enables a disabled member again; they log in anew.
     *
     * @param town  where
     * @param me    who (a main administrator)
     * @param actor who, from where
     * @param id    whom
     * @return the member now
     */
    public Entry enable(Municipality town, StaffMember me, Actor actor, UUID id) {
        administer(me);
        Entry before = find(town, id);
        if (!before.disabled()) {
            throw Problem.conflict("not-disabled", "This member is not disabled.", "この職員は無効になっていません。");
        }
        Instant now = now();
        Sql.inTransaction(db, tx -> {
            if (tx.update(ENABLE, id, town.id()) != 1) {
                throw Problem.conflict("not-disabled", "This member changed meanwhile; reload.",
                        "この職員は他の操作で変更されました。再読み込みしてください。");
            }
            log.append(tx, town.id(), actor, Change.of("staff.enable", "staff", id, null, Map.of("disabled", true),
                    Map.of("disabled", false)), now);
            return null;
        });
        return find(town, id);
    }

    /**
     * Invites someone by e-mail (the mail goes through the outbox), logged.
     *
     * @param town       where
     * @param me         who (a main administrator)
     * @param actor      who, from where
     * @param email      whom
     * @param role       the role offered
     * @param facilities for a scoped role, the facilities
     * @param baseUrl    the site's address, for the link
     * @return the invitation
     */
    public Invitation invite(Municipality town, StaffMember me, Actor actor, String email, StaffRole role,
                             Set<Long> facilities, String baseUrl) {
        administer(me);
        refuseExisting(town, email);
        checkScopeSize(facilities);
        return staff.invite(town, me, email, role, facilities, baseUrl, (tx, invitation) -> log.append(tx, town.id(),
                actor, Change.of("staff.invite", "staff-invitation", invitation.tokenHash(), null, null,
                        invitationState(invitation)), invitation.createdAt()));
    }

    /**
     * Sends an invitation again with a new link; the earlier links for the e-mail stop working.
     *
     * @param town    where
     * @param me      who (a main administrator)
     * @param actor   who, from where
     * @param email   whom
     * @param baseUrl the site's address
     * @return the new invitation, with the role and scope of the last one
     */
    public Invitation resend(Municipality town, StaffMember me, Actor actor, String email, String baseUrl) {
        administer(me);
        String address = PersonFields.email(email).orElseThrow(() -> Problem.badField("email",
                "Enter an e-mail address such as taro@city.example.lg.jp.",
                "メールアドレスを正しく入力してください（例: taro@city.example.lg.jp）。"));
        refuseExisting(town, address);
        Pending last = db.execute().get(LATEST_FOR, town.id(), address).map(this::pending)
                .orElseThrow(() -> Problem.notFoundWith("no-invitation", "No invitation to this e-mail is waiting.",
                        "このメールアドレスへの未承諾の招待はありません。"));
        return staff.invite(town, me, address, last.role(), last.facilities(), baseUrl, (tx, invitation) -> {
            long withdrawn = tx.update(WITHDRAW, Sql.at(invitation.createdAt()), town.id(), address,
                    invitation.tokenHash(), Sql.at(invitation.createdAt()));
            Map<String, Object> state = new LinkedHashMap<>(invitationState(invitation));
            state.put("withdrawn", withdrawn);
            log.append(tx, town.id(), actor, Change.of("staff.reinvite", "staff-invitation", invitation.tokenHash(),
                    null, null, state), invitation.createdAt());
        });
    }

    private Set<Long> scope(Municipality town, StaffRole role, Set<Long> facilities) {
        if (role == StaffRole.MAIN) {
            return Set.of();
        }
        checkScopeSize(facilities);
        if (facilities.isEmpty()) {
            throw Problem.badField("facilities", "Choose at least one facility for this role.",
                    "この権限には、担当する施設を 1 つ以上選んでください。");
        }
        if (!repository.facilitiesBelong(town.id(), facilities)) {
            throw Problem.badField("facilities", "One of the facilities does not exist here.",
                    "指定された施設の中に、存在しないものがあります。");
        }
        return Set.copyOf(facilities);
    }

    private static void checkScopeSize(Set<Long> facilities) {
        if (facilities.size() > MAX_SCOPE) {
            throw Problem.badField("facilities", "Choose at most " + MAX_SCOPE + " facilities.",
                    "施設は " + MAX_SCOPE + " 件までにしてください。");
        }
    }

    private void refuseExisting(Municipality town, String email) {
        if (staff.findByEmail(town, email).isPresent()) {
            throw Problem.conflict("email-taken", "A staff account with this e-mail already exists.",
                    "このメールアドレスの職員アカウントは登録済みです。");
        }
    }

    private Entry find(Municipality town, UUID id) {
        return db.execute().get(ONE, id, town.id()).map(this::entry)
                .orElseThrow(() -> Problem.notFound("member of staff", "職員"));
    }

    private Entry entry(DbRow row) {
        UUID id = Sql.uuid(row, "id");
        Set<Long> scope = Set.copyOf(Sql.list(db.execute().query(SCOPE, id), r -> Sql.longValue(r, "facility_id")));
        return new Entry(new StaffMember(id, Sql.longValue(row, "municipality_id"), Sql.text(row, "email"),
                Sql.text(row, "name"), StaffRole.of(Sql.text(row, "staff_role")), scope),
                Sql.instant(row, "created_at"), Sql.optionalInstant(row, "disabled_at"));
    }

    private Pending pending(DbRow row) {
        String hash = Sql.text(row, "token_hash");
        return new Pending(Sql.text(row, "email"), StaffRole.of(Sql.text(row, "staff_role")),
                Set.copyOf(Sql.list(db.execute().query(INVITATION_SCOPE, hash), r -> Sql.longValue(r, "facility_id"))),
                Sql.instant(row, "created_at"), Sql.instant(row, "expires_at"));
    }

    private static Map<String, Object> invitationState(Invitation invitation) {
        return Map.of("email", invitation.email(), "role", invitation.role().wire(),
                "facilities", sorted(invitation.facilities()), "expiresAt", invitation.expiresAt().toString());
    }

    private static List<Long> sorted(Set<Long> ids) {
        return ids.stream().sorted().toList();
    }

    private static void administer(StaffMember me) {
        if (!me.may(Permission.ADMINISTER)) {
            throw StaffAuthenticator.forbidden();
        }
    }

    private static Problem lastMain() {
        return Problem.conflict("last-main-administrator",
                "This is the last enabled main administrator; make another one first.",
                "有効な主管理者が 1 人だけのため、変更できません。先に別の主管理者を登録してください。");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

}
