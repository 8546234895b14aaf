package jp.kominkan.cloud.fee;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many random valid requests against every fixture (seeded, so a failure repeats): a quote is
 * either refused with a {@link FeeException} or has a total ≥ 0 whose lines add up, reads back
 * equal from its JSON, and never charges less without its reduction than with it.
 */
class FeePropertyTest {

    private static final List<FeeSchedule> SCHEDULES = List.of(
            Fixtures.schedule("hokota-daishukaishitsu"), Fixtures.schedule("hokota-kaigishitsu"),
            Fixtures.schedule("yokohama-sugita-chukaigishitsu"), Fixtures.schedule("yokohama-sugita-washitsu1"),
            Fixtures.schedule("tokigawa-daihall"), FeeSchedules.hourly(730, 1460));

    @Test
    void randomRequestsAlwaysAddUp() {
        Random random = new Random(20261201L);
        int priced = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            FeeSchedule schedule = SCHEDULES.get(random.nextInt(SCHEDULES.size()));
            FeeRequest request = randomRequest(random);
            Quote quote;
            try {
                quote = FeeCalculator.quote(schedule, request);
            } catch (FeeException e) {
                refused++;
                continue;
            }
            priced++;
            assertTrue(quote.total() >= 0, quote::toString);
            assertEquals(quote.total(), quote.lines().stream().mapToLong(QuoteLine::yen).sum(), quote::toString);
            assertEquals(quote, Quotes.fromJson(quote.toJson()));
            if (request.reduction().isPresent()) {
                FeeRequest without = new FeeRequest(request.start(), request.end(), request.bookedOn(),
                        request.applicant(), request.purpose(), request.equipment(), java.util.Optional.empty());
                assertTrue(FeeCalculator.quote(schedule, without).total() >= quote.total());
            }
        }
        assertTrue(priced > 5_000, "priced " + priced + ", refused " + refused);
        assertTrue(refused > 0, "the generator should also hit closed days and times outside the tables");
    }

    static FeeRequest randomRequest(Random random) {
        LocalDate day = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(730));
        LocalDateTime start = day.atStartOfDay().plusMinutes(15L * random.nextInt(96));
        LocalDateTime end = start.plusMinutes(15L * (1 + random.nextInt(random.nextBoolean() ? 16 : 70)));
        FeeRequest.Purpose purpose = new FeeRequest.Purpose(random.nextInt(4) == 0 ? random.nextInt(3_000) : 0,
                random.nextInt(5) == 0, random.nextInt(5) == 0);
        List<FeeRequest.EquipmentUse> equipment = random.nextBoolean() ? List.of()
                : List.of(new FeeRequest.EquipmentUse("mic", "マイク", random.nextInt(1_000),
                random.nextBoolean() ? FeeRequest.Per.USE : FeeRequest.Per.BAND, 1 + random.nextInt(3)));
        java.util.Optional<FeeRequest.Reduction> reduction = random.nextInt(3) == 0
                ? java.util.Optional.of(new FeeRequest.Reduction("r", "減免", random.nextInt(101), random.nextBoolean(), false))
                : java.util.Optional.empty();
        return new FeeRequest(start, end, day.minusDays(random.nextInt(30)),
                random.nextBoolean() ? FeeRequest.Residency.RESIDENT : FeeRequest.Residency.NON_RESIDENT,
                purpose, equipment, reduction);
    }
}
