package jp.kominkan.cloud.shelter;

import jp.kominkan.cloud.support.TestDatabases;

/** Shelter codes on H2. */
class ShelterCodesH2IT extends ShelterCodesSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
