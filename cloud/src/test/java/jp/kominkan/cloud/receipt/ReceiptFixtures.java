package jp.kominkan.cloud.receipt;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The real receipt font and a receipt and refund notice as a Japanese counter would issue them (鉾田市's
 * 大集会室 all day, 2,620 yen). The font must be installed: a missing one fails the test with the message of
 * {@link ReceiptFont.Unusable}, which says what to install; it never skips.
 */
final class ReceiptFixtures {

    private static ReceiptFont font;

    private ReceiptFixtures() {
    }

    /** @return the font at {@link ReceiptFont#defaultPath()}, loaded once per test JVM */
    static synchronized ReceiptFont font() {
        if (font == null) {
            font = ReceiptFont.load(ReceiptFont.defaultPath());
        }
        return font;
    }

    static UsePeriod use() {
        return new UsePeriod(LocalDateTime.of(2026, 12, 5, 9, 0), LocalDateTime.of(2026, 12, 5, 17, 0));
    }

    static Issuer issuer() {
        return new Issuer("鉾田市", "鉾田中央公民館");
    }

    static Receipt givenReceipt() {
        return givenReceipt("山田 太郎", issuer(), "鉾田中央公民館 大集会室 使用料として");
    }

    static Receipt givenReceipt(String name, Issuer issuer, String purpose) {
        return new Receipt("R-2026-000123", "20261205-0042", name, purpose,
                List.of(new Receipt.Line("大集会室 全日（市内）", 2620)), 2620, LocalDate.of(2026, 12, 1), use(),
                issuer, PaymentMethod.CASH, new HandledBy.Clerk("佐藤"));
    }

    static Receipt givenReceiptWith(List<Receipt.Line> lines, long total) {
        return new Receipt("R-2026-000124", "20261205-0043", "鉾田市民劇団", "鉾田中央公民館 大集会室 使用料として",
                lines, total, LocalDate.of(2026, 12, 1), use(), issuer(), PaymentMethod.KONBINI,
                new HandledBy.Provider("pi_3QkL2mXyZ"));
    }

    static RefundNotice givenRefundNotice() {
        return new RefundNotice("K-2026-000007", "R-2026-000123", "山田 太郎", "鉾田中央公民館 大集会室 使用料",
                2620, 50, 1310, 1310, "利用者都合による取消（使用日の7日前まで）", LocalDate.of(2026, 12, 2), use(),
                issuer(), PaymentMethod.CARD, new HandledBy.Provider("re_3N9xYz"));
    }
}
