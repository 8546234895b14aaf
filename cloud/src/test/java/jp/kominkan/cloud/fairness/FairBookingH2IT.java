package jp.kominkan.cloud.fairness;

import jp.kominkan.cloud.support.TestDatabases;

/** The fair booking suite on H2. */
class FairBookingH2IT extends FairBookingSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
