package jp.kominkan.cloud.receipt;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A receipt (領収書) for a fee paid, with everything printed on it. {@link ReceiptPdf} draws it.
 *
 * <p>The record is the document, not the ledger: the caller takes the numbers from the ledger, and the compact
 * constructor refuses a receipt whose lines do not add up to its total, so a printed receipt always adds up.
 *
 * @param number            receipt number (領収書番号), unique per municipality
 * @param reservationNumber the reservation it pays for (予約番号)
 * @param payerName         the addressee (宛名), printed with 様
 * @param purpose           the 但し書き, e.g. {@code 鉾田中央公民館 大集会室 使用料として}
 * @param lines             itemised lines (内訳), at least one, at most {@link #MAX_LINES}
 * @param total             yen received; the sum of {@code lines}, more than zero
 * @param issuedOn          day of issue in the facility's zone (発行日)
 * @param use               when the room is used (使用日時)
 * @param issuer            municipality and facility (発行者)
 * @param method            how it was paid (支払方法)
 * @param handledBy         clerk or provider reference (取扱者 / 決済番号)
 */
public record Receipt(String number, String reservationNumber, String payerName, String purpose,
                      List<Line> lines, long total, LocalDate issuedOn, UsePeriod use, Issuer issuer,
                      PaymentMethod method, HandledBy handledBy) {

    /** Most itemised lines on one receipt; a booking has a room, a few equipment items and a reduction. */
    public static final int MAX_LINES = 30;

    /** Checks every field, and that the lines add up to the total. */
    public Receipt {
        Texts.requireText(number, "number");
        Texts.requireText(reservationNumber, "reservationNumber");
        Texts.requireText(payerName, "payerName");
        Texts.requireText(purpose, "purpose");
        Objects.requireNonNull(lines, "lines");
        lines = List.copyOf(lines);
        Objects.requireNonNull(issuedOn, "issuedOn");
        Objects.requireNonNull(use, "use");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handledBy, "handledBy");
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("A receipt has 1 to " + MAX_LINES + " lines, not " + lines.size());
        }
        if (total <= 0) {
            throw new IllegalArgumentException("A receipt is for more than 0 yen, not " + total);
        }
        long sum = 0;
        for (Line line : lines) {
            sum = Math.addExact(sum, line.yen());
        }
        if (sum != total) {
            throw new IllegalArgumentException("Receipt " + number + ": lines add up to " + sum + " yen, total is " + total);
        }
    }

    /**
     * One itemised line (内訳): a room's unit, an equipment item, or a reduction (減免) as a negative amount.
     *
     * @param label e.g. {@code 大集会室 全日（市内）} or {@code 減免（50%）}
     * @param yen   the amount, negative for a reduction
     */
    public record Line(String label, long yen) {
        /** Checks the label is present. */
        public Line {
            Texts.requireText(label, "label");
        }
    }
}
