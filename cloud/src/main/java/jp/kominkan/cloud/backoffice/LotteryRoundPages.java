package jp.kominkan.cloud.backoffice;

import java.time.Clock;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.lottery.Drawing;
import jp.kominkan.cloud.lottery.Results;
import jp.kominkan.cloud.lottery.Rounds;

/**
 * The staff's lottery pages (抽選の管理). Being written: no routes yet.
 */
public final class LotteryRoundPages implements HttpService {

    /**
     * @param site       staff page support: sign-in, CSRF, the layout
     * @param rounds     rounds
     * @param drawing    the draw
     * @param results    results and CSV
     * @param facilities facilities and rooms in scope
     * @param clock      the clock
     */
    public LotteryRoundPages(StaffSite site, Rounds rounds, Drawing drawing, Results results,
                             FacilityRepository facilities, Clock clock) {
    }

    @Override
    public void routing(HttpRules rules) {
    }
}
