package jp.kominkan.cloud.account;

import java.util.Objects;
import java.util.UUID;

/**
 * A person's account in one municipality: a resident (利用者) or a member of staff (職員).
 *
 * @param id             account id
 * @param municipalityId the municipality it belongs to
 * @param email          login e-mail, lower-case
 * @param name           the person's name
 * @param role           resident or staff
 * @param residency      whether the person lives in the municipality (市内), which sets the price
 */
public record Account(UUID id, long municipalityId, String email, String name, Role role, Residency residency) {

    /** Checks the fields are present. */
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(residency, "residency");
    }

    /** Who the account is for. */
    public enum Role {
        /** A resident or other facility user (施設利用者). */
        RESIDENT("resident"),
        /** A facility administrator (施設管理者). */
        STAFF("staff");

        private final String wire;

        Role(String wire) {
            this.wire = wire;
        }

        /** @return the name stored and sent */
        public String wire() {
            return wire;
        }

        /**
         * @param wire a stored name
         * @return the role
         */
        public static Role of(String wire) {
            for (Role role : values()) {
                if (role.wire.equals(wire)) {
                    return role;
                }
            }
            throw new IllegalArgumentException("Unknown role " + wire);
        }
    }

    /** Resident (市内) or not (市外); unknown until verified, which prices as non-resident. */
    public enum Residency {
        /** Lives in the municipality (市内). */
        RESIDENT("resident"),
        /** Lives elsewhere (市外). */
        NON_RESIDENT("non-resident"),
        /** Not verified yet. */
        UNKNOWN("unknown");

        private final String wire;

        Residency(String wire) {
            this.wire = wire;
        }

        /** @return the name stored and sent */
        public String wire() {
            return wire;
        }

        /**
         * @param wire a stored name
         * @return the residency
         */
        public static Residency of(String wire) {
            for (Residency residency : values()) {
                if (residency.wire.equals(wire)) {
                    return residency;
                }
            }
            throw new IllegalArgumentException("Unknown residency " + wire);
        }
    }
}
