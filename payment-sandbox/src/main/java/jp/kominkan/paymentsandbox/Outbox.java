package jp.kominkan.paymentsandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers events to the configured endpoints as Stripe does: a POST of the event's JSON with
 * {@code Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}. A non-2xx answer or a
 * connection error is retried with exponential backoff up to a bounded number of attempts. Per endpoint, the
 * events of one PaymentIntent go out one at a time and in order: a failing event holds back the intent's later
 * events (not other intents').
 */
final class Outbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    private final List<URI> endpoints;
    private final byte[] secret;
    private final SandboxClock clock;
    private final Duration firstBackoff;
    private final int maxAttempts;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final List<Map<String, Object>> deliveries = new ArrayList<>();

    /** One endpoint × one ordering key (a PaymentIntent). */
    private static final class Lane {
        final URI endpoint;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        boolean busy;

        Lane(URI endpoint) {
            this.endpoint = endpoint;
        }
    }

    private static final class Pending {
        final Payments.Event event;
        int attempts;

        Pending(Payments.Event event) {
            this.event = event;
        }
    }

    Outbox(List<URI> endpoints, String secret, SandboxClock clock, Duration firstBackoff, int maxAttempts) {
        this.endpoints = List.copyOf(endpoints);
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.firstBackoff = firstBackoff;
        this.maxAttempts = maxAttempts;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "webhook-outbox");
            t.setDaemon(true);
            return t;
        });
    }

    int endpointCount() {
        return endpoints.size();
    }

    /** Queues the event for every endpoint. */
    void publish(Payments.Event event) {
        for (URI endpoint : endpoints) {
            enqueue(endpoint, event);
        }
    }

    /**
     * @param only one endpoint, or null for all
     * @return how many endpoints it was queued for
     */
    int resend(Payments.Event event, URI only) {
        int n = 0;
        for (URI endpoint : endpoints) {
            if (only == null || only.equals(endpoint)) {
                enqueue(endpoint, event);
                n++;
            }
        }
        return n;
    }

    private synchronized void enqueue(URI endpoint, Payments.Event event) {
        Lane lane = lanes.computeIfAbsent(endpoint + " " + event.orderingKey(), k -> new Lane(endpoint));
        lane.queue.add(new Pending(event));
        if (!lane.busy) {
            lane.busy = true;
            scheduler.execute(() -> run(lane));
        }
    }

    private void run(Lane lane) {
        Pending p;
        synchronized (this) {
            p = lane.queue.peek();
            if (p == null) {
                lane.busy = false;
                return;
            }
            p.attempts++;
        }
        long t = clock.unix();
        Integer status = null;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(lane.endpoint)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks) kominkan-payment-sandbox")
                    .header("Stripe-Signature", signature(t, p.event.json()))
                    .POST(HttpRequest.BodyPublishers.ofString(p.event.json(), StandardCharsets.UTF_8))
                    .build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        boolean ok = status != null && status >= 200 && status < 300;
        synchronized (this) {
            boolean giveUp = !ok && p.attempts >= maxAttempts;
            Map<String, Object> d = Json.object();
            d.put("event", p.event.id());
            d.put("type", p.event.type());
            d.put("payment_intent", p.event.orderingKey());
            d.put("url", lane.endpoint.toString());
            d.put("attempt", (long) p.attempts);
            d.put("status", status == null ? null : (long) status);
            d.put("error", error);
            d.put("signed_at", t);
            d.put("outcome", ok ? "delivered" : giveUp ? "failed" : "retrying");
            deliveries.add(d);
            if (ok || giveUp) {
                if (giveUp) {
                    LOG.log(Level.WARNING, "webhook {0} to {1} given up after {2} attempts",
                            new Object[] {p.event.id(), lane.endpoint, p.attempts});
                }
                lane.queue.poll();
                scheduler.execute(() -> run(lane));
            } else {
                long delay = firstBackoff.toMillis() << Math.min(p.attempts - 1, 20);
                scheduler.schedule(() -> run(lane), Math.min(delay, Duration.ofHours(1).toMillis()), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** @return the {@code Stripe-Signature} header for a body signed at {@code t} */
    String signature(long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] sig = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    synchronized List<Map<String, Object>> deliveries(String eventId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : deliveries) {
            if (eventId == null || eventId.equals(d.get("event"))) {
                out.add(d);
            }
        }
        return out;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
