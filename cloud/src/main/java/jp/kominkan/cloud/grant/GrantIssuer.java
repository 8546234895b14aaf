package jp.kominkan.cloud.grant;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantSigner;
import jp.kominkan.shared.slot.SlotRange;

/**
 * Prepares the grants of a booking that is being confirmed: draws a booking code no overlapping
 * grant on any of the room's doors uses, and signs one grant per door for the booking's time plus
 * the room's margin. A shelter code's grants (避難所) are drawn and signed the same way, for every
 * door of a facility.
 */
public final class GrantIssuer {

    private static final int DRAWS = 20;

    private final DoorRepository doors;
    private final GrantSigner signer;
    private final CodeSealer sealer;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param doors  where doors are
     * @param keys   the cloud's keys
     * @param sealer seals codes for storage
     */
    public GrantIssuer(DoorRepository doors, GrantKeyStore keys, CodeSealer sealer) {
        this.doors = doors;
        this.signer = keys.signer();
        this.sealer = sealer;
    }

    /**
     * @param in               the connection to read doors and codes in use on: the booking's transaction
     * @param municipalityCode the municipality
     * @param reservationId    the booking
     * @param roomId           its room
     * @param range            its slots
     * @param margin           how long before and after the door opens
     * @param now              now
     * @return the grants, or empty when the room has no doors
     */
    public Optional<GrantBatch> prepare(io.helidon.dbclient.DbExecute in, String municipalityCode, UUID reservationId,
                                        long roomId, SlotRange range, Duration margin, Instant now) {
        List<Door> roomDoors = doors.forRoom(in, roomId);
        if (roomDoors.isEmpty()) {
            return Optional.empty();
        }
        Instant from = range.start().minus(margin);
        Instant until = range.end().plus(margin);
        BookingCode code = drawUnusedCode(roomDoors, (door, verifier) -> doors.verifierInUse(in, door.id(), verifier,
                from, until));
        List<GrantBatch.Issued> issued = sign(municipalityCode, reservationId, roomDoors, code, from, until, now);
        return Optional.of(new GrantBatch(code, sealer.seal(code, reservationId), issued, roomDoors));
    }

    /**
     * Prepares a shelter code's grants (避難所): one code, unused on every door of the facility for the whole
     * window, and one grant per door. The grant's reservation field carries the shelter code's id, so a gateway
     * treats it as any other grant (offline, revocable through the stream). Nothing is sealed: the code is shown
     * once and never kept.
     *
     * @param municipalityCode the municipality
     * @param shelterCodeId    the shelter code
     * @param facilityId       its facility
     * @param from             first instant the doors open to it, whole seconds
     * @param until            instant from which they no longer do, whole seconds
     * @param now              now
     * @return the grants, or empty when the facility has no door in service
     */
    public Optional<ShelterGrants> prepareShelter(String municipalityCode, UUID shelterCodeId, long facilityId,
                                                  Instant from, Instant until, Instant now) {
        List<Door> facilityDoors = doors.forFacility(facilityId);
        if (facilityDoors.isEmpty()) {
            return Optional.empty();
        }
        BookingCode code = drawUnusedCode(facilityDoors, (door, verifier) -> doors.verifierInUse(door.id(), verifier,
                from, until));
        return Optional.of(new ShelterGrants(code,
                sign(municipalityCode, shelterCodeId, facilityDoors, code, from, until, now), facilityDoors));
    }

    /** Signs one grant per door for the code and the window; {@code ownerId} goes into the reservation field. */
    private List<GrantBatch.Issued> sign(String municipalityCode, UUID ownerId, List<Door> toOpen, BookingCode code,
                                         Instant from, Instant until, Instant now) {
        Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
        List<GrantBatch.Issued> issued = new ArrayList<>(toOpen.size());
        for (Door door : toOpen) {
            AccessGrant grant = new AccessGrant(UUID.randomUUID(), municipalityCode, door.id(), ownerId, from, until,
                    CodeVerifier.of(door.key(), door.id(), code.digits()), issuedAt, signer.keyId());
            issued.add(new GrantBatch.Issued(grant, door.gatewayId(), signer.sign(grant)));
        }
        return issued;
    }

    /**
     * A code no unrevoked grant with an overlapping window uses on these doors, so that a code
     * typed at a door names one booking. With 10^8 codes a second draw is already rare.
     */
    private BookingCode drawUnusedCode(List<Door> roomDoors, java.util.function.BiPredicate<Door, CodeVerifier> inUse) {
        for (int draw = 0; draw < DRAWS; draw++) {
            BookingCode code = BookingCode.random(random);
            boolean free = roomDoors.stream().noneMatch(door ->
                    inUse.test(door, CodeVerifier.of(door.key(), door.id(), code.digits())));
            if (free) {
                return code;
            }
        }
        throw new IllegalStateException("No unused booking code after " + DRAWS + " draws");
    }
}
