package jp.kominkan.gateway.mqtt;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.door.RemoteUnlocks;
import jp.kominkan.gateway.enroll.CertificateRenewal;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.event.EventMessage;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.stream.GatewaySignature;
import jp.kominkan.shared.stream.StreamMessage;
import jp.kominkan.shared.tls.MutualTls;
import jp.kominkan.shared.topic.Topic;
import jp.kominkan.shared.wire.InboundQueue;
import jp.kominkan.shared.wire.LogText;
import jp.kominkan.shared.wire.RejectionLog;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The gateway's MQTT side (Paho, MQTT v5, over mutual TLS with the gateway's own certificate):
 * applies the grant stream and acknowledges what is on disk, sends journalled events until the
 * cloud receipts them, and renews its certificate. No device of the building talks to the cloud's
 * broker: they use the gateway's site link ({@code jp.kominkan.gateway.site}). What the cloud
 * sends is believed only when the cloud signed it for this gateway ({@link StreamFollower}). Every
 * message is parsed here and handed to the domain; a bad one is logged in one sanitised line,
 * counted and dropped, and nothing throws into Paho.
 */
public final class CloudLink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CloudLink.class.getName());
    private static final int EVENT_BATCH = 500;
    private static final Duration RESEND_EVENTS = Duration.ofSeconds(3);
    /** An event sent but not receipted is sent again after this long. */
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(10);
    private static final int MAX_PER_ROUND = 5_000;

    private static final Duration RENEWAL_CHECK = Duration.ofHours(6);
    private static final Duration HELLO_AGAIN = Duration.ofSeconds(30);
    /** While connected, an ack this often says the gateway is alive (the cloud marks a silent one offline). */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final String gatewayId;
    private final GrantStore grants;
    private final EventJournal journal;
    private final StreamFollower follower;
    private final Optional<CertificateRenewal> renewal;
    /** Signs what this gateway tells the cloud; without TLS files (a loopback test broker) nothing is signed. */
    private final Optional<java.security.PrivateKey> ownKey;
    private final MqttConnectionOptions options = new MqttConnectionOptions();
    private final RejectionLog rejections;
    private final MqttClient client;
    private final ScheduledExecutorService timer;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final Map<UUID, Instant> sentAt = new ConcurrentHashMap<>();
    /** Inbound messages in arrival order, off Paho's callback thread, bounded (see {@link InboundQueue}). */
    private final InboundQueue inbound = new InboundQueue("cloud-inbound", 12L * 1024 * 1024, LOG);
    private Duration heartbeat = HEARTBEAT;

    /**
     * @param broker      the broker URI
     * @param tls         the gateway's TLS files (an ssl:// broker); empty only for a loopback test broker
     * @param gatewayId   this gateway
     * @param grants      the grant store
     * @param journal     the event journal
     * @param cloudKeys   the cloud's public keys: what the cloud sends must be signed by one
     * @param unlocks     carries out remote unlocks from the stream, on this gateway's doors
     * @param clock       the clock
     */
    public CloudLink(String broker, Optional<SiteProfile.Tls> tls, String gatewayId, GrantStore grants,
                     EventJournal journal, GrantVerifier cloudKeys, RemoteUnlocks unlocks, java.time.Clock clock) {
        this.gatewayId = gatewayId;
        this.grants = grants;
        this.journal = journal;
        this.follower = new StreamFollower(gatewayId, grants, journal, cloudKeys, unlocks, clock);
        this.renewal = tls.map(files -> new CertificateRenewal(gatewayId, files, clock));
        this.ownKey = tls.map(files -> MutualTls.privateKey(files.key()));
        if (broker.startsWith("ssl://")) {
            SiteProfile.Tls files = tls.orElseThrow(() -> new IllegalArgumentException(
                    "An ssl:// broker needs the gateway's TLS files (cloud.tls in the site profile)"));
            SSLContext context = MutualTls.fromFiles(files.key(), files.certificate(), files.ca());
            options.setSocketFactory(context.getSocketFactory());
            options.setHttpsHostnameVerificationEnabled(true);
        }
        this.rejections = new RejectionLog(LOG, clock);
        try {
            this.client = new MqttClient(broker, "kominkan-gw-" + gatewayId + "-" + UUID.randomUUID().toString().substring(0, 8),
                    new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException("Cannot create the MQTT client for " + broker, e);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cloud-link").daemon().factory());
    }

    /** Connects, and keeps reconnecting, in the background. */
    public void start() {
        client.setCallback(new Callback());
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 5);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(20);
        timer.execute(() -> {
            while (!client.isConnected() && !timer.isShutdown()) {
                try {
                    client.connect(options);
                } catch (MqttException e) {
                    // Also a broker whose certificate is not from the city's CA: never talked to.
                    connectFailures.incrementAndGet();
                    LOG.log(Level.DEBUG, "Broker not reachable yet: " + e.getMessage());
                    sleep(Duration.ofSeconds(1));
                }
            }
        });
        timer.scheduleWithFixedDelay(this::sendUndelivered, RESEND_EVENTS.toMillis(), RESEND_EVENTS.toMillis(),
                TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::helloWhileEmpty, HELLO_AGAIN.toMillis(), HELLO_AGAIN.toMillis(),
                TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        if (renewal.isPresent()) {
            timer.scheduleWithFixedDelay(this::renewIfDue, 30_000, RENEWAL_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * An empty store takes nothing but a fresh snapshot, and asks for one on connecting; if that
     * answer was lost (or refused: a Pi that booted with its clock wrong, before NTP), it asks
     * again, until it has one.
     */
    private void helloWhileEmpty() {
        if (client.isConnected() && !grants.started()) {
            try {
                publish(Topic.ack(gatewayId), follower.hello().encode());
            } catch (MqttException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Hello will be sent again: " + e.getMessage());
            }
        }
    }

    /**
     * Tests: a heartbeat sooner than {@link #HEARTBEAT}.
     *
     * @param every how often; takes effect at {@link #start()}
     */
    void heartbeatEvery(Duration every) {
        this.heartbeat = every;
    }

    /**
     * Says this gateway is alive: an ordinary (non-hello) ack of where it stands, signed like every
     * ack. The cloud notes the time of every ack, so a quiet stream still keeps it marked online;
     * an ack asks for nothing, so a heartbeat never makes the cloud resend.
     */
    private void heartbeat() {
        if (client.isConnected()) {
            try {
                publish(Topic.ack(gatewayId),
                        new StreamMessage.Ack(grants.durableSeq(), false, StreamMessage.Ack.FEATURES).encode());
            } catch (MqttException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Heartbeat not sent, next one in " + heartbeat.toSeconds() + " s: " + e.getMessage());
            }
        }
    }

    /** Asks for a new certificate when the current one is in the last third of its life. */
    public void renewIfDue() {
        if (!client.isConnected() || renewal.isEmpty()) {
            return;
        }
        try {
            Optional<String> request = renewal.get().requestIfDue();
            if (request.isPresent()) {
                publish(Topic.csr(gatewayId), request.get().getBytes(StandardCharsets.US_ASCII));
                LOG.log(Level.INFO, "Asked the cloud to renew this gateway's certificate (expires "
                        + renewal.get().expires() + ")");
            }
        } catch (MqttException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not ask for a renewed certificate; will try again: " + e.getMessage());
        }
    }

    /** @return whether connected to the broker */
    public boolean isConnected() {
        return client.isConnected();
    }

    /** @return connections made to the broker since start, the first and each reconnect */
    public long connections() {
        return connections.get();
    }

    /** @return first connection attempts that failed (unreachable broker, or one the gateway does not trust) */
    public long connectFailures() {
        return connectFailures.get();
    }

    /** @return inbound messages dropped because too much was waiting (sent again by their senders) */
    public long droppedMessages() {
        return inbound.dropped();
    }

    /** @return bad messages dropped since start, and unlock entries refused (the stream went on past them) */
    public long rejected() {
        return rejected.get() + follower.rejected();
    }

    /**
     * Sends an event just written to the journal; if it cannot go now, the resend timer sends it.
     *
     * @param event the event
     */
    public void send(DoorEvent event) {
        if (!client.isConnected()) {
            // Journalled already; the resend timer sends it once connected. Queuing a task per event
            // here would grow without bound while a gateway has not connected since it booted.
            return;
        }
        // Off the door's thread: a stalled broker connection must never hold up a keypad or a strike.
        timer.execute(() -> {
            if (client.isConnected()) {
                try {
                    publish(Topic.events(gatewayId), new EventMessage.Events(List.of(event)).encode());
                    sentAt.put(event.id(), Instant.now());
                } catch (MqttException | RuntimeException e) {
                    LOG.log(Level.DEBUG, "Event will be resent: " + e.getMessage());
                }
            }
        });
    }

    private void sendUndelivered() {
        if (!client.isConnected()) {
            return;
        }
        try {
            Instant now = Instant.now();
            Instant due = now.minus(RECEIPT_WAIT);
            List<DoorEvent> pending = journal.undelivered(Integer.MAX_VALUE).stream()
                    .filter(event -> {
                        Instant at = sentAt.get(event.id());
                        return at == null || at.isBefore(due);
                    })
                    .limit(MAX_PER_ROUND)
                    .toList();
            for (int from = 0; from < pending.size(); from += EVENT_BATCH) {
                List<DoorEvent> batch = pending.subList(from, Math.min(pending.size(), from + EVENT_BATCH));
                publish(Topic.events(gatewayId), new EventMessage.Events(batch).encode());
                batch.forEach(event -> sentAt.put(event.id(), now));
            }
        } catch (MqttException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Resending events failed, will retry: " + e.getMessage());
        }
    }

    private void onGrants(byte[] payload) throws MqttException {
        publish(Topic.ack(gatewayId), follower.onGrants(payload).encode());
    }

    private void onReceipt(byte[] payload) {
        List<UUID> ids = follower.onReceipt(payload);
        long unexpected = ids.stream().filter(id -> sentAt.remove(id) == null).count();
        if (unexpected > 0) {
            LOG.log(Level.DEBUG, unexpected + " receipted events were not in flight (sent before a reconnect)");
        }
    }

    private void onCertificate(byte[] payload) {
        if (renewal.isEmpty()) {
            throw new IllegalArgumentException("a certificate, but this gateway has no TLS files");
        }
        SSLContext context = renewal.get().accept(follower.onCertificate(payload));
        // Paho reconnects with these options: the next connection presents the new certificate.
        options.setSocketFactory(context.getSocketFactory());
        LOG.log(Level.INFO, "Renewed this gateway's certificate; valid until " + renewal.get().expires());
    }

    /** Signs with this gateway's own key (the cloud believes nothing else from it) and publishes. */
    private void publish(Topic topic, byte[] payload) throws MqttException {
        publish(topic.name(), ownKey.map(key -> GatewaySignature.sign(key, topic, payload)).orElse(payload));
    }

    private void publish(String topic, byte[] payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        client.publish(topic, message);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        inbound.close();
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
        } catch (MqttException e) {
            LOG.log(Level.DEBUG, "MQTT disconnect: " + e.getMessage());
        } finally {
            // Closed even when the disconnect failed: a client left open would reconnect by itself and speak
            // for a gateway that has stopped.
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.log(Level.DEBUG, "MQTT close: " + e.getMessage());
            }
        }
    }

    /** Paho's callbacks. */
    private final class Callback implements MqttCallback {

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            try {
                List<MqttSubscription> subscriptions = new ArrayList<>();
                subscriptions.add(new MqttSubscription(Topic.grants(gatewayId).name(), 1));
                subscriptions.add(new MqttSubscription(Topic.receipts(gatewayId).name(), 1));
                subscriptions.add(new MqttSubscription(Topic.certificate(gatewayId).name(), 1));
                client.subscribe(subscriptions.toArray(MqttSubscription[]::new));
                // Hello: where this gateway stands; the cloud resends from here, or sends a snapshot for 0.
                publish(Topic.ack(gatewayId), follower.hello().encode());
                connections.incrementAndGet();
                sentAt.clear();   // whatever was in flight before is sent again
                LOG.log(Level.INFO, "Connected to " + serverUri + " at grant stream " + grants.durableSeq());
                timer.execute(CloudLink.this::sendUndelivered);
            } catch (MqttException e) {
                LOG.log(Level.WARNING, "Cannot subscribe: " + e.getMessage());
            }
        }

        @Override
        public void messageArrived(String topicName, MqttMessage message) {
            inbound.submit(message.getPayload().length, () -> handle(topicName, message));
        }

        private void handle(String topicName, MqttMessage message) {
            Optional<Topic> topic = Topic.parse(topicName);
            try {
                if (topic.isEmpty()) {
                    throw new IllegalArgumentException("not a Kominkan topic");
                }
                if (!topic.get().id().equals(gatewayId)) {
                    throw new IllegalArgumentException("a topic of another gateway");
                }
                switch (topic.get().kind()) {
                    case GRANTS -> onGrants(message.getPayload());
                    case RECEIPTS -> onReceipt(message.getPayload());
                    case CERT -> onCertificate(message.getPayload());
                    default -> throw new IllegalArgumentException("not a topic the gateway reads");
                }
            } catch (IllegalArgumentException e) {
                rejected.incrementAndGet();
                rejections.rejected(topicName, message.getPayload().length, e.getMessage());
            } catch (MqttException | RuntimeException e) {
                LOG.log(Level.WARNING, "Could not handle a message on " + LogText.safe(topicName) + ": "
                        + LogText.safe(e.getMessage()));
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.log(Level.WARNING, "Disconnected from the broker; doors keep working offline");
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.log(Level.WARNING, "MQTT error: " + exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // the cloud's receipt, not the broker's PUBACK, marks an event delivered
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
