package jp.kominkan.cloud.receipt;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A refund notice (還付通知書): what was paid for a cancelled or changed booking, the share the ordinance gives
 * back (還付率), the refund and the cancellation fee kept. {@link RefundNoticePdf} draws it.
 *
 * <p>The compact constructor checks that refund and fee add up to what was paid, and that the refund is the rate's
 * share of it to within {@link #ROUNDING_TOLERANCE} yen (municipalities round down to 1 or 10 yen; the ordinance
 * decides, the caller computes it, this only catches swapped or stale numbers).
 *
 * @param number          notice number (通知番号)
 * @param receiptNumber   the receipt of the payment being refunded (領収書番号)
 * @param payeeName       the addressee (宛名), printed with 様
 * @param subject         what the fee was for, e.g. {@code 鉾田中央公民館 大集会室 使用料}
 * @param paid            yen paid, more than zero
 * @param refundPercent   the refund rate (還付率), 0 to 100
 * @param refund          yen given back (還付額)
 * @param cancellationFee yen kept (取消手数料); {@code refund + cancellationFee == paid}
 * @param reason          why, e.g. {@code 利用者都合による取消（使用日の7日前まで）}
 * @param issuedOn        day of issue in the facility's zone
 * @param use             the use that was booked
 * @param issuer          municipality and facility
 * @param method          how it had been paid (the refund goes back the same way)
 * @param handledBy       clerk or provider reference of the refund
 */
public record RefundNotice(String number, String receiptNumber, String payeeName, String subject, long paid,
                           int refundPercent, long refund, long cancellationFee, String reason, LocalDate issuedOn,
                           UsePeriod use, Issuer issuer, PaymentMethod method, HandledBy handledBy) {

    /** How far (yen) the refund may be from {@code paid × refundPercent / 100}: one 10-yen rounding unit. */
    public static final long ROUNDING_TOLERANCE = 10;

    /** Checks every field and that the amounts agree. */
    public RefundNotice {
        Texts.requireText(number, "number");
        Texts.requireText(receiptNumber, "receiptNumber");
        Texts.requireText(payeeName, "payeeName");
        Texts.requireText(subject, "subject");
        Texts.requireText(reason, "reason");
        Objects.requireNonNull(issuedOn, "issuedOn");
        Objects.requireNonNull(use, "use");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handledBy, "handledBy");
        if (paid <= 0) {
            throw new IllegalArgumentException("Refund notice " + number + ": paid must be more than 0, not " + paid);
        }
        if (refundPercent < 0 || refundPercent > 100) {
            throw new IllegalArgumentException("Refund notice " + number + ": rate " + refundPercent + " % is not 0–100");
        }
        if (refund < 0 || cancellationFee < 0 || Math.addExact(refund, cancellationFee) != paid) {
            throw new IllegalArgumentException("Refund notice " + number + ": refund " + refund + " + fee "
                    + cancellationFee + " must be the " + paid + " yen paid");
        }
        // refund × 100 against paid × rate, so no rounding happens in the check itself.
        long exact = Math.multiplyExact(paid, refundPercent);
        if (Math.abs(Math.multiplyExact(refund, 100) - exact) > ROUNDING_TOLERANCE * 100
                || refundPercent == 100 && refund != paid || refundPercent == 0 && refund != 0) {
            throw new IllegalArgumentException("Refund notice " + number + ": " + refund + " yen is not "
                    + refundPercent + " % of " + paid);
        }
    }
}
