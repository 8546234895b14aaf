package jp.kominkan.cloud.payment;

import jp.kominkan.cloud.support.TestDatabases;

/** The quotes API on H2. */
class QuoteApiH2IT extends QuoteApiSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
