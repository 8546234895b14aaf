package jp.kominkan.cloud.receipt;

import java.time.LocalDate;

import jp.kominkan.cloud.receipt.Sheet.Align;

/** The parts a receipt and a refund notice share: number and date, addressee, issuer. */
final class Heading {

    private Heading() {
    }

    /** Top right: {@code 領収書番号 R-…} and {@code 発行日 令和8年12月1日（2026-12-01）}. */
    static void numberAndDate(Sheet sheet, String caption, String number, LocalDate issuedOn) {
        sheet.fitted(caption + " " + number, 9, 6, Align.RIGHT);
        sheet.fitted("発行日 " + WarekiDate.formatWithIso(issuedOn), 9, 6, Align.RIGHT);
    }

    /** The name with 様, underlined: shrunk for a long name, wrapped for a very long one. */
    static void addressee(Sheet sheet, String name) {
        sheet.fitted(name + " 様", 15, 9, Align.LEFT);
        sheet.rule(2, 0.8f);
    }

    /** The foot: municipality and facility, from the middle of the page to the right margin. */
    static void issuer(Sheet sheet, Issuer issuer) {
        float indent = sheet.width() / 2 - 20;
        sheet.paragraph("発行者", 9, indent);
        sheet.paragraph(issuer.municipality(), 12, indent);
        sheet.paragraph(issuer.facility(), 10.5f, indent);
    }
}
