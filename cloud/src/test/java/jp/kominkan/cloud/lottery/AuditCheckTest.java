package jp.kominkan.cloud.lottery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The audit file's check: a file as the cloud writes it recomputes identically, through a write and a read; a
 * changed application, seed, secret or result is reported where it differs.
 */
class AuditCheckTest {

    static AuditFile file() {
        List<Entry> entries = DrawTest.crowd(30);
        byte[] secret = DrawTest.seed("server secret");
        String commitment = Commitments.applications(new Commitments.Frame(1, DrawTest.CAPS, DrawTest.UNITS), entries);
        byte[] seed = Commitments.seed(secret, "12 34 56 78", commitment);
        DrawResult result = Draw.run(DrawTest.UNITS, entries, DrawTest.CAPS, seed);
        return new AuditFile(AuditFile.FORMAT, Draw.ALGORITHM,
                new AuditFile.RoundInfo(1, "山吹町", "山吹町公民館", "2月 土日祝", "2027-01-08T00:00:00Z",
                        "2027-01-08T01:00:00Z", "2027-01-16T00:00:00Z"),
                List.of("市内の団体", "その他"), new AuditFile.CapsView(2, 2, 3),
                DrawTest.UNITS.stream().map(u -> new AuditFile.UnitView(u, "大会議室", "s", "e", "枠" + u)).toList(),
                AuditFile.views(entries), new AuditFile.CommitmentView(commitment, Commitments.seedCommitment(secret),
                "2027-01-08T00:00:00Z"),
                new AuditFile.SeedView(HexFormat.of().formatHex(secret), "12 34 56 78", "staff",
                        HexFormat.of().formatHex(seed)), AuditFile.view(result), List.of());
    }

    static AuditFile roundTrip(AuditFile file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        file.write(out);
        return AuditFile.read(new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void aFileAsWrittenRecomputesIdentically() throws Exception {
        assertThat(AuditCheck.differences(roundTrip(file()))).isEmpty();
    }

    @Test
    void aChangedApplicationBreaksTheCommitment() throws Exception {
        AuditFile file = file();
        List<AuditFile.ApplicationView> apps = new ArrayList<>(file.applications());
        AuditFile.ApplicationView a = apps.get(0);
        apps.set(0, new AuditFile.ApplicationView(a.id(), a.applicant(), a.group(), a.tier() == 0 ? 1 : 0, a.wishes()));
        AuditFile changed = new AuditFile(file.format(), file.algorithm(), file.round(), file.tiers(), file.caps(),
                file.units(), apps, file.commitments(), file.seed(), file.results(), file.afterDraw());
        assertThat(AuditCheck.differences(roundTrip(changed))).anyMatch(d -> d.startsWith("applications commitment"));
    }

    @Test
    void anotherRandomnessGivesAnotherSeedAndOtherWins() throws Exception {
        AuditFile file = file();
        AuditFile.SeedView s = file.seed();
        AuditFile changed = new AuditFile(file.format(), file.algorithm(), file.round(), file.tiers(), file.caps(),
                file.units(), file.applications(), file.commitments(),
                new AuditFile.SeedView(s.secret(), "99 99 99 99", s.source(), s.value()), file.results(), file.afterDraw());
        assertThat(AuditCheck.differences(changed)).anyMatch(d -> d.startsWith("seed:"));
    }

    @Test
    void aSecretThatIsNotTheCommittedOneIsReported() {
        AuditFile file = file();
        AuditFile.SeedView s = file.seed();
        AuditFile changed = new AuditFile(file.format(), file.algorithm(), file.round(), file.tiers(), file.caps(),
                file.units(), file.applications(), file.commitments(),
                new AuditFile.SeedView(HexFormat.of().formatHex(DrawTest.seed("another")), s.randomness(), s.source(),
                        s.value()), file.results(), file.afterDraw());
        assertThat(AuditCheck.differences(changed)).anyMatch(d -> d.startsWith("seed commitment"));
    }

    @Test
    void aWinMovedToAnotherApplicationIsReportedWithBothSides() {
        AuditFile file = file();
        List<AuditFile.WinView> wins = new ArrayList<>(file.results().wins());
        AuditFile.WinView first = wins.get(0);
        String other = file.applications().stream().map(AuditFile.ApplicationView::id)
                .filter(id -> wins.stream().noneMatch(w -> w.application().equals(id))).findFirst().orElseThrow();
        wins.set(0, new AuditFile.WinView(other, first.rank(), first.units()));
        AuditFile changed = new AuditFile(file.format(), file.algorithm(), file.round(), file.tiers(), file.caps(),
                file.units(), file.applications(), file.commitments(), file.seed(),
                new AuditFile.ResultView(wins, file.results().substitutes()), file.afterDraw());
        assertThat(AuditCheck.differences(changed)).anySatisfy(d -> assertThat(d).startsWith("win 1:")
                .contains(first.application(), other));
    }

    @Test
    void aReorderedSubstituteListIsReported() {
        AuditFile file = file();
        Map<String, List<AuditFile.SubstituteView>> subs = new java.util.LinkedHashMap<>(file.results().substitutes());
        String unit = subs.keySet().iterator().next();
        List<AuditFile.SubstituteView> list = new ArrayList<>(subs.get(unit));
        java.util.Collections.reverse(list);
        subs.put(unit, list);
        AuditFile changed = new AuditFile(file.format(), file.algorithm(), file.round(), file.tiers(), file.caps(),
                file.units(), file.applications(), file.commitments(), file.seed(),
                new AuditFile.ResultView(file.results().wins(), subs), file.afterDraw());
        assertThat(AuditCheck.differences(changed)).anyMatch(d -> d.startsWith("substitutes of unit " + unit));
    }

    @Test
    void capsChangedAfterTheCloseBreakTheCommitment() {
        AuditFile file = file();
        AuditFile changed = new AuditFile(file.format(), file.algorithm(), file.round(), file.tiers(),
                new AuditFile.CapsView(9, 9, 3), file.units(), file.applications(), file.commitments(), file.seed(),
                file.results(), file.afterDraw());
        assertThat(AuditCheck.differences(changed)).anyMatch(d -> d.startsWith("applications commitment"));
    }

    @Test
    void anUnknownFieldOrAnotherFormatIsNotReadAsAnAuditFile() throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditFile.read(new ByteArrayInputStream(
                "{\"format\":\"x\",\"extra\":1}".getBytes()))).isInstanceOf(java.io.IOException.class);
        AuditFile file = file();
        AuditFile other = new AuditFile("kominkan-lottery-audit/9", file.algorithm(), file.round(), file.tiers(),
                file.caps(), file.units(), file.applications(), file.commitments(), file.seed(), file.results(),
                file.afterDraw());
        assertThat(AuditCheck.differences(other)).singleElement().asString().contains("format");
    }
}
