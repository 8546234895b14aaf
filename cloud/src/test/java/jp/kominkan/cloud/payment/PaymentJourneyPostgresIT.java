package jp.kominkan.cloud.payment;

import jp.kominkan.cloud.support.TestDatabases;

/** The money journeys on PostgreSQL. */
class PaymentJourneyPostgresIT extends PaymentJourneySuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
