package jp.kominkan.cloud.caretaking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.door.DoorFeed;
import jp.kominkan.cloud.fleet.Gateway;
import jp.kominkan.cloud.fleet.JdbcGatewayRepository;
import jp.kominkan.cloud.grant.GrantStreamWrites;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.TextRules;
import jp.kominkan.shared.stream.StreamMessage;
import jp.kominkan.shared.stream.UnlockOrder;

/**
 * A caretaker unlocks a door from afar, for a stated reason and a bounded time (1 to 60 minutes):
 * the order goes to the door's gateway as an entry of its signed grant stream, in the transaction
 * that records it ({@code remote_unlock}, owned here) and writes the operation log. Refused while the
 * gateway is not heard from: an order it cannot get now would be useless later (a gateway obeys one
 * only within a minute of its making), and the caretaker must know the door did not open.
 */
public final class RemoteUnlocks {

    /** Longest reason. */
    public static final int MAX_REASON = 200;
    /** Longest unlock, minutes. */
    public static final int MAX_MINUTES = (int) UnlockOrder.LONGEST.toMinutes();

    private final DbClient db;
    private final DoorPlaces places;
    private final JdbcGatewayRepository gateways;
    private final OperationLog log;
    private final DoorFeed feed;
    private final Clock clock;
    private final Duration offlineAfter;

    /**
     * @param db           the database
     * @param places       where doors are
     * @param gateways     the gateways
     * @param log          the operation log
     * @param feed         the board's live feed
     * @param clock        the clock
     * @param offlineAfter a gateway not heard from for this long is offline
     */
    public RemoteUnlocks(DbClient db, DoorPlaces places, JdbcGatewayRepository gateways, OperationLog log, DoorFeed feed,
                         Clock clock, Duration offlineAfter) {
        this.db = db;
        this.places = places;
        this.gateways = gateways;
        this.log = log;
        this.feed = feed;
        this.clock = clock;
        this.offlineAfter = offlineAfter;
    }

