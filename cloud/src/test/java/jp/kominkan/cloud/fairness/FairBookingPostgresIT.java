package jp.kominkan.cloud.fairness;

import jp.kominkan.cloud.support.TestDatabases;

/** The fair booking suite on a real PostgreSQL server. */
class FairBookingPostgresIT extends FairBookingSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
