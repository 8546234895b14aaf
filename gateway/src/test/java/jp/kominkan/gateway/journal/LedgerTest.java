package jp.kominkan.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {

    @TempDir
    Path dir;

    @Test
    void recordsComeBackInOrderAfterReopening() {
        Path file = dir.resolve("l.log");
        try (Ledger ledger = Ledger.open(file)) {
            ledger.append("one".getBytes());
            ledger.append("two".getBytes());
            ledger.sync();
        }
        try (Ledger ledger = Ledger.open(file)) {
            assertThat(ledger.recovered()).extracting(String::new).containsExactly("one", "two");
            ledger.append("three".getBytes());
            ledger.sync();
        }
        try (Ledger ledger = Ledger.open(file)) {
            assertThat(ledger.recovered()).extracting(String::new).containsExactly("one", "two", "three");
        }
    }

    @Test
    void aTornTailIsCutAndWritingGoesOnAfterIt() throws IOException {
        Path file = dir.resolve("l.log");
        try (Ledger ledger = Ledger.open(file)) {
            ledger.append("whole".getBytes());
            ledger.sync();
        }
        long whole = Files.size(file);
        // A crash in the middle of the next record: a header promising 100 bytes, and 3 of them.
        Files.write(file, new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 'a', 'b', 'c'}, StandardOpenOption.APPEND);
        try (Ledger ledger = Ledger.open(file)) {
            assertThat(ledger.recovered()).extracting(String::new).containsExactly("whole");
            assertThat(Files.size(file)).isEqualTo(whole);
            ledger.append("next".getBytes());
            ledger.sync();
        }
        try (Ledger ledger = Ledger.open(file)) {
            assertThat(ledger.recovered()).extracting(String::new).containsExactly("whole", "next");
        }
    }

    @Test
    void aRecordWhoseChecksumFailsEndsTheLedger() throws IOException {
        Path file = dir.resolve("l.log");
        try (Ledger ledger = Ledger.open(file)) {
            ledger.append("good".getBytes());
            ledger.append("flipped".getBytes());
            ledger.sync();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(file, bytes);
        try (Ledger ledger = Ledger.open(file)) {
            assertThat(ledger.recovered()).extracting(String::new).containsExactly("good");
        }
    }

    @Test
    void rewriteReplacesEverythingAtOnce() {
        Path file = dir.resolve("l.log");
        Ledger ledger = Ledger.open(file);
        ledger.append("old".getBytes());
        ledger.sync();
        ledger = ledger.rewrite(java.util.List.of("new1".getBytes(), "new2".getBytes()));
        ledger.close();
        try (Ledger reopened = Ledger.open(file)) {
            assertThat(reopened.recovered()).extracting(String::new).containsExactly("new1", "new2");
        }
    }
}
