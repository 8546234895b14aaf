package jp.kominkan.cloud.receipt;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The 日計表 CSV, parsed back with Commons CSV as Excel would read it. */
class DailyTakingsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);

    @Test
    void startsWithTheUtf8ByteOrderMarkAndAJapaneseHeader() throws IOException {
        byte[] csv = DailyTakings.csv(List.of(cash("R-1", 2620)));

        assertThat(Arrays.copyOf(csv, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        assertThat(parse(csv).get(0).values()).containsExactly("日付", "施設", "領収書番号", "予約番号", "支払方法",
                "取扱者", "収入（円）", "還付（円）");
    }

    @Test
    void oneRowPerEntryThenTotals() throws IOException {
        List<DailyTakings.Entry> entries = List.of(cash("R-1", 2620), cash("R-2", 1050),
                new DailyTakings.Entry(DAY, "鉾田中央公民館", "K-1", "20261205-0042", PaymentMethod.CARD,
                        new HandledBy.Provider("re_3N9xYz"), 0, 1310));

        List<CSVRecord> rows = parse(DailyTakings.csv(entries));

        assertThat(rows).hasSize(5);
        assertThat(rows.get(1).values()).containsExactly("2026-12-01", "鉾田中央公民館", "R-1", "20261201-0001",
                "現金", "佐藤", "2620", "0");
        assertThat(rows.get(3).values()).containsExactly("2026-12-01", "鉾田中央公民館", "K-1", "20261205-0042",
                "クレジットカード", "re_3N9xYz", "0", "1310");
        assertThat(rows.get(4).values()).containsExactly("合計", "", "", "", "", "3件", "3670", "1310");
    }

    @Test
    void anEmptyDayHasHeaderAndZeroTotals() throws IOException {
        List<CSVRecord> rows = parse(DailyTakings.csv(List.of()));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).values()).containsExactly("合計", "", "", "", "", "0件", "0", "0");
    }

    @Test
    void cellsThatWouldBeFormulasGetALeadingApostrophe() throws IOException {
        List<DailyTakings.Entry> entries = List.of(
                new DailyTakings.Entry(DAY, "=HYPERLINK(\"http://evil.example\",\"x\")", "+R-1", "-42",
                        PaymentMethod.CASH, new HandledBy.Clerk("@SUM(A1)"), 100, 0),
                new DailyTakings.Entry(DAY, "＝1+1", "R-2", "7", PaymentMethod.CASH, new HandledBy.Clerk("佐藤 = 係長"),
                        100, 0));

        List<CSVRecord> rows = parse(DailyTakings.csv(entries));

        assertThat(rows.get(1).values()).containsExactly("2026-12-01", "'=HYPERLINK(\"http://evil.example\",\"x\")",
                "'+R-1", "'-42", "現金", "'@SUM(A1)", "100", "0");
        assertThat(rows.get(2).get(1)).isEqualTo("'＝1+1");
        assertThat(rows.get(2).get(5)).isEqualTo("佐藤 = 係長"); // only a leading sign makes a formula
    }

    @Test
    void commasQuotesAndLineEndsAreQuotedAsExcelExpects() throws IOException {
        byte[] csv = DailyTakings.csv(List.of(new DailyTakings.Entry(DAY, "公民館 \"あさひ\", 別館", "R-1", "1",
                PaymentMethod.KONBINI, new HandledBy.Provider("pi_1"), 500, 0)));

        String text = new String(csv, 3, csv.length - 3, StandardCharsets.UTF_8);
        assertThat(text).contains("\"公民館 \"\"あさひ\"\", 別館\"").contains("\r\n");
        assertThat(parse(csv).get(1).get(1)).isEqualTo("公民館 \"あさひ\", 別館");
        assertThat(parse(csv).get(1).get(4)).isEqualTo("コンビニ");
    }

    @Test
    void aRowMovesMoneyOneWay() {
        assertThatThrownBy(() -> new DailyTakings.Entry(DAY, "館", "R-1", "1", PaymentMethod.CASH,
                new HandledBy.Clerk("佐藤"), 100, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DailyTakings.Entry(DAY, "館", "R-1", "1", PaymentMethod.CASH,
                new HandledBy.Clerk("佐藤"), 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DailyTakings.Entry(DAY, "館", "R-1", "1", PaymentMethod.CASH,
                new HandledBy.Clerk("佐藤"), -5, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static DailyTakings.Entry cash(String receipt, long yen) {
        return new DailyTakings.Entry(DAY, "鉾田中央公民館", receipt, "20261201-0001", PaymentMethod.CASH,
                new HandledBy.Clerk("佐藤"), yen, 0);
    }

    /** Parses without the BOM (checked apart), the way Excel reads the file. */
    private static List<CSVRecord> parse(byte[] csv) throws IOException {
        assertThat(Arrays.copyOf(csv, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        String text = new String(csv, 3, csv.length - 3, StandardCharsets.UTF_8);
        return CSVFormat.EXCEL.parse(new StringReader(text)).getRecords();
    }
}
