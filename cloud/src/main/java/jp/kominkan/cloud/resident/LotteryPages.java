package jp.kominkan.cloud.resident;

import java.time.Clock;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import jp.kominkan.cloud.group.Groups;
import jp.kominkan.cloud.lottery.AfterDraw;
import jp.kominkan.cloud.lottery.Applications;
import jp.kominkan.cloud.lottery.Results;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The resident's lottery pages (抽選). Being written: no routes yet.
 */
public final class LotteryPages implements HttpService {

    /**
     * @param pages        templates, CSRF, language
     * @param tenancy      finds the municipality
     * @param applications applying
     * @param results      rounds, audit files, one's own results
     * @param afterDraw    confirming and declining wins
     * @param groups       the groups a resident represents
     * @param clock        the clock
     */
    public LotteryPages(PageSupport pages, Tenancy tenancy, Applications applications, Results results,
                        AfterDraw afterDraw, Groups groups, Clock clock) {
    }

    @Override
    public void routing(HttpRules rules) {
    }
}
