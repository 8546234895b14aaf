package jp.kominkan.cloud.lottery;

import jp.kominkan.cloud.support.TestDatabases;

/** The lottery on PostgreSQL. */
class LotteryPostgresIT extends LotterySuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
