package jp.kominkan.cloud.shelter;

import jp.kominkan.cloud.support.TestDatabases;

/** Shelter codes on PostgreSQL. */
class ShelterCodesPostgresIT extends ShelterCodesSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
