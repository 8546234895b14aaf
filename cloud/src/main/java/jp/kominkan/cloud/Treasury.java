package jp.kominkan.cloud;

import java.time.Clock;

import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.receipt.ReceiptFont;
import jp.kominkan.cloud.receipt.ReceiptPdf;
import jp.kominkan.cloud.resident.PaymentPages;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.QuoteHttpService;
import jp.kominkan.cloud.ledger.Ledger;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.payment.Money;
import jp.kominkan.cloud.payment.PaymentHttpService;
import jp.kominkan.cloud.payment.Payments;
import jp.kominkan.cloud.web.Tenancy;

/**
 * Fees and money on the web (会計): quotes, online payment and its webhook, wired once and routed
 * together, so {@link Cloud} names the whole money side in one line.
 *
 * @param money    payments and refunds
 * @param payments online payments
 * @param ledger   the money ledger
 * @param quotes   {@code /api/v1/quotes}
 * @param api      payments over the API and the provider's webhook
 * @param pages    a booking's payment page and receipts
 */
public record Treasury(Money money, Payments payments, Ledger ledger, QuoteHttpService quotes, PaymentHttpService api,
                       PaymentPages pages) {

    /**
     * @param db             the database
     * @param money          payments and refunds
     * @param bookings       reservations
     * @param municipalities municipalities
     * @param tenancy        the municipality of a request
     * @param authenticator  residents
     * @param clock          the clock
     * @param pageSupport    page plumbing
     * @param facilities     rooms and facilities
     * @param receiptFont    the Japanese font receipts embed
     * @return the money side on the web
     */
    public static Treasury create(DbClient db, Money money, BookingService bookings, Municipalities municipalities,
                                  Tenancy tenancy, Authenticator authenticator, Clock clock, PageSupport pageSupport,
                                  FacilityRepository facilities, ReceiptFont receiptFont) {
        Payments payments = new Payments(db, money.repository(), money.online(), bookings, money.refunds(),
                municipalities, clock);
        Ledger ledger = new Ledger(db);
        return new Treasury(money, payments, ledger, new QuoteHttpService(bookings, authenticator, tenancy, clock),
                new PaymentHttpService(payments, money.repository(), ledger, bookings, authenticator, tenancy),
                new PaymentPages(pageSupport, tenancy, bookings, facilities, payments, money.repository(), ledger,
                        new ReceiptPdf(receiptFont), new jp.kominkan.cloud.receipt.RefundNoticePdf(receiptFont), clock));
    }

    /**
     * @param routing the API routing
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1/quotes", quotes).register("/api/v1", api);
    }

    /**
     * @param routing the page routing
     */
    public void pages(HttpRouting.Builder routing) {
        routing.register(pages);
    }
}
