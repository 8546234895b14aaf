package jp.kominkan.cloud.staff;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * Staff accounts, their facility scopes, sessions and invitations, in SQL for H2 and PostgreSQL.
 */
public final class StaffRepository {

    private static final String COLUMNS = "s.id, s.municipality_id, s.email, s.name, s.staff_role";
    private static final String BY_EMAIL = "select " + COLUMNS + ", s.password_hash from staff_account s"
            + " where s.municipality_id = ? and s.email = ? and s.disabled_at is null";
    private static final String BY_SESSION = "select " + COLUMNS
            + " from staff_session t join staff_account s on s.id = t.staff_id where t.token_hash = ? and t.expires_at > ?"
            + " and s.disabled_at is null";
    private static final String SCOPE = "select facility_id from staff_facility_scope where staff_id = ?";
    private static final String ENABLED = "select " + COLUMNS
            + " from staff_account s where s.municipality_id = ? and s.disabled_at is null order by s.email";
    private static final String INSERT_SESSION = """
            insert into staff_session (token_hash, staff_id, created_at, expires_at) values (?, ?, ?, ?)""";
    private static final String DELETE_SESSION = "delete from staff_session where token_hash = ?";
    private static final String INSERT_STAFF = """
            insert into staff_account (id, municipality_id, email, password_hash, name, staff_role, invited_by, created_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_SCOPE = "insert into staff_facility_scope (staff_id, facility_id) values (?, ?)";
    private static final String FACILITY_COUNT = "select count(*) as n from facility where municipality_id = ? and id in ";
    private static final String INSERT_INVITATION = """
            insert into staff_invitation (token_hash, municipality_id, email, staff_role, invited_by, created_at, expires_at)
            values (?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_INVITATION_FACILITY = """
            insert into staff_invitation_facility (token_hash, facility_id) values (?, ?)""";
    private static final String DELETE_INVITATION_FACILITIES = "delete from staff_invitation_facility where token_hash = ?";
    private static final String DELETE_INVITATION = "delete from staff_invitation where token_hash = ?";
    private static final String INVITATION = """
            select token_hash, municipality_id, email, staff_role, invited_by, expires_at, accepted_at
            from staff_invitation where token_hash = ?""";
    private static final String INVITATION_FACILITIES = "select facility_id from staff_invitation_facility where token_hash = ?";
    private static final String ACCEPT = """
            update staff_invitation set accepted_at = ? where token_hash = ? and accepted_at is null and expires_at > ?""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public StaffRepository(DbClient db) {
        this.db = db;
    }

    /**
     * @param municipalityId the municipality
     * @param email          lower-case e-mail
     * @return the member and password hash
     */
    public Optional<Credential> findByEmail(long municipalityId, String email) {
        return db.execute().get(BY_EMAIL, municipalityId, email)
                .map(row -> new Credential(Sql.uuid(row, "id"), Sql.text(row, "password_hash")));
    }

    /**
     * @param municipalityId the municipality
     * @param email          lower-case e-mail
     * @return the member, disabled or not
     */
    public Optional<StaffMember> findAnyByEmail(long municipalityId, String email) {
        return db.execute().get("select " + COLUMNS + " from staff_account s where s.municipality_id = ? and s.email = ?",
                municipalityId, email).map(this::member);
    }

    /**
     * @param id a staff id
     * @return the member with scope
     */
    public Optional<StaffMember> find(UUID id) {
        return db.execute().get("select " + COLUMNS + " from staff_account s where s.id = ?", id).map(this::member);
    }

    /**
     * @param tokenHash SHA-256 of the session token
     * @param now       now
     * @return the member, while the session lasts
     */
    public Optional<StaffMember> findBySession(String tokenHash, Instant now) {
        return db.execute().get(BY_SESSION, tokenHash, Sql.at(now)).map(this::member);
    }

    /**
     * @param tokenHash SHA-256 of the token
     * @param staffId   whose
     * @param createdAt now
     * @param expiresAt end
     */
    public void insertSession(String tokenHash, UUID staffId, Instant createdAt, Instant expiresAt) {
        db.execute().insert(INSERT_SESSION, tokenHash, staffId, Sql.at(createdAt), Sql.at(expiresAt));
    }

    /**
     * @param tokenHash SHA-256 of the token
     */
    public void deleteSession(String tokenHash) {
        db.execute().delete(DELETE_SESSION, tokenHash);
    }

    /**
     * Creates a member of staff directly (the first main administrator of a municipality).
     *
     * @param member       the member
     * @param passwordHash the password's PHC string
     * @param now          now
     * @return false when the e-mail is taken
     */
    public boolean insert(StaffMember member, String passwordHash, Instant now) {
        DbTransaction tx = db.transaction();
        try {
            tx.insert(INSERT_STAFF, member.id(), member.municipalityId(), member.email(), passwordHash, member.name(),
                    member.role().wire(), null, Sql.at(now));
            for (long facility : member.facilities()) {
                tx.insert(INSERT_SCOPE, member.id(), facility);
            }
            tx.commit();
            return true;
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param municipalityId the municipality
     * @param facilityIds    facility ids
     * @return whether all of them are facilities of this municipality
     */
    public boolean facilitiesBelong(long municipalityId, Set<Long> facilityIds) {
        if (facilityIds.isEmpty()) {
            return true;
        }
        String in = facilityIds.stream().map(id -> "?").collect(Collectors.joining(", ", "(", ")"));
        Object[] params = new Object[facilityIds.size() + 1];
        params[0] = municipalityId;
        int i = 1;
        for (long id : facilityIds) {
            params[i++] = id;
        }
        return db.execute().get(FACILITY_COUNT + in, params)
                .map(row -> Sql.longValue(row, "n") == facilityIds.size()).orElse(false);
    }

    /**
     * @param invitation the invitation to store
     */
    public void insertInvitation(Invitation invitation) {
        insertInvitation(invitation, tx -> { });
    }

    /**
     * @param invitation the invitation to store
     * @param also       more work in the same transaction (its mail in the outbox)
     */
    public void insertInvitation(Invitation invitation, java.util.function.Consumer<DbTransaction> also) {
        DbTransaction tx = db.transaction();
        try {
            tx.insert(INSERT_INVITATION, invitation.tokenHash(), invitation.municipalityId(), invitation.email(),
                    invitation.role().wire(), invitation.invitedBy(), Sql.at(invitation.createdAt()),
                    Sql.at(invitation.expiresAt()));
            for (long facility : invitation.facilities()) {
                tx.insert(INSERT_INVITATION_FACILITY, invitation.tokenHash(), facility);
            }
            also.accept(tx);
            tx.commit();
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * Withdraws an invitation whose mail could not be sent.
     *
     * @param tokenHash the invitation
     */
    public void deleteInvitation(String tokenHash) {
        DbTransaction tx = db.transaction();
        try {
            tx.delete(DELETE_INVITATION_FACILITIES, tokenHash);
            tx.delete(DELETE_INVITATION, tokenHash);
            tx.commit();
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * @param tokenHash SHA-256 of the invitation token
     * @return the invitation
     */
    public Optional<Invitation> invitation(String tokenHash) {
        return db.execute().get(INVITATION, tokenHash).map(row -> new Invitation(Sql.text(row, "token_hash"),
                Sql.longValue(row, "municipality_id"), Sql.text(row, "email"),
                StaffRole.of(Sql.text(row, "staff_role")),
                Sql.value(row, "invited_by").map(v -> UUID.fromString(v.toString())).orElse(null),
                Set.copyOf(Sql.list(db.execute().query(INVITATION_FACILITIES, tokenHash),
                        r -> Sql.longValue(r, "facility_id"))),
                Instant.EPOCH, Sql.instant(row, "expires_at"), Sql.optionalInstant(row, "accepted_at")));
    }

    /**
     * Uses an invitation and creates its member in one transaction: of two acceptances, one wins.
     *
     * @param invitation   the invitation
     * @param member       the new member
     * @param passwordHash the password's PHC string
     * @param now          now
     * @return the outcome
     */
    public AcceptOutcome accept(Invitation invitation, StaffMember member, String passwordHash, Instant now) {
        DbTransaction tx = db.transaction();
        try {
            if (tx.update(ACCEPT, Sql.at(now), invitation.tokenHash(), Sql.at(now)) != 1) {
                tx.rollback();
                return AcceptOutcome.USED_OR_EXPIRED;
            }
            try {
                tx.insert(INSERT_STAFF, member.id(), member.municipalityId(), member.email(), passwordHash,
                        member.name(), member.role().wire(), invitation.invitedBy(), Sql.at(now));
            } catch (RuntimeException e) {
                Sql.rollbackQuietly(tx);
                if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                    return AcceptOutcome.EMAIL_TAKEN;
                }
                throw e;
            }
            for (long facility : member.facilities()) {
                tx.insert(INSERT_SCOPE, member.id(), facility);
            }
            tx.commit();
            return AcceptOutcome.ACCEPTED;
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
    }

    /**
     * @param exec           the caller's transaction (a notice is queued with the change it reports)
     * @param municipalityId the municipality
     * @param permission     what is to be done
     * @return the enabled members whose role allows it somewhere in their scope
     */
    public static List<StaffMember> permittedTo(DbExecute exec, long municipalityId, Permission permission) {
        return Sql.list(exec.query(ENABLED, municipalityId), row -> member(exec, row)).stream()
                .filter(m -> m.may(permission)).toList();
    }

    /**
     * @param exec           the caller's transaction
     * @param municipalityId the municipality
     * @param permission     what is to be done
     * @param facilityId     where
     * @return the enabled members who may do it at that facility (main administrators, and those it is in scope of)
     */
    public static List<StaffMember> permittedAt(DbExecute exec, long municipalityId, Permission permission,
                                                long facilityId) {
        return permittedTo(exec, municipalityId, permission).stream().filter(m -> m.may(permission, facilityId))
                .toList();
    }

    private static StaffMember member(DbExecute exec, DbRow row) {
        UUID id = Sql.uuid(row, "id");
        List<Long> scope = Sql.list(exec.query(SCOPE, id), r -> Sql.longValue(r, "facility_id"));
        return new StaffMember(id, Sql.longValue(row, "municipality_id"), Sql.text(row, "email"),
                Sql.text(row, "name"), StaffRole.of(Sql.text(row, "staff_role")), Set.copyOf(scope));
    }

    private StaffMember member(DbRow row) {
        UUID id = Sql.uuid(row, "id");
        List<Long> scope = Sql.list(db.execute().query(SCOPE, id), r -> Sql.longValue(r, "facility_id"));
        return new StaffMember(id, Sql.longValue(row, "municipality_id"), Sql.text(row, "email"),
                Sql.text(row, "name"), StaffRole.of(Sql.text(row, "staff_role")), Set.copyOf(scope));
    }


    /**
     * @param staffId      the member
     * @param passwordHash the PHC string
     */
    public record Credential(UUID staffId, String passwordHash) {
    }

    /** What {@link #accept} did. */
    public enum AcceptOutcome {
        /** The member exists now. */
        ACCEPTED,
        /** The link was used already or has expired. */
        USED_OR_EXPIRED,
        /** The e-mail already has a staff account here. */
        EMAIL_TAKEN
    }
}
