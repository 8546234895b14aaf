package jp.kominkan.gateway.mqtt;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.door.RemoteUnlocks;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.shared.event.EventMessage;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.stream.CloudSignature;
import jp.kominkan.shared.stream.StreamEntry;
import jp.kominkan.shared.stream.StreamMessage;
import jp.kominkan.shared.stream.UnlockOrder;
import jp.kominkan.shared.topic.Topic;
import jp.kominkan.shared.wire.LogText;
import jp.kominkan.shared.wire.RejectionLog;

/**
 * The gateway's side of the grant stream and the event receipts, free of MQTT: checks that each
 * message was signed by the cloud for this gateway's topic (docs/grants.md, "Signed messages"),
 * applies it to the grant store and says what to acknowledge. Whoever else can publish on the
 * broker cannot make it apply, roll back, wipe or skip anything.
 *
 * <p>A remote unlock ({@code UNLOCK} entry) is handed to {@link RemoteUnlocks} once, after its batch is
 * applied and synced, and only when it was newly applied — never a resend, never an entry read back
 * from disk. One that does not decode, or names another gateway's door, is counted and logged and
 * the stream goes on past it: one bad entry must never stall the grants behind it.
 */
final class StreamFollower {

    private static final System.Logger LOG = System.getLogger(StreamFollower.class.getName());
    /** A snapshot made longer ago than this is refused: it may be an old one replayed. */
    static final Duration SNAPSHOT_MAX_AGE = Duration.ofMinutes(15);
    /** A snapshot from further ahead than this would stay replayable for longer than it should. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Largest signed message: a stream message plus the signature's few bytes. */
    private static final int MAX_SIGNED = StreamMessage.MAX_BYTES + 1024;

    private final String gatewayId;
    private final GrantStore grants;
    private final EventJournal journal;
    private final GrantVerifier cloudKeys;
    private final RemoteUnlocks unlocks;
    private final Clock clock;
    private final RejectionLog rejections;
    private final AtomicLong rejected = new AtomicLong();

    StreamFollower(String gatewayId, GrantStore grants, EventJournal journal, GrantVerifier cloudKeys,
                   RemoteUnlocks unlocks, Clock clock) {
        this.gatewayId = gatewayId;
        this.grants = grants;
        this.journal = journal;
        this.cloudKeys = cloudKeys;
        this.unlocks = unlocks;
        this.clock = clock;
        this.rejections = new RejectionLog(LOG, clock);
    }

    /** @return unlock entries refused (not an order, or not this gateway's door) since start; the stream went on */
    long rejected() {
        return rejected.get();
    }

    /** @return what to say on connecting: where this gateway stands (0 asks for a snapshot) */
    StreamMessage.Ack hello() {
        return new StreamMessage.Ack(grants.durableSeq(), true, StreamMessage.Ack.FEATURES);
    }

