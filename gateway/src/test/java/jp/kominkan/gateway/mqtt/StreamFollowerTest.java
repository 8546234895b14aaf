package jp.kominkan.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Grants;
import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.gateway.door.RemoteUnlocks;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.event.EventMessage;
import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.stream.CloudSignature;
import jp.kominkan.shared.stream.StreamEntry;
import jp.kominkan.shared.stream.StreamMessage;
import jp.kominkan.shared.stream.UnlockOrder;
import jp.kominkan.shared.topic.Topic;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attacks of the door-network issue against the gateway's stream, without a broker: whoever
 * can publish on this gateway's topics (a stolen credential, a compromised broker) but does not hold
 * the cloud's signing key cannot revoke, resurrect, wipe, skip or drop anything.
 */
class StreamFollowerTest {

    static final String GATEWAY = "999991-gw-ekimae";
    static final Instant NOW = Instant.parse("2026-12-01T01:00:00Z");
    static final GrantSigner STRANGER = stranger();

    Path dir;
    GrantStore store;
    EventJournal journal;
    StreamFollower follower;
    AccessGrant valid;
    DoorController door;
    final List<Duration> releases = new CopyOnWriteArrayList<>();
    final List<DoorEvent> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("follower");
        store = GrantStore.open(dir.resolve("grants.log"), Grants.VERIFIER);
        journal = EventJournal.open(dir);
        follower = follower(store, journal);
        valid = Grants.grant(Grants.DOOR, "12345678", NOW.minusSeconds(600), NOW.plusSeconds(3600));
        assertThat(follower.onGrants(signed(new StreamMessage.Snapshot(0, NOW.getEpochSecond(), List.of()).encode())))
                .isEqualTo(new StreamMessage.Ack(0, false, StreamMessage.Ack.FEATURES));
        assertThat(follower.onGrants(signed(entries(new StreamEntry(1, StreamEntry.Kind.ISSUE, Grants.signed(valid))))))
                .isEqualTo(new StreamMessage.Ack(1, false, StreamMessage.Ack.FEATURES));
    }

    @Test
    void aWipedGatewayTakesNoRecordedEntriesBeforeAFreshSnapshot() throws Exception {
        // Entries 1 and 2 as the cloud once signed them: an issue, then its revocation. Recorded by a
        // broker, played back without the revoke to a gateway that has lost its disk.
        byte[] recorded = signed(entries(new StreamEntry(1, StreamEntry.Kind.ISSUE, Grants.signed(valid))));
        Path wiped = Files.createTempDirectory("wiped");
        try (GrantStore empty = GrantStore.open(wiped.resolve("grants.log"), Grants.VERIFIER);
             EventJournal events = EventJournal.open(wiped)) {
            StreamFollower fresh = new StreamFollower(GATEWAY, empty, events, Grants.VERIFIER, RemoteUnlocks.none(),
                    Clock.fixed(NOW, ZoneOffset.UTC));
            assertThat(fresh.onGrants(recorded)).as("asks for a snapshot instead").isEqualTo(new StreamMessage.Ack(0, true, StreamMessage.Ack.FEATURES));
            assertThat(empty.size()).isZero();
            assertThat(empty.durableSeq()).isZero();
            fresh.onGrants(signed(new StreamMessage.Snapshot(2, NOW.getEpochSecond(), List.of()).encode()));
            assertThat(empty.durableSeq()).isEqualTo(2);
            assertThat(fresh.onGrants(recorded)).as("an old entry after the snapshot is a duplicate")
                    .isEqualTo(new StreamMessage.Ack(2, false, StreamMessage.Ack.FEATURES));
            assertThat(empty.size()).isZero();
        }
    }

    @AfterEach
    void close() {
        door.close();
        store.close();
        journal.close();
    }

    /** A follower for this gateway with one door, {@link Grants#DOOR}, whose lock only records what it is told. */
    private StreamFollower follower(GrantStore grants, EventJournal events) {
        if (door != null) {
            door.close();
        }
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        door = new DoorController(Grants.DOOR, new DoorAccess(grants, Map.of(Grants.DOOR, Grants.DOOR_KEY), new Lockout(),
                clock), releases::add, Duration.ofSeconds(5), Duration.ofMinutes(5), events, sent::add, clock);
        return new StreamFollower(GATEWAY, grants, events, Grants.VERIFIER, new RemoteUnlocks(Map.of(Grants.DOOR, door)),
                clock);
    }

    private static StreamEntry unlock(long seq, UUID order, String doorId, Instant issuedAt, Instant until) {
        return new StreamEntry(seq, StreamEntry.Kind.UNLOCK, new UnlockOrder(order, doorId, issuedAt, until).encode());
    }

    @Test
    void anUnlockEntryOpensItsDoorOnceNeverOnAResendNorWhenReadBackFromDisk() {
        UUID order = UUID.randomUUID();
        byte[] message = signed(entries(unlock(2, order, Grants.DOOR, NOW, NOW.plusSeconds(600))));
        assertThat(follower.onGrants(message)).isEqualTo(new StreamMessage.Ack(2, false, StreamMessage.Ack.FEATURES));
        assertThat(releases).as("one release, as long as a lock command may be").containsExactly(Duration.ofSeconds(60));
        assertThat(sent).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DoorEvent.Type.REMOTE_UNLOCKED);
            assertThat(event.grantId()).contains(order);
            assertThat(event.reason()).contains("until=" + NOW.plusSeconds(600).getEpochSecond());
        });
        assertThat(door.state().remoteUntil()).contains(NOW.plusSeconds(600));

        assertThat(follower.onGrants(message)).as("a resend").isEqualTo(new StreamMessage.Ack(2, false, StreamMessage.Ack.FEATURES));
        assertThat(releases).hasSize(1);

        store.close();
        store = GrantStore.open(dir.resolve("grants.log"), Grants.VERIFIER);
        follower = follower(store, journal);
        assertThat(store.durableSeq()).as("the entry read back advances the stream").isEqualTo(2);
        assertThat(follower.onGrants(message)).as("resent after the restart").isEqualTo(new StreamMessage.Ack(2, false, StreamMessage.Ack.FEATURES));
        AccessGrant later = Grants.grant(Grants.DOOR, "24681357", NOW.minusSeconds(600), NOW.plusSeconds(3600));
        assertThat(follower.onGrants(signed(entries(new StreamEntry(3, StreamEntry.Kind.ISSUE, Grants.signed(later))))))
                .isEqualTo(new StreamMessage.Ack(3, false, StreamMessage.Ack.FEATURES));
        assertThat(releases).as("nothing fired after reopening").hasSize(1);
        assertThat(sent).hasSize(1);
        assertThat(store.size()).as("an unlock is no grant").isEqualTo(2);
    }

    @Test
    void aLateUnlockIsJournalledAsExpiredAndOpensNothing() {
        UUID order = UUID.randomUUID();
        // Made two minutes ago (the gateway was offline): past the minute an order may wait, though its window is not over.
        assertThat(follower.onGrants(signed(entries(unlock(2, order, Grants.DOOR, NOW.minusSeconds(120),
                NOW.plusSeconds(600)))))).isEqualTo(new StreamMessage.Ack(2, false, StreamMessage.Ack.FEATURES));
        assertThat(releases).isEmpty();
        assertThat(sent).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DoorEvent.Type.DENIED);
            assertThat(event.reason()).contains("unlock-expired");
            assertThat(event.grantId()).contains(order);
        });
        assertThat(follower.rejected()).as("late is not malformed").isZero();
        assertThat(door.state().remoteUntil()).isEmpty();
    }

    @Test
    void anUnlockForAnotherGatewaysDoorIsCountedAndTheStreamGoesOn() {
        AccessGrant later = Grants.grant(Grants.DOOR, "24681357", NOW.minusSeconds(600), NOW.plusSeconds(3600));
        assertThat(follower.onGrants(signed(entries(unlock(2, UUID.randomUUID(), "999991-door-hall", NOW,
                NOW.plusSeconds(60)), new StreamEntry(3, StreamEntry.Kind.ISSUE, Grants.signed(later))))))
                .isEqualTo(new StreamMessage.Ack(3, false, StreamMessage.Ack.FEATURES));
        assertThat(follower.rejected()).isEqualTo(1);
        assertThat(releases).isEmpty();
        assertThat(sent).isEmpty();
        assertThat(store.find(Grants.DOOR, CodeVerifier.of(Grants.DOOR_KEY, Grants.DOOR, "24681357"))).hasSize(1);
    }

    @Test
    void aMalformedUnlockBodyIsCountedAndTheStreamGoesOn() {
        AccessGrant later = Grants.grant(Grants.DOOR, "24681357", NOW.minusSeconds(600), NOW.plusSeconds(3600));
        byte[] junk = "\u001b[31m not an order".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(follower.onGrants(signed(entries(new StreamEntry(2, StreamEntry.Kind.UNLOCK, junk),
                new StreamEntry(3, StreamEntry.Kind.UNLOCK, new byte[300]),
                new StreamEntry(4, StreamEntry.Kind.ISSUE, Grants.signed(later))))))
                .isEqualTo(new StreamMessage.Ack(4, false, StreamMessage.Ack.FEATURES));
        assertThat(follower.rejected()).isEqualTo(2);
        assertThat(releases).isEmpty();
        assertThat(sent).isEmpty();
        assertThat(store.find(Grants.DOOR, CodeVerifier.of(Grants.DOOR_KEY, Grants.DOOR, "24681357"))).hasSize(1);
    }

    @Test
    void anUnsignedRevokeCannotLockOutAValidBooking() {
        byte[] forged = entries(new StreamEntry(2, StreamEntry.Kind.REVOKE, Grants.id(valid.grantId())));
        assertThatThrownBy(() -> follower.onGrants(forged)).hasMessageContaining("not signed by the cloud");
        assertThatThrownBy(() -> follower.onGrants(CloudSignature.sign(STRANGER, Topic.grants(GATEWAY), forged)))
                .hasMessageContaining("not signed by the cloud");
        assertThat(store.isRevoked(valid.grantId())).isFalse();
        assertThat(store.durableSeq()).isEqualTo(1);
        assertThat(store.find(Grants.DOOR, CodeVerifier.of(Grants.DOOR_KEY, Grants.DOOR, "12345678"))).hasSize(1);
    }

    @Test
    void anEntrySignedForAnotherGatewayIsNotAppliedHere() {
        AccessGrant other = Grants.grant(Grants.DOOR, "87654321", NOW.minusSeconds(600), NOW.plusSeconds(3600));
        byte[] forB = CloudSignature.sign(Grants.SIGNER, Topic.grants("999991-gw-hall"),
                entries(new StreamEntry(2, StreamEntry.Kind.ISSUE, Grants.signed(other))));
        assertThatThrownBy(() -> follower.onGrants(forB)).hasMessageContaining("bad_signature");
        byte[] asReceipt = CloudSignature.sign(Grants.SIGNER, Topic.receipts(GATEWAY),
                entries(new StreamEntry(2, StreamEntry.Kind.ISSUE, Grants.signed(other))));
        assertThatThrownBy(() -> follower.onGrants(asReceipt)).hasMessageContaining("bad_signature");
        assertThat(store.durableSeq()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aForgedSnapshotCannotWipeTheGatewayOrMoveItsStream() {
        byte[] wipe = new StreamMessage.Snapshot(1L << 53, NOW.getEpochSecond(), List.of()).encode();
        assertThatThrownBy(() -> follower.onGrants(wipe)).hasMessageContaining("not signed");
        assertThatThrownBy(() -> follower.onGrants(CloudSignature.sign(STRANGER, Topic.grants(GATEWAY), wipe)))
                .hasMessageContaining("not signed");
        assertThat(store.durableSeq()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aReplayedSnapshotCannotBringARevokedGrantBack() {
        // A genuine snapshot at 1 holding the grant, captured; then the booking is cancelled.
        byte[] captured = signed(new StreamMessage.Snapshot(1, NOW.getEpochSecond(), List.of(Grants.signed(valid))).encode());
        follower.onGrants(signed(entries(new StreamEntry(2, StreamEntry.Kind.REVOKE, Grants.id(valid.grantId())))));
        assertThat(store.isRevoked(valid.grantId())).isTrue();
        assertThat(follower.onGrants(captured)).isEqualTo(new StreamMessage.Ack(2, false, StreamMessage.Ack.FEATURES));
        assertThat(store.isRevoked(valid.grantId())).isTrue();
        // Even a genuine snapshot at or past the head that holds it again (a confused instance) cannot.
        follower.onGrants(signed(new StreamMessage.Snapshot(5, NOW.getEpochSecond(), List.of(Grants.signed(valid))).encode()));
        assertThat(store.durableSeq()).isEqualTo(5);
        assertThat(store.isRevoked(valid.grantId())).as("revocation survives the snapshot").isTrue();
        store.close();
        store = GrantStore.open(dir.resolve("grants.log"), Grants.VERIFIER);
        assertThat(store.isRevoked(valid.grantId())).as("and a restart").isTrue();
    }

    @Test
    void anOldSnapshotIsRefusedEvenWhenGenuine() {
        byte[] old = signed(new StreamMessage.Snapshot(9, NOW.minus(Duration.ofHours(1)).getEpochSecond(), List.of()).encode());
        assertThatThrownBy(() -> follower.onGrants(old)).hasMessageContaining("older than 15 minutes");
        byte[] ahead = signed(new StreamMessage.Snapshot(9, NOW.plus(Duration.ofHours(1)).getEpochSecond(), List.of()).encode());
        assertThatThrownBy(() -> follower.onGrants(ahead)).hasMessageContaining("future");
        assertThat(store.durableSeq()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aForgedReceiptCannotDropEventsTheCloudHasNotStored() {
        DoorEvent event = new DoorEvent(java.util.UUID.randomUUID(), Grants.DOOR, DoorEvent.Type.DENIED, NOW,
                Optional.empty(), Optional.of("unknown-code"));
        journal.append(event);
        byte[] receipt = new EventMessage.Receipt(List.of(event.id())).encode();
        assertThatThrownBy(() -> follower.onReceipt(receipt)).hasMessageContaining("not signed");
        assertThatThrownBy(() -> follower.onReceipt(CloudSignature.sign(STRANGER, Topic.receipts(GATEWAY), receipt)))
                .hasMessageContaining("not signed");
        assertThat(journal.undeliveredCount()).isEqualTo(1);
        assertThat(follower.onReceipt(CloudSignature.sign(Grants.SIGNER, Topic.receipts(GATEWAY), receipt)))
                .containsExactly(event.id());
        assertThat(journal.undeliveredCount()).isZero();
    }

    @Test
    void garbageIsRefusedAndNothingChanges() {
        assertThatThrownBy(() -> follower.onGrants("\u00ff\u00fe garbage".getBytes())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> follower.onGrants(new byte[StreamMessage.MAX_BYTES + 4096]))
                .hasMessageContaining("larger");
        assertThatThrownBy(() -> follower.onGrants(signed(new StreamMessage.Ack(7, true).encode())))
                .hasMessageContaining("an ack on the grants topic");
        assertThat(store.durableSeq()).isEqualTo(1);
    }

    private static byte[] entries(StreamEntry... entries) {
        return new StreamMessage.Entries(List.of(entries)).encode();
    }

    private static byte[] signed(byte[] message) {
        return CloudSignature.sign(Grants.SIGNER, Topic.grants(GATEWAY), message);
    }

    private static GrantSigner stranger() {
        // An attacker's own key, even one that claims the cloud's key id.
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        return new GrantSigner(key, Grants.KEY_ID);
    }
}
