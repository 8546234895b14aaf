package jp.kominkan.cloud.account;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A resident's account (利用者) in one municipality. Staff have accounts of their own
 * ({@link jp.kominkan.cloud.staff.StaffMember}) and log in separately.
 *
 * @param id             account id
 * @param municipalityId the municipality it belongs to
 * @param email          login e-mail, lower-case; missing when registered through a provider that gave none
 * @param name           the person's name
 * @param residency      resident (市内) or not, from a verification that has not expired; otherwise unknown,
 *                       which prices as non-resident
 */
public record Account(UUID id, long municipalityId, Optional<String> email, String name, Residency residency) {

    /** Checks the fields are present. */
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(residency, "residency");
    }

    /** Resident (市内) or not (市外); unknown until verified, which prices as non-resident. */
    public enum Residency {
        /** Lives in the municipality (市内). */
        RESIDENT("resident"),
        /** Lives elsewhere (市外). */
        NON_RESIDENT("non-resident"),
        /** Not verified, or the verification expired. */
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
