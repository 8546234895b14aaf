package jp.kominkan.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import jp.kominkan.gateway.journal.Ledger;

/** Reads a running gateway's grant ledger (a copy, so the gateway keeps writing its own). */
public final class LedgerCheck {

    private LedgerCheck() {
    }

    /**
     * After any snapshot base, stream entries follow one by one with no number twice and none
     * missing, up to {@code target}.
     *
     * @param storage the gateway's storage folder
     * @param target  the last stream number it must hold
     * @throws IOException when the ledger cannot be copied
     */
    public static void assertEachEntryOnce(Path storage, long target) throws IOException {
        Path copy = copy(storage);
        long expected = 1;
        long snapshot = -1;
        try (Ledger ledger = Ledger.open(copy)) {
            for (byte[] record : ledger.recovered()) {
                ByteBuffer buffer = ByteBuffer.wrap(record);
                long seq = buffer.getLong();
                byte kind = buffer.get();
                if (kind == 0) {
                    snapshot = seq;
                    expected = seq + 1;
                } else if (seq != snapshot) {
                    assertThat(seq).as("stream entry in the ledger").isEqualTo(expected);
                    expected++;
                }
            }
        }
        assertThat(expected - 1).as("last stream entry in the ledger").isEqualTo(target);
    }

    /**
     * @param storage the gateway's storage folder
     * @return the records in its ledger now
     * @throws IOException when the ledger cannot be copied
     */
    public static int records(Path storage) throws IOException {
        try (Ledger ledger = Ledger.open(copy(storage))) {
            return ledger.recovered().size();
        }
    }

    private static Path copy(Path storage) throws IOException {
        Path copy = storage.resolve("grants.log.copy");
        Files.copy(storage.resolve("grants.log"), copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }
}
