package jp.kominkan.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL many times, at random moments, and checks after each kill
 * that every record it had acknowledged is there, in order, and nothing is corrupt.
 */
class LedgerKillIT {

    private static final int KILLS = 25;

    @TempDir
    Path dir;

    @Test
    void nothingAcknowledgedIsLostAcrossKills() throws Exception {
        Path file = dir.resolve("journal.log");
        Random random = new Random(20261124);
        long acknowledged = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process writer = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "-cp", System.getProperty("java.class.path"), LedgerWriter.class.getName(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream()));
            int lines = 1 + random.nextInt(300);
            for (int i = 0; i < lines; i++) {
                String line = out.readLine();
                assertThat(line).as("writer stopped early").isNotNull();
                acknowledged = Long.parseLong(line);
            }
            writer.destroyForcibly();   // SIGKILL, mid-write most of the time
            assertThat(writer.waitFor()).isNotZero();

            try (Ledger ledger = Ledger.open(file)) {
                List<byte[]> records = ledger.recovered();
                assertThat(records.size()).as("records after kill " + kill).isGreaterThanOrEqualTo((int) acknowledged);
                for (int i = 0; i < records.size(); i++) {
                    assertThat(ByteBuffer.wrap(records.get(i)).getLong()).isEqualTo(i + 1L);
                    assertThat(records.get(i)).hasSize(8 + (int) ((i + 1L) % 700));
                }
            }
        }
        assertThat(acknowledged).isGreaterThan(KILLS);
    }
}
