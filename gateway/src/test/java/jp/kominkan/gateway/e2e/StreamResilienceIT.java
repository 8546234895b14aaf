package jp.kominkan.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.Gateway;
import jp.kominkan.gateway.support.DoorNetwork;
import jp.kominkan.gateway.support.LedgerCheck;
import jp.kominkan.gateway.support.Mosquitto;
import jp.kominkan.gateway.support.Waits;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.slot.Slots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream and the journal when things fail: a gateway offline during many changes, a broker
 * and a cloud restarted in the middle of a stream, a wiped gateway, and 10,000 events written
 * while the cloud is down. Each test gets its own broker, database, cloud and gateway.
 */
class StreamResilienceIT {

    static final String GATEWAY = DemoData.CODE + "-gw-ekimae";
    static final String DOOR = DemoData.CODE + "-door-study";
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    DoorNetwork network;
    Mosquitto broker;
    Cloud cloud;
    SiteProfile.Tls tls;
    Api api;
    String resident;
    Path storage;
    Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        network = DoorNetwork.start(Map.of());
        broker = network.broker();
        cloud = network.cloud();
        api = network.api();
        resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        storage = Files.createTempDirectory("kominkan-gateway");
        tls = network.enroll(GATEWAY, Files.createTempDirectory("kominkan-enrolled"));
        gateway = startGateway();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cloud != null) {
            cloud.close();
        }
        broker.close();
    }

    /** Another cloud instance on the same database (the one before was closed). */
    Cloud startCloud(boolean seed) {
        Cloud started = network.startCloud(seed);
        api = new Api(started.port());
        return started;
    }

    Gateway startGateway() {
        byte[] key = cloud.services().keys().doorKey(DOOR);
        SiteProfile profile = network.profile(GATEWAY, tls, storage, List.of(
                new SiteProfile.Door(DOOR, "自習室 入口", key, new SiteProfile.Lock.GpioRelay(17, Duration.ofMillis(500)),
                        Optional.empty(), new SiteProfile.Keypad.Wiegand(5, 6))));
        Gateway started = Gateway.start(profile, Gateway.mockPlatform(), Clock.systemUTC());
        Waits.until("gateway connected", Duration.ofSeconds(15), started.link()::isConnected);
        return started;
    }

    long head() {
        return cloud.database().client().execute().get("select stream_head from gateway where id = ?", GATEWAY)
                .map(row -> Sql.longValue(row, "stream_head")).orElseThrow();
    }

    /** Books {@code count} quarter hours of the study room, then cancels every other one: 1.5 × count entries. */
    List<String> churn(int count, int dayOffset) throws Exception {
        return churn(api, count, dayOffset);
    }

    /** {@link #churn(int, int)} through the given instance's API. */
    List<String> churn(Api api, int count, int dayOffset) throws Exception {
        long room = cloud.database().client().execute().get("select room_id from door where id = ?", DOOR)
                .map(row -> Sql.longValue(row, "room_id")).orElseThrow();
        Instant origin = Slots.ceil(Instant.now()).plus(Duration.ofDays(dayOffset));
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        List<String> ids = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Instant start = origin.plus(Slots.LENGTH.multipliedBy(i));
                String body = "{\"roomId\":" + room + ",\"start\":\"" + iso.format(ZonedDateTime.ofInstant(start, TOKYO))
                        + "\",\"end\":\"" + iso.format(ZonedDateTime.ofInstant(start.plus(Slots.LENGTH), TOKYO))
                        + "\",\"purpose\":\"t\",\"attendees\":1}";
                futures.add(pool.submit(() -> {
                    Api.Response r = api.post("/api/v1/reservations", body).token(resident)
                            .header("Idempotency-Key", UUID.randomUUID().toString()).send();
                    assertThat(r.status()).as(r.body()).isEqualTo(201);
                    return r.json().get("id").asText();
                }));
            }
            for (Future<String> f : futures) {
                ids.add(f.get());
            }
        }
        for (int i = 0; i < ids.size(); i += 2) {
            assertThat(api.post("/api/v1/reservations/" + ids.get(i) + "/cancel", null).token(resident).send().status())
                    .isEqualTo(200);
        }
        return ids;
    }

    void assertLedgerAppliesEachEntryOnce(long target) throws Exception {
        LedgerCheck.assertEachEntryOnce(storage, target);
    }

    int copyAndCountLedger() throws Exception {
        return LedgerCheck.records(storage);
    }

    @Test
    void aGatewayOfflineDuringAThousandChangesResumesFromItsLastAck() throws Exception {
        churn(20, 1);
        Waits.until("first changes applied", Duration.ofSeconds(15), () -> gateway.grants().durableSeq() == head());
        long before = gateway.grants().durableSeq();
        gateway.close();
        gateway = null;
        // (A new gateway may have started from a snapshot, so count the ledger from here.)
        int recordsBefore = copyAndCountLedger();

        churn(668, 2);   // 668 issues + 334 revokes = 1,002 changes while the gateway is away
        long target = head();
        assertThat(target - before).isGreaterThanOrEqualTo(1000);

        // What the gateway will find on its disk when it starts again: its last ack.
        Files.copy(storage.resolve("grants.log"), storage.resolve("grants.log.peek"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var onDisk = jp.kominkan.gateway.access.GrantStore.open(storage.resolve("grants.log.peek"),
                new jp.kominkan.shared.grant.GrantVerifier(java.util.Map.of()))) {
            assertThat(onDisk.durableSeq()).isEqualTo(before);
        }
        gateway = startGateway();
        Waits.until("caught up", Duration.ofSeconds(30), () -> gateway.grants().durableSeq() == target);
        // Resumed, not replaced: every entry since the last ack applied once, in order, no snapshot.
        assertThat(copyAndCountLedger() - recordsBefore).isEqualTo((int) (target - before));
        assertThat(gateway.grants().size()).isEqualTo(20 + 668);
        Waits.until("cloud saw the ack", Duration.ofSeconds(10), () -> cloud.database().client().execute()
                .get("select last_ack from gateway where id = ?", GATEWAY).map(r -> Sql.longValue(r, "last_ack"))
                .orElseThrow() == target);
    }

    @Test
    void brokerAndCloudRestartsMidStreamLoseNothingAndApplyNothingTwice() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<List<String>> changes = background.submit(() -> churn(400, 1));
        Waits.until("stream under way", Duration.ofSeconds(30), () -> gateway.grants().durableSeq() > 20);
        broker.kill();
        broker.restart();
        Waits.until("stream goes on after the broker restart", Duration.ofSeconds(30),
                () -> gateway.grants().durableSeq() > 60);
        changes.get();
        background.shutdown();
        cloud.close();
        // The gateway is on the broker while the cloud is down (Paho may still be finishing its reconnect after the
        // broker's restart, so this waits for the state rather than reading it once).
        Waits.until("the gateway on the broker while the cloud is down", Duration.ofSeconds(15),
                () -> gateway.link().isConnected());
        cloud = startCloud(false);
        long target = head();
        Waits.until("caught up after both restarts", Duration.ofSeconds(30), () -> gateway.grants().durableSeq() == target);
        assertLedgerAppliesEachEntryOnce(target);
        assertThat(gateway.grants().size()).isEqualTo(400);
    }

    @Test
    void twoCloudInstancesPublishingTheStreamHaveEachEntryAppliedOnceInOrder() throws Exception {
        // Several instances behind the balancer (docs/deploy.md): both follow the gateway's acks and publish from
        // them; bookings arrive at either. The gateway applies each entry once, in order, whoever sent it.
        Cloud second = network.startCloud(false);
        try {
            Api other = new Api(second.port());
            ExecutorService background = Executors.newSingleThreadExecutor();
            Future<List<String>> onFirst = background.submit(() -> churn(api, 120, 1));
            List<String> onSecond = churn(other, 120, 3);   // 120 quarter hours span 30 h: other days
            assertThat(onFirst.get()).hasSize(120);
            assertThat(onSecond).hasSize(120);
            background.shutdown();
            long target = head();
            assertThat(target).isGreaterThanOrEqualTo(360);
            Waits.until("applied from both instances", Duration.ofSeconds(30),
                    () -> gateway.grants().durableSeq() == target);
            assertLedgerAppliesEachEntryOnce(target);
            assertThat(gateway.grants().size()).isEqualTo(240);   // as above: each issued grant, the revoked ones marked
            // A door event is handled with two instances on the broker: stored (once: its id is the key either way)
            // and its receipt back at the gateway.
            long events = doorEvents();
            gateway.door(DOOR).report(DoorEvent.Type.TAMPER, Optional.of("two-instances"));
            Waits.until("the event stored", Duration.ofSeconds(15), () -> doorEvents() == events + 1);
            Waits.until("its receipt back at the gateway", Duration.ofSeconds(15),
                    () -> gateway.journal().undeliveredCount() == 0);
            assertThat(doorEvents()).isEqualTo(events + 1);
        } finally {
            second.close();
        }
    }

    long doorEvents() {
        return cloud.database().client().execute().get("select count(*) as n from door_event where gateway_id = ?",
                GATEWAY).map(row -> Sql.longValue(row, "n")).orElseThrow();
    }

    @Test
    void aWipedGatewayGetsASnapshotOfTheLiveGrants() throws Exception {
        List<String> ids = churn(30, 1);
        long target = head();
        Waits.until("applied", Duration.ofSeconds(15), () -> gateway.grants().durableSeq() == target);
        gateway.close();
        gateway = null;
        try (var files = Files.list(storage)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        gateway = startGateway();
        Waits.until("snapshot applied", Duration.ofSeconds(15), () -> gateway.grants().durableSeq() == target);
        // 15 bookings were cancelled: only the 15 live grants come back.
        assertThat(gateway.grants().size()).isEqualTo(ids.size() / 2);
        assertThat(copyAndCountLedger()).isEqualTo(1 + ids.size() / 2);
    }

    @Test
    void tenThousandEventsWhileTheCloudIsDownArriveExactlyOnce() {
        cloud.close();
        cloud = null;
        var door = gateway.door(DOOR);
        // A gateway started a moment ago may still hold its own start event (relocked) for the cloud.
        int before = gateway.journal().undeliveredCount();
        for (int i = 0; i < 10_000; i++) {
            door.report(DoorEvent.Type.TAMPER, Optional.of("test-" + i));
        }
        assertThat(gateway.journal().undeliveredCount()).isEqualTo(before + 10_000);
        cloud = startCloud(false);
        Waits.until("all receipted", Duration.ofSeconds(120), () -> gateway.journal().undeliveredCount() == 0);
        long stored = cloud.database().client().execute().get(
                "select count(*) as n, count(distinct reason) as r from door_event where door_id = ? and event_type = 'tamper'", DOOR)
                .map(row -> Sql.longValue(row, "n") * 100_000 + Sql.longValue(row, "r")).orElseThrow();
        assertThat(stored).isEqualTo(10_000L * 100_000 + 10_000);
    }
}
