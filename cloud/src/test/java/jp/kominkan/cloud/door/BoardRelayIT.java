package jp.kominkan.cloud.door;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.cloud.support.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two cloud instances on one PostgreSQL (docs/deploy.md): a door board change made on one reaches the live
 * boards of the other, once, in scope only; forged notifications are dropped; a broken listening
 * connection comes back and the boards that may have missed something are made to reload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoardRelayIT {

    static final String STUDY = DemoData.CODE + "-door-study";

    Cloud first;
    Cloud second;
    long town;
    long otherTown;
    long library;

    @BeforeAll
    void start() throws Exception {
        TestDatabases.Jdbc jdbc = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL);
        first = TestCloud.start(jdbc, Clock.systemUTC(), true);
        second = TestCloud.start(jdbc, Clock.systemUTC(), false);
        town = first.services().municipalities().byCode(DemoData.CODE).orElseThrow().id();
        otherTown = first.services().municipalities().byCode(TestCloud.OTHER_CODE).orElseThrow().id();
        library = first.database().client().execute()
                .get("select r.facility_id from door d join room r on r.id = d.room_id where d.id = ?", STUDY)
                .map(row -> Sql.longValue(row, "facility_id")).orElseThrow();
        Waits.until("both relays listening", Duration.ofSeconds(30),
                () -> relay(first).listening() && relay(second).listening());
    }

    @AfterAll
    void stop() {
        second.close();
        first.close();
    }

    @Test
    void aChangeOnOneInstanceReachesTheOthersLiveBoardAsServerSentEvents() throws Exception {
        String staff = new Api(second.port()).staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> stream = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + second.port() + "/api/v1/staff/doors/stream"))
                .header("Authorization", "Bearer " + staff).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).startsWith("retry:");   // the stream is open: its watcher is in place
            CompletableFuture<String> event = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.equals("event: door")) {
                            return lines.readLine();
                        }
                    }
                    return "ended";
                } catch (java.io.IOException e) {
                    return "failed: " + e.getMessage();
                }
            });
            // What DoorWatch does when the first instance stores a gateway's event for the study room's door.
            first.services().caretaking().feed().publish(new DoorFeed.Change(town, library, "door", STUDY));
            assertThat(event.get(20, TimeUnit.SECONDS)).startsWith("data: {").contains("\"" + STUDY + "\"");
        }
    }

    @Test
    void eachWatcherGetsAChangeOnceAndOnlyInItsScope() throws Exception {
        try (DoorFeed.Watcher here = first.services().caretaking().feed().watch(town, UUID.randomUUID(), Optional.empty())
                .orElseThrow();
             DoorFeed.Watcher there = second.services().caretaking().feed().watch(town, UUID.randomUUID(), Optional.empty())
                     .orElseThrow();
             DoorFeed.Watcher otherFacility = second.services().caretaking().feed()
                     .watch(town, UUID.randomUUID(), Optional.of(java.util.Set.of(library + 1000))).orElseThrow();
             DoorFeed.Watcher otherTownsBoard = second.services().caretaking().feed()
                     .watch(otherTown, UUID.randomUUID(), Optional.empty()).orElseThrow()) {
            DoorFeed.Change change = new DoorFeed.Change(town, library, "alarm", UUID.randomUUID().toString());
            first.services().caretaking().feed().publish(change);
            assertThat(there.next(Duration.ofSeconds(20))).contains(change);
            assertThat(here.next(Duration.ofSeconds(1))).contains(change);
            // A marker after it: once it has arrived, nothing else can still be on its way before it.
            DoorFeed.Change marker = new DoorFeed.Change(town, library, "gateway", DemoData.CODE + "-gw-ekimae");
            first.services().caretaking().feed().publish(marker);
            assertThat(here.next(Duration.ofSeconds(20))).as("its own instance's change, not also echoed back")
                    .contains(marker);
            assertThat(there.next(Duration.ofSeconds(20))).contains(marker);
            DoorFeed.Change otherMarker = new DoorFeed.Change(otherTown, library + 1000, "gateway", "999992-gw-chuo");
            first.services().caretaking().feed().publish(otherMarker);
            assertThat(otherTownsBoard.next(Duration.ofSeconds(20))).as("only the other town's own").contains(otherMarker);
            assertThat(otherFacility.next(Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void aForgedNotificationIsDroppedAndCounted() throws Exception {
        long rejectedBefore = relay(second).rejected();
        try (DoorFeed.Watcher there = second.services().caretaking().feed().watch(town, UUID.randomUUID(), Optional.empty())
                .orElseThrow()) {
            String[] forged = {"garbage", "x|" + town + "|" + library + "|door|" + STUDY + "|extra",
                    "x|" + town + "|" + library + "|shutdown|" + STUDY, "x|" + town + "|" + library + "|door|a b\nc",
                    "x|one|" + library + "|door|" + STUDY, "x|" + town + "|" + library + "|door|" + "d".repeat(65)};
            for (String payload : forged) {
                first.database().client().execute().get("select pg_notify(?, ?) as sent", BoardRelay.CHANNEL, payload);
            }
            Waits.until("six dropped", Duration.ofSeconds(30),
                    () -> relay(second).rejected() == rejectedBefore + forged.length);
            DoorFeed.Change marker = new DoorFeed.Change(town, library, "gateway", DemoData.CODE + "-gw-chuo");
            first.services().caretaking().feed().publish(marker);
            assertThat(there.next(Duration.ofSeconds(20))).as("nothing before the marker").contains(marker);
        }
    }

    @Test
    void aBrokenListeningConnectionComesBackAndItsBoardsReload() throws Exception {
        long reconnectsBefore = relay(second).reconnects();
        try (DoorFeed.Watcher before = second.services().caretaking().feed().watch(town, UUID.randomUUID(), Optional.empty())
                .orElseThrow()) {
            // As a failover does to every connection: the listeners' backends end.
            first.database().client().execute().get("select count(pg_terminate_backend(pid)) as n from pg_stat_activity"
                    + " where application_name = ?", BoardRelay.APPLICATION);
            Waits.until("the second instance listening again", Duration.ofSeconds(30),
                    () -> relay(second).reconnects() > reconnectsBefore
                    && relay(second).listening());
            assertThat(before.overrun()).as("a board that may have missed changes is made to reload").isTrue();
            Waits.until("the first instance listening again", Duration.ofSeconds(30), () -> relay(first).listening());
        }
        try (DoorFeed.Watcher after = second.services().caretaking().feed().watch(town, UUID.randomUUID(), Optional.empty())
                .orElseThrow()) {
            DoorFeed.Change change = new DoorFeed.Change(town, library, "door", STUDY);
            first.services().caretaking().feed().publish(change);
            assertThat(after.next(Duration.ofSeconds(20))).contains(change);
        }
    }

    static BoardRelay relay(Cloud cloud) {
        return cloud.boardRelay().orElseThrow();
    }
}

