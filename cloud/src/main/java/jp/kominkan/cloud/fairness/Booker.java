package jp.kominkan.cloud.fairness;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.account.Account;

/**
 * Who books, as far as fair booking rules care: the account, whether it is verified and lives in the
 * municipality (市内), and the registered group (団体) the booking is for, if any.
 *
 * @param accountId the account
 * @param residency resident, non-resident, or unknown (not verified, or the verification expired)
 * @param groupId   the group booked for; the booking fee code has checked that the account represents it
 */
public record Booker(UUID accountId, Account.Residency residency, Optional<Long> groupId) {

    /** Checks the fields are present. */
    public Booker {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(residency, "residency");
        Objects.requireNonNull(groupId, "groupId");
    }

    /**
     * @param account the account
     * @param groupId the group booked for
     * @return the booker
     */
    public static Booker of(Account account, Optional<Long> groupId) {
        return new Booker(account.id(), account.residency(), groupId);
    }

    /** @return whether the account is verified (本人確認済み) */
    public boolean verified() {
        return residency != Account.Residency.UNKNOWN;
    }

    /** The tier of a booking window a booker falls in. */
    public enum Tier {
        /** Verified 市内 residents, and bookings for a registered group. */
        RESIDENT("residents and registered groups", "市内在住の方・登録団体"),
        /** Verified accounts living elsewhere (市外). */
        NON_RESIDENT("non-residents", "市外の方"),
        /** Accounts not verified. */
        UNVERIFIED("unverified accounts", "本人確認がお済みでない方");

        private final String english;
        private final String japanese;

        Tier(String english, String japanese) {
            this.english = english;
            this.japanese = japanese;
        }

        /** @return who, in English */
        public String english() {
            return english;
        }

        /** @return who, in Japanese */
        public String japanese() {
            return japanese;
        }
    }

    /** @return the window tier this booker falls in: a group booking is a resident's */
    public Tier tier() {
        if (groupId.isPresent() || residency == Account.Residency.RESIDENT) {
            return Tier.RESIDENT;
        }
        return residency == Account.Residency.NON_RESIDENT ? Tier.NON_RESIDENT : Tier.UNVERIFIED;
    }
}
