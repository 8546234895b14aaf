package jp.kominkan.gateway.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.gateway.door.Lock;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.shared.door.DoorState;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.grant.GrantVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A lock's reports become events only when something changed; bad reports change nothing. */
class LockReportsTest {

    Path dir;
    GrantStore grants;
    EventJournal journal;
    DoorController door;
    LockReports reports;
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void wire() throws Exception {
        dir = Files.createTempDirectory("lock-reports");
        grants = GrantStore.open(dir.resolve("grants.log"), new GrantVerifier(Map.of()));
        journal = EventJournal.open(dir);
        DoorAccess access = new DoorAccess(grants, Map.of(), new Lockout(), Clock.systemUTC());
        door = new DoorController("door-1", access, Lock.reportingItsState(length -> { }), Duration.ofSeconds(1),
                Duration.ofMinutes(1), journal, e -> events.add(e.type().wire() + e.reason().map(r -> ":" + r).orElse("")),
                Clock.systemUTC());
        reports = new LockReports(Map.of("lock-1", door));
    }

    @AfterEach
    void close() {
        door.close();
        journal.close();
        grants.close();
    }

    @Test
    void aLockedReportAfterAnUnlockTheLockNeverReportedSaysLockedAgain() {
        reports.report("lock-1", json("{\"state\":\"locked\"}"));
        // a remote unlock released it; the lock's own "unlocked" notification was coalesced away (RFC 7641)
        door.remoteUnlock(new jp.kominkan.shared.stream.UnlockOrder(java.util.UUID.randomUUID(), "door-1",
                java.time.Instant.now(), java.time.Instant.now().plusSeconds(60)));
        assertThat(door.state().lock().wire()).isEqualTo("unlocked");
        reports.report("lock-1", json("{\"state\":\"locked\"}"));
        assertThat(events).hasSize(3).startsWith("lock-state:locked").endsWith("lock-state:locked");
        assertThat(events.get(1)).startsWith("remote-unlocked:until=");
        assertThat(door.state().lock().wire()).as("the board must not keep it unlocked").isEqualTo("locked");
    }

    @Test
    void onlyChangesBecomeEventsAndBadReportsAreRefused() {
        reports.report("lock-1", json("{\"state\":\"locked\",\"battery\":90}"));
        reports.report("lock-1", json("{\"state\":\"locked\",\"battery\":89}"));
        reports.report("lock-1", json("{\"state\":\"locked\",\"battery\":15}"));
        reports.report("lock-1", json("{\"state\":\"locked\",\"battery\":14}"));
        reports.report("lock-1", json("{\"state\":\"jammed\",\"tamper\":true}"));
        reports.unreachable("lock-1");
        reports.unreachable("lock-1");
        reports.report("lock-1", json("{\"state\":\"locked\"}"));
        assertThat(events).containsExactly("lock-state:locked", "battery:battery=90", "battery:battery=15",
                "battery-low:battery=15", "lock-state:jammed", "tamper:lock", "lock-offline", "lock-online",
                "lock-state:locked", "tamper:cleared");
        for (String bad : List.of("", "[]", "{\"state\":1}", "{\"state\":\"open sesame\"}", "{\"state\":\"locked\",\"battery\":101}",
                "{\"state\":\"locked\",\"battery\":\"x\"}", "{\"state\":\"locked\",\"battery\":1e99999999}",
                "{\"state\":\"locked\",\"battery\":50.5}", "{\"state\":\"" + "x".repeat(300) + "\"}")) {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                    assertThatThrownBy(() -> reports.report("lock-1", json(bad))).as(bad)
                            .isInstanceOf(IllegalArgumentException.class));
        }
        assertThatThrownBy(() -> reports.report("keypad-1", json("{\"state\":\"locked\"}")))
                .as("not a lock").isInstanceOf(IllegalArgumentException.class);
        assertThat(events).hasSize(10);
        assertThat(journal.undelivered(100).stream().map(DoorEvent::type).toList()).hasSize(10);
    }

    @Test
    void theBatteryIsJournalledOnTheFirstReportAndWhenItMovedFivePointsFromTheLastJournalled() {
        for (int level : new int[] {77, 76, 74, 73, 72, 71, 78, 83, 84, 79}) {
            reports.report("lock-1", json("{\"state\":\"locked\",\"battery\":" + level + "}"));
        }
        // 77 first; 76, 74, 73 are within 5 of it; 72 is 5 below; 71 is within 5 of 72; 78 is 6 above it;
        // 83 is 5 above 78; 84 and 79 are within 5 of 83.
        assertThat(events).containsExactly("lock-state:locked", "battery:battery=77", "battery:battery=72",
                "battery:battery=78", "battery:battery=83");
        assertThat(door.state().battery()).as("the state holds the last level journalled").contains(83);
        reports.report("lock-1", json("{\"state\":\"locked\"}"));
        assertThat(events).as("a report without a level says nothing of the battery").hasSize(5);
    }

    @Test
    void aTamperThatStopsIsJournalledAsClearedOnce() {
        reports.report("lock-1", json("{\"state\":\"locked\",\"tamper\":true}"));
        assertThat(door.state().tamper()).isTrue();
        assertThat(door.state().status(true, java.time.Instant.now())).isEqualTo(DoorState.Status.TAMPER);
        reports.report("lock-1", json("{\"state\":\"locked\",\"tamper\":true}"));
        reports.report("lock-1", json("{\"state\":\"locked\",\"tamper\":false}"));
        reports.report("lock-1", json("{\"state\":\"locked\"}"));
        assertThat(events).containsExactly("lock-state:locked", "tamper:lock", "tamper:cleared");
        assertThat(door.state().tamper()).isFalse();
        assertThat(door.state().lock()).isEqualTo(DoorState.Lock.LOCKED);
        assertThat(door.state().status(true, java.time.Instant.now())).isEqualTo(DoorState.Status.LOCKED);
        assertThat(door.state().lastType()).contains(DoorEvent.Type.TAMPER);
        assertThat(journal.undelivered(10)).last().extracting(DoorEvent::reason).isEqualTo(Optional.of("cleared"));
    }

    static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
