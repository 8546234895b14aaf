package jp.kominkan.cloud.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;

/**
 * How long the availability page of one room-week takes: the server's own time (availability query,
 * grid and template) measured around the render, and the whole request over HTTP. The room is the
 * demo's 24-hour study room (7 × 96 cells), with a booking every few hours so the grid is mixed.
 * Run by hand: {@code ./kominkan bench pages}.
 */
public final class PageBench {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final int WARM_UP = 500;
    private static final int RUNS = 2000;

    private PageBench() {
    }

    /**
     * @param args none
     * @throws Exception when the bench cannot run
     */
    public static void main(String[] args) throws Exception {
        try (Cloud cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), Clock.systemUTC(), true)) {
            Municipality town = cloud.services().municipalities().byCode(DemoData.CODE).orElseThrow();
            long room = cloud.database().client().execute()
                    .get("select r.id from room r where r.municipality_id = ? and r.name like '%24%'", town.id())
                    .map(r -> ((Number) r.column("id").get()).longValue()).orElseThrow();
            LocalDate week = LocalDate.now(TOKYO).plusDays(1);
            int booked = bookEveryFewHours(cloud, room, week);
            Page page = new Page(Lang.JA, "x".repeat(43), Optional.of("山吹 花子"), town.name(), "/rooms/" + room,
                    Map.of(), Map.of());
            System.out.printf("workload: room %d, week from %s, 7 days x 96 slots, %d bookings in it; %d warm-up, %d runs%n",
                    room, week, booked, WARM_UP, RUNS);
            int bytes = 0;
            for (int i = 0; i < WARM_UP; i++) {
                bytes = cloud.services().pages().renderRoomWeek(town, room, week, page).length();
            }
            double[] server = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                cloud.services().pages().renderRoomWeek(town, room, week, page);
                server[i] = (System.nanoTime() - start) / 1e6;
            }
            System.out.printf("%-40s %6d renders   p50 %6.2f ms  p99 %6.2f ms  (%d KiB of HTML)%n",
                    "room-week page, server time", RUNS, percentile(server, 50), percentile(server, 99), bytes / 1024);
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + cloud.port() + "/rooms/" + room + "?week=" + week);
            for (int i = 0; i < WARM_UP; i++) {
                client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            double[] http = new double[RUNS];
            long all = System.nanoTime();
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> res = client.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (res.statusCode() != 200) {
                    throw new IllegalStateException("status " + res.statusCode());
                }
                http[i] = (System.nanoTime() - start) / 1e6;
            }
            double seconds = (System.nanoTime() - all) / 1e9;
            System.out.printf("%-40s %6d requests  %6.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n",
                    "room-week page over HTTP, sequential", RUNS, RUNS / seconds, percentile(http, 50),
                    percentile(http, 99));
        }
    }

    private static int bookEveryFewHours(Cloud cloud, long room, LocalDate week) {
        Api api = new Api(cloud.port());
        String token = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        int booked = 0;
        for (int day = 0; day < 7; day++) {
            for (int hour = 1; hour < 23; hour += 3) {
                LocalDate date = week.plusDays(day);
                String body = "{\"roomId\":" + room + ",\"start\":\"" + date + "T%02d:00:00+09:00\",\"end\":\"".formatted(hour)
                        + date + "T%02d:30:00+09:00\",\"purpose\":\"bench\",\"attendees\":1}".formatted(hour);
                if (api.post("/api/v1/reservations", body).token(token)
                        .header("Idempotency-Key", UUID.randomUUID().toString()).send().status() == 201) {
                    booked++;
                }
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
