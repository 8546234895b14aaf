package jp.kominkan.cloud.group;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A roster counted as the fee reduction (減免) rules read it — "at least half the members live in the
 * city", "half the members 75 or over" — without the names.
 *
 * @param total       members
 * @param byResidency members per residency (every residency present, zero if none)
 * @param byAgeBand   members per age band (every band present, zero if none)
 */
public record RosterCounts(int total, Map<Member.Residency, Integer> byResidency, Map<Member.AgeBand, Integer> byAgeBand) {

    /** Copies the maps. */
    public RosterCounts {
        byResidency = Collections.unmodifiableMap(new EnumMap<>(byResidency));
        byAgeBand = Collections.unmodifiableMap(new EnumMap<>(byAgeBand));
    }

    /**
     * @param members a roster
     * @return its counts
     */
    public static RosterCounts of(List<Member> members) {
        Map<Member.Residency, Integer> residency = new EnumMap<>(Member.Residency.class);
        Map<Member.AgeBand, Integer> age = new EnumMap<>(Member.AgeBand.class);
        for (Member.Residency r : Member.Residency.values()) {
            residency.put(r, 0);
        }
        for (Member.AgeBand band : Member.AgeBand.values()) {
            age.put(band, 0);
        }
        for (Member m : members) {
            residency.merge(m.residency(), 1, Integer::sum);
            age.merge(m.ageBand(), 1, Integer::sum);
        }
        return new RosterCounts(members.size(), residency, age);
    }

    /**
     * @param band an age band
     * @return its members
     */
    public int of(Member.AgeBand band) {
        return byAgeBand.get(band);
    }

    /**
     * @param residency a residency
     * @return its members
     */
    public int of(Member.Residency residency) {
        return byResidency.get(residency);
    }
}
