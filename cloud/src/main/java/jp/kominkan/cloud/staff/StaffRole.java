package jp.kominkan.cloud.staff;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a member of staff may do. Every role but {@link #MAIN} is scoped to the facilities in
 * {@code staff_facility_scope}; the permissions of each role are listed here and nowhere else, and
 * every page and API asks {@link StaffMember#may} on the server.
 */
public enum StaffRole {
    /** Main administrator (主管理者): the whole municipality, staff, the operation log. */
    MAIN("main", "主管理者", "Main administrator", EnumSet.allOf(Permission.class)),
    /** Facility administrator (施設管理者): runs the facilities in scope, their rooms, doors and bookings. */
    FACILITY("facility", "施設管理者", "Facility administrator", EnumSet.of(Permission.VIEW_BOOKINGS,
            Permission.MANAGE_BOOKINGS, Permission.EDIT_FACILITIES, Permission.VIEW_RESIDENTS,
            Permission.MANAGE_RESIDENTS, Permission.VIEW_DOORS, Permission.MANAGE_DOORS, Permission.OPERATE_DOORS,
            Permission.VIEW_OPERATIONS,
            Permission.REVIEW_GROUPS, Permission.REVIEW_REDUCTIONS, Permission.RUN_LOTTERY)),
    /** Counter clerk (窓口職員): bookings at the counter, payments, residents' contact. */
    CLERK("clerk", "窓口職員", "Counter clerk", EnumSet.of(Permission.VIEW_BOOKINGS, Permission.MANAGE_BOOKINGS,
            Permission.VIEW_RESIDENTS)),
    /** Caretaker (管理人): watches the doors and sees who is booked. */
    CARETAKER("caretaker", "管理人", "Caretaker", EnumSet.of(Permission.VIEW_BOOKINGS, Permission.VIEW_DOORS,
            Permission.OPERATE_DOORS));

    private final String wire;
    private final String japanese;
    private final String english;
    private final Set<Permission> permissions;

    StaffRole(String wire, String japanese, String english, Set<Permission> permissions) {
        this.wire = wire;
        this.japanese = japanese;
        this.english = english;
        this.permissions = permissions;
    }

    /** @return the name stored and sent */
    public String wire() {
        return wire;
    }

    /** @return the role's Japanese name */
    public String japanese() {
        return japanese;
    }

    /** @return the role's English name */
    public String english() {
        return english;
    }

    /**
     * @param permission a permission
     * @return whether this role has it (within its scope)
     */
    public boolean permits(Permission permission) {
        return permissions.contains(permission);
    }

    /**
     * @param wire a name
     * @return the role
     * @throws IllegalArgumentException for another name
     */
    public static StaffRole of(String wire) {
        for (StaffRole role : values()) {
            if (role.wire.equals(wire)) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown staff role " + wire);
    }
}
