package jp.kominkan.cloud.resident;

import jp.kominkan.cloud.support.TestDatabases;

/** The my-bookings suite on H2. */
class MyBookingsH2IT extends MyBookingsSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
