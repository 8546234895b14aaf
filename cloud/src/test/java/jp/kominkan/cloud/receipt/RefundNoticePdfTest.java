package jp.kominkan.cloud.receipt;

import org.junit.jupiter.api.Test;

import static jp.kominkan.cloud.receipt.ReceiptFixtures.font;
import static jp.kominkan.cloud.receipt.ReceiptFixtures.givenRefundNotice;
import static org.assertj.core.api.Assertions.assertThat;

/** Refund notices drawn by real PDFBox in the real font, read back by Debian's poppler. */
class RefundNoticePdfTest {

    @Test
    void refundNoticeShowsPaidRateRefundFeeAndReason() {
        byte[] bytes = new RefundNoticePdf(font()).render(givenRefundNotice());

        String text = Poppler.text(bytes);
        assertThat(text).contains("還付通知書", "K-2026-000007", "山田 太郎 様", "令和8年12月2日（2026-12-02）");
        assertThat(text).containsPattern("還付額\\s*金\\s*1,310円");
        assertThat(text).containsPattern("納付額\\s+2,620円");
        assertThat(text).containsPattern("還付率\\s+50%");
        assertThat(text).containsPattern("取消手数料\\s+1,310円");
        assertThat(text).contains("利用者都合による取消（使用日の7日前まで）", "R-2026-000123", "クレジットカード",
                "re_3N9xYz", "令和8年12月5日（2026-12-05） 9:00〜17:00");
        assertThat(bytes.length).isLessThan(100 * 1024);
        assertThat(Poppler.fonts(bytes)).containsPattern("CID TrueType\\s+Identity-H\\s+yes\\s+yes\\s+yes");
    }
}
