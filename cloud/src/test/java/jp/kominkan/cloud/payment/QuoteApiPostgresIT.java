package jp.kominkan.cloud.payment;

import jp.kominkan.cloud.support.TestDatabases;

/** The quotes API on PostgreSQL. */
class QuoteApiPostgresIT extends QuoteApiSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
