package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.shared.slot.SlotRange;

/**
 * Writes and frees one block (room_block) with its room slots in the caller's transaction: for staff blocks and for
 * a lottery's units alike, so room_slot has one writer per kind of taker.
 */
final class BlockWrites {

    private BlockWrites() {
    }

    /**
     * @return the new block's id
     * @throws RuntimeException a unique violation when one of the slots is taken
     */
    static long insert(DbTransaction tx, long municipalityId, long roomId, SlotRange range, String kind, String note,
                       UUID series, Optional<UUID> staffId) {
        tx.insert("""
                insert into room_block (municipality_id, room_id, starts_at, ends_at, kind, note, series_id, created_by)
                values (?, ?, ?, ?, ?, ?, ?, ?)""", municipalityId, roomId, Sql.at(range.start()), Sql.at(range.end()),
                kind, note, series, staffId.orElse(null));
        long id = Sql.longValue(tx.get("select id from room_block where series_id = ? and room_id = ? and starts_at = ?",
                series, roomId, Sql.at(range.start())).orElseThrow(), "id");
        List<Instant> starts = range.slotStarts();
        List<Object> params = new ArrayList<>(starts.size() * 3);
        for (Instant start : starts) {
            params.add(roomId);
            params.add(Sql.at(start));
            params.add(id);
        }
        tx.insert("insert into room_slot (room_id, slot_start, block_id) values "
                + String.join(", ", Collections.nCopies(starts.size(), "(?, ?, ?)")), params.toArray());
        return id;
    }

    /** Frees many blocks' slots and removes them, 500 a statement. */
    static void removeAll(DbTransaction tx, List<Long> blockIds) {
        for (int from = 0; from < blockIds.size(); from += 500) {
            List<Long> batch = blockIds.subList(from, Math.min(blockIds.size(), from + 500));
            String marks = String.join(", ", Collections.nCopies(batch.size(), "?"));
            tx.delete("delete from room_slot where block_id in (" + marks + ")", batch.toArray());
            tx.delete("delete from room_block where id in (" + marks + ")", batch.toArray());
        }
    }

    /** Frees a block's slots and removes it. */
    static void remove(DbTransaction tx, long blockId) {
        tx.delete("delete from room_slot where block_id = ?", blockId);
        tx.delete("delete from room_block where id = ?", blockId);
    }
}
