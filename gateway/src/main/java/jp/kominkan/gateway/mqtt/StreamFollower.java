package jp.kominkan.gateway.mqtt;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.shared.event.EventMessage;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.stream.CloudSignature;
import jp.kominkan.shared.stream.StreamEntry;
import jp.kominkan.shared.stream.StreamMessage;
import jp.kominkan.shared.topic.Topic;

/**
 * The gateway's side of the grant stream and the event receipts, free of MQTT: checks that each
 * message was signed by the cloud for this gateway's topic (docs/grants.md, "Signed messages"),
 * applies it to the grant store and says what to acknowledge. Whoever else can publish on the
 * broker cannot make it apply, roll back, wipe or skip anything.
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
    private final Clock clock;

    StreamFollower(String gatewayId, GrantStore grants, EventJournal journal, GrantVerifier cloudKeys, Clock clock) {
        this.gatewayId = gatewayId;
        this.grants = grants;
        this.journal = journal;
        this.cloudKeys = cloudKeys;
        this.clock = clock;
    }

    /** @return what to say on connecting: where this gateway stands (0 asks for a snapshot) */
    StreamMessage.Ack hello() {
        return new StreamMessage.Ack(grants.durableSeq(), true);
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
                yield new StreamMessage.Ack(0, true);
            }
            case StreamMessage.Entries entries -> {
                boolean gap = false;
                for (StreamEntry entry : entries.entries()) {
                    if (grants.apply(entry) == GrantStore.Applied.GAP) {
                        gap = true;
                        break;
                    }
                }
                yield new StreamMessage.Ack(grants.sync(), gap);
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
                yield new StreamMessage.Ack(grants.durableSeq(), false);
            }
            case StreamMessage.Ack ignored -> throw new IllegalArgumentException("an ack on the grants topic");
        };
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
