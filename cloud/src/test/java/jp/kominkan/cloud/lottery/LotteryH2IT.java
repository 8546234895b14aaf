package jp.kominkan.cloud.lottery;

import jp.kominkan.cloud.support.TestDatabases;

/** The lottery on H2. */
class LotteryH2IT extends LotterySuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
