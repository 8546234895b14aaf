package jp.kominkan.cloud.payment;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.ledger.Ledger;
import jp.kominkan.cloud.ledger.LedgerEntry;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;

/**
 * Online payment of a held reservation (オンライン決済): starts a card or konbini payment at the provider,
 * and applies what the provider says happened — read back from the provider itself, never taken from a
 * webhook's body — exactly once: the payment, the ledger entry and the reservation's confirmation go in
 * one transaction. Money that arrives for a reservation that lapsed meanwhile is refunded in full.
 */
public final class Payments {

    private static final System.Logger LOG = System.getLogger(Payments.class.getName());
    /** A konbini voucher needs time to reach the store; closer to the deadline only a card is offered. */
    public static final Duration KONBINI_MIN_TIME = Duration.ofHours(1);
    /**
     * A konbini voucher lapses this long before the hold does, so that money paid at the store in its last minute
     * is confirmed (the store's notice takes a while), not refunded for a hold that lapsed meanwhile.
     */
    static final Duration KONBINI_MARGIN = Duration.ofMinutes(30);
    static final long CARD_MIN = 50;
    static final long KONBINI_MIN = 120;
    static final long KONBINI_MAX = 300_000;

    private final DbClient db;
    private final PaymentRepository repository;
    private final Optional<OnlineProvider> online;
    private final BookingService bookings;
    private final Refunds refunds;
    private final Municipalities municipalities;
    private final Ledger ledger;
    private final Clock clock;

    /**
     * @param db             the database
     * @param repository     payments
     * @param online         the provider, when online payment is configured
     * @param bookings       reservations
     * @param refunds        refunds
     * @param municipalities to find a payment's municipality
     * @param clock          the clock
     */
    public Payments(DbClient db, PaymentRepository repository, Optional<OnlineProvider> online, BookingService bookings,
                    Refunds refunds, Municipalities municipalities, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.online = online;
        this.bookings = bookings;
        this.refunds = refunds;
        this.municipalities = municipalities;
        this.ledger = new Ledger(db);
        this.clock = clock;
    }

    /** @return the origin of the provider's card page, which the payment form redirects to */
    public Optional<String> pageOrigin() {
        return online.map(OnlineProvider::pageOrigin);
    }

    /** @return whether residents can pay online here */
    public boolean onlineOffered() {
        return online.isPresent();
    }

    /**
     * A payment started.
     *
     * @param payment  our payment
     * @param cardPage where to send the resident to enter a card
     * @param voucher  what to take to the store
     */
    public record Started(Payment payment, Optional<String> cardPage, Optional<OnlineProvider.Voucher> voucher) {
    }

