package jp.kominkan.cloud.group;

import java.util.List;
import java.util.Objects;

/**
 * Everything about one group that its representative and staff see: the group, its category, who
 * represents it, the roster and the evidence files (without their bytes).
 *
 * @param group              the group
 * @param category           its category
 * @param representativeName the representative's name
 * @param members            the roster, in order
 * @param evidence           the files, oldest first
 */
public record GroupFile(Group group, Category category, String representativeName, List<Member> members,
                        List<Evidence> evidence) {

    /** Checks the parts and copies the lists. */
    public GroupFile {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(representativeName, "representativeName");
        members = List.copyOf(members);
        evidence = List.copyOf(evidence);
    }

    /** @return the roster counted by residency and age band */
    public RosterCounts counts() {
        return RosterCounts.of(members);
    }
}
