package jp.kominkan.cloud.booking;

import jp.kominkan.cloud.support.TestDatabases;

/** The equipment race on PostgreSQL. */
class EquipmentRacePostgresIT extends EquipmentRaceSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
