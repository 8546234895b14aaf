package jp.kominkan.cloud.shelter;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.grant.Door;
import jp.kominkan.cloud.grant.GrantIssuer;
import jp.kominkan.cloud.grant.GrantStreamWrites;
import jp.kominkan.cloud.grant.ShelterGrants;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.grant.BookingCode;

/**
 * Shelter and emergency codes (避難所コード): an administrator issues a facility's master code to a disaster-response
 * group (自主防災組織) or the fire brigade (消防団) — one 8-digit code, one signed grant per door of the facility, so it
 * works offline like a booking's — lists them, and revokes them through the grant stream. Every write is in the
 * operation log in its own transaction; the code is in neither the log nor any table. The API and the staff pages
 * both come here, so each rule is checked once, and each operation checks {@link Permission#MANAGE_DOORS} within
 * the facility again whoever called.
 */
public final class ShelterCodes {

    private final ShelterCodeRepository repository;
    private final GrantIssuer issuer;
    private final FacilityRepository facilities;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param repository the shelter_code table
     * @param issuer     draws the code and signs the grants
     * @param facilities facilities, to find the one asked for in the municipality
     * @param log        the operation log
     * @param clock      the clock
     */
    public ShelterCodes(ShelterCodeRepository repository, GrantIssuer issuer, FacilityRepository facilities,
                        OperationLog log, Clock clock) {
        this.repository = repository;
        this.issuer = issuer;
        this.facilities = facilities;
        this.log = log;
        this.clock = clock;
    }

    /**
     * A code just issued: the only time the code is anywhere but in the holder's hands.
     *
     * @param shelterCode the record
     * @param code        the 8 digits, to be shown once
     * @param facility    its facility
     * @param doors       the doors it opens
     */
    public record Issued(ShelterCode shelterCode, BookingCode code, Facility facility, List<Door> doors) {
    }

    /**
     * A code as the list shows it: never the code.
     *
     * @param shelterCode the record
     * @param facility    its facility
     * @param status      where it stands now
     */
    public record Listed(ShelterCode shelterCode, Facility facility, ShelterStatus status) {
    }

    /**
     * @param town    the municipality
     * @param member  who issues it
     * @param actor   who, from where, for the log
     * @param request for whom, which facility, for when
     * @return the code, to be shown once
     * @throws Problem 403 without the permission, 404 for a facility not in scope or not this municipality's, 400 for
     *                 a window already over, 409 for a facility without doors
     */
    public Issued issue(Municipality town, StaffMember member, Actor actor, ShelterRequest request) {
        Facility facility = facilityInScope(town, member, request.facilityId());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        request.requireOpenAfter(now);
        UUID id = UUID.randomUUID();
        ShelterGrants grants = issuer.prepareShelter(town.code(), id, facility.id(), request.validFrom(),
                        request.validUntil(), now)
                .orElseThrow(() -> Problem.conflict("no-doors",
                        "This facility has no door driven by a gateway in service, so a shelter code would open nothing."
                                + " Register its gateway and doors first.",
                        "この施設には、稼働中のゲートウェイにつながった扉がないため、避難所コードを発行できません。"
                                + "先に施設のページでゲートウェイと扉を登録してください。"));
        ShelterCode code = new ShelterCode(id, town.id(), facility.id(), request.holder(), request.validFrom(),
                request.validUntil(), member.id(), now, Optional.empty());
        Sql.inTransaction(repository.db(), tx -> {
            repository.insert(tx, code);
            GrantStreamWrites.issueShelter(tx, id, grants, now);
            log.append(tx, town.id(), actor, Change.of("shelter-code.issue", "shelter-code", id, facility.id(), null,
                    logged(code, grants.doors().size())), now);
            return null;
        });
        return new Issued(code, grants.code(), facility, grants.doors());
    }

