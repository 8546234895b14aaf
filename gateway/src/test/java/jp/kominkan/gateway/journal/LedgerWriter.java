package jp.kominkan.gateway.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A child process for {@link LedgerKillIT}: appends numbered records, syncs each, and prints the
 * number once it is durable — the moment a gateway would acknowledge it. Runs until killed.
 */
public final class LedgerWriter {

    private LedgerWriter() {
    }

    /**
     * @param args the ledger file
     */
    public static void main(String[] args) {
        try (Ledger ledger = Ledger.open(Path.of(args[0]))) {
            List<byte[]> existing = ledger.recovered();
            long next = existing.isEmpty() ? 1 : ByteBuffer.wrap(existing.getLast()).getLong() + 1;
            while (true) {
                // Records of varying size, so kills land inside headers and payloads alike.
                ByteBuffer record = ByteBuffer.allocate(8 + (int) (next % 700));
                record.putLong(next);
                ledger.append(record.array());
                ledger.sync();
                System.out.println(next);
                System.out.flush();
                next++;
            }
        }
    }
}
