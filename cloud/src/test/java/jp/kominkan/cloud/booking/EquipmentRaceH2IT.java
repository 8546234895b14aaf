package jp.kominkan.cloud.booking;

import jp.kominkan.cloud.support.TestDatabases;

/** The equipment race on H2. */
class EquipmentRaceH2IT extends EquipmentRaceSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
