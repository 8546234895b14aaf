package jp.kominkan.cloud.resident;

import jp.kominkan.cloud.support.TestDatabases;

/** The my-bookings suite on a real PostgreSQL server. */
class MyBookingsPostgresIT extends MyBookingsSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
