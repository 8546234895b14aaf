package jp.kominkan.cloud.payment;

import jp.kominkan.cloud.support.TestDatabases;

/** The money journeys on H2. */
class PaymentJourneyH2IT extends PaymentJourneySuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
