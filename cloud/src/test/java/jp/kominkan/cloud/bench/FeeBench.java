package jp.kominkan.cloud.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jp.kominkan.cloud.fee.FeeCalculator;
import jp.kominkan.cloud.fee.FeeRequest;
import jp.kominkan.cloud.fee.FeeSchedule;
import jp.kominkan.cloud.fee.FeeSchedules;
import jp.kominkan.cloud.fee.Quote;
import jp.kominkan.cloud.fee.SeasonalItem;

/**
 * {@code ./kominkan bench fee}: latency of one {@link FeeCalculator#quote} on the richest real
 * workload — a full-day ときがわ 大ホール booking on a 土日祝 with admission and outsiders (two
 * surcharges), two equipment items, a 50 % 減免 and a heating item — timed call by call with
 * {@code System.nanoTime} after a warm-up. The heating item is not in ときがわ's table (none was
 * published); it is added here for the workload only. Prints its workload with every figure.
 */
public final class FeeBench {

    private static final int WARM_UP = 100_000;
    private static final int CALLS = 300_000;

    private FeeBench() {
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        FeeSchedule table = FeeSchedules.parse(resource("/fee/tokigawa-daihall.json"));
        List<SeasonalItem> seasonal = new ArrayList<>(table.seasonal());
        seasonal.add(new SeasonalItem("暖房", "暖房費（ベンチマーク用の仮の項目）", "Heating (benchmark only)",
                MonthDay.of(12, 1), MonthDay.of(3, 31), SeasonalItem.Per.HOUR, 1_000));
        FeeSchedule schedule = new FeeSchedule(table.source(), table.dayClasses(), table.units(), table.overrun(),
                table.surcharges(), table.lateDiscounts(), seasonal, table.rounding());
        FeeRequest request = new FeeRequest(LocalDateTime.of(2027, 1, 9, 9, 0), LocalDateTime.of(2027, 1, 9, 21, 30),
                LocalDate.of(2026, 12, 1), FeeRequest.Residency.NON_RESIDENT, new FeeRequest.Purpose(1_500, false, true),
                List.of(new FeeRequest.EquipmentUse("mic", "ワイヤレスマイク", 500, FeeRequest.Per.BAND, 2),
                        new FeeRequest.EquipmentUse("projector", "プロジェクター", 2_000, FeeRequest.Per.USE, 1)),
                Optional.of(new FeeRequest.Reduction("social-education", "社会教育関係団体", 50, false, false)));

        System.out.printf("Kominkan fee benchmark — %d cores, Java %s, %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        Quote quote = FeeCalculator.quote(schedule, request);
        System.out.println("workload: ときがわ町 大ホール, 2027-01-09 (Sat, 土日祝) 9:00–21:30 (全日), admission 1,500 yen,"
                + " mainly outsiders, 2 equipment items, 50 % 減免, heating 12-01..03-31");
        System.out.println("quote:    " + quote.summaryJa());
        long sink = 0;
        for (int i = 0; i < WARM_UP; i++) {
            sink += FeeCalculator.quote(schedule, request).total();
        }
        long[] nanos = new long[CALLS];
        long started = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            long t0 = System.nanoTime();
            sink += FeeCalculator.quote(schedule, request).total();
            nanos[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(nanos);
        System.out.printf("FeeCalculator.quote %d calls after %d warm-up: %.0f quotes/s  p50 %.1f µs  p99 %.1f µs"
                        + "  p99.9 %.1f µs  max %.1f µs  (checksum %d)%n", CALLS, WARM_UP, CALLS / seconds,
                at(nanos, 50), at(nanos, 99), at(nanos, 99.9), nanos[CALLS - 1] / 1e3, sink);
    }

    private static double at(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e3;
    }

    private static String resource(String path) {
        try (InputStream in = FeeBench.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing " + path + " (run with the test classpath)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
