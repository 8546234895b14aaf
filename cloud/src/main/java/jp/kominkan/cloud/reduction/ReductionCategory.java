package jp.kominkan.cloud.reduction;

import java.util.Objects;
import java.util.Optional;

import jp.kominkan.cloud.fee.FeeRequest;

/**
 * A municipality's category of fee reduction or exemption (減免区分): its rate (全額 = 100 %, 5割 = 50 %,
 * 3割 = 30 % off) and its conditions, as the 減免 rules of a 使用料条例 write them.
 *
 * @param code               unique in the municipality
 * @param nameJa             e.g. 社会教育関係団体（5割）
 * @param nameEn             in English
 * @param percent            off, 0–100
 * @param notWithAdmission   not when the use charges admission (入場料を徴収する場合を除く)
 * @param appliesToEquipment equipment fees (附属設備) are reduced too
 * @param requiresGroup      only for a booking made for an approved group
 * @param rosterRule         a condition on the group's roster
 */
public record ReductionCategory(String code, String nameJa, String nameEn, int percent, boolean notWithAdmission,
                                boolean appliesToEquipment, boolean requiresGroup, Optional<RosterRule> rosterRule) {

    /** Checks the parts. */
    public ReductionCategory {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(nameJa, "nameJa");
        Objects.requireNonNull(nameEn, "nameEn");
        Objects.requireNonNull(rosterRule, "rosterRule");
        if (code.isBlank() || code.length() > 40 || percent < 0 || percent > 100) {
            throw new IllegalArgumentException("A reduction category needs a code of 1-40 characters and a rate of 0-100 %");
        }
        if (rosterRule.isPresent() && !requiresGroup) {
            throw new IllegalArgumentException("A roster rule needs a group");
        }
    }

    /**
     * @param percent the rate granted (a group's category can fix it)
     * @return the reduction as the fee calculator applies it
     */
    public FeeRequest.Reduction reduction(int percent) {
        return new FeeRequest.Reduction(code, nameJa, percent, appliesToEquipment, notWithAdmission);
    }
}
