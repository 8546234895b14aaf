package jp.kominkan.paymentsandbox;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox's state and Stripe's rules for it: PaymentIntents (card and konbini), their charges, refunds,
 * payment methods and events. In memory, and every method runs under this object's lock, so the state is
 * consistent across the HTTP threads, the expiry sweeper and the hosted pages.
 */
final class Payments {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    /** Stripe's konbini limits as published (not measured against Stripe). */
    static final long KONBINI_MIN = 120;
    static final long KONBINI_MAX = 300_000;
    /** Stripe's minimum charge in yen. */
    static final long JPY_MIN = 50;
    static final long AMOUNT_MAX = 99_999_999;
    static final List<String> STORES = List.of("familymart", "lawson", "ministop", "seicomart");

    /** Who asked: the values an event records about the request that caused it. */
    record Request(String id, String idempotencyKey, String apiVersion) {
    }

    private final SandboxClock clock;
    private final Outbox outbox;
    private final String publicUrl;
    private final Map<String, Intent> intents = new LinkedHashMap<>();
    private final Map<String, Charge> charges = new LinkedHashMap<>();
    private final Map<String, Refund> refunds = new LinkedHashMap<>();
    private final Map<String, Method> methods = new LinkedHashMap<>();
    private final Map<String, Event> events = new LinkedHashMap<>();

