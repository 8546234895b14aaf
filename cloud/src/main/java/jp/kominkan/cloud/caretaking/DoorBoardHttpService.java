package jp.kominkan.cloud.caretaking;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.alarm.Alarms;
import jp.kominkan.cloud.door.DoorFeed;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/doors} (every door in scope with its state; one door; a remote unlock; the
 * board's live feed as server-sent events) and {@code /api/v1/staff/alarms} (open and recent alarms;
 * acknowledging one). Caretaker or above, within their facilities; another facility's door or
 * alarm is 404, as if it were not there.
 *
 * <p>The live feed is {@code text/event-stream} written on the response's output stream (Helidon's
 * SSE module is not available here): {@code event: door} with the door's JSON, {@code event: alarm}
 * with the alarm's, {@code event: gateway} with the gateway's id when it went quiet or came back; a
 * comment every 15 s keeps proxies from closing it. The session is checked again every minute; a stream
 * ends after 10 minutes (the browser reconnects), and one whose reader falls behind is cut off. At most
 * {@link DoorFeed#MAX_PER_VIEWER} streams per member and {@link DoorFeed#MAX_WATCHERS} per instance (429).
 */
public final class DoorBoardHttpService implements HttpService {

    private static final Duration RECHECK = Duration.ofMinutes(1);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final DoorBoard board;
    private final Alarms alarms;
    private final RemoteUnlocks unlocks;
    private final DoorFeed feed;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;
    private final Clock clock;

    /**
     * @param board         the board
     * @param alarms        alarms
     * @param unlocks       remote unlocks
     * @param feed          the live feed
     * @param authenticator finds the member of staff
     * @param tenancy       finds the municipality
     * @param clock         the clock
     */
    public DoorBoardHttpService(DoorBoard board, Alarms alarms, RemoteUnlocks unlocks, DoorFeed feed,
                                StaffAuthenticator authenticator, Tenancy tenancy, Clock clock) {
        this.board = board;
        this.alarms = alarms;
        this.unlocks = unlocks;
        this.feed = feed;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/doors", this::doors)
                .get("/doors/stream", this::stream)
                .get("/doors/{doorId}", this::door)
                .post("/doors/{doorId}/unlock", this::unlock)
                .get("/alarms", this::alarms)
                .post("/alarms/{id}/acknowledge", this::acknowledge);
    }

    private void doors(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember staff = authenticator.require(req, town, Permission.VIEW_DOORS);
        List<CaretakingViews.DoorView> doors = board.doors(town, staff).stream()
                .map(d -> CaretakingViews.DoorView.of(d, town.zone())).toList();
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.OK_200, Map.of("doors", doors, "at", jp.kominkan.cloud.web.IsoTimes.format(clock.instant(),
                town.zone())));
    }

    private void door(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember staff = authenticator.require(req, town, Permission.VIEW_DOORS);
        CaretakingViews.DoorView door = board.door(town, staff, req.path().pathParameters().get("doorId"))
                .map(d -> CaretakingViews.DoorView.of(d, town.zone()))
                .orElseThrow(() -> Problem.notFound("door", "扉"));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.OK_200, door);
    }

    private void unlock(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember staff = authenticator.require(req, town, Permission.VIEW_DOORS);
        UnlockBody body = Json.readDeclared(req, UnlockBody.class);
        RemoteUnlocks.Unlock unlock = unlocks.unlock(town, staff, Actor.of(staff, req),
                req.path().pathParameters().get("doorId"), body.reason(), body.minutes());
        Json.send(res, Status.ACCEPTED_202, new CaretakingViews.UnlockView(unlock.id().toString(), unlock.doorId(),
                jp.kominkan.cloud.web.IsoTimes.format(unlock.until(), town.zone()), unlock.reason(), unlock.streamSeq()));
    }

    private void alarms(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember staff = authenticator.require(req, town, Permission.VIEW_DOORS);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.OK_200, Map.of("alarms", alarms.recent(town, staff).stream()
                .map(a -> CaretakingViews.AlarmView.of(a, town.zone())).toList()));
    }

    private void acknowledge(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember staff = authenticator.require(req, town, Permission.VIEW_DOORS);
        AcknowledgeBody body = Json.readDeclared(req, AcknowledgeBody.class);
        var alarm = alarms.acknowledge(town, staff, Actor.of(staff, req),
                jp.kominkan.cloud.web.PathIds.uuid(req, "id"), body.note());
        Json.send(res, Status.OK_200, CaretakingViews.AlarmView.of(alarm, town.zone()));
    }

    private void stream(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember staff = authenticator.require(req, town, Permission.VIEW_DOORS);
        DoorFeed.Watcher watcher = feed.watch(town.id(), staff.id(), staff.scope()).orElseThrow(() -> Problem.tooMany(
                "Too many live boards are open; close one (at most " + DoorFeed.MAX_PER_VIEWER + " per person).",
                "開いている扉の状態の画面が多すぎます。使っていない画面を閉じてください（1人 "
                        + DoorFeed.MAX_PER_VIEWER + " 画面まで）。"));
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header("X-Accel-Buffering", "no");
        Instant end = clock.instant().plus(LIFETIME);
        Instant recheck = clock.instant().plus(RECHECK);
        try (watcher; OutputStream out = res.outputStream()) {
            write(out, "retry: 3000\n: kominkan door board\n\n");
            while (clock.instant().isBefore(end) && !watcher.overrun()) {
                if (clock.instant().isAfter(recheck)) {
                    // A session ended or a member disabled meanwhile: the stream ends with it.
                    authenticator.require(req, town, Permission.VIEW_DOORS);
                    recheck = clock.instant().plus(RECHECK);
                }
                Optional<DoorFeed.Change> change = watcher.next(KEEP_ALIVE);
                if (change.isEmpty()) {
                    write(out, ": keep-alive\n\n");
                    continue;
                }
                Optional<Object> data = data(town, staff, change.get());
                if (data.isPresent()) {
                    write(out, "event: " + change.get().kind() + "\ndata: "
                            + new String(Json.bytes(data.get()), StandardCharsets.UTF_8) + "\n\n");
                }
            }
        } catch (IOException | UncheckedIOException | Problem e) {
            // the browser went away, or the session did
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Object> data(Municipality town, StaffMember staff, DoorFeed.Change change) {
        return switch (change.kind()) {
            case "door" -> board.door(town, staff, change.id()).map(d -> CaretakingViews.DoorView.of(d, town.zone()));
            case "alarm" -> {
                try {
                    yield Optional.of(CaretakingViews.AlarmView.of(alarms.one(town, staff,
                            java.util.UUID.fromString(change.id())), town.zone()));
                } catch (Problem notInScope) {
                    yield Optional.empty();
                }
            }
            default -> Optional.of(Map.of("gatewayId", change.id()));
        };
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * A remote unlock asked for.
     *
     * @param reason  why
     * @param minutes for how long
     */
    record UnlockBody(String reason, Integer minutes) {
    }

    /**
     * An acknowledgement.
     *
     * @param note what was done
     */
    record AcknowledgeBody(String note) {
    }
}
