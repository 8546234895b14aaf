package jp.kominkan.cloud.grant;

import java.time.Instant;
import java.util.List;

import jp.kominkan.shared.grant.CodeVerifier;

/**
 * Where doors are kept, and which codes their live grants use.
 */
public interface DoorRepository {

    /**
     * @param roomId a room
     * @return its doors, by id
     */
    List<Door> forRoom(long roomId);

    /**
     * @param in     the connection to read on: the booking's own transaction, so a booking never waits for a
     *               second connection while holding one
     * @param roomId a room
     * @return its doors, by id
     */
    List<Door> forRoom(io.helidon.dbclient.DbExecute in, long roomId);

    /**
     * @param facilityId a facility
     * @return the doors of all its rooms whose gateway is in service (not decommissioned), by id: what a
     *         shelter code (避難所) opens
     */
    List<Door> forFacility(long facilityId);

    /**
     * @param doorId   a door
     * @param verifier a code verifier for it
     * @param from     window start
     * @param until    window end
     * @return whether an unrevoked grant on the door with this verifier overlaps the window
     */
    boolean verifierInUse(String doorId, CodeVerifier verifier, Instant from, Instant until);

    /**
     * Like {@link #verifierInUse(String, CodeVerifier, Instant, Instant)}, read on the caller's connection.
     *
     * @param in       the connection to read on
     * @param doorId   a door
     * @param verifier a code verifier for it
     * @param from     window start
     * @param until    window end
     * @return whether an unrevoked grant on the door with this verifier overlaps the window
     */
    boolean verifierInUse(io.helidon.dbclient.DbExecute in, String doorId, CodeVerifier verifier, Instant from,
                          Instant until);
}