    /**
     * Starts (or resumes) paying a held reservation online.
     *
     * @param town          where
     * @param account       who (the reservation's own resident)
     * @param reservationId which
     * @param method        card or konbini
     * @param returnUrl     where the provider's card page sends the resident back
     * @param payerEmail    where the provider sends a voucher
     * @return what the resident does next
     */
    public Started start(Municipality town, Account account, UUID reservationId, Payment.Method method,
                         String returnUrl, String payerEmail) {
        OnlineProvider provider = online.orElseThrow(() -> Problem.conflict("online-payment-unavailable",
                "Online payment is not offered here; pay at the facility's counter.",
                "オンライン決済は利用できません。施設の窓口でお支払いください。"));
        if (method == Payment.Method.CASH) {
            throw Problem.badField("method", "Pay cash at the counter; online the method is card or konbini.",
                    "オンラインではクレジットカードかコンビニ払いを選んでください。");
        }
        Reservation reservation = bookings.visibleTo(town, account, reservationId);
        Instant now = clock.instant();
        if (reservation.statusAt(now) != ReservationStatus.HELD) {
            throw Problem.conflict("not-payable", "This reservation is not waiting for payment.",
                    "この予約は支払待ちではありません（支払済み・取消・失効）。");
        }
        if (new jp.kominkan.cloud.reduction.ReductionRepository(db).pendingOn(reservationId)) {
            // The fee may change at the review; paying first would leave money to refund.
            throw Problem.conflict("reduction-pending",
                    "A fee reduction (減免) application on this booking is under review; pay once it is decided.",
                    "この予約は減免の審査中です。審査の結果が出てからお支払いください。");
        }
        Instant deadline = reservation.holdDeadline().orElseThrow();
        if (method == Payment.Method.KONBINI && deadline.isBefore(now.plus(KONBINI_MIN_TIME))) {
            throw Problem.conflict("konbini-too-late",
                    "The payment deadline is too close for a convenience-store payment; pay by card or at the counter.",
                    "支払期限が近いため、コンビニ払いは選べません。クレジットカードか窓口でお支払いください。");
        }
        long owed = ledger.balance(reservationId).owed();
        if (owed <= 0) {
            throw Problem.conflict("nothing-owed", "Nothing is owed on this reservation.", "この予約に未払いの料金はありません。");
        }
        // The provider's limits for yen (docs.stripe.com: a card payment at least ¥50; konbini ¥120 to ¥300,000).
        if (method == Payment.Method.CARD && owed < CARD_MIN) {
            throw Problem.conflict("amount-too-small", "Card payments start at " + CARD_MIN + " yen; pay at the counter.",
                    "クレジットカードでのお支払いは " + CARD_MIN + " 円からです。窓口でお支払いください。");
        }
        if (method == Payment.Method.KONBINI && (owed < KONBINI_MIN || owed > KONBINI_MAX)) {
            throw Problem.conflict("konbini-amount", "A convenience-store payment must be " + KONBINI_MIN + " to "
                            + KONBINI_MAX + " yen; pay by card or at the counter.",
                    "コンビニ払いは " + String.format("%,d", KONBINI_MIN) + "〜" + String.format("%,d", KONBINI_MAX)
                            + " 円のお支払いに使えます。クレジットカードか窓口でお支払いください。");
        }
        for (Payment earlier : repository.payments(reservationId)) {
            if (earlier.status() != Payment.Status.PENDING || earlier.providerRef().isEmpty()
                    || earlier.provider() != Payment.Provider.STRIPE) {
                continue;
            }
            OnlineProvider.Intent intent = retrieve(provider, earlier.providerRef().get());
            if (intent.succeeded() || intent.canceled()) {
                apply(earlier, intent);
            } else if (earlier.method() == method && earlier.amount() == owed) {
                return started(provider, earlier, intent, returnUrl);
            } else {
                // Another method or an amount no longer owed (a 減免 decision, a move): give that one up at the
                // provider, so it cannot be paid besides the new one.
                supersede(provider, earlier);
            }
        }
        // Earlier payments may have settled it meanwhile.
        Reservation current = bookings.reservation(town, reservationId);
        owed = ledger.balance(reservationId).owed();
        if (current.statusAt(clock.instant()) != ReservationStatus.HELD || owed <= 0) {
            throw Problem.conflict("nothing-owed", "This reservation is paid or no longer waiting for payment.",
                    "この予約はお支払い済みか、支払待ちではありません。");
        }
        int attempt = repository.payments(reservationId).size() + 1;
        String key = "reservation/" + reservationId + "/payment/" + attempt;
        Payment payment = new Payment(UUID.randomUUID(), town.id(), reservationId, Payment.Provider.STRIPE, method, owed,
                Payment.Status.PENDING, Optional.empty(), key, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), now, Optional.empty());
        if (!repository.insert(payment)) {
            // A concurrent start took this attempt's key: only the same method and amount may share it.
            long amount = owed;
            payment = repository.byKey(key).filter(p -> p.method() == method && p.amount() == amount)
                    .orElseThrow(() -> Problem.conflict("busy", "Another payment of this booking is starting; try again.",
                            "この予約の別のお支払いを処理中です。もう一度お試しください。"));
        }
        String description = town.name() + " 施設使用料";
        OnlineProvider.Intent intent;
        try {
            intent = method == Payment.Method.CARD
                    ? provider.createCard(reservationId.toString(), owed, description, key)
                    : provider.createKonbini(reservationId.toString(), owed, description, account.name(), payerEmail,
                    deadline.minus(KONBINI_MARGIN), key);
        } catch (OnlineProvider.ProviderFailure e) {
            LOG.log(Level.WARNING, "Payment " + payment.id() + " could not start: " + e.getMessage());
            throw providerDown();
        }
        repository.providerRef(payment.id(), intent.id(), intent.voucher().map(OnlineProvider.Voucher::expiresAt));
        return started(provider, repository.payment(payment.id()).orElseThrow(), intent, returnUrl);
    }

    /**
     * @param intentId a konbini payment at the provider
     * @return its voucher while it waits for the store
     */
    public Optional<OnlineProvider.Voucher> voucher(String intentId) {
        try {
            return online.flatMap(p -> p.retrieve(intentId).voucher());
        } catch (OnlineProvider.ProviderFailure e) {
            return Optional.empty();
        }
    }

    /**
     * Reads a payment back from the provider and applies it; used when the resident returns from the
     * card page and for every webhook.
     *
     * @param intentId the provider's payment id
     * @return our payment as it is now, when it is one of ours
     */
    public Optional<Payment> sync(String intentId) {
        Optional<Payment> payment = repository.byProviderRef(intentId);
        if (payment.isEmpty() || online.isEmpty()) {
            return Optional.empty();
        }
        try {
            apply(payment.get(), online.get().retrieve(intentId));
        } catch (OnlineProvider.ProviderFailure e) {
            // The page shows what we know; the webhook brings the rest when the provider is back.
            LOG.log(Level.INFO, "Payment " + payment.get().id() + " not re-read: " + e.getMessage());
        }
        return repository.payment(payment.get().id());
    }

    /**
     * Applies a webhook: verified over its raw body, then once per event id, with the object read back
     * from the provider.
     *
     * @param payload   the raw body
     * @param signature the Stripe-Signature header
     * @return what was done
     * @throws OnlineProvider.WebhookRefused when the signature is wrong, stale or the event is not ours
     */
    public String webhook(String payload, String signature) {
        OnlineProvider provider = online.orElseThrow(() -> new OnlineProvider.WebhookRefused("online payment is off"));
        OnlineProvider.WebhookEvent event = provider.verify(payload, signature);
        if (db.execute().get("select 1 as x from payment_event where event_id = ?", event.id()).isPresent()) {
            return "duplicate";
        }
        switch (event.object()) {
            case "payment_intent" -> {
                Payment payment = repository.byProviderRef(event.objectId())
                        .or(() -> readBack(() -> provider.retrieve(event.objectId())).flatMap(this::adopt))
                        .orElseThrow(() -> new OnlineProvider.WebhookRefused("event for an unknown payment"));
                apply(payment, provider.retrieve(event.objectId()));
            }
            case "refund" -> {
                Refund refund = repository.refundByRef(event.objectId())
                        .or(() -> readBack(() -> provider.retrieveRefund(event.objectId())).flatMap(this::adopt))
                        .orElseThrow(() -> new OnlineProvider.WebhookRefused("event for an unknown refund"));
                refunds.apply(refund.id(), provider.retrieveRefund(event.objectId()).status(), Optional.empty());
            }
            default -> {
                // charge.* and other objects: nothing of ours to change; remembered so a replay is recognised.
            }
        }
        return PaymentRepository.firstTime(db, event.id(), event.type(), clock.instant()) ? "applied" : "duplicate";
    }

    /**
     * The provider can announce a payment before our call that created it has returned and stored its id
     * (Stripe sends {@code payment_intent.requires_action} at once for konbini). As the provider itself says
     * (read back, not the event's copy), it names our reservation in its metadata: a pending payment of ours
     * for that reservation and amount, still without an id, is this one.
     */
    private Optional<Payment> adopt(OnlineProvider.Intent intent) {
        Optional<UUID> reservation = intent.reservation().flatMap(Payments::uuid);
        if (reservation.isEmpty()) {
            return Optional.empty();
        }
        Optional<Payment> waiting = repository.payments(reservation.get()).stream()
                .filter(p -> p.status() == Payment.Status.PENDING && p.providerRef().isEmpty()
                        && p.provider() == Payment.Provider.STRIPE && p.amount() == intent.amount())
                .findFirst();
        waiting.ifPresent(p -> repository.providerRef(p.id(), intent.id(),
                intent.voucher().map(OnlineProvider.Voucher::expiresAt)));
        return waiting.flatMap(p -> repository.payment(p.id()));
    }

    /** Likewise for a refund announced before its id was stored: ours when its payment is and the amount matches. */
    private Optional<Refund> adopt(OnlineProvider.ProviderRefund found) {
        Optional<Payment> payment = found.paymentIntent().flatMap(repository::byProviderRef);
        if (payment.isEmpty()) {
            return Optional.empty();
        }
        Optional<Refund> waiting = repository.refunds(payment.get().reservationId()).stream()
                .filter(r -> r.paymentId().equals(payment.get().id()) && r.status() == Refund.Status.PENDING
                        && r.providerRef().isEmpty() && r.amount() == found.amount())
                .findFirst();
        waiting.ifPresent(r -> repository.refundRef(r.id(), found.id()));
        return waiting.flatMap(r -> repository.refund(r.id()));
    }

    /** What the provider says about an object we do not know; nothing when it does not know it either. */
    private static <T> Optional<T> readBack(java.util.function.Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (OnlineProvider.ProviderFailure e) {
            return Optional.empty();
        }
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void apply(Payment payment, OnlineProvider.Intent intent) {
        if (payment.status() != Payment.Status.PENDING) {
            return;
        }
        if (!intent.reservation().map(payment.reservationId().toString()::equals).orElse(false)
                || intent.amount() != payment.amount()) {
            LOG.log(Level.WARNING, "Payment " + payment.id() + " does not match the provider's " + intent.id()
                    + " (reservation or amount); left pending for staff");
            return;
        }
        Instant now = clock.instant();
        Municipality town = municipalities.byId(payment.municipalityId()).orElseThrow();
        if (intent.succeeded() && intent.received() >= payment.amount()) {
            int year = now.atZone(town.zone()).getYear();
            ReceiptNumbers.ensure(db, town.id(), year);
            boolean done = Sql.inTransaction(db, tx -> {
                // The reservation row first, so a 減免 decision, a move or a cancellation waits for this payment.
                tx.get("select id from reservation where id = ? for update", payment.reservationId());
                if (!PaymentRepository.complete(tx, payment.id(), Payment.Status.SUCCEEDED, now)) {
                    return false;
                }
                // Online payments take their receipt number from the same series as the counter's.
                PaymentRepository.receipt(tx, payment.id(), ReceiptNumbers.next(tx, town.id(), year));
                Ledger.append(tx, new Ledger.NewEntry(payment.municipalityId(), payment.reservationId(),
                        LedgerEntry.Kind.PAYMENT, payment.amount(), Optional.of(payment.id()), Optional.empty(),
                        Optional.of(intent.id()), Optional.empty(), "オンライン決済（" + payment.method().ja() + "）"), now);
                Reservation reservation = bookings.reservation(town, payment.reservationId());
                jp.kominkan.cloud.ledger.Balance balance = Ledger.balance(tx, payment.reservationId());
                boolean held = reservation.status() == ReservationStatus.HELD;
                if (held && jp.kominkan.cloud.reduction.ReductionRepository.pendingOn(tx, payment.reservationId())) {
                    // Paid at the full fee while a 減免 review is pending (a card page opened before applying): the
                    // fee is not known yet, so the money goes back and the booking stays held for the decision.
                    refunds.refundInTransaction(tx, reservation, payment, payment.amount(), "REDUCTION_PENDING", now);
                    return true;
                }
                // Confirmed only when what was paid covers what is owed now (the fee may have changed since this
                // payment started); money beyond what is owed — or paid for a booking no longer held — goes back.
                if (held && balance.owed() <= 0) {
                    if (!bookings.confirmPaid(tx, town, reservation, payment.method().wire(), now)) {
                        refunds.refundInTransaction(tx, reservation, payment, payment.amount(), "LATE_PAYMENT", now);
                        return true;
                    }
                }
                long surplus = held ? -balance.owed() : Math.min(payment.amount(), balance.paid() - balance.due());
                if (surplus > 0) {
                    refunds.refundInTransaction(tx, reservation, payment, surplus,
                            held ? "OVERPAID" : "LATE_PAYMENT", now);
                }
                return true;
            });
            if (done) {
                refunds.afterCancel(payment.reservationId());
            }
        } else if (intent.canceled()) {
            boolean done = Sql.inTransaction(db, tx -> PaymentRepository.complete(tx, payment.id(),
                    Payment.Status.CANCELED, now));
            // An expired voucher lapses the booking only when it was the booking's last chance: its hold ends with
            // the voucher (not moved by a 減免 review or a new deadline) and no other payment is under way.
            Reservation reservation = bookings.reservation(town, payment.reservationId());
            boolean lastChance = payment.method() == Payment.Method.KONBINI && payment.voucherExpiresAt().isPresent()
                    && reservation.holdDeadline().map(d -> !d.isAfter(payment.voucherExpiresAt().get().plus(KONBINI_MARGIN)))
                    .orElse(false)
                    && repository.payments(payment.reservationId()).stream()
                    .noneMatch(p -> p.status() == Payment.Status.PENDING && !p.id().equals(payment.id()));
            if (done && lastChance) {
                bookings.lapse(town, reservation);
            }
        } else if ("requires_payment_method".equals(intent.status()) && payment.method() == Payment.Method.CARD) {
            LOG.log(Level.DEBUG, "Payment " + payment.id() + " is waiting for a card");
        }
    }

    /** Gives up a payment that is no longer the one to pay: cancelled at the provider, then here. */
    private void supersede(OnlineProvider provider, Payment earlier) {
        try {
            OnlineProvider.Intent after = provider.cancel(earlier.providerRef().orElseThrow());
            if (after.succeeded()) {
                apply(earlier, after); // paid in the meantime: the surplus is refunded by apply
                return;
            }
        } catch (OnlineProvider.ProviderFailure e) {
            LOG.log(Level.WARNING, "Could not cancel superseded payment " + earlier.id() + ": " + e.getMessage());
            throw providerDown();
        }
        Sql.inTransaction(db, tx -> PaymentRepository.complete(tx, earlier.id(), Payment.Status.CANCELED,
                clock.instant()));
    }

    /** The resident's answer when the provider cannot be reached: try again, or pay at the counter. */
    private static Problem providerDown() {
        return Problem.dependencyDown("payment-provider-down",
                "The payment service cannot be reached right now. Try again in a moment, or pay at the counter.",
                "決済サービスに接続できません。しばらくしてからもう一度お試しいただくか、窓口でお支払いください。");
    }

    private static OnlineProvider.Intent retrieve(OnlineProvider provider, String id) {
        try {
            return provider.retrieve(id);
        } catch (OnlineProvider.ProviderFailure e) {
            throw providerDown();
        }
    }

    private static Started started(OnlineProvider provider, Payment payment, OnlineProvider.Intent intent,
                                   String returnUrl) {
        return payment.method() == Payment.Method.CARD
                ? new Started(payment, Optional.of(provider.cardPage(intent, returnUrl)), Optional.empty())
                : new Started(payment, Optional.empty(), intent.voucher());
    }
}
