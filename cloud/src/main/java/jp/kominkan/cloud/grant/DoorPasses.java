package jp.kominkan.cloud.grant;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.pass.DoorPass;

/**
 * Door passes for a booking's live grants (docs/grants.md, "Door pass"): each grant exactly as it was
 * signed for its gateway's stream, with the booking code sealed under its door's key for the current
 * 30-second step, so a gateway that never synced the grant still opens for it, for about 5 minutes.
 *
 * <p>Only the cloud holds every door key, so only the cloud can make a pass. The caller decides who
 * may have one: the logged-in owner of a confirmed booking that is not over.
 */
public final class DoorPasses {

    private static final String LIVE = """
            select g.id, g.door_id, d.name, s.message from access_grant g
              join door d on d.id = g.door_id
              join grant_stream s on s.grant_id = g.id and s.kind = 'issue'
             where g.reservation_id = ? and g.revoked_at is null and g.valid_until > ?
             order by d.name, g.id""";

    private final DbClient db;
    private final GrantKeyStore keys;

    /**
     * @param db   the database
     * @param keys derives each door's key
     */
    public DoorPasses(DbClient db, GrantKeyStore keys) {
        this.db = db;
        this.keys = keys;
    }

    /**
     * @param reservationId a booking whose owner asks
     * @param code          its booking code
     * @param now           now: the pass's time step, and grants whose window is over are left out
     * @return a pass per unrevoked grant whose window is not over, by door name
     */
    public List<Pass> forReservation(UUID reservationId, BookingCode code, Instant now) {
        return Sql.list(db.execute().query(LIVE, reservationId, Sql.at(now)), row -> {
            String doorId = Sql.text(row, "door_id");
            UUID grantId = Sql.uuid(row, "id");
            byte[] signed = HexFormat.of().parseHex(Sql.text(row, "message"));
            return new Pass(grantId, doorId, Sql.text(row, "name"),
                    DoorPass.issue(signed, grantId, doorId, keys.doorKey(doorId), code, now).text());
        });
    }

    /**
     * One door's pass.
     *
     * @param grantId  the grant it carries
     * @param doorId   its door
     * @param doorName what residents call the door
     * @param text     the QR code's text, {@code KMK1:…}: it opens the door for about 5 minutes, so
     *                 it is shown to its owner only and never logged
     */
    public record Pass(UUID grantId, String doorId, String doorName, String text) {

        /** Checks the fields are present. */
        public Pass {
            Objects.requireNonNull(grantId, "grantId");
            Objects.requireNonNull(doorId, "doorId");
            Objects.requireNonNull(doorName, "doorName");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "Pass[grant " + grantId + ", door " + doorId + "]";
        }
    }
}
