package jp.kominkan.cloud;

import java.time.Clock;

import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import jp.kominkan.cloud.account.Authenticator;
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
 */
public record Treasury(Money money, Payments payments, Ledger ledger, QuoteHttpService quotes, PaymentHttpService api) {

    /**
     * @param db             the database
     * @param money          payments and refunds
     * @param bookings       reservations
     * @param municipalities municipalities
     * @param tenancy        the municipality of a request
     * @param authenticator  residents
     * @param clock          the clock
     * @return the money side on the web
     */
    public static Treasury create(DbClient db, Money money, BookingService bookings, Municipalities municipalities,
                                  Tenancy tenancy, Authenticator authenticator, Clock clock) {
        Payments payments = new Payments(db, money.repository(), money.online(), bookings, money.refunds(),
                municipalities, clock);
        Ledger ledger = new Ledger(db);
        return new Treasury(money, payments, ledger, new QuoteHttpService(bookings, authenticator, tenancy, clock),
                new PaymentHttpService(payments, money.repository(), ledger, bookings, authenticator, tenancy));
    }

    /**
     * @param routing the API routing
     */
    public void apis(HttpRouting.Builder routing) {
        routing.register("/api/v1/quotes", quotes).register("/api/v1", api);
    }
}
