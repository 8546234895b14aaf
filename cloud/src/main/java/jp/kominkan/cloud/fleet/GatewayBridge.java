package jp.kominkan.cloud.fleet;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

import jp.kominkan.cloud.door.DoorEventListener;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.cloud.pki.CertificateRegistry;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.stream.CloudSignature;
import jp.kominkan.shared.stream.StreamEntry;
import jp.kominkan.shared.stream.StreamMessage;
import jp.kominkan.shared.tls.Pem;
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
 * The cloud's side of MQTT: publishes each gateway's grant stream from the outbox, records acks,
 * answers a wiped gateway with a snapshot, stores door events once each, sending receipts, and
 * renews gateway certificates. It connects over mutual TLS with the cloud's own certificate, and
 * signs everything it publishes ({@link CloudSignature}), so a gateway believes no one else.
 *
 * <p>What a gateway says is checked against what the cloud knows: an ack beyond the stream head,
 * an event for a door the gateway does not drive, anything from a decommissioned gateway is
 * ignored and counted; hellos, snapshots and renewals are rate-limited per gateway.
 *
 * <p>The broker is transport, never storage: entries not acknowledged are sent again from the
 * last ack after a reconnect, a restart or {@value #RESEND_AFTER_SECONDS} s without progress, and
 * gateways resend events until they get a receipt. Bad messages are rejected with one log line and
 * counted; nothing here throws into Paho.
 */
public final class GatewayBridge implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GatewayBridge.class.getName());
    /** The cloud instances' shared-subscription group (docs/broker.md). */
    static final String SHARED = "$share/kominkan-cloud/";

    /** Whether the bridge is on the broker with its subscriptions in place. */
    private volatile boolean subscribed;
    private final AtomicLong connections = new AtomicLong();
    private static final int BATCH = 500;
    private static final int MAX_BATCHES_PER_TICK = 4;
    private static final long RESEND_AFTER_SECONDS = 3;
    /** Largest message a gateway sends: a batch of 500 events, signed. */
    private static final int MAX_SIGNED = 1024 * 1024;

    private final GrantStreamRepository stream;
    private final GrantSigner signer;
    private final Optional<Enrollments> renewals;
    private final Clock clock;
    private final HelloLimiter limiter;
    private final MqttClient client;
    private final ScheduledExecutorService ticker;
    /** Inbound messages in arrival order, off Paho's callback thread, bounded (see {@link InboundQueue}). */
    private final InboundQueue inbound = new InboundQueue("gateway-inbound", 64L * 1024 * 1024, LOG);
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final EventIntake intake;
    private final RejectionLog rejections;
    private final AtomicLong deferred = new AtomicLong();
    private final Map<String, Deferred> deferredHellos = new ConcurrentHashMap<>();
    private final GatewayKeyCache gatewayKeys;

    private GatewayBridge(GrantStreamRepository stream, DoorEventRepository events, DoorEventListener listener,
                          GrantSigner signer, CertificateRegistry certificates, Optional<Enrollments> renewals, Clock clock,
                          MqttClient client) {
        this.stream = stream;
        this.gatewayKeys = new GatewayKeyCache(certificates, clock);
        this.intake = new EventIntake(events, stream, clock, listener);
        this.rejections = new RejectionLog(LOG, clock);
        this.signer = signer;
        this.renewals = renewals;
        this.clock = clock;
        this.limiter = new HelloLimiter(clock, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(10));
        this.client = client;
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("grant-stream").daemon().factory());
    }

    /**
     * Connects to the broker (and keeps reconnecting) and starts publishing.
     *
     * @param broker   e.g. ssl://mqtt.city.example:8883 (tcp:// only for tests on loopback)
     * @param tls      the cloud's client certificate and the CA to trust, for an ssl:// broker
     * @param stream   the grant stream of the broker's shard: only its gateways are streamed and believed
     * @param events   where door events go
     * @param listener told of each door event stored (the door board)
     * @param signer   signs what is published
     * @param certificates the certificates issued, whose keys sign what gateways say
     * @param renewals renews gateway certificates, when the CA is available
     * @param clock    the clock
     * @param interval how often to look for new stream entries
     * @return the running bridge
     */
    public static GatewayBridge start(String broker, Optional<SSLContext> tls, GrantStreamRepository stream,
                                      DoorEventRepository events, DoorEventListener listener, GrantSigner signer,
                                      CertificateRegistry certificates,
                                      Optional<Enrollments> renewals, Clock clock, Duration interval) {
        try {
            MqttClient client = new MqttClient(broker, "kominkan-cloud-" + stream.shard() + "-" + UUID.randomUUID(),
                    new MemoryPersistence());
            GatewayBridge bridge = new GatewayBridge(stream, events, listener, signer, certificates, renewals, clock,
                    client);
            client.setCallback(bridge.new Callback());
            MqttConnectionOptions options = new MqttConnectionOptions();
            if (broker.startsWith("ssl://")) {
                SSLContext context = tls.orElseThrow(() -> new IllegalStateException(
                        "An ssl:// broker needs the cloud's client certificate"));
                options.setSocketFactory(context.getSocketFactory());
                options.setHttpsHostnameVerificationEnabled(true);
            }
            options.setCleanStart(true);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 5);
            options.setConnectionTimeout(5);
            options.setKeepAliveInterval(20);
            try {
                client.connect(options);
            } catch (MqttException e) {
                // Keep going: Paho reconnects; the outbox holds everything meanwhile.
                LOG.log(Level.WARNING, "MQTT broker " + broker + " (shard " + stream.shard() + ") not reachable yet ("
                        + e.getMessage() + "); retrying");
                bridge.ticker.execute(() -> bridge.connectLater(options));
            }
            bridge.ticker.scheduleWithFixedDelay(bridge::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            return bridge;
        } catch (MqttException e) {
            throw new IllegalStateException("Cannot create the MQTT client for " + broker, e);
        }
    }

    /** @return inbound messages dropped because too much was waiting (sent again by their senders) */
    public long droppedMessages() {
        return inbound.dropped();
    }

    /** @return bad messages and events for doors a gateway does not drive, rejected since start */
    public long rejected() {
        return rejected.get() + intake.foreign();
    }

    /** @return events received again and not stored twice, since start */
    public long duplicates() {
        return intake.duplicates();
    }

    private void connectLater(MqttConnectionOptions options) {
        while (!client.isConnected() && !ticker.isShutdown()) {
            try {
                client.connect(options);
            } catch (MqttException e) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Publishes what gateways have not acknowledged; resends after a silence. */
    private void tick() {
        if (!client.isConnected()) {
            return;
        }
        try {
            Instant now = clock.instant();
            for (GrantStreamRepository.Position p : stream.pending()) {
                Sent state = sent.computeIfAbsent(p.gatewayId(), g -> new Sent(p.lastAck(), Instant.EPOCH));
                synchronized (state) {
                    if (state.upTo < p.lastAck()) {
                        state.upTo = p.lastAck();
                    }
                    if (state.upTo >= p.head() && now.isAfter(state.at.plusSeconds(RESEND_AFTER_SECONDS))) {
                        state.upTo = p.lastAck();   // no ack for a while: send again from the last ack
                    }
                    // At most a few batches per gateway per tick, so one gateway's backlog cannot
                    // hold up revocations for the others; the next tick goes on from here.
                    for (int batches = 0; batches < MAX_BATCHES_PER_TICK && state.upTo < p.head(); batches++) {
                        List<StreamEntry> batch = stream.entries(p.gatewayId(), state.upTo, Math.min(p.head(), state.upTo + BATCH));
                        if (batch.isEmpty()) {
                            break;
                        }
                        publish(Topic.grants(p.gatewayId()), new StreamMessage.Entries(batch).encode());
                        state.upTo = batch.getLast().seq();
                        state.at = now;
                    }
                }
            }
        } catch (RuntimeException | MqttException e) {
            LOG.log(Level.WARNING, "Grant stream publishing failed; will retry: " + e.getMessage());
        }
    }

    private void onAck(String gatewayId, byte[] payload) throws MqttException {
        onAck(gatewayId, payload, clock.instant());
    }

    /**
     * @param receivedAt when the gateway said it: a hello answered later (rate limit) must not make a gateway
     *                   that has since gone silent look heard from now
     */
    private void onAck(String gatewayId, byte[] payload, Instant receivedAt) throws MqttException {
        StreamMessage message = StreamMessage.decode(payload);
        if (!(message instanceof StreamMessage.Ack ack)) {
            throw new IllegalArgumentException("expected an ack");
        }
        if (!stream.inService(gatewayId)) {
            throw new IllegalArgumentException("unknown or decommissioned gateway");
        }
        long head = stream.head(gatewayId);
        if (ack.seq() > head) {
            // Nothing beyond the head was ever sent: a forged or broken ack must not stop the stream.
            throw new IllegalArgumentException("ack " + ack.seq() + " is beyond the stream head " + head);
        }
        if (ack.hello()) {
            Duration wait = limiter.hello(gatewayId);
            if (!wait.isZero()) {
                defer(gatewayId, ack, wait, receivedAt);
                return;
            }
        }
        Instant now = clock.instant();
        stream.acknowledged(gatewayId, ack.seq(), receivedAt);
        stream.features(gatewayId, ack.features());
        Sent state = sent.computeIfAbsent(gatewayId, g -> new Sent(ack.seq(), Instant.EPOCH));
        synchronized (state) {
            if (ack.hello()) {
                // An empty gateway always gets a snapshot (an empty one at 0 too): it takes no entries
                // before one, so that old entries replayed from number 1 cannot be its start.
                if (ack.seq() == 0) {
                    Duration wait = limiter.snapshot(gatewayId);
                    if (!wait.isZero()) {
                        defer(gatewayId, ack, wait, receivedAt);
                        return;
                    }
                    List<byte[]> live = stream.liveGrants(gatewayId, head, now);
                    publish(Topic.grants(gatewayId), new StreamMessage.Snapshot(head, now.getEpochSecond(), live).encode());
                    LOG.log(Level.INFO, "Sent gateway " + gatewayId + " a snapshot of " + live.size() + " grants at " + head);
                    state.upTo = head;
                } else {
                    state.upTo = Math.min(ack.seq(), head);
                }
                // Sent just now (the snapshot) or to be sent by the next tick: no resend timer yet.
                state.at = now;
            }
        }
        if (ack.hello()) {
            ticker.execute(this::tick);
        }
    }

    /**
     * Answers a hello later: a gateway that asks too often gets one answer per interval, and none
     * is dropped, or a wiped gateway could wait forever. Hellos meanwhile fold into the latest.
     */
    private void defer(String gatewayId, StreamMessage.Ack ack, Duration wait, Instant receivedAt) {
        deferred.incrementAndGet();
        LOG.log(Level.DEBUG, "Hello from gateway " + gatewayId + " answered in " + wait.toMillis() + " ms (rate limit)");
        if (deferredHellos.put(gatewayId, new Deferred(ack, receivedAt)) == null) {
            ticker.schedule(() -> {
                Deferred latest = deferredHellos.remove(gatewayId);
                if (latest != null) {
                    inbound.submit(0, () -> {
                        try {
                            onAck(gatewayId, latest.ack().encode(), latest.receivedAt());
                        } catch (MqttException | RuntimeException e) {
                            LOG.log(Level.WARNING, "Could not answer gateway " + gatewayId + ": " + LogText.safe(e.getMessage()));
                        }
                    });
                }
            }, wait.toMillis() + 1, TimeUnit.MILLISECONDS);
        }
    }

    /** @return hellos answered later because they came too often, since start */
    public long deferred() {
        return deferred.get();
    }

    private void onEvents(String gatewayId, byte[] payload) throws MqttException {
        long foreignBefore = intake.foreign();
        var receipt = intake.take(gatewayId, payload);
        if (intake.foreign() > foreignBefore) {
            rejections.rejected(Topic.events(gatewayId).name(), payload.length,
                    (intake.foreign() - foreignBefore) + " events for doors this gateway does not drive");
        }
        if (receipt.isPresent()) {
            publish(Topic.receipts(gatewayId), receipt.get().encode());
        }
    }

    /** A gateway asks to renew its certificate for the key it holds; the answer is signed like the stream. */
    private void onCertificateRequest(String gatewayId, byte[] payload) throws MqttException {
        if (renewals.isEmpty()) {
            throw new IllegalArgumentException("this cloud instance has no CA");
        }
        if (payload.length > jp.kominkan.cloud.pki.CertificateRequest.MAX_PEM) {
            throw new IllegalArgumentException("certificate request over " + jp.kominkan.cloud.pki.CertificateRequest.MAX_PEM
                    + " bytes");
        }
        if (!stream.inService(gatewayId)) {
            throw new IllegalArgumentException("unknown or decommissioned gateway");
        }
        if (!limiter.renewal(gatewayId)) {
            throw new IllegalArgumentException("renewal asked for again within 10 minutes: ignored");
        }
        var certificate = renewals.get().renew(gatewayId,
                new String(payload, java.nio.charset.StandardCharsets.US_ASCII));
        publish(Topic.certificate(gatewayId), Pem.encode(certificate).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * What a gateway says counts only when signed with the key of one of its valid certificates:
     * the broker's word that it came from the gateway is not enough.
     */
    private byte[] signedByGateway(Topic topic, byte[] payload) {
        return gatewayKeys.open(topic, payload, MAX_SIGNED);
    }

    /** Signs for the topic and publishes at QoS 1. */
    private void publish(Topic topic, byte[] payload) throws MqttException {
        MqttMessage message = new MqttMessage(CloudSignature.sign(signer, topic, payload));
        message.setQos(1);
        client.publish(topic.name(), message);
    }

    /** @return the broker shard this bridge serves */
    public String shard() {
        return stream.shard();
    }

    /** @return connections made to the broker since start, the first and each reconnect */
    public long connections() {
        return connections.get();
    }

    /** @return whether the bridge is connected and subscribed (it may be reconnecting) */
    public boolean subscribed() {
        return subscribed;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        inbound.close();
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.log(Level.DEBUG, "MQTT close: " + e.getMessage());
        }
    }

    /** A hello to answer later, and when it came. */
    private record Deferred(StreamMessage.Ack ack, Instant receivedAt) {
    }

    /** What was last published to a gateway, and when. */
    private static final class Sent {
        private long upTo;
        private Instant at;

        Sent(long upTo, Instant at) {
            this.upTo = upTo;
            this.at = at;
        }
    }

    /** Paho's callbacks: parse, hand to the bridge, never throw. */
    private final class Callback implements MqttCallback {

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            try {
                // Acks go to every instance (each streams from the last ack; a gateway applies an entry once).
                // Events and certificate requests are handled by one instance of the cloud, whichever the broker
                // picks (MQTT 5 shared subscription): one certificate per request, one receipt per event.
                client.subscribe(new MqttSubscription[] {
                        new MqttSubscription("kominkan/v1/gw/+/ack", 1),
                        new MqttSubscription(SHARED + "kominkan/v1/gw/+/events", 1),
                        new MqttSubscription(SHARED + "kominkan/v1/gw/+/csr", 1)});
                subscribed = true;
                connections.incrementAndGet();
                sent.clear();   // after a reconnect, send again from each gateway's last ack
                LOG.log(Level.INFO, "Connected to MQTT broker " + serverUri + " (shard " + stream.shard() + ")");
                ticker.execute(GatewayBridge.this::tick);
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
                String gatewayId = topic.get().id();
                switch (topic.get().kind()) {
                    case ACK -> onAck(gatewayId, signedByGateway(topic.get(), message.getPayload()));
                    case EVENTS -> onEvents(gatewayId, signedByGateway(topic.get(), message.getPayload()));
                    case CSR -> onCertificateRequest(gatewayId, signedByGateway(topic.get(), message.getPayload()));
                    default -> throw new IllegalArgumentException("not a topic the cloud reads");
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
            subscribed = false;
            LOG.log(Level.WARNING, "Disconnected from the MQTT broker of shard " + stream.shard() + ": "
                    + response.getReasonString());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.log(Level.WARNING, "MQTT error: " + exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // QoS 1 publish acknowledged by the broker; the gateway's ack is what counts
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
