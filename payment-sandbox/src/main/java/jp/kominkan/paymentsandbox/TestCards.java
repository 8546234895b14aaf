package jp.kominkan.paymentsandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stripe's published test payment methods ({@code pm_card_visa}, …) and the card numbers behind them, which the
 * hosted card page accepts. Any other number is refused as Stripe's test mode refuses a real card.
 */
final class TestCards {

    /**
     * @param code the error's {@code code} when it declines (null when it succeeds)
     * @param declineCode the error's {@code decline_code}
     */
    record Card(String token, String number, String brand, String code, String declineCode, String message, String labelJa) {
        String last4() {
            return number.substring(number.length() - 4);
        }

        boolean declines() {
            return code != null;
        }
    }

    static final Map<String, Card> BY_TOKEN = new LinkedHashMap<>();
    static final Map<String, Card> BY_NUMBER = new LinkedHashMap<>();

    static {
        add(new Card("pm_card_visa", "4242424242424242", "visa", null, null, null, "成功します"));
        add(new Card("pm_card_mastercard", "5555555555554444", "mastercard", null, null, null, "成功します"));
        add(new Card("pm_card_jcb", "3566002020360505", "jcb", null, null, null, "成功します"));
        add(new Card("pm_card_amex", "378282246310005", "amex", null, null, null, "成功します"));
        add(new Card("pm_card_chargeDeclined", "4000000000000002", "visa", "card_declined", "generic_decline",
                "Your card was declined.", "拒否されます(generic_decline)"));
        add(new Card("pm_card_chargeDeclinedInsufficientFunds", "4000000000009995", "visa", "card_declined",
                "insufficient_funds", "Your card has insufficient funds.", "残高不足で拒否されます"));
        add(new Card("pm_card_chargeDeclinedLostCard", "4000000000009987", "visa", "card_declined", "lost_card",
                "Your card was declined.", "紛失カードとして拒否されます"));
        add(new Card("pm_card_chargeDeclinedExpiredCard", "4000000000000069", "visa", "expired_card", "expired_card",
                "Your card has expired.", "有効期限切れで拒否されます"));
        add(new Card("pm_card_chargeDeclinedIncorrectCvc", "4000000000000127", "visa", "incorrect_cvc", "incorrect_cvc",
                "Your card's security code is incorrect.", "セキュリティコード誤りで拒否されます"));
        add(new Card("pm_card_chargeDeclinedProcessingError", "4000000000000119", "visa", "processing_error",
                "processing_error", "An error occurred while processing your card. Try again in a little bit.",
                "処理エラーになります"));
    }

    private TestCards() {
    }

    private static void add(Card card) {
        BY_TOKEN.put(card.token(), card);
        BY_NUMBER.put(card.number(), card);
    }

    /** @return whether the digits pass the Luhn check */
    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return digits.length() >= 12 && sum % 10 == 0;
    }
}
