package jp.kominkan.cloud.receipt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * The daily takings (日計表) as CSV, for the counter's end-of-day check and the accounting office: one row per
 * receipt or refund, a header row in Japanese and a totals row.
 *
 * <p>Written for Excel in a Japanese office: UTF-8 with a byte-order mark (without it Excel reads the file as
 * Shift_JIS and the names are garbled), CRLF line ends, RFC 4180 quoting ({@link CSVFormat#EXCEL}). Text cells that
 * a spreadsheet would run as a formula (starting with {@code = + - @}, a tab or a carriage return, or their
 * full-width forms, which Japanese Excel also accepts) get a leading {@code '}, so a resident named
 * {@code =HYPERLINK(…)} cannot put a formula in front of a clerk (OWASP, "CSV Injection").
 */
public final class DailyTakings {

    /** The header row. */
    public static final List<String> HEADER = List.of("日付", "施設", "領収書番号", "予約番号", "支払方法", "取扱者",
            "収入（円）", "還付（円）");

    private static final String FORMULA_STARTS = "=+-@\t\r＝＋－＠";

    private DailyTakings() {
    }

    /**
     * One receipt or refund of the day.
     *
     * @param date              day of the payment or refund in the facility's zone
     * @param facility          facility name
     * @param receiptNumber     the receipt (or refund notice) number
     * @param reservationNumber the reservation
     * @param method            how it was paid
     * @param handledBy         clerk or provider reference
     * @param yenIn             yen received, 0 or more
     * @param yenOut            yen refunded, 0 or more; one of the two is more than 0
     */
    public record Entry(LocalDate date, String facility, String receiptNumber, String reservationNumber,
                        PaymentMethod method, HandledBy handledBy, long yenIn, long yenOut) {

        /** Checks the fields, and that the row moves money one way. */
        public Entry {
            Objects.requireNonNull(date, "date");
            Texts.requireText(facility, "facility");
            Texts.requireText(receiptNumber, "receiptNumber");
            Texts.requireText(reservationNumber, "reservationNumber");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(handledBy, "handledBy");
            if (yenIn < 0 || yenOut < 0 || (yenIn == 0) == (yenOut == 0)) {
                throw new IllegalArgumentException("Takings row " + receiptNumber + ": yen in " + yenIn
                        + " and out " + yenOut + " (one of them, more than 0)");
            }
        }
    }

    /**
     * @param entries the day's rows, in the order they are to be printed
     * @return the CSV's bytes ({@code text/csv; charset=UTF-8}, with a BOM)
     */
    public static byte[] csv(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(entries, out);
        return out.toByteArray();
    }

    /**
     * Writes the CSV to {@code out}, which is flushed and left open.
     *
     * @param entries the day's rows
     * @param out     where the bytes go
     */
    public static void write(List<Entry> entries, OutputStream out) {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(out, "out");
        try {
            out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.EXCEL);
            printer.printRecord(HEADER);
            long in = 0;
            long refunded = 0;
            for (Entry entry : entries) {
                printer.printRecord(entry.date().toString(), cell(entry.facility()), cell(entry.receiptNumber()),
                        cell(entry.reservationNumber()), entry.method().label(), cell(entry.handledBy().value()),
                        Long.toString(entry.yenIn()), Long.toString(entry.yenOut()));
                in = Math.addExact(in, entry.yenIn());
                refunded = Math.addExact(refunded, entry.yenOut());
            }
            printer.printRecord("合計", "", "", "", "", entries.size() + "件", Long.toString(in),
                    Long.toString(refunded));
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return text as a spreadsheet cell that is never a formula */
    public static String cell(String text) {
        return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }
}
