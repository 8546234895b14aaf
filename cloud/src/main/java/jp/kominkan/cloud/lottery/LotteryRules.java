package jp.kominkan.cloud.lottery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jp.kominkan.cloud.web.Problem;

/**
 * A round's rules (抽選の規則), kept as JSON on the round: how many wishes and applications, the caps on wins,
 * who may apply (資格) and who is served first (優先順位).
 *
 * @param maxWishes             wishes per application (第N希望まで)
 * @param maxSetLength          consecutive units one wish may join (連続コマ)
 * @param applicationsPerPerson applications per verified person
 * @param applicationsPerGroup  applications per group
 * @param winsPerPerson         wins per verified person
 * @param winsPerGroup          wins per group
 * @param substitutes           substitutes (補欠) listed per unit
 * @param eligibility           who may apply
 * @param tiers                 priority tiers, first served first; an application goes to the first it matches,
 *                              or after them all
 */
public record LotteryRules(int maxWishes, int maxSetLength, int applicationsPerPerson, int applicationsPerGroup,
                           int winsPerPerson, int winsPerGroup, int substitutes, Eligibility eligibility,
                           List<Tier> tiers) {

    /** Usual rules: 3 wishes, sets of up to 3 units, 2 applications and 5 wins per person, 市内 groups first. */
    public static final LotteryRules STANDARD = new LotteryRules(3, 3, 2, 2, 5, 5, 5,
            new Eligibility("any", false, List.of(), 1, 0),
            List.of(new Tier("市内の団体", "resident", "yes"), new Tier("市内の個人", "resident", "no"),
                    new Tier("市外の団体", "any", "yes")));

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    /** Checks every number against its range, naming the field. */
    public LotteryRules {
        range("maxWishes", maxWishes, 1, 10);
        range("maxSetLength", maxSetLength, 1, 8);
        range("applicationsPerPerson", applicationsPerPerson, 1, 20);
        range("applicationsPerGroup", applicationsPerGroup, 1, 20);
        range("winsPerPerson", winsPerPerson, 1, 100);
        range("winsPerGroup", winsPerGroup, 1, 100);
        range("substitutes", substitutes, 0, 50);
        Objects.requireNonNull(eligibility, "eligibility");
        tiers = List.copyOf(Objects.requireNonNull(tiers, "tiers"));
        if (tiers.size() > 10) {
            throw Problem.badField("rules.tiers", "At most 10 priority tiers.", "優先順位の区分は 10 までです。");
        }
    }

    /**
     * Who may apply.
     *
     * @param residency       {@code any}, or {@code resident} for 市内 only
     * @param groupsOnly      only for a registered, approved group (登録団体のみ)
     * @param groupCategories the group categories admitted; empty for all
     * @param minAttendees    fewest people to attend (利用人数の下限)
     * @param minGroupMembers fewest members on the group's roster (構成員数の下限)
     */
    public record Eligibility(String residency, boolean groupsOnly, List<String> groupCategories, int minAttendees,
                              int minGroupMembers) {
        /** Checks the words and ranges. */
        public Eligibility {
            if (!Set.of("any", "resident").contains(String.valueOf(residency))) {
                throw Problem.badField("rules.eligibility.residency", "residency is any or resident.",
                        "居住の条件は any（だれでも）か resident（市内のみ）です。");
            }
            groupCategories = List.copyOf(Objects.requireNonNull(groupCategories, "groupCategories"));
            range("eligibility.minAttendees", minAttendees, 1, 10_000);
            range("eligibility.minGroupMembers", minGroupMembers, 0, 1_000);
        }
    }

    /**
     * A priority tier.
     *
     * @param name      shown to residents and in the audit file (e.g. 市内の団体)
     * @param residency {@code resident}, {@code non-resident} or {@code any}
     * @param group     {@code yes} (applied for a group), {@code no} or {@code any}
     */
    public record Tier(String name, String residency, String group) {
        /** Checks the words. */
        public Tier {
            if (name == null || name.isBlank() || name.length() > 40) {
                throw Problem.badField("rules.tiers.name", "Each tier has a name of up to 40 characters.",
                        "優先順位の区分には 40 文字までの名前を付けてください。");
            }
            if (!Set.of("resident", "non-resident", "any").contains(String.valueOf(residency))
                    || !Set.of("yes", "no", "any").contains(String.valueOf(group))) {
                throw Problem.badField("rules.tiers", "A tier's residency is resident, non-resident or any; its group"
                        + " is yes, no or any.", "区分の居住は resident・non-resident・any、団体は yes・no・any です。");
            }
        }

        boolean matches(boolean resident, boolean forGroup) {
            boolean residencyOk = switch (residency) {
                case "resident" -> resident;
                case "non-resident" -> !resident;
                default -> true;
            };
            boolean groupOk = switch (group) {
                case "yes" -> forGroup;
                case "no" -> !forGroup;
                default -> true;
            };
            return residencyOk && groupOk;
        }
    }

    /**
     * @param resident whether the applicant is a verified 市内 resident
     * @param forGroup whether applied for a group
     * @return the tier, 0 first; after the last named tier when none matches
     */
    public int tierOf(boolean resident, boolean forGroup) {
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).matches(resident, forGroup)) {
                return i;
            }
        }
        return tiers.size();
    }

    /** @return the tiers' names for residents and the audit file, with the catch-all last */
    public List<String> tierNames() {
        List<String> names = new java.util.ArrayList<>(tiers.stream().map(Tier::name).toList());
        names.add("その他");
        return names;
    }

    /** @return the rules as stored */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param json rules as stored or sent; empty for {@link #STANDARD}
     * @return the rules
     * @throws Problem 400 naming the field at fault
     */
    public static LotteryRules fromJson(Optional<String> json) {
        if (json.isEmpty() || json.get().isBlank()) {
            return STANDARD;
        }
        if (json.get().length() > 16_000) {
            throw Problem.badField("rules", "The rules are at most 16,000 characters.", "規則は 16,000 文字までです。");
        }
        try {
            return MAPPER.readValue(json.get(), LotteryRules.class);
        } catch (UnrecognizedPropertyException e) {
            throw Problem.badField("rules", "Unknown field '" + e.getPropertyName() + "' in the rules.",
                    "規則に不明な項目「" + e.getPropertyName() + "」があります。");
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof Problem problem) {
                throw problem;
            }
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                    ? m.getPathReference() : "rules";
            throw Problem.badField("rules", "The rules are not valid at " + path + ": " + e.getOriginalMessage(),
                    "規則の書き方が正しくありません（" + path + "）。");
        }
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw Problem.badField("rules." + field, field + " is " + min + " to " + max + ".",
                    "rules." + field + " は " + min + "〜" + max + " で指定してください。");
        }
    }
}