    /**
     * @param signed what arrived on this gateway's grants topic
     * @return the ack to send
     * @throws IllegalArgumentException when it is not the cloud's, saying why; nothing was applied
     */
    StreamMessage.Ack onGrants(byte[] signed) {
        StreamMessage message = StreamMessage.decode(CloudSignature.open(cloudKeys, Topic.grants(gatewayId), signed,
                MAX_SIGNED));
        return switch (message) {
            case StreamMessage.Entries entries when !grants.started() -> {
                // Genuine but perhaps years old: a wiped gateway takes entries only after a fresh snapshot.
                LOG.log(Level.INFO, "Asked for a snapshot before taking stream entries from " + entries.entries().size()
                        + " entries on an empty store");
                yield new StreamMessage.Ack(0, true, StreamMessage.Ack.FEATURES);
            }
            case StreamMessage.Entries entries -> {
                boolean gap = false;
                List<StreamEntry> newUnlocks = new ArrayList<>();
                for (StreamEntry entry : entries.entries()) {
                    GrantStore.Applied applied = grants.apply(entry);
                    if (applied == GrantStore.Applied.GAP) {
                        gap = true;
                        break;
                    }
                    if (applied == GrantStore.Applied.APPLIED && entry.kind() == StreamEntry.Kind.UNLOCK) {
                        newUnlocks.add(entry);
                    }
                }
                StreamMessage.Ack ack = new StreamMessage.Ack(grants.sync(), gap, StreamMessage.Ack.FEATURES);
                newUnlocks.forEach(this::carryOut);
                yield ack;
            }
            case StreamMessage.Snapshot snapshot -> {
                Instant now = clock.instant();
                Instant made = Instant.ofEpochSecond(snapshot.issuedAt());
                if (made.isBefore(now.minus(SNAPSHOT_MAX_AGE))) {
                    throw new IllegalArgumentException("snapshot made at " + made + " is older than "
                            + SNAPSHOT_MAX_AGE.toMinutes() + " minutes");
                }
                if (made.isAfter(now.plus(CLOCK_SKEW))) {
                    throw new IllegalArgumentException("snapshot made at " + made + ", in this gateway's future");
                }
                if (grants.replaceWith(snapshot.seq(), snapshot.grants(), now)) {
                    LOG.log(Level.INFO, "Replaced grants with a snapshot of " + snapshot.grants().size() + " at "
                            + snapshot.seq());
                } else {
                    LOG.log(Level.INFO, "Ignored a snapshot at " + snapshot.seq() + ", older than " + grants.durableSeq());
                }
                yield new StreamMessage.Ack(grants.durableSeq(), false, StreamMessage.Ack.FEATURES);
            }
            case StreamMessage.Ack ignored -> throw new IllegalArgumentException("an ack on the grants topic");
        };
    }

    /** Hands a newly applied unlock entry to its door; a bad one is counted and logged, never thrown. */
    private void carryOut(StreamEntry entry) {
        byte[] body = entry.body();
        try {
            UnlockOrder order = UnlockOrder.decode(body);
            switch (unlocks.carryOut(order)) {
                case RELEASED -> LOG.log(Level.DEBUG, "Remote unlock " + order.orderId() + " released " + order.doorId()
                        + " until " + order.until());
                case EXPIRED -> LOG.log(Level.DEBUG, "Remote unlock " + order.orderId() + " for " + order.doorId()
                        + " arrived too late; not obeyed");
                case NOT_THIS_GATEWAYS_DOOR -> refuse(entry, body, "an unlock order for a door this gateway does not drive: "
                        + order.doorId());
            }
        } catch (IllegalArgumentException e) {
            refuse(entry, body, e.getMessage());
        } catch (RuntimeException e) {
            // A failing lock must not stop the stream either; the door's own events say what happened.
            LOG.log(Level.WARNING, "Remote unlock at stream entry " + entry.seq() + " failed: " + LogText.safe(String.valueOf(e.getMessage())));
        }
    }

    private void refuse(StreamEntry entry, byte[] body, String why) {
        rejected.incrementAndGet();
        rejections.rejected(Topic.grants(gatewayId).name(), body.length, "unlock entry " + entry.seq() + ": " + why);
    }

    /**
     * @param signed what arrived on this gateway's receipts topic
     * @return the event ids receipted
     * @throws IllegalArgumentException when it is not the cloud's
     */
    List<UUID> onReceipt(byte[] signed) {
        byte[] bytes = CloudSignature.open(cloudKeys, Topic.receipts(gatewayId), signed, MAX_SIGNED);
        if (!(EventMessage.decode(bytes) instanceof EventMessage.Receipt receipt)) {
            throw new IllegalArgumentException("expected a receipt");
        }
        journal.delivered(receipt.ids());
        return receipt.ids();
    }

    /**
     * @param signed what arrived on this gateway's certificate topic
     * @return the PEM text of the certificate, still to be checked against the key and the CA
     */
    String onCertificate(byte[] signed) {
        return new String(CloudSignature.open(cloudKeys, Topic.certificate(gatewayId), signed, 16 * 1024),
                java.nio.charset.StandardCharsets.US_ASCII);
    }
}
