package jp.kominkan.gateway.event;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jp.kominkan.gateway.journal.Ledger;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.event.EventMessage;
import jp.kominkan.shared.wire.UuidBytes;

/**
 * Door events on disk until the cloud has them: each event is written and synced before it is
 * sent, and stays "undelivered" until a receipt names it. Receipts are written to their own
 * ledger, so after a crash the gateway knows exactly what to send again.
 */
public final class EventJournal implements AutoCloseable {

    private Ledger events;
    private Ledger receipts;
    private final Map<UUID, DoorEvent> undelivered = new LinkedHashMap<>();

    private EventJournal(Ledger events, Ledger receipts) {
        this.events = events;
        this.receipts = receipts;
    }

    /**
     * Opens the journal in a folder and works out what was never delivered.
     *
     * @param dir the folder
     * @return the journal
     */
    public static EventJournal open(Path dir) {
        EventJournal journal = new EventJournal(Ledger.open(dir.resolve("events.log")), Ledger.open(dir.resolve("receipts.log")));
        for (byte[] record : journal.events.recovered()) {
            for (DoorEvent event : ((EventMessage.Events) EventMessage.decode(record)).events()) {
                journal.undelivered.put(event.id(), event);
            }
        }
        for (byte[] record : journal.receipts.recovered()) {
            ByteBuffer ids = ByteBuffer.wrap(record);
            while (ids.remaining() >= 16) {
                journal.undelivered.remove(UuidBytes.read(ids));
            }
        }
        if (journal.undelivered.isEmpty() && !journal.events.recovered().isEmpty()) {
            journal.events = journal.events.rewrite(List.of());
            journal.receipts = journal.receipts.rewrite(List.of());
        }
        return journal;
    }

    /**
     * Writes an event durably; only then may it be sent.
     *
     * @param event the event
     */
    public synchronized void append(DoorEvent event) {
        events.append(new EventMessage.Events(List.of(event)).encode());
        events.sync();
        undelivered.put(event.id(), event);
    }

    /**
     * Notes that the cloud has stored these events.
     *
     * @param ids event ids from a receipt
     */
    public synchronized void delivered(List<UUID> ids) {
        ByteBuffer record = ByteBuffer.allocate(UuidBytes.LENGTH * ids.size());
        for (UUID id : ids) {
            record.put(UuidBytes.of(id));
        }
        receipts.append(record.array());
        receipts.sync();
        ids.forEach(undelivered::remove);
    }

    /**
     * @param max most to return
     * @return events not yet receipted, oldest first
     */
    public synchronized List<DoorEvent> undelivered(int max) {
        List<DoorEvent> out = new ArrayList<>(Math.min(max, undelivered.size()));
        for (DoorEvent event : undelivered.values()) {
            if (out.size() == max) {
                break;
            }
            out.add(event);
        }
        return out;
    }

    /** @return how many events await a receipt */
    public synchronized int undeliveredCount() {
        return undelivered.size();
    }

    @Override
    public synchronized void close() {
        events.close();
        receipts.close();
    }
}
