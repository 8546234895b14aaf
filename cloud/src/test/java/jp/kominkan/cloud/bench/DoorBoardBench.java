package jp.kominkan.cloud.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.event.DoorEvent;

/**
 * The measure for the door board: 500 doors, first paint under 200 ms of server time. Seeds 500 rooms with a
 * door each across the demo's three facilities and 10 gateways (heard from just now), gives every door a state (a few
 * events through the caretaking desk; one door in 50 forced open and one in 7 with a low battery, so about 80 alarms
 * are open) and a next booking to some rooms, then
 * times {@code GET /staff/doors} for the main administrator (who sees every door): the board's one query set alone
 * ({@code DoorBoard.doors}), and the whole page over HTTP on loopback, which is the server's time plus a few tenths
 * of a millisecond. Run by hand: {@code ./kominkan bench doors}.
 */
public final class DoorBoardBench {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final int DOORS = 500;
    private static final int GATEWAYS = 10;
    private static final int BOOKINGS = 100;
    private static final int WARM_UP = 200;
    private static final int RUNS = 500;

    private DoorBoardBench() {
    }

    /**
     * @param args none
     * @throws Exception when the bench cannot run
     */
    public static void main(String[] args) throws Exception {
        try (Cloud cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), Clock.systemUTC(), true)) {
            Municipality town = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
            List<Long> rooms = seed(cloud, town);
            int booked = book(cloud, rooms.subList(0, BOOKINGS));
            String token = new Api(cloud.port()).staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
            StaffMember admin = cloud.services().staff().authenticate(town, token).orElseThrow();
            int doors = cloud.services().caretaking().board().doors(town, admin).size();
            System.out.printf("workload: %d doors (%d seeded) on %d gateways in 3 facilities, %d next bookings; %d warm-up,"
                    + " %d runs%n", doors, DOORS, GATEWAYS, booked, WARM_UP, RUNS);

            for (int i = 0; i < WARM_UP; i++) {
                cloud.services().caretaking().board().doors(town, admin);
            }
            double[] board = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                cloud.services().caretaking().board().doors(town, admin);
                board[i] = (System.nanoTime() - start) / 1e6;
            }
            System.out.printf("%-44s %5d calls     p50 %6.2f ms  p99 %6.2f ms%n", "DoorBoard.doors (states, bookings)", RUNS,
                    percentile(board, 50), percentile(board, 99));

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + "/staff/doors"))
                    .header("Cookie", StaffAuthenticator.COOKIE + "=" + token).build();
            int bytes = 0;
            for (int i = 0; i < WARM_UP; i++) {
                bytes = client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
            }
            double[] http = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> res = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                http[i] = (System.nanoTime() - start) / 1e6;
                if (res.statusCode() != 200) {
                    throw new IllegalStateException("status " + res.statusCode());
                }
            }
            System.out.printf("%-44s %5d requests  p50 %6.2f ms  p99 %6.2f ms  (%d KiB of HTML; aim: < 200 ms)%n",
                    "GET /staff/doors over HTTP, sequential", RUNS, percentile(http, 50), percentile(http, 99),
                    bytes / 1024);
        }
    }

    /** 500 rooms with a door each, 10 gateways heard from now, and every door's state from a few events. */
    private static List<Long> seed(Cloud cloud, Municipality town) {
        List<Long> facilities = Sql.list(cloud.database().client().execute().query(
                "select id from facility where municipality_id = ? order by id", town.id()), r -> Sql.longValue(r, "id"));
        Instant now = Instant.now();
        List<Long> rooms = Sql.inTransaction(cloud.database().client(), tx -> {
            for (int g = 0; g < GATEWAYS; g++) {
                tx.insert("insert into gateway (id, municipality_id, facility_id, name, stream_head, last_ack, last_seen_at)"
                        + " values (?, ?, ?, ?, 0, 0, ?)", "bench-gw-" + g, town.id(), facilities.get(g % facilities.size()),
                        "ベンチ ゲートウェイ " + g, Sql.at(now));
            }
            List<Long> made = new java.util.ArrayList<>();
            for (int d = 0; d < DOORS; d++) {
                int g = d % GATEWAYS;
                long room = DemoData.room(tx, town.id(), facilities.get(g % facilities.size()), "ベンチ室 " + d, 10, 90, 500,
                        800, List.of(DayOfWeek.values()), 0, 24 * 60);
                tx.insert("insert into door (id, room_id, gateway_id, name) values (?, ?, ?, ?)", "bench-door-" + d, room,
                        "bench-gw-" + g, "ベンチ室 " + d + " 入口");
                made.add(room);
            }
            return made;
        });
        DoorEventRepository events = new DoorEventRepository(cloud.database().client());
        for (int d = 0; d < DOORS; d++) {
            String gateway = "bench-gw-" + (d % GATEWAYS);
            List<DoorEvent.Type> types = d % 50 == 0 ? List.of(DoorEvent.Type.FORCED_OPEN)
                    : d % 7 == 0 ? List.of(DoorEvent.Type.UNLOCKED, DoorEvent.Type.OPENED, DoorEvent.Type.CLOSED,
                    DoorEvent.Type.BATTERY_LOW)
                    : List.of(DoorEvent.Type.UNLOCKED, DoorEvent.Type.OPENED, DoorEvent.Type.CLOSED);
            for (int i = 0; i < types.size(); i++) {
                DoorEvent.Type type = types.get(i);
                DoorEvent event = new DoorEvent(UUID.randomUUID(), "bench-door-" + d, type, now.plusSeconds(i),
                        Optional.empty(), type == DoorEvent.Type.BATTERY_LOW ? Optional.of("battery=" + (d % 20))
                        : Optional.empty());
                events.storeOnce(event, gateway, Optional.empty(), now);
                cloud.services().caretaking().watch().stored(gateway, event, Optional.empty());
            }
        }
        return rooms;
    }

    /** A booking tomorrow in each of these rooms (the board's next booking). */
    private static int book(Cloud cloud, List<Long> rooms) {
        Api api = new Api(cloud.port());
        String token = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        ZonedDateTime start = ZonedDateTime.now(TOKYO).plusDays(1).truncatedTo(ChronoUnit.DAYS).withHour(10);
        int booked = 0;
        for (long room : rooms) {
            String body = "{\"roomId\":" + room + ",\"start\":\"" + start.toOffsetDateTime() + "\",\"end\":\""
                    + start.plusHours(1).toOffsetDateTime() + "\",\"purpose\":\"bench\",\"attendees\":1}";
            if (api.post("/api/v1/reservations", body).token(token).header("Idempotency-Key", UUID.randomUUID().toString())
                    .send().status() == 201) {
                booked++;
            }
        }
        return booked;
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
