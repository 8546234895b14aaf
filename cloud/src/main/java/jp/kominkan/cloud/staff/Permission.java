package jp.kominkan.cloud.staff;

/** One thing a staff role may do; {@link StaffRole} says which role has which. */
public enum Permission {
    /** Set up the municipality: create facilities, manage staff, see every operation. */
    ADMINISTER,
    /** See bookings, the calendar and the booking detail. */
    VIEW_BOOKINGS,
    /** Book at the counter, cancel, move, record payments. */
    MANAGE_BOOKINGS,
    /** Edit facilities, rooms, closed days and blocks; publish and unpublish. */
    EDIT_FACILITIES,
    /** Search residents and see their bookings. */
    VIEW_RESIDENTS,
    /** Add notes to residents, suspend and reinstate accounts. */
    MANAGE_RESIDENTS,
    /** See doors and their events. */
    VIEW_DOORS,
    /** Register gateways, make enrollment tokens, decommission; issue and revoke shelter codes (避難所). */
    MANAGE_DOORS,
    /** Acknowledge door alarms and unlock a door remotely for a stated reason. */
    OPERATE_DOORS,
    /** Read the operation log (a facility administrator: of their facilities). */
    VIEW_OPERATIONS,
    /** Review groups (団体): see their rosters and evidence, approve or reject them (the whole municipality). */
    REVIEW_GROUPS,
    /** Review fee reduction applications (減免審査) on bookings of the facilities in scope: approve or reject. */
    REVIEW_REDUCTIONS,
    /** Run lotteries (抽選) for the facilities in scope: define rounds, watch them, draw, export the results. */
    RUN_LOTTERY
}
