package jp.kominkan.cloud.fee;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/** The fee documents under src/test/resources/fee/ and a fluent way to write requests. */
final class Fixtures {

    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fee/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FeeSchedule schedule(String name) {
        return FeeSchedules.parse(text(name));
    }

    static RefundSchedule refunds(String name) {
        return RefundSchedules.parse(text(name));
    }

    /** A resident's plain request on one day, booked a month ahead. */
    static Req on(String date, String from, String to) {
        LocalDate day = LocalDate.parse(date);
        LocalTime end = to.equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(to);
        LocalDateTime endAt = to.equals("24:00") ? day.plusDays(1).atStartOfDay() : day.atTime(end);
        return new Req(day.atTime(LocalTime.parse(from)), endAt, day.minusMonths(1), FeeRequest.Residency.RESIDENT,
                FeeRequest.Purpose.NONE, List.of(), Optional.empty());
    }

    /** A request under construction. */
    record Req(LocalDateTime start, LocalDateTime end, LocalDate bookedOn, FeeRequest.Residency applicant,
               FeeRequest.Purpose purpose, List<FeeRequest.EquipmentUse> equipment,
               Optional<FeeRequest.Reduction> reduction) {

        Req bookedOn(String date) {
            return new Req(start, end, LocalDate.parse(date), applicant, purpose, equipment, reduction);
        }

        Req until(String dateTime) {
            return new Req(start, LocalDateTime.parse(dateTime), bookedOn, applicant, purpose, equipment, reduction);
        }

        Req nonResident() {
            return new Req(start, end, bookedOn, FeeRequest.Residency.NON_RESIDENT, purpose, equipment, reduction);
        }

        Req purpose(long admissionYen, boolean commercial, boolean mainlyNonResidents) {
            return new Req(start, end, bookedOn, applicant,
                    new FeeRequest.Purpose(admissionYen, commercial, mainlyNonResidents), equipment, reduction);
        }

        Req equipment(String code, long yen, FeeRequest.Per per, int qty) {
            List<FeeRequest.EquipmentUse> more = new java.util.ArrayList<>(equipment);
            more.add(new FeeRequest.EquipmentUse(code, code, yen, per, qty));
            return new Req(start, end, bookedOn, applicant, purpose, more, reduction);
        }

        Req reduction(int percent, boolean appliesToEquipment, boolean notWithAdmission) {
            return new Req(start, end, bookedOn, applicant, purpose, equipment, Optional.of(
                    new FeeRequest.Reduction("社会教育", "社会教育関係団体", percent, appliesToEquipment, notWithAdmission)));
        }

        FeeRequest request() {
            return new FeeRequest(start, end, bookedOn, applicant, purpose, equipment, reduction);
        }

        Quote quote(FeeSchedule schedule) {
            Quote quote = FeeCalculator.quote(schedule, request());
            long sum = quote.lines().stream().mapToLong(QuoteLine::yen).sum();
            if (sum != quote.total()) {
                throw new AssertionError("lines sum to " + sum + ", total " + quote.total());
            }
            return quote;
        }
    }

    static long yenOf(Quote quote, QuoteLine.Kind kind) {
        return quote.lines().stream().filter(l -> l.kind() == kind).mapToLong(QuoteLine::yen).sum();
    }

    static List<String> codes(Quote quote, QuoteLine.Kind kind) {
        return quote.lines().stream().filter(l -> l.kind() == kind).map(QuoteLine::code).toList();
    }
}
