package jp.kominkan.gateway.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** What a lock does with the gateway's commands, and the counters that keep them fresh. */
class UnlockCommandTest {

    static final byte[] SECRET = "lock-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    static UnlockCommand.Checked check(byte[] json, long last, Instant now) {
        return UnlockCommand.check(json, "lock-1", SECRET, last, now);
    }

    static String reason(UnlockCommand.Checked checked) {
        return checked instanceof UnlockCommand.Checked.Refused r ? r.reason() : "obeyed";
    }

    @Test
    void aFreshCommandIsObeyedOnceAndNotAgain() {
        byte[] json = new UnlockCommand("lock-1", 42, NOW.plusSeconds(10), Duration.ofSeconds(3)).encode(SECRET);
        UnlockCommand.Checked first = check(json, 41, NOW);
        assertThat(first).isInstanceOf(UnlockCommand.Checked.Obey.class);
        assertThat(((UnlockCommand.Checked.Obey) first).command().open()).isEqualTo(Duration.ofSeconds(3));
        assertThat(reason(check(json, 42, NOW))).isEqualTo("replayed");
        assertThat(reason(check(json, 41, NOW.plusSeconds(11)))).isEqualTo("expired");
    }

    @Test
    void anAlteredForgedOrMisdirectedCommandIsRefused() {
        String json = new String(new UnlockCommand("lock-1", 42, NOW.plusSeconds(10), Duration.ofSeconds(3)).encode(SECRET),
                StandardCharsets.US_ASCII);
        assertThat(reason(check(json.replace("\"ms\":3000", "\"ms\":60000").getBytes(StandardCharsets.US_ASCII), 0, NOW)))
                .isEqualTo("bad-mac");
        assertThat(reason(check(json.replace("\"counter\":42", "\"counter\":43").getBytes(StandardCharsets.US_ASCII), 0, NOW)))
                .isEqualTo("bad-mac");
        byte[] otherKey = new UnlockCommand("lock-1", 42, NOW.plusSeconds(10), Duration.ofSeconds(3))
                .encode("another-lock-secret-000".getBytes(StandardCharsets.US_ASCII));
        assertThat(reason(check(otherKey, 0, NOW))).isEqualTo("bad-mac");
        byte[] forLock2 = new UnlockCommand("lock-2", 42, NOW.plusSeconds(10), Duration.ofSeconds(3)).encode(SECRET);
        assertThat(reason(check(forLock2, 0, NOW))).as("a command for another lock with the same secret").isEqualTo("other-lock");
        for (String bad : new String[] {"", "{", "[]", "{\"lock\":1}", "{\"lock\":\"lock-1\",\"counter\":\"x\",\"exp\":1,\"ms\":1,\"mac\":\"00\"}",
            "{\"lock\":\"lock-1\",\"counter\":1,\"exp\":1,\"ms\":1,\"mac\":\"zz\"}",
            "{\"lock\":\"lock-1\",\"counter\":1e400,\"exp\":1,\"ms\":1,\"mac\":\"00\"}",
            "{\"lock\":\"lock-1\",\"counter\":1e99999999,\"exp\":1,\"ms\":1,\"mac\":\"00\"}"}) {
            assertThat(reason(check(bad.getBytes(StandardCharsets.US_ASCII), 0, NOW))).as(bad).isEqualTo("malformed");
        }
    }

    @Test
    void countersNeverRepeatAcrossRestartsEvenWhenTheClockFallsBack() throws Exception {
        Path file = Files.createTempDirectory("counters").resolve("unlock-counters.log");
        long first;
        long second;
        try (UnlockCounters counters = UnlockCounters.open(file, Clock.fixed(NOW, ZoneOffset.UTC))) {
            first = counters.next("lock-1");
            second = counters.next("lock-1");
            assertThat(first).isEqualTo(NOW.toEpochMilli());
            assertThat(second).isEqualTo(first + 1);
            assertThat(counters.next("lock-2")).isEqualTo(NOW.toEpochMilli());
        }
        // A Pi that boots without the time: its clock says 1970, the counters go on from disk.
        try (UnlockCounters counters = UnlockCounters.open(file, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))) {
            assertThat(counters.next("lock-1")).isEqualTo(second + 1);
        }
        // Disk lost, clock right: above the clock, so still above every counter used before.
        try (UnlockCounters counters = UnlockCounters.open(Files.createTempDirectory("wiped").resolve("c.log"),
                Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC))) {
            assertThat(counters.next("lock-1")).isGreaterThan(second);
        }
    }
}
