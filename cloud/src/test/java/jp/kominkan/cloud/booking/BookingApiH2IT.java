package jp.kominkan.cloud.booking;

import jp.kominkan.cloud.support.TestDatabases;

/** The booking suite on H2. */
class BookingApiH2IT extends BookingApiSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
