package jp.kominkan.cloud.receipt;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static jp.kominkan.cloud.receipt.ReceiptFixtures.givenReceipt;
import static jp.kominkan.cloud.receipt.ReceiptFixtures.givenReceiptWith;
import static jp.kominkan.cloud.receipt.ReceiptFixtures.issuer;
import static jp.kominkan.cloud.receipt.ReceiptFixtures.use;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The records refuse documents that would not add up or not print. */
class ReceiptTest {

    @Test
    void linesMustAddUpToTheTotal() {
        assertThatThrownBy(() -> givenReceiptWith(List.of(new Receipt.Line("大集会室 午前", 1050),
                new Receipt.Line("プロジェクター", 500)), 1500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1550");
        assertThat(givenReceiptWith(List.of(new Receipt.Line("大集会室 午前", 1050),
                new Receipt.Line("減免（全額）", -1000)), 50).total()).isEqualTo(50);
    }

    @Test
    void aReceiptIsForMoreThanZeroYenWithOneToThirtyLines() {
        assertThatThrownBy(() -> givenReceiptWith(List.of(new Receipt.Line("減免（全額）", 0)), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> givenReceiptWith(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> givenReceiptWith(Collections.nCopies(Receipt.MAX_LINES + 1,
                new Receipt.Line("椅子", 10)), 10L * (Receipt.MAX_LINES + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesMustBePresentAndOnOneLine() {
        assertThatThrownBy(() -> givenReceipt(" ", issuer(), "使用料として")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> givenReceipt("山田\n太郎", issuer(), "使用料として"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control");
        assertThatThrownBy(() -> givenReceipt("山".repeat(Texts.MAX_LENGTH + 1), issuer(), "使用料として"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Issuer("鉾田市", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usePeriodMustEndAfterItStartsAndPrintsOvernightUseInFull() {
        LocalDateTime nine = LocalDateTime.of(2026, 12, 5, 9, 0);
        assertThatThrownBy(() -> new UsePeriod(nine, nine)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new UsePeriod(nine, nine.withHour(0).plusDays(1)).printed())
                .isEqualTo("令和8年12月5日（2026-12-05） 9:00〜24:00");
        assertThat(new UsePeriod(nine, nine.plusDays(1)).printed())
                .isEqualTo("令和8年12月5日（2026-12-05） 9:00〜令和8年12月6日（2026-12-06） 9:00");
    }

    @Test
    void refundAndFeeMustAddUpToWhatWasPaid() {
        assertThatThrownBy(() -> notice(2620, 50, 1310, 1300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> notice(2620, 50, -10, 2630)).isInstanceOf(IllegalArgumentException.class);
        assertThat(notice(2620, 50, 1310, 1310).refund()).isEqualTo(1310);
    }

    @Test
    void refundMustBeTheRatesShareWithinOneRoundingUnit() {
        assertThat(notice(1050, 50, 520, 530).refund()).isEqualTo(520); // 525 rounded down to 10 yen
        assertThatThrownBy(() -> notice(2620, 50, 1000, 1620)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> notice(2620, 100, 2615, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> notice(2620, 0, 5, 2615)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> notice(2620, 101, 2620, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static RefundNotice notice(long paid, int percent, long refund, long fee) {
        return new RefundNotice("K-1", "R-1", "山田 太郎", "大集会室 使用料", paid, percent, refund, fee, "利用者都合",
                LocalDate.of(2026, 12, 2), use(), issuer(), PaymentMethod.CASH, new HandledBy.Clerk("佐藤"));
    }
}
