package jp.kominkan.cloud.fee;

import java.util.Objects;

/**
 * What a cancellation gives back (還付): the percent the rule allows, the refund and the
 * cancellation fee (取消料), which always add up to what was paid, and the rule in Japanese for
 * the resident and the ledger.
 *
 * @param percent            the rule's percent of the fee
 * @param refundYen          yen refunded
 * @param cancellationFeeYen yen kept
 * @param ruleJa             the rule applied, in Japanese
 */
public record RefundDecision(int percent, long refundYen, long cancellationFeeYen, String ruleJa) {

    /** Validates. */
    public RefundDecision {
        Objects.requireNonNull(ruleJa);
        if (percent < 0 || percent > 100 || refundYen < 0 || cancellationFeeYen < 0) {
            throw new IllegalArgumentException("a refund is 0–100 % and never negative");
        }
    }

    /** @return what was paid: refund plus fee */
    public long paidYen() {
        return refundYen + cancellationFeeYen;
    }
}