    Payments(SandboxClock clock, Outbox outbox, String publicUrl) {
        this.clock = clock;
        this.outbox = outbox;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    // ---------------------------------------------------------------- objects

    static final class Intent {
        String id;
        long created;
        long amount;
        long amountReceived;
        String currency;
        String status;
        String description;
        String receiptEmail;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<String> paymentMethodTypes = new ArrayList<>();
        String clientSecret;
        String apiVersion;
        String returnUrl;
        String paymentMethod;
        String latestCharge;
        Map<String, Object> lastPaymentError;
        Long canceledAt;
        String cancellationReason;
        // payment_method_options[konbini]
        Long konbiniExpiresAfterDays;
        Long konbiniExpiresAtOption;
        String konbiniProductDescription;
        String konbiniConfirmationNumber;
        /** Set on confirmation: the voucher's deadline and the codes per store. */
        Long konbiniExpiresAt;
        Map<String, Map<String, Object>> konbiniStores;

        boolean awaitingKonbini() {
            return "requires_action".equals(status) && konbiniExpiresAt != null;
        }
    }

    static final class Charge {
        String id;
        long created;
        long amount;
        long amountRefunded;
        String status;
        String intent;
        String paymentMethod;
        String type;
        String brand;
        String last4;
        String store;
        String failureCode;
        String failureMessage;
        String declineCode;
        String description;
        Map<String, String> metadata;
        String billingName;
        String billingEmail;
    }

    static final class Refund {
        String id;
        long created;
        long amount;
        String charge;
        String intent;
        String reason;
        String status;
        String failureReason;
        String apiVersion;
        String instructionsEmail;
        Map<String, String> metadata = new LinkedHashMap<>();
    }

    static final class Method {
        String id;
        long created;
        String type;
        TestCards.Card card;
        String name;
        String email;
    }

    record Event(String id, String type, long created, String apiVersion, String orderingKey, String json) {
    }

    // ---------------------------------------------------------------- PaymentIntents

    private static final Set<String> CREATE_PARAMS = Set.of("amount", "currency", "payment_method_types", "metadata",
            "description", "confirm", "payment_method", "payment_method_options", "payment_method_data", "return_url",
            "receipt_email", "expand", "capture_method", "confirmation_method", "statement_descriptor",
            "statement_descriptor_suffix");

    synchronized Map<String, Object> createIntent(Form form, Request request) {
        form.only(CREATE_PARAMS);
        Long amount = form.integer("amount");
        if (amount == null) {
            throw ApiError.param("parameter_missing", "amount", "Missing required param: amount.");
        }
        if (amount < 1) {
            throw ApiError.param("parameter_invalid_integer", "amount", "This value must be greater than or equal to 1.");
        }
        String currency = form.str("currency");
        if (currency == null) {
            throw ApiError.param("parameter_missing", "currency", "Missing required param: currency.");
        }
        if (!currency.equalsIgnoreCase("jpy")) {
            throw ApiError.param("parameter_invalid_string", "currency",
                    "Invalid currency: " + currency + ". The payment sandbox supports jpy only.");
        }
        if (amount < JPY_MIN) {
            throw ApiError.param("amount_too_small", "amount", "Amount must be at least ¥" + JPY_MIN + " jpy");
        }
        if (amount > AMOUNT_MAX) {
            throw ApiError.param("amount_too_large", "amount", "Amount must be no more than ¥99,999,999");
        }
        String capture = form.str("capture_method");
        if (capture != null && !capture.equals("automatic") && !capture.equals("automatic_async")) {
            throw ApiError.param("parameter_invalid_string", "capture_method",
                    "The payment sandbox supports capture_method=automatic only.");
        }
        List<String> types = form.list("payment_method_types");
        if (types.isEmpty()) {
            types = List.of("card");
        }
        for (String t : types) {
            if (!t.equals("card") && !t.equals("konbini")) {
                throw ApiError.param("payment_intent_invalid_parameter", "payment_method_types",
                        "The payment method type \"" + t + "\" is invalid. The payment sandbox supports card and konbini.");
            }
        }
        Intent pi = new Intent();
        pi.id = Ids.make("pi");
        pi.created = clock.unix();
        pi.amount = amount;
        pi.currency = "jpy";
        pi.status = "requires_payment_method";
        pi.description = form.str("description");
        pi.receiptEmail = form.str("receipt_email");
        pi.metadata.putAll(metadata(form));
        pi.paymentMethodTypes.addAll(types);
        pi.clientSecret = pi.id + "_secret_" + Ids.random(25);
        pi.apiVersion = request.apiVersion();
        pi.returnUrl = returnUrl(form.str("return_url"));
        konbiniOptions(pi, form);
        if (types.contains("konbini") && (amount < KONBINI_MIN || amount > KONBINI_MAX)) {
            throw ApiError.param(amount < KONBINI_MIN ? "amount_too_small" : "amount_too_large", "amount",
                    "Konbini payments must be between ¥" + KONBINI_MIN + " and ¥300,000.");
        }
        // Everything is validated before the intent is stored, so a refused request leaves nothing behind.
        String pm = form.str("payment_method");
        if (pm != null || form.has("payment_method_data")) {
            Method method = method(form, pi);
            pi.paymentMethod = method.id;
            pi.status = "requires_confirmation";
        }
        intents.put(pi.id, pi);
        if (form.bool("confirm")) {
            return confirm(pi, Form.empty(), request);
        }
        return intentJson(pi, form);
    }

    synchronized Map<String, Object> retrieveIntent(String id, Form form) {
        form.only(Set.of("expand", "client_secret"));
        return intentJson(intent(id), form);
    }

    synchronized Map<String, Object> listIntents(Form form) {
        form.only(Set.of("limit", "expand"));
        long limit = limit(form);
        List<Object> data = new ArrayList<>();
        intents.values().stream().sorted(Comparator.comparingLong((Intent i) -> i.created).reversed())
                .limit(limit).forEach(i -> data.add(intentJson(i, form)));
        return list("/v1/payment_intents", data, intents.size() > limit);
    }

    synchronized Map<String, Object> confirmIntent(String id, Form form, Request request) {
        form.only(Set.of("payment_method", "payment_method_data", "payment_method_options", "return_url", "expand",
                "receipt_email"));
        return confirm(intent(id), form, request);
    }

    private Map<String, Object> confirm(Intent pi, Form form, Request request) {
        if (!pi.status.equals("requires_payment_method") && !pi.status.equals("requires_confirmation")) {
            throw ApiError.state("payment_intent_unexpected_state", "You cannot confirm this PaymentIntent because it "
                    + (pi.status.equals("requires_action") ? "requires action from the customer" : "has a status of " + pi.status) + ".");
        }
        if (form.has("return_url")) {
            pi.returnUrl = returnUrl(form.str("return_url"));
        }
        if (form.has("payment_method_options")) {
            konbiniOptions(pi, form);
        }
        if (form.has("payment_method") || form.has("payment_method_data")) {
            pi.paymentMethod = method(form, pi).id;
        }
        if (pi.paymentMethod == null) {
            throw ApiError.state("payment_intent_unexpected_state", "You cannot confirm this PaymentIntent because it's "
                    + "missing a payment method. To confirm the PaymentIntent with " + pi.id
                    + ", specify a payment method attached to this customer along with the customer ID.");
        }
        Method method = methods.get(pi.paymentMethod);
        if (method.type.equals("konbini")) {
            startKonbini(pi, method, request);
            return intentJson(pi, form);
        }
        chargeCard(pi, method, request);
        return intentJson(pi, form);
    }

    /** The hosted card page's confirmation (Stripe.js's part): a test card number instead of a token. */
    synchronized boolean confirmWithCard(String id, TestCards.Card card, Request request) {
        Intent pi = intent(id);
        if (pi.status.equals("succeeded")) {
            return true;
        }
        Method m = new Method();
        m.id = Ids.make("pm");
        m.created = clock.unix();
        m.type = "card";
        m.card = card;
        methods.put(m.id, m);
        pi.paymentMethod = m.id;
        try {
            confirm(pi, Form.empty(), request);
            return true;
        } catch (ApiError e) {
            if (e.status == 402) {
                return false;
            }
            throw e;
        }
    }

    private void chargeCard(Intent pi, Method method, Request request) {
        if (!pi.paymentMethodTypes.contains("card")) {
            throw ApiError.param("payment_intent_incompatible_payment_method", "payment_method",
                    "The PaymentMethod provided (card) is not allowed for this PaymentIntent.");
        }
        TestCards.Card card = method.card;
        Charge ch = newCharge(pi, method);
        ch.type = "card";
        ch.brand = card.brand();
        ch.last4 = card.last4();
        pi.latestCharge = ch.id;
        if (card.declines()) {
            ch.status = "failed";
            ch.failureCode = card.code();
            ch.declineCode = card.declineCode();
            ch.failureMessage = card.message();
            pi.status = "requires_payment_method";
            Map<String, Object> err = Json.object();
            err.put("charge", ch.id);
            err.put("code", card.code());
            err.put("decline_code", card.declineCode());
            err.put("doc_url", "https://docs.stripe.com/error-codes/" + card.code().replace('_', '-'));
            err.put("message", card.message());
            err.put("payment_method", methodJson(method));
            err.put("type", "card_error");
            pi.lastPaymentError = err;
            pi.paymentMethod = null;
            event("payment_intent.payment_failed", pi.id, intentJson(pi, Form.empty()), pi.apiVersion, request);
            ApiError decline = ApiError.card(card.code(), card.declineCode(), card.message());
            decline.extra = Json.object();
            decline.extra.put("charge", ch.id);
            decline.extra.put("payment_intent", intentJson(pi, Form.empty()));
            decline.extra.put("payment_method", methodJson(method));
            throw decline;
        }
        ch.status = "succeeded";
        pi.status = "succeeded";
        pi.amountReceived = pi.amount;
        pi.lastPaymentError = null;
        event("payment_intent.succeeded", pi.id, intentJson(pi, Form.empty()), pi.apiVersion, request);
    }

    private void startKonbini(Intent pi, Method method, Request request) {
        if (!pi.paymentMethodTypes.contains("konbini")) {
            throw ApiError.param("payment_intent_incompatible_payment_method", "payment_method",
                    "The PaymentMethod provided (konbini) is not allowed for this PaymentIntent.");
        }
        long now = clock.unix();
        long expiresAt;
        if (pi.konbiniExpiresAtOption != null) {
            expiresAt = pi.konbiniExpiresAtOption;
            if (expiresAt <= now || expiresAt > now + 60L * 86_400) {
                throw ApiError.param("parameter_invalid_integer", "payment_method_options[konbini][expires_at]",
                        "expires_at must be in the future and at most 60 days away.");
            }
        } else {
            long days = pi.konbiniExpiresAfterDays == null ? 3 : pi.konbiniExpiresAfterDays;
            LocalDate last = Instant.ofEpochSecond(now).atZone(JST).toLocalDate().plusDays(days);
            expiresAt = last.atTime(LocalTime.of(23, 59, 59)).atZone(JST).toEpochSecond();
        }
        pi.konbiniExpiresAt = expiresAt;
        String confirmation = pi.konbiniConfirmationNumber != null ? pi.konbiniConfirmationNumber : Ids.digits(11);
        Map<String, Map<String, Object>> stores = new LinkedHashMap<>();
        for (String store : STORES) {
            Map<String, Object> codes = Json.object();
            codes.put("confirmation_number", confirmation);
            codes.put("payment_code", Ids.digits(12));
            stores.put(store, codes);
        }
        pi.konbiniStores = stores;
        pi.status = "requires_action";
        pi.lastPaymentError = null;
        event("payment_intent.requires_action", pi.id, intentJson(pi, Form.empty()), pi.apiVersion, request);
    }

    /** {@code POST /_sandbox/konbini/{pi}/pay}: the customer pays at the store. */
    synchronized Map<String, Object> payAtKonbini(String id, String store, Request request) {
        Intent pi = intent(id);
        if (!pi.awaitingKonbini()) {
            throw ApiError.state("payment_intent_unexpected_state",
                    "This PaymentIntent is not awaiting a konbini payment (status " + pi.status + ").");
        }
        if (clock.unix() > pi.konbiniExpiresAt) {
            throw ApiError.state("payment_intent_unexpected_state",
                    "The konbini voucher expired at " + pi.konbiniExpiresAt + "; the store refuses it.");
        }
        if (store == null) {
            store = "familymart";
        }
        if (!STORES.contains(store)) {
            throw ApiError.param("parameter_invalid_string", "store", "store must be one of " + STORES);
        }
        Method method = methods.get(pi.paymentMethod);
        Charge ch = newCharge(pi, method);
        ch.type = "konbini";
        ch.store = store;
        ch.status = "succeeded";
        pi.latestCharge = ch.id;
        pi.status = "succeeded";
        pi.amountReceived = pi.amount;
        event("payment_intent.succeeded", pi.id, intentJson(pi, Form.empty()), pi.apiVersion, request);
        return intentJson(pi, Form.empty());
    }

    synchronized Map<String, Object> cancelIntent(String id, Form form, Request request) {
        form.only(Set.of("cancellation_reason", "expand"));
        Intent pi = intent(id);
        String reason = form.str("cancellation_reason");
        if (reason != null && !Set.of("duplicate", "fraudulent", "requested_by_customer", "abandoned").contains(reason)) {
            throw ApiError.param("parameter_invalid_string", "cancellation_reason", "Invalid cancellation_reason: " + reason
                    + ". Must be one of duplicate, fraudulent, requested_by_customer or abandoned.");
        }
        if (!Set.of("requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing")
                .contains(pi.status)) {
            throw ApiError.state("payment_intent_unexpected_state", "You cannot cancel this PaymentIntent because it has a "
                    + "status of " + pi.status + ". Only a PaymentIntent with one of the following statuses may be canceled: "
                    + "requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.");
        }
        cancel(pi, reason, request);
        return intentJson(pi, form);
    }

    private void cancel(Intent pi, String reason, Request request) {
        pi.status = "canceled";
        pi.canceledAt = clock.unix();
        pi.cancellationReason = reason;
        event("payment_intent.canceled", pi.id, intentJson(pi, Form.empty()), pi.apiVersion, request);
    }

    /** Moves every konbini intent past its deadline to {@code canceled} (reason {@code abandoned}). */
    synchronized int expireOverdue() {
        long now = clock.unix();
        int n = 0;
        for (Intent pi : intents.values()) {
            if (pi.awaitingKonbini() && now > pi.konbiniExpiresAt) {
                cancel(pi, "abandoned", new Request(null, null, pi.apiVersion));
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- refunds

    synchronized Map<String, Object> createRefund(Form form, Request request) {
        form.only(Set.of("payment_intent", "charge", "amount", "reason", "metadata", "instructions_email", "expand"));
        String piId = form.str("payment_intent");
        String chId = form.str("charge");
        Charge ch;
        if (piId != null) {
            Intent pi = intents.get(piId);
            if (pi == null) {
                throw ApiError.missing("payment_intent", "payment_intent", piId);
            }
            ch = pi.latestCharge == null ? null : charges.get(pi.latestCharge);
            if (ch == null || !ch.status.equals("succeeded")) {
                throw ApiError.state("payment_intent_unexpected_state",
                        "This PaymentIntent (" + piId + ") does not have a successful charge to refund.");
            }
        } else if (chId != null) {
            ch = charges.get(chId);
            if (ch == null) {
                throw ApiError.missing("charge", "charge", chId);
            }
            if (!ch.status.equals("succeeded")) {
                throw ApiError.state("charge_not_refundable", "Charge " + chId + " has not succeeded and cannot be refunded.");
            }
        } else {
            throw ApiError.param("parameter_missing", "payment_intent", "One of the following params should be provided "
                    + "for this request: payment_intent or charge.");
        }
        String reason = form.str("reason");
        if (reason != null && !Set.of("duplicate", "fraudulent", "requested_by_customer").contains(reason)) {
            throw ApiError.param("parameter_invalid_string", "reason",
                    "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer");
        }
        long remaining = ch.amount - ch.amountRefunded;
        if (remaining <= 0) {
            throw ApiError.state("charge_already_refunded", "Charge " + ch.id + " has already been refunded.");
        }
        Long amount = form.integer("amount");
        if (amount == null) {
            amount = remaining;
        }
        if (amount < 1) {
            throw ApiError.param("parameter_invalid_integer", "amount", "This value must be greater than or equal to 1.");
        }
        if (amount > remaining) {
            throw ApiError.param("amount_too_large", "amount", "Refund amount (¥" + amount
                    + ") is greater than unrefunded amount on charge (¥" + remaining + ")");
        }
        Refund re = new Refund();
        re.id = Ids.make("re");
        re.created = clock.unix();
        re.amount = amount;
        re.charge = ch.id;
        re.intent = ch.intent;
        re.reason = reason;
        re.apiVersion = request.apiVersion();
        re.instructionsEmail = form.str("instructions_email");
        re.metadata.putAll(metadata(form));
        // A konbini payment is refunded by bank transfer once the customer gives their account details.
        re.status = ch.type.equals("konbini") ? "pending" : "succeeded";
        refunds.put(re.id, re);
        ch.amountRefunded += amount;
        event("refund.created", ch.intent, refundJson(re), re.apiVersion, request);
        event("charge.refunded", ch.intent, chargeJson(ch), re.apiVersion, request);
        return refundJson(re);
    }

    synchronized Map<String, Object> retrieveRefund(String id, Form form) {
        form.only(Set.of("expand"));
        return refundJson(refund(id));
    }

    /** {@code POST /_sandbox/refunds/{re}/complete|fail}: the bank transfer of a pending refund went through, or not. */
    synchronized Map<String, Object> settleRefund(String id, boolean succeeded, Request request) {
        Refund re = refund(id);
        if (!re.status.equals("pending") && !re.status.equals("requires_action")) {
            throw ApiError.state("refund_unexpected_state", "Refund " + id + " is " + re.status + ", not pending.");
        }
        Charge ch = charges.get(re.charge);
        if (succeeded) {
            re.status = "succeeded";
            event("refund.updated", re.intent, refundJson(re), re.apiVersion, request);
        } else {
            re.status = "failed";
            re.failureReason = "declined";
            ch.amountRefunded -= re.amount;
            event("refund.failed", re.intent, refundJson(re), re.apiVersion, request);
            event("refund.updated", re.intent, refundJson(re), re.apiVersion, request);
        }
        return refundJson(re);
    }

    // ---------------------------------------------------------------- charges, payment methods, events

    synchronized Map<String, Object> retrieveCharge(String id, Form form) {
        form.only(Set.of("expand"));
        Charge ch = charges.get(id);
        if (ch == null) {
            throw ApiError.missing("id", "charge", id);
        }
        return chargeJson(ch);
    }

    synchronized Map<String, Object> retrieveMethod(String id, Form form) {
        form.only(Set.of("expand"));
        Method m = methods.get(id);
        if (m == null) {
            throw ApiError.missing("payment_method", "PaymentMethod", id);
        }
        return methodJson(m);
    }

    synchronized String eventJson(String id) {
        Event e = events.get(id);
        if (e == null) {
            throw ApiError.missing("id", "event", id);
        }
        return e.json();
    }

    synchronized Event event(String id) {
        Event e = events.get(id);
        if (e == null) {
            throw ApiError.missing("id", "event", id);
        }
        return e;
    }

    synchronized Map<String, Object> listEvents(Form form) {
        form.only(Set.of("limit", "type", "starting_after", "created"));
        long limit = limit(form);
        String type = form.str("type");
        List<Event> all = new ArrayList<>(events.values());
        List<Object> data = new ArrayList<>();
        int matching = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            Event e = all.get(i);
            if (type != null && !matches(type, e.type())) {
                continue;
            }
            matching++;
            if (data.size() < limit) {
                data.add(new Json.Raw(e.json()));
            }
        }
        return list("/v1/events", data, matching > limit);
    }

    private static boolean matches(String pattern, String type) {
        return pattern.endsWith(".*") ? type.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(type);
    }

    /** What the hosted pages show. */
    synchronized Intent intentForPage(String id) {
        return intents.get(id);
    }

    // ---------------------------------------------------------------- helpers

    private Intent intent(String id) {
        Intent pi = intents.get(id);
        if (pi == null) {
            throw ApiError.missing("intent", "payment_intent", id);
        }
        return pi;
    }

    private Refund refund(String id) {
        Refund re = refunds.get(id);
        if (re == null) {
            throw ApiError.missing("id", "refund", id);
        }
        return re;
    }

    private Charge newCharge(Intent pi, Method method) {
        Charge ch = new Charge();
        ch.id = Ids.make("ch");
        ch.created = clock.unix();
        ch.amount = pi.amount;
        ch.intent = pi.id;
        ch.paymentMethod = method.id;
        ch.description = pi.description;
        ch.metadata = new LinkedHashMap<>(pi.metadata);
        ch.billingName = method.name;
        ch.billingEmail = method.email;
        charges.put(ch.id, ch);
        return ch;
    }

    private static Map<String, String> metadata(Form form) {
        Map<String, String> md = form.strings("metadata");
        if (md.size() > 50) {
            throw ApiError.param("parameter_invalid_object", "metadata", "metadata may have at most 50 keys.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        md.forEach((k, v) -> {
            if (k.length() > 40 || v.length() > 500) {
                throw ApiError.param("parameter_invalid_string", "metadata[" + k + "]",
                        "metadata keys are at most 40 characters and values at most 500.");
            }
            if (!v.isEmpty()) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String returnUrl(String url) {
        if (url != null && !url.matches("(?i)https?://[^\\s]+")) {
            throw ApiError.param("url_invalid", "return_url", "Invalid URL: return_url must be an http(s) URL.");
        }
        return url;
    }

    private void konbiniOptions(Intent pi, Form form) {
        if (!form.has("payment_method_options")) {
            return;
        }
        form.only(Set.of("konbini", "card"), "payment_method_options");
        String[] k = {"payment_method_options", "konbini"};
        form.only(Set.of("expires_after_days", "expires_at", "product_description", "confirmation_number"), k);
        Long days = form.integer("payment_method_options", "konbini", "expires_after_days");
        Long at = form.integer("payment_method_options", "konbini", "expires_at");
        if (days != null && at != null) {
            throw ApiError.param("parameter_invalid_integer", "payment_method_options[konbini][expires_at]",
                    "Only one of expires_after_days or expires_at may be set.");
        }
        if (days != null && (days < 1 || days > 60)) {
            throw ApiError.param("parameter_invalid_integer", "payment_method_options[konbini][expires_after_days]",
                    "expires_after_days must be between 1 and 60.");
        }
        String description = form.str("payment_method_options", "konbini", "product_description");
        if (description != null && description.codePointCount(0, description.length()) > 22) {
            throw ApiError.param("parameter_invalid_string", "payment_method_options[konbini][product_description]",
                    "product_description must be at most 22 characters.");
        }
        String confirmation = form.str("payment_method_options", "konbini", "confirmation_number");
        if (confirmation != null && !confirmation.matches("[0-9]{10,11}")) {
            throw ApiError.param("parameter_invalid_string", "payment_method_options[konbini][confirmation_number]",
                    "confirmation_number must be 10 to 11 digits.");
        }
        if (days != null || at != null) {
            pi.konbiniExpiresAfterDays = days;
            pi.konbiniExpiresAtOption = at;
        }
        if (description != null) {
            pi.konbiniProductDescription = description;
        }
        if (confirmation != null) {
            pi.konbiniConfirmationNumber = confirmation;
        }
    }

    /** The payment method named by {@code payment_method} (a test token or a stored id) or {@code payment_method_data}. */
    private Method method(Form form, Intent pi) {
        String pm = form.str("payment_method");
        if (pm != null) {
            Method stored = methods.get(pm);
            if (stored != null) {
                return stored;
            }
            TestCards.Card card = TestCards.BY_TOKEN.get(pm);
            if (card == null) {
                throw ApiError.missing("payment_method", "PaymentMethod", pm);
            }
            Method m = new Method();
            m.id = Ids.make("pm");
            m.created = clock.unix();
            m.type = "card";
            m.card = card;
            methods.put(m.id, m);
            return m;
        }
        form.only(Set.of("type", "billing_details", "konbini"), "payment_method_data");
        form.only(Set.of("name", "email", "phone", "address"), "payment_method_data", "billing_details");
        String type = form.str("payment_method_data", "type");
        if (type == null) {
            throw ApiError.param("parameter_missing", "payment_method_data[type]", "Missing required param: payment_method_data[type].");
        }
        if (!type.equals("konbini")) {
            throw ApiError.param("parameter_invalid_string", "payment_method_data[type]", "The payment sandbox takes "
                    + "payment_method_data only for konbini; card data goes through the hosted card page (/pay/{id}) "
                    + "or a test token such as pm_card_visa.");
        }
        if (!pi.paymentMethodTypes.contains("konbini")) {
            throw ApiError.param("payment_intent_incompatible_payment_method", "payment_method_data[type]",
                    "The PaymentMethod provided (konbini) is not allowed for this PaymentIntent.");
        }
        Method m = new Method();
        m.id = Ids.make("pm");
        m.created = clock.unix();
        m.type = "konbini";
        m.name = form.str("payment_method_data", "billing_details", "name");
        m.email = form.str("payment_method_data", "billing_details", "email");
        methods.put(m.id, m);
        return m;
    }

    private void event(String type, String orderingKey, Map<String, Object> object, String apiVersion, Request request) {
        Map<String, Object> e = Json.object();
        String id = Ids.make("evt");
        long created = clock.unix();
        e.put("id", id);
        e.put("object", "event");
        e.put("api_version", apiVersion);
        e.put("created", created);
        Map<String, Object> data = Json.object();
        data.put("object", object);
        e.put("data", data);
        e.put("livemode", false);
        e.put("pending_webhooks", outbox.endpointCount());
        Map<String, Object> req = Json.object();
        req.put("id", request.id());
        req.put("idempotency_key", request.idempotencyKey());
        e.put("request", req);
        e.put("type", type);
        Event event = new Event(id, type, created, apiVersion, orderingKey, Json.write(e));
        events.put(id, event);
        outbox.publish(event);
    }

    private static long limit(Form form) {
        Long limit = form.integer("limit");
        if (limit == null) {
            return 10;
        }
        if (limit < 1 || limit > 100) {
            throw ApiError.param("parameter_invalid_integer", "limit", "limit must be between 1 and 100.");
        }
        return limit;
    }

    private static Map<String, Object> list(String url, List<Object> data, boolean hasMore) {
        Map<String, Object> m = Json.object();
        m.put("object", "list");
        m.put("data", data);
        m.put("has_more", hasMore);
        m.put("url", url);
        return m;
    }

    Map<String, Object> intentJson(Intent pi, Form form) {
        Map<String, Object> m = Json.object();
        m.put("id", pi.id);
        m.put("object", "payment_intent");
        m.put("amount", pi.amount);
        m.put("amount_capturable", 0L);
        m.put("amount_received", pi.amountReceived);
        m.put("application", null);
        m.put("canceled_at", pi.canceledAt);
        m.put("cancellation_reason", pi.cancellationReason);
        m.put("capture_method", "automatic");
        m.put("client_secret", pi.clientSecret);
        m.put("confirmation_method", "automatic");
        m.put("created", pi.created);
        m.put("currency", pi.currency);
        m.put("customer", null);
        m.put("description", pi.description);
        m.put("last_payment_error", pi.lastPaymentError);
        boolean expandCharge = form.list("expand").contains("latest_charge");
        m.put("latest_charge", pi.latestCharge == null ? null
                : expandCharge ? chargeJson(charges.get(pi.latestCharge)) : pi.latestCharge);
        m.put("livemode", false);
        m.put("metadata", new LinkedHashMap<>(pi.metadata));
        m.put("next_action", nextAction(pi));
        boolean expandMethod = form.list("expand").contains("payment_method");
        m.put("payment_method", pi.paymentMethod == null ? null
                : expandMethod ? methodJson(methods.get(pi.paymentMethod)) : pi.paymentMethod);
        Map<String, Object> options = Json.object();
        if (pi.paymentMethodTypes.contains("card")) {
            Map<String, Object> card = Json.object();
            card.put("request_three_d_secure", "automatic");
            options.put("card", card);
        }
        if (pi.paymentMethodTypes.contains("konbini")) {
            Map<String, Object> k = Json.object();
            k.put("confirmation_number", pi.konbiniConfirmationNumber);
            k.put("expires_after_days", pi.konbiniExpiresAfterDays);
            k.put("expires_at", pi.konbiniExpiresAtOption);
            k.put("product_description", pi.konbiniProductDescription);
            options.put("konbini", k);
        }
        m.put("payment_method_options", options);
        m.put("payment_method_types", new ArrayList<>(pi.paymentMethodTypes));
        m.put("receipt_email", pi.receiptEmail);
        m.put("status", pi.status);
        return m;
    }

    private Map<String, Object> nextAction(Intent pi) {
        if (!pi.awaitingKonbini()) {
            return null;
        }
        Map<String, Object> details = Json.object();
        details.put("expires_at", pi.konbiniExpiresAt);
        details.put("hosted_voucher_url", publicUrl + "/voucher/" + pi.id);
        Map<String, Object> stores = Json.object();
        pi.konbiniStores.forEach((store, codes) -> stores.put(store, new LinkedHashMap<>(codes)));
        details.put("stores", stores);
        Map<String, Object> next = Json.object();
        next.put("konbini_display_details", details);
        next.put("type", "konbini_display_details");
        return next;
    }

    private Map<String, Object> chargeJson(Charge ch) {
        Map<String, Object> m = Json.object();
        m.put("id", ch.id);
        m.put("object", "charge");
        m.put("amount", ch.amount);
        m.put("amount_captured", ch.status.equals("succeeded") ? ch.amount : 0L);
        m.put("amount_refunded", ch.amountRefunded);
        Map<String, Object> billing = Json.object();
        billing.put("address", null);
        billing.put("email", ch.billingEmail);
        billing.put("name", ch.billingName);
        billing.put("phone", null);
        m.put("billing_details", billing);
        m.put("captured", ch.status.equals("succeeded"));
        m.put("created", ch.created);
        m.put("currency", "jpy");
        m.put("description", ch.description);
        m.put("failure_code", ch.failureCode);
        m.put("failure_message", ch.failureMessage);
        m.put("livemode", false);
        m.put("metadata", new LinkedHashMap<>(ch.metadata));
        Map<String, Object> outcome = Json.object();
        outcome.put("network_status", ch.status.equals("succeeded") ? "approved_by_network" : "declined_by_network");
        outcome.put("reason", ch.declineCode);
        outcome.put("seller_message", ch.status.equals("succeeded") ? "Payment complete." : "The bank did not return any further details with this decline.");
        outcome.put("type", ch.status.equals("succeeded") ? "authorized" : "issuer_declined");
        m.put("outcome", outcome);
        m.put("paid", ch.status.equals("succeeded"));
        m.put("payment_intent", ch.intent);
        m.put("payment_method", ch.paymentMethod);
        Map<String, Object> details = Json.object();
        if (ch.type.equals("card")) {
            Map<String, Object> card = Json.object();
            card.put("brand", ch.brand);
            card.put("country", "US");
            card.put("exp_month", 12L);
            card.put("exp_year", 2034L);
            card.put("funding", "credit");
            card.put("last4", ch.last4);
            details.put("card", card);
        } else {
            Map<String, Object> store = Json.object();
            store.put("chain", ch.store);
            Map<String, Object> konbini = Json.object();
            konbini.put("store", store);
            details.put("konbini", konbini);
        }
        details.put("type", ch.type);
        m.put("payment_method_details", details);
        m.put("refunded", ch.amountRefunded >= ch.amount);
        m.put("status", ch.status);
        return m;
    }

    private Map<String, Object> refundJson(Refund re) {
        Map<String, Object> m = Json.object();
        m.put("id", re.id);
        m.put("object", "refund");
        m.put("amount", re.amount);
        m.put("charge", re.charge);
        m.put("created", re.created);
        m.put("currency", "jpy");
        if (re.status.equals("failed")) {
            m.put("failure_reason", re.failureReason);
        }
        if (re.instructionsEmail != null) {
            m.put("instructions_email", re.instructionsEmail);
        }
        m.put("metadata", new LinkedHashMap<>(re.metadata));
        m.put("payment_intent", re.intent);
        m.put("reason", re.reason);
        m.put("status", re.status);
        return m;
    }

    private Map<String, Object> methodJson(Method pm) {
        Map<String, Object> m = Json.object();
        m.put("id", pm.id);
        m.put("object", "payment_method");
        Map<String, Object> billing = Json.object();
        billing.put("address", null);
        billing.put("email", pm.email);
        billing.put("name", pm.name);
        billing.put("phone", null);
        m.put("billing_details", billing);
        if (pm.card != null) {
            Map<String, Object> card = Json.object();
            card.put("brand", pm.card.brand());
            card.put("country", "US");
            card.put("exp_month", 12L);
            card.put("exp_year", 2034L);
            card.put("funding", "credit");
            card.put("last4", pm.card.last4());
            m.put("card", card);
        }
        if (pm.type.equals("konbini")) {
            m.put("konbini", Json.object());
        }
        m.put("created", pm.created);
        m.put("customer", null);
        m.put("livemode", false);
        m.put("metadata", Json.object());
        m.put("type", pm.type);
        return m;
    }
}
