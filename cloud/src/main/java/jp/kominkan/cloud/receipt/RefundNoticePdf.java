package jp.kominkan.cloud.receipt;

import java.util.Objects;

import jp.kominkan.cloud.receipt.Sheet.Align;

/**
 * Draws a {@link RefundNotice} as an A5 PDF (還付通知書), laid out like {@link ReceiptPdf}: the refund boxed as
 * {@code 還付額 金 1,310円}, then the fee it was for, what was paid, the rate, the cancellation fee kept, the reason,
 * and how and by whom it is refunded.
 *
 * <p>Thread-safe: each call builds its own document.
 */
public final class RefundNoticePdf {

    private final ReceiptFont font;

    /** @param font the checked receipt font */
    public RefundNoticePdf(ReceiptFont font) {
        this.font = Objects.requireNonNull(font, "font");
    }

    /**
     * @param notice a refund notice
     * @return the PDF's bytes ({@code application/pdf})
     */
    public byte[] render(RefundNotice notice) {
        Objects.requireNonNull(notice, "notice");
        float caption = ReceiptPdf.CAPTION_WIDTH;
        try (Sheet sheet = new Sheet(font, "還付通知書 " + notice.number())) {
            Heading.numberAndDate(sheet, "通知番号", notice.number(), notice.issuedOn());
            sheet.gap(6);
            sheet.fitted("還付通知書", 22, 22, Align.CENTER);
            sheet.gap(14);
            Heading.addressee(sheet, notice.payeeName());
            sheet.gap(10);
            sheet.paragraph("下記のとおり使用料を還付します。", 10.5f, 0);
            sheet.gap(8);
            sheet.boxed(8, () -> sheet.fitted("還付額 金 " + Texts.yen(notice.refund()) + "円", 18, 12, Align.CENTER));
            sheet.gap(10);
            sheet.labelled("件名", notice.subject(), 10, caption);
            sheet.labelled("使用日時", notice.use().printed(), 10, caption);
            sheet.labelled("領収書番号", notice.receiptNumber(), 10, caption);
            sheet.rule(4, 0.5f);
            sheet.amount("納付額", Texts.yen(notice.paid()) + "円", 10, 8);
            sheet.amount("還付率", notice.refundPercent() + "%", 10, 8);
            sheet.amount("取消手数料", Texts.yen(notice.cancellationFee()) + "円", 10, 8);
            sheet.rule(3, 0.5f);
            sheet.amount("還付額", Texts.yen(notice.refund()) + "円", 10.5f, 8);
            sheet.gap(10);
            sheet.labelled("還付理由", notice.reason(), 10, caption);
            sheet.labelled("支払方法", notice.method().label(), 10, caption);
            sheet.labelled(notice.handledBy().caption(), notice.handledBy().value(), 10, caption);
            sheet.gap(16);
            Heading.issuer(sheet, notice.issuer());
            return sheet.finish();
        }
    }
}
