package jp.kominkan.cloud.waitlist;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.shared.slot.SlotRange;

/**
 * A place on the waiting list (キャンセル待ち) for a taken range of a room.
 *
 * @param id        the entry
 * @param townId    the municipality
 * @param roomId    the room
 * @param accountId whose
 * @param range     the slots wanted
 * @param purpose   what for, as the booking would say
 * @param attendees how many
 * @param offer     the hold made for it once the range freed, until it is confirmed or lapses
 * @param createdAt when it joined: the order of the line
 */
public record WaitlistEntry(UUID id, long townId, long roomId, UUID accountId, SlotRange range, String purpose, int attendees,
                            Optional<UUID> offer, Instant createdAt) {

    /** Checks the fields are present. */
    public WaitlistEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
