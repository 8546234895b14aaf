package jp.kominkan.cloud.receipt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A facility's sales of a month (月別売上) as CSV for the city's accounts: one row per day (received, refunded,
 * net) and the month's total. Written like {@link DailyTakings} (UTF-8 with a BOM, CRLF, Excel quoting, text
 * cells that could run as a formula neutralised), so both files open the same way in a Japanese office.
 */
public final class MonthlySales {

    /** The header row. */
    public static final List<String> HEADER = List.of("日付", "施設", "収入（円）", "還付（円）", "差引（円）");

    private MonthlySales() {
    }

    /**
     * One day's figures.
     *
     * @param date   the day
     * @param yenIn  received
     * @param yenOut refunded
     */
    public record Day(LocalDate date, long yenIn, long yenOut) {
        /** Checks the fields. */
        public Day {
            Objects.requireNonNull(date, "date");
            if (yenIn < 0 || yenOut < 0) {
                throw new IllegalArgumentException("Sales of " + date + ": negative yen");
            }
        }
    }

    /**
     * @param facility the facility's name
     * @param days     the month's days, in order
     * @return the CSV's bytes ({@code text/csv; charset=UTF-8}, with a BOM)
     */
    public static byte[] csv(String facility, List<Day> days) {
        Texts.requireText(facility, "facility");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.EXCEL);
            printer.printRecord(HEADER);
            long in = 0;
            long refunded = 0;
            for (Day day : days) {
                printer.printRecord(day.date().toString(), DailyTakings.cell(facility), Long.toString(day.yenIn()),
                        Long.toString(day.yenOut()), Long.toString(day.yenIn() - day.yenOut()));
                in = Math.addExact(in, day.yenIn());
                refunded = Math.addExact(refunded, day.yenOut());
            }
            printer.printRecord("合計", "", Long.toString(in), Long.toString(refunded), Long.toString(in - refunded));
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
