package jp.kominkan.cloud.group;

import java.util.Objects;
import java.util.Optional;

/**
 * A municipality's group category (団体区分), e.g. 社会教育関係団体: what a group registers as, how long
 * its approval lasts, and the fee reduction (減免) category the fee rules link it to.
 *
 * @param code           stable code, e.g. {@code social-education}
 * @param nameJa         the Japanese name
 * @param nameEn         the English name
 * @param validityMonths how long an approval lasts
 * @param reductionCode  the 減免 category this one gives, once the fee rules name it
 */
public record Category(String code, String nameJa, String nameEn, int validityMonths, Optional<String> reductionCode) {

    /** Checks the parts. */
    public Category {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(nameJa, "nameJa");
        Objects.requireNonNull(nameEn, "nameEn");
        Objects.requireNonNull(reductionCode, "reductionCode");
        if (!code.matches("[a-z0-9]+(-[a-z0-9]+)*") || code.length() > 40) {
            throw new IllegalArgumentException("A category code is kebab-case: " + code);
        }
        if (validityMonths < 1 || validityMonths > 60) {
            throw new IllegalArgumentException("validityMonths " + validityMonths);
        }
    }
}
