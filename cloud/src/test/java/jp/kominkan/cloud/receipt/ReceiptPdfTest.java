package jp.kominkan.cloud.receipt;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static jp.kominkan.cloud.receipt.ReceiptFixtures.font;
import static jp.kominkan.cloud.receipt.ReceiptFixtures.givenReceipt;
import static jp.kominkan.cloud.receipt.ReceiptFixtures.givenReceiptWith;
import static jp.kominkan.cloud.receipt.ReceiptFixtures.issuer;
import static org.assertj.core.api.Assertions.assertThat;

/** Receipts drawn by real PDFBox in the real font, read back by Debian's poppler. */
class ReceiptPdfTest {

    private final ReceiptPdf pdf = new ReceiptPdf(font());

    @Test
    void receiptTextCanBeReadBackWithTitleAmountDatesNameAndDetails() {
        String text = Poppler.text(pdf.render(givenReceipt()));

        assertThat(text).contains("領収書", "R-2026-000123", "山田 太郎 様");
        assertThat(text).containsPattern("金\\s*2,620円\\s*也");
        assertThat(text).contains("令和8年12月1日（2026-12-01）"); // issued
        assertThat(text).contains("令和8年12月5日（2026-12-05） 9:00〜17:00"); // used
        assertThat(text).contains("但し", "鉾田中央公民館 大集会室 使用料として");
        assertThat(text).containsPattern("大集会室 全日（市内）\\s+2,620円");
        assertThat(text).containsPattern("合計\\s+2,620円");
        assertThat(text).contains("現金", "取扱者", "佐藤", "20261205-0042", "鉾田市");
    }

    @Test
    void fontIsEmbeddedAsASubsetAndTheFileIsSmall() {
        byte[] bytes = pdf.render(givenReceipt());

        assertThat(bytes.length).isLessThan(100 * 1024);
        List<String> fonts = Poppler.fonts(bytes).lines().skip(2).toList();
        assertThat(fonts).hasSize(1);
        // e.g. "AADJRK+IPAexGothic  CID TrueType  Identity-H  yes yes yes  8  0"
        assertThat(fonts.get(0)).matches("[A-Z]{6}\\+\\S+\\s+CID TrueType\\s+Identity-H\\s+yes\\s+yes\\s+yes\\s+.*");
    }

    @Test
    void cardAndConvenienceStorePaymentsShowTheProviderReferenceAndNegativeLines() {
        Receipt receipt = givenReceiptWith(List.of(new Receipt.Line("大集会室 午前", 1050),
                new Receipt.Line("プロジェクター", 500), new Receipt.Line("減免（50%）", -775)), 775);

        String text = Poppler.text(pdf.render(receipt));

        assertThat(text).containsPattern("金\\s*775円\\s*也");
        assertThat(text).containsPattern("減免（50%）\\s+-775円");
        assertThat(text).contains("コンビニ", "決済番号", "pi_3QkL2mXyZ");
    }

    @Test
    void characterMissingFromTheFontPrintsAsGetaMarkAndVariationSelectorsAreDropped() {
        // 𠮷 (U+20BB7, つちよし) and 😀 are not in IPAex; 葛 + VS17 (U+E0100) prints as 葛.
        Receipt receipt = givenReceipt("𠮷田 花子😀 葛\uDB40\uDD00城", issuer(), "鉾田中央公民館 大集会室 使用料として");

        String text = Poppler.text(pdf.render(receipt));

        assertThat(text).contains("〓田 花子〓 葛城 様");
        assertThat(text).doesNotContain("𠮷", "😀");
    }

    @Test
    void veryLongFacilityAndNameStayInsideThePage() {
        String facility = "鉾田市立旭地区学習等供用施設兼防災コミュニティセンター（旭公民館・旭スポーツセンター・"
                + "旭地区農業者トレーニングセンター）Hokota City Asahi District Community and Disaster Prevention Center";
        String name = "特定非営利活動法人ほこた子どもと高齢者の居場所づくりを支援する地域ボランティアネットワーク 理事長 山田 太郎";
        Receipt receipt = givenReceipt(name, new Issuer("茨城県鉾田市教育委員会生涯学習課", facility),
                facility + " 第一研修室 使用料として");

        byte[] bytes = pdf.render(receipt);

        List<Poppler.Word> words = Poppler.words(bytes);
        assertThat(words).isNotEmpty();
        assertThat(words).allSatisfy(w -> {
            assertThat(w.xMin()).isGreaterThanOrEqualTo(Sheet.MARGIN - 1);
            assertThat(w.xMax()).isLessThanOrEqualTo(w.pageWidth() - Sheet.MARGIN + 1);
            assertThat(w.yMax()).isLessThanOrEqualTo(w.pageHeight() - Sheet.MARGIN + 1);
        });
        String flat = Poppler.text(bytes).replaceAll("\\s", "");
        assertThat(flat).contains(facility.replaceAll("\\s", "") + "第一研修室使用料として");
        assertThat(flat).contains(name.replaceAll("\\s", "") + "様");
    }

    @Test
    void manyLinesContinueOnASecondPageAndStillAddUp() {
        List<Receipt.Line> lines = new ArrayList<>();
        for (int i = 1; i <= Receipt.MAX_LINES; i++) {
            lines.add(new Receipt.Line("備品 " + i + " 折りたたみ椅子・長机・ホワイトボード・マイク一式（市内団体）", 100));
        }
        byte[] bytes = pdf.render(givenReceiptWith(lines, 3000));

        String text = Poppler.text(bytes);
        assertThat(text).contains("\f"); // pdftotext separates pages with a form feed
        assertThat(text).contains("領収書 R-2026-000124（続き 2枚目）");
        assertThat(text).containsPattern("合計\\s+3,000円");
        assertThat(text).contains("備品 30 ");
        assertThat(Poppler.words(bytes)).allSatisfy(w ->
                assertThat(w.yMax()).isLessThanOrEqualTo(w.pageHeight() - Sheet.MARGIN + 1));
    }
}
