package jp.kominkan.gateway.door;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jp.kominkan.gateway.access.AccessDecision;
import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Grants;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.grant.AccessGrant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A door pass at a door: granted releases the lock and journals the grant; denied journals the reason. */
class DoorControllerPassTest {

    private static final Instant NOW = Instant.parse("2026-12-01T01:00:00Z");
    private static final Duration PULSE = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    private GrantStore store;
    private EventJournal journal;
    private DoorController door;
    private final List<Duration> releases = new CopyOnWriteArrayList<>();
    private final List<DoorEvent> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void wire() {
        store = GrantStore.open(dir.resolve("grants.log"), Grants.VERIFIER);
        journal = EventJournal.open(dir);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        door = new DoorController(Grants.DOOR, new DoorAccess(store, Map.of(Grants.DOOR, Grants.DOOR_KEY), new Lockout(), clock),
                releases::add, PULSE, Duration.ofMinutes(1), journal, sent::add, clock);
    }

    @AfterEach
    void close() {
        door.close();
        journal.close();
        store.close();
    }

    @Test
    void aGrantedPassReleasesTheLockAndJournalsItsGrantNeverThePass() {
        AccessGrant grant = Grants.grant(Grants.DOOR, "16180339", NOW.minusSeconds(600), NOW.plusSeconds(3600));
        assertThat(door.passShown(Grants.pass(grant, "16180339", NOW))).isEqualTo(new AccessDecision.Granted(grant));
        assertThat(releases).containsExactly(PULSE);
        assertThat(sent).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DoorEvent.Type.UNLOCKED);
            assertThat(event.grantId()).contains(grant.grantId());
            assertThat(event.reason()).isEmpty();
            assertThat(event.doorId()).isEqualTo(Grants.DOOR);
        });
        assertThat(journal.undelivered(10)).containsExactlyElementsOf(sent);
        // Opening the door now is a release, not a forced entry.
        door.contactChanged(true);
        assertThat(sent.get(1).type()).isEqualTo(DoorEvent.Type.OPENED);
    }

    @Test
    void aDeniedPassKeepsTheDoorShutAndJournalsTheReason() {
        AccessGrant grant = Grants.grant(Grants.DOOR, "16180339", NOW.minusSeconds(600), NOW.plusSeconds(3600));
        AccessDecision stale = door.passShown(Grants.pass(grant, "16180339", NOW.minusSeconds(900)));
        AccessDecision junk = door.passShown("KMK1:not a pass");
        assertThat(stale).isEqualTo(new AccessDecision.Denied(AccessDecision.Reason.STALE_PASS));
        assertThat(junk).isEqualTo(new AccessDecision.Denied(AccessDecision.Reason.BAD_PASS));
        assertThat(releases).isEmpty();
        assertThat(sent).extracting(DoorEvent::type).containsExactly(DoorEvent.Type.DENIED, DoorEvent.Type.DENIED);
        assertThat(sent).extracting(DoorEvent::reason).containsExactly(Optional.of("stale-pass"), Optional.of("bad-pass"));
        assertThat(sent).allSatisfy(event -> assertThat(event.grantId()).isEmpty());
    }
}
