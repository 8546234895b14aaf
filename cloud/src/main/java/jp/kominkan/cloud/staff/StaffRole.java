package jp.kominkan.cloud.staff;

/** What a member of staff may do. */
public enum StaffRole {
    /** Main administrator (主管理者): every facility of the municipality; invites others. */
    MAIN("main"),
    /** Child administrator (子管理者): only the facilities in scope. */
    CHILD("child");

    private final String wire;

    StaffRole(String wire) {
        this.wire = wire;
    }

    /** @return the name stored and sent */
    public String wire() {
        return wire;
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
