package jp.kominkan.cloud.staff;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A member of a municipality's staff (施設管理者), who logs in separately from residents.
 *
 * @param id             staff id
 * @param municipalityId the municipality
 * @param email          login e-mail, lower-case
 * @param name           name
 * @param role           main administrator, or a role scoped to facilities
 * @param facilities     for a scoped role: the facilities in scope
 */
public record StaffMember(UUID id, long municipalityId, String email, String name, StaffRole role,
                          Set<Long> facilities) {

    /** Checks the fields are present. */
    public StaffMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        facilities = Set.copyOf(facilities);
    }

    /**
     * @param facilityId a facility of this member's municipality
     * @return whether this member may see and manage it
     */
    public boolean mayManage(long facilityId) {
        return role == StaffRole.MAIN || facilities.contains(facilityId);
    }

    /**
     * @param permission what is to be done
     * @return whether this member's role allows it (somewhere in their scope)
     */
    public boolean may(Permission permission) {
        return role.permits(permission);
    }

    /**
     * @param permission what is to be done
     * @param facilityId to which facility
     * @return whether this member may do it there
     */
    public boolean may(Permission permission, long facilityId) {
        return role.permits(permission) && mayManage(facilityId);
    }

    /**
     * @return the facilities this member's role is limited to; empty for a main administrator, who sees them all
     */
    public java.util.Optional<Set<Long>> scope() {
        return role == StaffRole.MAIN ? java.util.Optional.empty() : java.util.Optional.of(facilities);
    }
}
