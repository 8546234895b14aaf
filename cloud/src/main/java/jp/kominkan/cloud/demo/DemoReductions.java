package jp.kominkan.cloud.demo;

import java.util.Optional;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.reduction.ReductionCategory;
import jp.kominkan.cloud.reduction.ReductionRepository;
import jp.kominkan.cloud.reduction.RosterRule;

/**
 * The demo's 減免 categories, modelled on the reduction rules of municipal 公民館使用料条例: the city's own events
 * free, social-education groups (linked from the group category 社会教育関係団体) and senior citizens' groups at
 * half, groups of people with disabilities free. None is granted with admission charged.
 */
final class DemoReductions {

    private DemoReductions() {
    }

    static void seed(DbTransaction tx, long municipality) {
        ReductionRepository.insertCategory(tx, municipality, new ReductionCategory("city-event",
                "全額免除（市の主催・共催事業）", "Full exemption (events the city holds or co-hosts)", 100, true, true,
                false, Optional.empty()), 1);
        ReductionRepository.insertCategory(tx, municipality, new ReductionCategory("social-education",
                "社会教育関係団体（5割）", "Social education group (50 % off)", 50, true, false, true, Optional.empty()), 2);
        ReductionRepository.insertCategory(tx, municipality, new ReductionCategory("elderly-group",
                "高齢者団体（5割・会員の半数以上が75歳以上）", "Senior citizens' group (50 % off; half the members 75+)", 50,
                true, false, true, Optional.of(RosterRule.ELDERLY_HALF)), 3);
        ReductionRepository.insertCategory(tx, municipality, new ReductionCategory("disability-group",
                "障がい者団体（全額免除）", "Group of people with disabilities (full exemption)", 100, true, true, true,
                Optional.empty()), 4);
        // The demo's group category 社会福祉関係団体 links this code (DemoData).
        ReductionRepository.insertCategory(tx, municipality, new ReductionCategory("social-welfare",
                "社会福祉関係団体（5割）", "Social welfare group (50 % off)", 50, true, false, true, Optional.empty()), 5);
    }
}