    /**
     * @param town    the municipality
     * @param staff   who
     * @param actor   who, for the log
     * @param doorId  the door
     * @param reason  why (shown on the board and kept in the log)
     * @param minutes for how long
     * @return the order sent
     * @throws Problem 404 for a door outside their scope, 403 without the permission, 400 for a bad reason or
     *                 length, 409 while the gateway is offline
     */
    public Unlock unlock(Municipality town, StaffMember staff, Actor actor, String doorId, String reason, Integer minutes) {
        DoorPlaces.Place place = places.of(doorId == null ? "" : doorId)
                .filter(p -> p.municipalityId() == town.id() && staff.may(Permission.VIEW_DOORS, p.facilityId()))
                .orElseThrow(() -> Problem.notFound("door", "扉"));
        if (!staff.may(Permission.OPERATE_DOORS, place.facilityId())) {
            throw Problem.forbidden("You may not unlock doors remotely.", "遠隔解錠の権限がありません。");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON || !TextRules.isPlainText(why)) {
            throw Problem.badField("reason", "State why the door is unlocked, in 1 to " + MAX_REASON + " characters.",
                    "解錠する理由を1〜" + MAX_REASON + "文字で入力してください（記録に残ります）。");
        }
        if (minutes == null || minutes < 1 || minutes > MAX_MINUTES) {
            throw Problem.badField("minutes", "Unlock for 1 to " + MAX_MINUTES + " minutes.",
                    "解錠する時間は1〜" + MAX_MINUTES + "分で指定してください。");
        }
        // The order's times are whole seconds; whether the gateway is heard from is judged on the exact time, as
        // the board judges it, so a gateway the board shows as 通信途絶 is never unlocked in the same second.
        Instant exact = clock.instant();
        Instant now = exact.truncatedTo(ChronoUnit.SECONDS);
        Gateway gateway = gateways.find(place.gatewayId()).orElseThrow();
        Optional<Instant> seen = gateway.lastSeen();
        if (!gateway.inService() || seen.isEmpty() || seen.get().isBefore(exact.minus(offlineAfter))) {
            String last = seen.map(at -> IsoTimes.format(at, town.zone()).replace('T', ' ').substring(0, 16)).orElse("なし");
            throw Problem.conflict("gateway-offline", "The door's gateway " + gateway.name()
                            + " is not heard from (last message: " + last + "), so it cannot be unlocked remotely.",
                    "この扉のゲートウェイ（" + gateway.name() + "）と通信できないため、遠隔解錠できません（最終通信: " + last
                            + "）。現地で対応してください。");
        }
        long features = db.execute().get("select features from gateway where id = ?", place.gatewayId())
                .map(row -> Sql.longValue(row, "features")).orElse(0L);
        if ((features & StreamMessage.Ack.REMOTE_UNLOCK) == 0) {
            // An entry it cannot read would stop its whole grant stream: bookings and revocations with it.
            throw Problem.conflict("gateway-outdated", "The door's gateway " + gateway.name()
                            + " runs software that cannot take a remote unlock; update it first.",
                    "この扉のゲートウェイ（" + gateway.name() + "）のソフトウェアは遠隔解錠に対応していません。"
                            + "ゲートウェイを更新してから使ってください。");
        }
        UUID id = UUID.randomUUID();
        Instant until = now.plus(Duration.ofMinutes(minutes));
        byte[] order = new UnlockOrder(id, place.doorId(), now, until).encode();
        long seq = Sql.inTransaction(db, tx -> {
            tx.insert("""
                    insert into remote_unlock (id, municipality_id, facility_id, door_id, gateway_id, staff_id, reason,
                                               requested_at, until_at, stream_seq)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)""", id, town.id(), place.facilityId(), place.doorId(),
                    place.gatewayId(), staff.id(), why, Sql.at(now), Sql.at(until));
            long n = GrantStreamWrites.appendUnlock(tx, place.gatewayId(), id, order, now);
            tx.dml("update remote_unlock set stream_seq = ? where id = ?", n, id);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("door", place.doorId());
            after.put("gateway", place.gatewayId());
            after.put("reason", why);
            after.put("minutes", minutes);
            after.put("until", until.toString());
            log.append(tx, town.id(), actor, Change.of("door.remote-unlock", "door", place.doorId(), place.facilityId(),
                    null, after), now);
            return n;
        });
        feed.publish(new DoorFeed.Change(town.id(), place.facilityId(), "door", place.doorId()));
        return new Unlock(id, place.doorId(), now, until, why, seq, Optional.empty());
    }

    /**
     * The gateway says it released the door for this order (only the order's own door and gateway count).
     *
     * @param orderId   the order
     * @param doorId    the door the event is about
     * @param gatewayId the gateway that sent it
     * @param at        when
     */
    public void carriedOut(UUID orderId, String doorId, String gatewayId, Instant at) {
        db.execute().dml("""
                update remote_unlock set opened_at = ? where id = ? and door_id = ? and gateway_id = ? and opened_at is null""",
                Sql.at(at), orderId, doorId, gatewayId);
    }

    /**
     * @param doorId a door
     * @param since  requested since then
     * @return its remote unlocks, newest first
     */
    public List<Unlock> recent(String doorId, Instant since) {
        return Sql.list(db.execute().query("""
                select id, door_id, requested_at, until_at, reason, stream_seq, opened_at from remote_unlock
                 where door_id = ? and requested_at >= ? order by requested_at desc limit 20""", doorId, Sql.at(since)),
                row -> new Unlock(Sql.uuid(row, "id"), Sql.text(row, "door_id"), Sql.instant(row, "requested_at"),
                        Sql.instant(row, "until_at"), Sql.text(row, "reason"), Sql.longValue(row, "stream_seq"),
                        Sql.optionalInstant(row, "opened_at")));
    }

    /**
     * One remote unlock.
     *
     * @param id          the order
     * @param doorId      the door
     * @param requestedAt when asked
     * @param until       when the door locks again
     * @param reason      why
     * @param streamSeq   its number in the gateway's stream
     * @param openedAt    when the gateway said it released the door
     */
    public record Unlock(UUID id, String doorId, Instant requestedAt, Instant until, String reason, long streamSeq,
                         Optional<Instant> openedAt) {
    }
}