    /**
     * @param town       the municipality
     * @param member     who asks
     * @param facilityId one facility, or all in the member's scope
     * @return the codes, newest first, with where each stands now
     * @throws Problem 403 without the permission, 404 for a facility not in scope
     */
    public List<Listed> list(Municipality town, StaffMember member, Optional<Long> facilityId) {
        requirePermission(member);
        Map<Long, Facility> scope = new LinkedHashMap<>();
        if (facilityId.isPresent()) {
            Facility one = facilityInScope(town, member, facilityId.get());
            scope.put(one.id(), one);
        } else {
            facilities.allFacilities(town.id()).stream().filter(f -> member.mayManage(f.id()))
                    .forEach(f -> scope.put(f.id(), f));
        }
        Instant now = clock.instant();
        return repository.list(town.id(), facilityId).stream().filter(c -> scope.containsKey(c.facilityId()))
                .map(c -> new Listed(c, scope.get(c.facilityId()), c.status(now))).toList();
    }

    /**
     * @param town   the municipality
     * @param member who asks
     * @param id     a shelter code
     * @return it, when its facility is in the member's scope
     * @throws Problem 403 without the permission, 404 when not found here or out of scope
     */
    public Listed one(Municipality town, StaffMember member, UUID id) {
        requirePermission(member);
        ShelterCode code = repository.find(town.id(), id).filter(c -> member.mayManage(c.facilityId()))
                .orElseThrow(ShelterCodes::notFound);
        Facility facility = facilities.facility(town.id(), code.facilityId()).orElseThrow(ShelterCodes::notFound);
        return new Listed(code, facility, code.status(clock.instant()));
    }

    /**
     * Revokes a code: the record and every live grant of it, with a revoke entry on each door's gateway stream, and
     * the log entry, in one transaction. A gateway offline keeps opening for the code until the revocation reaches it
     * (docs/shelter-codes.md).
     *
     * @param town   the municipality
     * @param member who revokes it
     * @param actor  who, from where, for the log
     * @param id     the code
     * @return it, revoked
     * @throws Problem 403 without the permission, 404 when not found here or out of scope, 409 when already revoked
     */
    public Listed revoke(Municipality town, StaffMember member, Actor actor, UUID id) {
        Listed before = one(town, member, id);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Sql.inTransaction(repository.db(), tx -> {
            if (!repository.markRevoked(tx, town.id(), id, member.id(), now)) {
                throw Problem.conflict("already-revoked", "This shelter code has already been revoked.",
                        "この避難所コードはすでに取り消されています。");
            }
            int grants = GrantStreamWrites.revokeShelter(tx, id, now);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("status", ShelterStatus.REVOKED.wire());
            after.put("grantsRevoked", grants);
            log.append(tx, town.id(), actor, Change.of("shelter-code.revoke", "shelter-code", id,
                    before.shelterCode().facilityId(), Map.of("status", before.status().wire()), after), now);
            return null;
        });
        return one(town, member, id);
    }

    /**
     * For the door event pipeline: whether a grant a door reported is a shelter code's, so its use raises the
     * {@code shelter-code-used} alarm. One query by primary keys.
     *
     * @param grantId the grant of a door event
     * @return its shelter code, or empty for a booking's grant (or an unknown one)
     */
    public Optional<ShelterUse> useOf(UUID grantId) {
        return repository.useOf(grantId);
    }

    private Facility facilityInScope(Municipality town, StaffMember member, long facilityId) {
        if (!member.mayManage(facilityId)) {
            throw Problem.notFound("facility", "施設");
        }
        requirePermission(member);
        return facilities.facility(town.id(), facilityId).orElseThrow(() -> Problem.notFound("facility", "施設"));
    }

    private static void requirePermission(StaffMember member) {
        if (!member.may(Permission.MANAGE_DOORS)) {
            throw StaffAuthenticator.forbidden();
        }
    }

    private static Problem notFound() {
        return Problem.notFound("shelter code", "避難所コード");
    }

    /** What the log keeps of a new code: never the code. */
    private static Map<String, Object> logged(ShelterCode code, int doors) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("holder", code.holder());
        after.put("validFrom", code.validFrom().toString());
        after.put("validUntil", code.validUntil().toString());
        after.put("doors", doors);
        after.put("status", "issued");
        return after;
    }
}
