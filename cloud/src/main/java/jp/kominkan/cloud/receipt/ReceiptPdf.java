package jp.kominkan.cloud.receipt;

import java.util.Objects;

import jp.kominkan.cloud.receipt.Sheet.Align;

/**
 * Draws a {@link Receipt} as an A5 PDF laid out like a municipal 領収書: number and date of issue at the top
 * right, the title, the addressee with 様, the amount boxed as {@code 金 2,620円 也}, the 但し書き, the itemised
 * lines and their total, the use, reservation, payment method and who took it, and the issuer at the foot.
 *
 * <p>Thread-safe: each call builds its own document. The font is subset-embedded (about 20 KB a receipt).
 * Stamp duty (収入印紙) does not apply: documents a municipality issues are exempt (印紙税法 第5条).
 */
public final class ReceiptPdf {

    static final float CAPTION_WIDTH = 72f;

    private final ReceiptFont font;

    /** @param font the checked receipt font */
    public ReceiptPdf(ReceiptFont font) {
        this.font = Objects.requireNonNull(font, "font");
    }

    /**
     * @param receipt a receipt
     * @return the PDF's bytes ({@code application/pdf})
     */
    public byte[] render(Receipt receipt) {
        Objects.requireNonNull(receipt, "receipt");
        try (Sheet sheet = new Sheet(font, "領収書 " + receipt.number())) {
            Heading.numberAndDate(sheet, "領収書番号", receipt.number(), receipt.issuedOn());
            sheet.gap(6);
            sheet.fitted("領収書", 22, 22, Align.CENTER);
            sheet.gap(14);
            Heading.addressee(sheet, receipt.payerName());
            sheet.gap(14);
            sheet.boxed(8, () -> sheet.fitted("金 " + Texts.yen(receipt.total()) + "円 也", 20, 12, Align.CENTER));
            sheet.gap(8);
            sheet.labelled("但し", receipt.purpose(), 10.5f, 30);
            sheet.gap(2);
            sheet.paragraph("上記の金額を正に領収いたしました。", 10.5f, 0);

            sheet.gap(12);
            sheet.fitted("内訳", 10, 10, Align.LEFT);
            sheet.rule(2, 0.5f);
            for (Receipt.Line line : receipt.lines()) {
                sheet.amount(line.label(), Texts.yen(line.yen()) + "円", 10, 8);
            }
            sheet.rule(3, 0.5f);
            sheet.amount("合計", Texts.yen(receipt.total()) + "円", 10.5f, 8);

            sheet.gap(12);
            sheet.labelled("使用日時", receipt.use().printed(), 9.5f, CAPTION_WIDTH);
            sheet.labelled("予約番号", receipt.reservationNumber(), 9.5f, CAPTION_WIDTH);
            sheet.labelled("支払方法", receipt.method().label(), 9.5f, CAPTION_WIDTH);
            sheet.labelled(receipt.handledBy().caption(), receipt.handledBy().value(), 9.5f, CAPTION_WIDTH);

            sheet.gap(16);
            Heading.issuer(sheet, receipt.issuer());
            return sheet.finish();
        }
    }
}
