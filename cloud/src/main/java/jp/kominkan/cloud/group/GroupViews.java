package jp.kominkan.cloud.group;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How groups are written as JSON, the same for the resident's and the staff's API (names and codes as
 * stored; dates as ISO 8601; absent values left out).
 */
final class GroupViews {

    private GroupViews() {
    }

    static SummaryView summary(Group g) {
        return new SummaryView(g.id(), g.name(), g.categoryCode(), g.status().wire(),
                g.validUntil().map(Object::toString).orElse(null));
    }

    static CategoryView category(Category c) {
        return new CategoryView(c.code(), c.nameJa(), c.nameEn(), c.validityMonths(), c.reductionCode().orElse(null));
    }

    static EvidenceView evidence(Evidence e) {
        return new EvidenceView(e.id(), e.fileName(), e.mediaType(), e.size(), e.uploadedAt().toString());
    }

    static OverlapView overlap(Overlap o) {
        return new OverlapView(o.otherId(), o.otherName(), o.otherStatus().wire(), o.shared(), o.smaller(), o.percent());
    }

    static DetailView detail(GroupFile file, List<Overlap> overlaps) {
        Group g = file.group();
        RosterCounts counts = file.counts();
        return new DetailView(g.id(), g.name(), g.nameKana(), category(file.category()), g.status().wire(),
                g.validUntil().map(Object::toString).orElse(null), g.reviewNote().orElse(null),
                g.submittedAt().map(Object::toString).orElse(null), file.representativeName(),
                file.members().stream().map(m -> new MemberView(m.name(), m.residency().wire(), m.ageBand().wire()))
                        .toList(),
                new CountsView(counts.total(), wire(counts.byResidency()), wire(counts.byAgeBand())),
                file.evidence().stream().map(GroupViews::evidence).toList(),
                overlaps.stream().map(GroupViews::overlap).toList());
    }

    private static Map<String, Integer> wire(Map<? extends Enum<?>, Integer> counts) {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k instanceof Member.Residency r ? r.wire() : ((Member.AgeBand) k).wire(), v));
        return out;
    }

    /** A group in a list. */
    record SummaryView(long id, String name, String categoryCode, String status, String validUntil) {
    }

    /** A category. */
    record CategoryView(String code, String nameJa, String nameEn, int validityMonths, String reductionCode) {
    }

    /** An evidence file, without its bytes. */
    record EvidenceView(UUID id, String fileName, String mediaType, int size, String uploadedAt) {
    }

    /** One member. */
    record MemberView(String name, String residency, String ageBand) {
    }

    /** The roster counted. */
    record CountsView(int total, Map<String, Integer> byResidency, Map<String, Integer> byAgeBand) {
    }

    /** Another group sharing many members. */
    record OverlapView(long groupId, String name, String status, int shared, int smallerRoster, int percent) {
    }

    /** One group. */
    record DetailView(long id, String name, String nameKana, CategoryView category, String status, String validUntil,
                      String reviewNote, String submittedAt, String representative, List<MemberView> members,
                      CountsView counts, List<EvidenceView> evidence, List<OverlapView> overlaps) {
    }
}
