package jp.kominkan.cloud.lottery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A round's public audit file (監査ファイル), format {@value #FORMAT}: everything needed to recompute the draw —
 * the frozen applications pseudonymised, the units, caps and tiers, the commitments, the seed and its parts, the
 * algorithm's version and the results — and nothing that names a person. Written by the cloud, read by
 * {@code ./kominkan lottery verify}. See {@code docs/lottery.md}.
 *
 * @param format       {@value #FORMAT}
 * @param algorithm    the draw's version, {@link Draw#ALGORITHM}
 * @param round        which round
 * @param tiers        the priority tiers' names, tier 0 first
 * @param caps         the caps the draw kept
 * @param units        the units drawn for
 * @param applications the frozen applications
 * @param commitments  what was published at the close
 * @param seed         the seed and what it was made of
 * @param results      what the draw decided
 * @param afterDraw    what happened since (lapsed wins, substitutes promoted): a record, not recomputed
 */
public record AuditFile(String format, String algorithm, RoundInfo round, List<String> tiers, CapsView caps,
                        List<UnitView> units, List<ApplicationView> applications, CommitmentView commitments,
                        SeedView seed, ResultView results, List<AfterDrawView> afterDraw) {

    /** The format's name and version. */
    public static final String FORMAT = "kominkan-lottery-audit/1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    /**
     * @param id           the round's id
     * @param municipality the municipality's name
     * @param facility     the facility's name
     * @param name         the round's name
     * @param closedAt     when applications closed (ISO-8601)
     * @param drawnAt      when it was drawn (ISO-8601)
     * @param firstComeAt  when leftover units open first-come (ISO-8601)
     */
    public record RoundInfo(long id, String municipality, String facility, String name, String closedAt,
                            String drawnAt, String firstComeAt) {
    }

    /**
     * @param winsPerApplicant most wins per person
     * @param winsPerGroup     most wins per group
     * @param substitutes      length of each unit's substitute list
     */
    public record CapsView(int winsPerApplicant, int winsPerGroup, int substitutes) {
    }

    /**
     * @param id    the unit's id
     * @param room  the room's name
     * @param start start (ISO-8601)
     * @param end   end (ISO-8601)
     * @param label e.g. 「12月6日(土) 夜間」
     */
    public record UnitView(long id, String room, String start, String end, String label) {
    }

    /**
     * @param id        the public number
     * @param applicant the applicant's pseudonym
     * @param group     the group's pseudonym, or null
     * @param tier      its tier
     * @param wishes    the wishes, first first; each a list of unit ids
     */
    public record ApplicationView(String id, String applicant, String group, int tier, List<List<Long>> wishes) {
    }

    /**
     * @param applications the SHA-256 of the applications' canonical text
     * @param seed         the SHA-256 of the server's secret
     * @param publishedAt  when both were published (ISO-8601)
     */
    public record CommitmentView(String applications, String seed, String publishedAt) {
    }

    /**
     * @param secret     the server's secret, revealed (hex)
     * @param randomness what staff entered, or the beacon's value
     * @param source     {@code staff}, or the beacon's name and round
     * @param value      the seed (hex)
     */
    public record SeedView(String secret, String randomness, String source, String value) {
    }

    /**
     * @param wins        the wins, in the order the draw gave them
     * @param substitutes unit id → substitutes, first first
     */
    public record ResultView(List<WinView> wins, Map<String, List<SubstituteView>> substitutes) {
    }

    /**
     * @param application the application
     * @param rank        its wish, 1 first
     * @param units       the units won
     */
    public record WinView(String application, int rank, List<Long> units) {
    }

    /**
     * @param application the application
     * @param rank        its wish covering the unit
     */
    public record SubstituteView(String application, int rank) {
    }

    /**
     * @param at          when (ISO-8601)
     * @param event       {@code lapsed} (a win not confirmed in time or declined) or {@code promoted}
     * @param application the application
     * @param units       its units
     */
    public record AfterDrawView(String at, String event, String application, List<Long> units) {
    }

    /** @return the applications as the draw reads them */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(applications.size());
        for (ApplicationView a : applications) {
            entries.add(new Entry(a.id(), a.applicant(), Optional.ofNullable(a.group()), a.tier(), a.wishes()));
        }
        return entries;
    }

    /**
     * @param entries applications
     * @return their views
     */
    public static List<ApplicationView> views(List<Entry> entries) {
        return entries.stream().map(e -> new ApplicationView(e.id(), e.applicant(), e.group().orElse(null), e.tier(),
                e.wishes())).toList();
    }

    /**
     * @param result a draw's result
     * @return its view
     */
    public static ResultView view(DrawResult result) {
        Map<String, List<SubstituteView>> substitutes = new LinkedHashMap<>();
        result.substitutes().forEach((unit, list) -> substitutes.put(String.valueOf(unit),
                list.stream().map(s -> new SubstituteView(s.application(), s.rank())).toList()));
        return new ResultView(result.wins().stream().map(w -> new WinView(w.application(), w.rank(), w.units())).toList(), substitutes);
    }

    /**
     * @param out where to write the file (left open)
     * @throws IOException when writing fails
     */
    public void write(OutputStream out) throws IOException {
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, this);
    }

    /**
     * @param in the file
     * @return it, parsed
     * @throws IOException when it is not a well-formed audit file (the message says where)
     */
    public static AuditFile read(InputStream in) throws IOException {
        AuditFile file = MAPPER.readValue(in, AuditFile.class);
        if (file == null || file.round() == null || file.applications() == null || file.units() == null
                || file.results() == null || file.results().wins() == null
                || file.commitments() == null || file.seed() == null || file.caps() == null) {
            throw new IOException("The file lacks a part of an audit file (round, applications, units, caps,"
                    + " commitments, seed, results)");
        }
        return file;
    }
}
