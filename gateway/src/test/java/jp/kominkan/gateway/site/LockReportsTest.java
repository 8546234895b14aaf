package jp.kominkan.gateway.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.grant.GrantVerifier;
import org.junit.jupiter.api.Test;

/** A lock's reports become events only when something changed; bad reports change nothing. */
class LockReportsTest {

    @Test
    void onlyChangesBecomeEventsAndBadReportsAreRefused() throws Exception {
        var dir = Files.createTempDirectory("lock-reports");
        List<String> events = new ArrayList<>();
        try (GrantStore grants = GrantStore.open(dir.resolve("grants.log"), new GrantVerifier(Map.of()));
             EventJournal journal = EventJournal.open(dir)) {
            DoorAccess access = new DoorAccess(grants, Map.of(), new Lockout(), Clock.systemUTC());
            DoorController door = new DoorController("door-1", access, length -> { }, Duration.ofSeconds(1),
                    Duration.ofMinutes(1), journal, e -> events.add(e.type().wire() + e.reason().map(r -> ":" + r).orElse("")),
                    Clock.systemUTC());
            LockReports reports = new LockReports(Map.of("lock-1", door));
            reports.report("lock-1", json("{\"state\":\"locked\",\"battery\":90}"));
            reports.report("lock-1", json("{\"state\":\"locked\",\"battery\":89}"));
            reports.report("lock-1", json("{\"state\":\"locked\",\"battery\":15}"));
            reports.report("lock-1", json("{\"state\":\"locked\",\"battery\":14}"));
            reports.report("lock-1", json("{\"state\":\"jammed\",\"tamper\":true}"));
            reports.unreachable("lock-1");
            reports.unreachable("lock-1");
            reports.report("lock-1", json("{\"state\":\"locked\"}"));
            assertThat(events).containsExactly("lock-state:locked", "battery-low:battery=15", "lock-state:jammed",
                    "tamper:lock", "lock-offline", "lock-online", "lock-state:locked");
            for (String bad : List.of("", "[]", "{\"state\":1}", "{\"state\":\"open sesame\"}", "{\"state\":\"locked\",\"battery\":101}",
                    "{\"state\":\"locked\",\"battery\":\"x\"}", "{\"state\":\"locked\",\"battery\":1e99999999}",
                    "{\"state\":\"locked\",\"battery\":50.5}", "{\"state\":\"" + "x".repeat(300) + "\"}")) {
                org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                        assertThatThrownBy(() -> reports.report("lock-1", json(bad))).as(bad)
                                .isInstanceOf(IllegalArgumentException.class));
            }
            assertThatThrownBy(() -> reports.report("keypad-1", json("{\"state\":\"locked\"}")))
                    .as("not a lock").isInstanceOf(IllegalArgumentException.class);
            assertThat(events).hasSize(7);
            assertThat(journal.undelivered(100).stream().map(DoorEvent::type).toList()).hasSize(7);
            door.close();
        }
    }

    static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
