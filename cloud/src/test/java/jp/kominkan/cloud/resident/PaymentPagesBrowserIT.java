package jp.kominkan.cloud.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.paymentsandbox.PaymentSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Paying for a booking in a real browser (Debian's headless Chromium): the demo's 大会議室 priced by its
 * ordinance-style schedule with equipment, the itemised fee on the review page, card payment on the payment
 * sandbox's hosted page and back, the receipt as PDF, and a konbini voucher; our pages checked with axe-core
 * at 360 and 1280 px (screenshots under target/screenshots/).
 */
class PaymentPagesBrowserIT {

    static PaymentSandbox sandbox;
    static Cloud cloud;
    static ChromePages pages;
    static final MutableClock CLOCK = MutableClock.ticking();

    @BeforeAll
    static void start() throws IOException {
        int port = TestCloud.freePort();
        String secret = "whsec_browser_" + UUID.randomUUID().toString().replace("-", "");
        sandbox = PaymentSandbox.start(PaymentSandbox.Options.defaults().withPort(0)
                .withWebhooks(List.of(URI.create("http://127.0.0.1:" + port + "/api/v1/payments/stripe/webhook")), secret)
                .withRetries(Duration.ofMillis(50), 5));
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), CLOCK, true, Map.of(
                "server.port", Integer.toString(port),
                "kominkan.payment.stripe.api-base", sandbox.apiBase(),
                "kominkan.payment.stripe.api-key", "sk_test_kominkan_sandbox",
                "kominkan.payment.stripe.webhook-secret", secret));
        pages = new ChromePages("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() throws IOException {
        if (pages != null) {
            pages.writeSummary("axe-summary-payment.txt");
            pages.close();
        }
        cloud.close();
        sandbox.close();
    }

    @Test
    void aResidentSeesTheItemisedFeePaysByCardGetsAReceiptAndAKonbiniVoucher() {
        pages.open("/login");
        pages.fill("email", DemoData.RESIDENT_EMAIL);
        pages.fill("password", DemoData.RESIDENT_PASSWORD);
        pages.submit("ログイン");

        // A Saturday morning in the big meeting room, with a projector: 土日祝 price, equipment, a season's item.
        LocalDate saturday = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(14);
        while (saturday.getDayOfWeek() != DayOfWeek.SATURDAY) {
            saturday = saturday.plusDays(1);
        }
        pages.open("/rooms/1/book?date=" + saturday + "&start=09%3A00");
        pages.waitFor(By.id("purpose"));
        pages.fill("purpose", "自治会の総会");
        pages.fill("attendees", "40");
        pages.script("document.getElementById('end').value = '12:00'");
        pages.fill("eq.projector", "1");
        pages.check("book-with-fees");
        pages.submit("確認画面へ");
        assertThat(pages.text()).contains("料金の内訳", "午前", "土日祝", "プロジェクター", "合計", "山吹市立公民館使用料条例");
        pages.check("review-itemised");
        pages.submit("仮予約する");
        pages.click(By.linkText("お支払いへ進む"));
        assertThat(pages.text()).contains("お支払い", "未払い", "支払期限");
        pages.check("payment-held");

        pages.submit("クレジットカードで支払う");
        assertThat(pages.driver().getCurrentUrl()).startsWith(sandbox.apiBase() + "/pay/");
        pages.fill("card_number", "4242 4242 4242 4242");
        pages.fill("exp", "12/34");
        pages.fill("cvc", "123");
        pages.driver().findElement(By.cssSelector("form button[type=submit]")).click();
        try {
            pages.waitForPath("/payment");
        } catch (RuntimeException e) {
            throw new AssertionError("not back from the card page: " + pages.driver().getCurrentUrl() + "\n"
                    + pages.text(), e);
        }
        assertThat(pages.text()).contains("支払済み", "領収書（PDF）");
        pages.check("payment-paid");
        // The receipt is a PDF for this resident's own payment.
        String href = pages.driver().findElement(By.linkText("領収書（PDF）")).getAttribute("href");
        Object answer = ((org.openqa.selenium.JavascriptExecutor) pages.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done(r.headers.get('content-type') + ' '
                    + b.byteLength + ' ' + String.fromCharCode(...new Uint8Array(b.slice(0, 5))))));""", href);
        assertThat(String.valueOf(answer)).startsWith("application/pdf").endsWith("%PDF-");

        // Before cancelling, the resident sees what comes back: the demo hall refunds 30 % for the resident's own
        // reasons up to 3 days before (美馬市's rule), rounded down to 10 yen; after it, the refund is on record.
        String booking = java.net.URI.create(pages.driver().getCurrentUrl()).getPath().replace("/payment", "");
        pages.open(booking + "/cancel");
        String paidText = pages.driver().findElement(By.xpath("//dt[.='お支払い済み']/following-sibling::dd[1]")).getText();
        long paid = Long.parseLong(paidText.replaceAll("[^0-9]", ""));
        long refund = paid * 30 / 100 / 10 * 10;
        assertThat(pages.text()).contains("還付と取消料", String.format("%,d", refund) + " 円（30%）",
                String.format("%,d", paid - refund) + " 円");
        pages.check("cancel-with-refund");
        pages.submit("取り消す");
        pages.open(booking + "/payment");
        assertThat(pages.text()).contains("還付", String.format("%,d", refund) + " 円（30%）", "還付済み");
        String notice = pages.driver().findElement(By.partialLinkText("還付通知書")).getAttribute("href");
        Object noticeAnswer = ((org.openqa.selenium.JavascriptExecutor) pages.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done(r.headers.get('content-type') + ' '
                    + String.fromCharCode(...new Uint8Array(b.slice(0, 5))))));""", notice);
        assertThat(String.valueOf(noticeAnswer)).isEqualTo("application/pdf %PDF-");

        // A second booking, paid at a convenience store: the voucher's codes are on the page.
        pages.open("/rooms/1/book?date=" + saturday + "&start=13%3A00");
        pages.waitFor(By.id("purpose"));
        pages.fill("purpose", "子ども会");
        pages.fill("attendees", "20");
        pages.script("document.getElementById('end').value = '17:00'");
        pages.submit("確認画面へ");
        pages.submit("仮予約する");
        pages.click(By.linkText("お支払いへ進む"));
        pages.submit("コンビニで支払う");
        assertThat(pages.text()).contains("コンビニでのお支払い", "ファミリーマート", "ローソン", "お客様番号");
        pages.check("payment-konbini");
        assertThat(pages.violations()).isEmpty();
    }
}
